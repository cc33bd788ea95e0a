//! Custody of a resident's key (客户托管钥匙, seed 003 第7篇; seed 001 key
//! lending): the register (《钥匙托管表》), its weekly check, each use signed by
//! the property and the security side before the seal is opened and again
//! when it is resealed, the entry register, and lending against an ID.
//!
//! One document per deposited key, not one per estate: each key has its own
//! history (checks, uses, loans) and its own due check, the manual registers
//! keys one by one (逐一登记造册), two keys used at once offline never touch
//! the same document, and a key handed back closes its record without
//! rewriting a long shared one.

mod model;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::{Personal, Place};
use crate::rules::RulesConfig;
use crate::signoff::DeviceKey;
pub(crate) use model::{is_property, lends};
pub use model::{
    use_digest, KeyCheck, KeyCustody, KeyLoan, KeyStatus, KeyUse, KeyUseSignature, KeyUseStep,
    Side, SignStep, SiteStep, UseStatus,
};

/// What the register asks when a resident deposits a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyDeposit {
    pub id: RecordId,
    pub place: Place,
    pub resident_name: String,
    pub description: String,
    pub seal_no: String,
}

/// A use as the use register asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UseRequest {
    pub id: String,
    pub reason: String,
    pub present: Vec<String>,
    pub contractor: String,
}

/// A loan against an ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoanRequest {
    pub id: String,
    pub borrower: String,
    pub id_document: String,
    pub id_number: String,
}

pub struct KeyCustodyDoc {
    doc: RecordDoc,
}

record_view!(KeyCustodyDoc, RecordKind::KeyCustody, index_row);

fn role_refused(field: &'static str, zh: &str, en: &str) -> RecordError {
    RecordError::invalid(field, zh, en)
}

impl KeyCustodyDoc {
    /// Whether someone of `role` registers deposited keys, checks them and
    /// asks to use them: the property side.
    pub fn may_keep(role: crate::people::Role) -> bool {
        is_property(role)
    }

    /// Whether someone of `role` lends keys against an ID.
    pub fn may_lend(role: crate::people::Role) -> bool {
        lends(role)
    }

    /// A resident's key taken into custody, sealed under `seal_no`.
    pub fn deposit(
        draft: &KeyDeposit,
        rules: &RulesConfig,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        if !is_property(who.role) {
            return Err(role_refused(
                "role",
                "只有物业部人员登记托管钥匙",
                "keys are taken into custody by the property side",
            ));
        }
        if draft.place.unit_id.as_deref().is_none_or(str::is_empty) {
            return Err(RecordError::invalid(
                "place",
                "请选择钥匙所属房号",
                "choose the unit the key opens",
            ));
        }
        required("resident_name", &draft.resident_name)?;
        required("description", &draft.description)?;
        required("seal_no", &draft.seal_no)?;
        let skeleton = json!({
            "place": draft.place,
            "resident_name": draft.resident_name,
            "description": draft.description,
            "seal_no": draft.seal_no,
            "received_by": who.staff_id,
            "received_at": who.at,
            "first_check_due_at": rules.keys.next_check_due(who.at, rules.time_zone),
            "checks": [],
            "uses": [],
            "use_signatures": [],
            "use_steps": [],
            "loans": [],
            "handed_back_by": null,
            "handed_back_at": null,
        });
        let doc = RecordDoc::create(
            RecordKind::KeyCustody,
            draft.id.clone(),
            &draft.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(KeyCustodyDoc { doc })
    }

    pub fn read(&self) -> Result<KeyCustody, RecordError> {
        self.doc.read()
    }

    fn open(&self) -> Result<KeyCustody, RecordError> {
        let k = self.read()?;
        if k.status() == KeyStatus::HandedBack {
            return Err(RecordError::invalid(
                "handed_back_at",
                "钥匙已交还业主",
                "the key has been handed back to the resident",
            ));
        }
        Ok(k)
    }

    /// The weekly check against the register; the next is due by the rules.
    pub fn check(
        &mut self,
        check_id: &str,
        present: bool,
        seal_intact: bool,
        note: &str,
        rules: &RulesConfig,
        who: &Who,
    ) -> Result<(), RecordError> {
        let k = self.open()?;
        if k.checks.iter().any(|c| c.id == check_id) {
            return Ok(()); // a retry
        }
        if (!present || !seal_intact) && note.trim().is_empty() {
            return Err(RecordError::invalid(
                "note",
                "钥匙不在或封条损坏时须说明情况",
                "say what was found when the key is missing or its seal is broken",
            ));
        }
        let check = KeyCheck {
            id: check_id.into(),
            by: who.staff_id.clone(),
            at: who.at,
            present,
            seal_intact,
            note: note.into(),
            next_due_at: rules.keys.next_check_due(who.at, rules.time_zone),
        };
        self.doc.change(who, "key checked", |d| {
            codec::append(d, &["checks"], &check)
        })
    }

    /// A use registered in the use register, before anyone signs it.
    pub fn request_use(&mut self, req: &UseRequest, who: &Who) -> Result<(), RecordError> {
        let k = self.open()?;
        if k.uses.iter().any(|u| u.id == req.id) {
            return Ok(());
        }
        required("reason", &req.reason)?;
        let present: Vec<String> = req
            .present
            .iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        if present.len() < 2 {
            return Err(RecordError::invalid(
                "present",
                "开封须有二人以上在场",
                "two or more people must be present when the seal is opened",
            ));
        }
        let u = KeyUse {
            id: req.id.clone(),
            reason: req.reason.clone(),
            present,
            contractor: req.contractor.trim().into(),
            requested_by: who.staff_id.clone(),
            requested_at: who.at,
        };
        self.doc.change(who, "key use requested", |d| {
            codec::append(d, &["uses"], &u)
        })
    }

    /// This person's signature of `step` of a use, for their side, made with
    /// this phone's own key. A resealing names the new seal.
    pub fn sign_use(
        &mut self,
        use_id: &str,
        step: SignStep,
        seal_no: &str,
        key: &DeviceKey,
        who: &Who,
    ) -> Result<(), RecordError> {
        let k = self.open()?;
        let side = Side::of(who.role).ok_or_else(|| {
            role_refused(
                "use_signatures",
                "只有物业部、保安部人员签字",
                "only the property and the security side sign a key use",
            )
        })?;
        let u = k.use_by_id(use_id).ok_or_else(|| RecordError::NoSuchItem {
            what: "key use",
            id: use_id.into(),
        })?;
        let seal_no = match step {
            SignStep::Approve => "",
            SignStep::Reseal => {
                required("seal_no", seal_no)?;
                if k.use_status(use_id) != UseStatus::Opened {
                    return Err(RecordError::invalid(
                        "seal_no",
                        "钥匙开封后才能重新封存",
                        "a key is resealed after it was opened",
                    ));
                }
                seal_no.trim()
            }
        };
        if k.signature(use_id, step, side).is_some() {
            return Ok(()); // this side has signed
        }
        let digest = use_digest(&k, u, step, seal_no);
        let message =
            KeyUseSignature::message(&digest, &who.staff_id, side, who.at, &who.device_id);
        let signature = KeyUseSignature {
            id: uuid::Uuid::now_v7().to_string(),
            use_id: use_id.into(),
            step,
            side,
            staff_id: who.staff_id.clone(),
            seal_no: seal_no.into(),
            signed_at: who.at,
            device_id: who.device_id,
            device_key: key.public_hex(),
            digest,
            device_signature: key.sign_message(&message),
        };
        self.doc.change(who, "key use signed", |d| {
            codec::append(d, &["use_signatures"], &signature)
        })
    }

    /// What happened on site: the seal opened (only once both sides signed
    /// the use), or a line of the entry register while it is open.
    pub fn site_step(
        &mut self,
        step_id: &str,
        use_id: &str,
        step: SiteStep,
        note: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let k = self.open()?;
        if k.use_steps.iter().any(|s| s.id == step_id) {
            return Ok(());
        }
        let status = k.use_status(use_id);
        let allowed = match step {
            SiteStep::Opened => status == UseStatus::Approved,
            SiteStep::Entered => status == UseStatus::Opened,
        };
        if !allowed {
            let (zh, en) = match step {
                SiteStep::Opened => (
                    "须物业部、保安部双方签字后才能开封",
                    "the seal is opened only once both sides signed the use",
                ),
                SiteStep::Entered => (
                    "钥匙开封后、重新封存前才能登记入室",
                    "entry is registered while the key is open",
                ),
            };
            return Err(RecordError::invalid("use_steps", zh, en));
        }
        if step == SiteStep::Entered {
            required("note", note)?;
        }
        let s = KeyUseStep {
            id: step_id.into(),
            use_id: use_id.into(),
            step,
            by: who.staff_id.clone(),
            at: who.at,
            note: note.into(),
        };
        self.doc.change(who, "key use step", |d| {
            codec::append(d, &["use_steps"], &s)
        })
    }

    /// Lends the sealed key against an ID document.
    pub fn lend(&mut self, loan: &LoanRequest, who: &Who) -> Result<(), RecordError> {
        let k = self.open()?;
        if k.loans.iter().any(|l| l.id == loan.id) {
            return Ok(());
        }
        if k.status() != KeyStatus::InCustody {
            return Err(RecordError::invalid(
                "loans",
                "钥匙不在箱内,不能外借",
                "the key is not in the box and cannot be lent",
            ));
        }
        required("borrower", &loan.borrower)?;
        required("id_document", &loan.id_document)?;
        required("id_number", &loan.id_number)?;
        let l = KeyLoan {
            id: loan.id.clone(),
            borrower: Personal(loan.borrower.trim().into()),
            id_document: loan.id_document.trim().into(),
            id_number: Personal(loan.id_number.trim().into()),
            lent_by: who.staff_id.clone(),
            lent_at: who.at,
            returned_at: None,
            returned_to: None,
        };
        self.doc
            .change(who, "key lent", |d| codec::append(d, &["loans"], &l))
    }

    /// The lent key is back; the ID goes back to its owner.
    pub fn returned(&mut self, loan_id: &str, who: &Who) -> Result<(), RecordError> {
        let k = self.read()?;
        let loan =
            k.loans
                .iter()
                .find(|l| l.id == loan_id)
                .ok_or_else(|| RecordError::NoSuchItem {
                    what: "loan",
                    id: loan_id.into(),
                })?;
        if !loan.is_out() {
            return Ok(());
        }
        self.doc.change(who, "key returned", |d| {
            codec::update_item(
                d,
                &["loans"],
                loan_id,
                &json!({ "returned_at": who.at, "returned_to": who.staff_id }),
            )
            .map(|_| ())
        })
    }

    /// The key goes back to the resident; nothing more is recorded on it.
    pub fn hand_back(&mut self, who: &Who) -> Result<(), RecordError> {
        let k = self.open()?;
        if k.status() != KeyStatus::InCustody {
            return Err(RecordError::invalid(
                "handed_back_at",
                "钥匙在使用或外借中,不能交还",
                "the key is in use or lent and cannot be handed back",
            ));
        }
        self.doc.change(who, "key handed back", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "handed_back_by": who.staff_id, "handed_back_at": who.at }),
            )
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let k: KeyCustody = doc.read()?;
    let status = k.status();
    let open = status != KeyStatus::HandedBack;
    Ok(IndexRow {
        id: k.id.clone(),
        kind: RecordKind::KeyCustody,
        estate_id: k.estate_id.clone(),
        status: status.name().into(),
        open,
        conflicted: false,
        assignee: None,
        unit_id: k.place.unit_id.clone(),
        category: None,
        emergency: false,
        created_at: k.received_at,
        // The weekly check: due and overdue on the lists while it is held.
        due_at: open.then(|| k.check_due_at()),
        done_at: k.handed_back_at,
        // No resident's name here: rows reach every list.
        title: k.description.chars().take(60).collect(),
        facts: json!({
            "seal_no": k.current_seal(),
            "checks": k.checks.len(),
            "faults": k.checks.iter().filter(|c| c.found_fault()).count(),
            "uses": k.uses.len(),
            "unsealed_uses": k.unsealed_uses(),
            "lent": k.open_loan().is_some(),
            // For the monthly report: when each check fell due and was
            // made, when each use was registered, each loan out and back.
            "check_dues": k.check_dues().iter()
                .map(|(due, done)| json!({ "due_at": due, "done_at": done }))
                .collect::<Vec<_>>(),
            "use_times": k.uses.iter().map(|u| u.requested_at).collect::<Vec<_>>(),
            "loan_times": k.loans.iter()
                .map(|l| json!({ "lent_at": l.lent_at, "returned_at": l.returned_at }))
                .collect::<Vec<_>>(),
        })
        .into(),
    })
}
