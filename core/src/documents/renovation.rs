//! A unit's renovation (二次装修, seed 003 第6篇; seed 000's forms 装修申请表,
//! 装修/延期施工许可证, 装修工作证申请表, 装修竣工检查申请表): the application,
//! the heads' written approval, the permit, workers' passes, extensions of
//! the period, the works reported finished, acceptance on site within the
//! company rules' working days, and the deposit refunded only after a passed
//! acceptance. Renovation patrols name the application they check
//! (`Inspection::renovation_id`).
//!
//! One document per application: each has its own period, passes and
//! acceptance, and two units renovated at once never touch one document.

mod model;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::{Personal, Place};
use crate::time::Millis;
pub(crate) use model::{accepts_works, keeps_applications};
pub use model::{Acceptance, Completion, Extension, Renovation, RenovationStatus, WorkerPass};

/// What the application form (装修申请表) asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenovationApplication {
    pub id: RecordId,
    pub place: Place,
    pub owner_name: String,
    pub owner_phone: String,
    pub contractor: String,
    pub contractor_phone: String,
    pub work: String,
    pub planned_start: Millis,
    pub planned_end: Millis,
    /// The deposit asked, in fen; 0 when none.
    pub deposit_fen: i64,
}

/// A worker's pass as the pass form (装修工作证申请表) asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassRequest {
    pub id: String,
    pub name: String,
    pub id_number: String,
    pub valid_until: Millis,
}

pub struct RenovationDoc {
    doc: RecordDoc,
}

record_view!(RenovationDoc, RecordKind::Renovation, index_row);

impl RenovationDoc {
    /// Registers an application.
    pub fn apply(
        draft: &RenovationApplication,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        if !keeps_applications(who.role) {
            return Err(RecordError::invalid(
                "role",
                "只有客服前台、主管和物业助理登记装修申请",
                "renovation applications are registered by the desk, heads and area administrators",
            ));
        }
        if draft.place.unit_id.as_deref().is_none_or(str::is_empty) {
            return Err(RecordError::invalid(
                "place",
                "请选择装修的房号",
                "choose the unit renovated",
            ));
        }
        required("owner_name", &draft.owner_name)?;
        required("contractor", &draft.contractor)?;
        required("work", &draft.work)?;
        if draft.planned_end <= draft.planned_start {
            return Err(RecordError::invalid(
                "planned_end",
                "完工日期须晚于开工日期",
                "the planned end is after the planned start",
            ));
        }
        if draft.deposit_fen < 0 {
            return Err(RecordError::invalid(
                "deposit_fen",
                "押金不能为负数",
                "the deposit cannot be negative",
            ));
        }
        let skeleton = json!({
            "place": draft.place,
            "owner_name": draft.owner_name.trim(),
            "owner_phone": draft.owner_phone.trim(),
            "contractor": draft.contractor.trim(),
            "contractor_phone": draft.contractor_phone.trim(),
            "work": draft.work.trim(),
            "planned_start": draft.planned_start,
            "planned_end": draft.planned_end,
            "deposit_fen": draft.deposit_fen,
            "applied_by": who.staff_id,
            "applied_at": who.at,
            "approved_by": null,
            "approved_at": null,
            "refused_by": null,
            "refused_at": null,
            "refused_reason": "",
            "permit_no": "",
            "permit_issued_by": null,
            "permit_issued_at": null,
            "passes": [],
            "extensions": [],
            "completions": [],
            "acceptances": [],
            "deposit_taken_by": null,
            "deposit_taken_at": null,
            "deposit_refunded_by": null,
            "deposit_refunded_at": null,
        });
        let doc = RecordDoc::create(
            RecordKind::Renovation,
            draft.id.clone(),
            &draft.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(RenovationDoc { doc })
    }

    pub fn read(&self) -> Result<Renovation, RecordError> {
        self.doc.read()
    }

    fn in_state(
        &self,
        allowed: &[RenovationStatus],
        field: &'static str,
    ) -> Result<Renovation, RecordError> {
        let r = self.read()?;
        let s = r.status();
        if !allowed.contains(&s) {
            return Err(RecordError::invalid(
                field,
                format!("装修申请{}时不能这样做", s.label().zh),
                format!("not while the application is {}", s.label().en),
            ));
        }
        Ok(r)
    }

    /// The heads' written approval (管理中心书面同意, item 1).
    pub fn approve(&mut self, who: &Who) -> Result<(), RecordError> {
        self.in_state(&[RenovationStatus::Applied], "approved_at")?;
        self.doc.change(who, "renovation approved", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "approved_by": who.staff_id, "approved_at": who.at }),
            )
        })
    }

    pub fn refuse(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        self.in_state(&[RenovationStatus::Applied], "refused_at")?;
        required("refused_reason", reason)?;
        self.doc.change(who, "renovation refused", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({
                    "refused_by": who.staff_id,
                    "refused_at": who.at,
                    "refused_reason": reason.trim(),
                }),
            )
        })
    }

    /// The permit (装修开工证) issued under `permit_no`, to be posted on site.
    pub fn issue_permit(&mut self, permit_no: &str, who: &Who) -> Result<(), RecordError> {
        self.in_state(&[RenovationStatus::Approved], "permit_no")?;
        required("permit_no", permit_no)?;
        self.doc.change(who, "permit issued", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({
                    "permit_no": permit_no.trim(),
                    "permit_issued_by": who.staff_id,
                    "permit_issued_at": who.at,
                }),
            )
        })
    }

    /// A worker's pass (出入证), valid until the given time.
    pub fn issue_pass(&mut self, req: &PassRequest, who: &Who) -> Result<(), RecordError> {
        let r = self.in_state(WORKING, "passes")?;
        if r.passes.iter().any(|p| p.id == req.id) {
            return Ok(()); // a retry
        }
        required("name", &req.name)?;
        required("id_number", &req.id_number)?;
        if req.valid_until <= who.at {
            return Err(RecordError::invalid(
                "valid_until",
                "工作证有效期须晚于发证时间",
                "a pass is valid until a time after it is issued",
            ));
        }
        let p = WorkerPass {
            id: req.id.clone(),
            name: Personal(req.name.trim().into()),
            id_number: Personal(req.id_number.trim().into()),
            valid_until: req.valid_until,
            issued_by: who.staff_id.clone(),
            issued_at: who.at,
        };
        self.doc
            .change(who, "pass issued", |d| codec::append(d, &["passes"], &p))
    }

    /// The permitted period extended (延期装修, item 6) to `until`.
    pub fn extend(
        &mut self,
        extension_id: &str,
        until: Millis,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let r = self.in_state(WORKING, "extensions")?;
        if r.extensions.iter().any(|e| e.id == extension_id) {
            return Ok(());
        }
        required("reason", reason)?;
        if until <= r.period_end() {
            return Err(RecordError::invalid(
                "until",
                "延期后的日期须晚于现在的施工期限",
                "an extension runs past the period as it stands",
            ));
        }
        let e = Extension {
            id: extension_id.into(),
            until,
            reason: reason.trim().into(),
            by: who.staff_id.clone(),
            at: who.at,
        };
        self.doc.change(who, "period extended", |d| {
            codec::append(d, &["extensions"], &e)
        })
    }

    /// The works (or their rectification) reported finished; acceptance is
    /// due at `acceptance_due_at`, counted by the session from the rules.
    pub fn report_completion(
        &mut self,
        completion_id: &str,
        acceptance_due_at: Millis,
        who: &Who,
    ) -> Result<(), RecordError> {
        // A retried report (the same id) is done already, whatever the status now.
        if self
            .read()?
            .completions
            .iter()
            .any(|c| c.id == completion_id)
        {
            return Ok(());
        }
        self.in_state(
            &[RenovationStatus::Permitted, RenovationStatus::Rectifying],
            "completions",
        )?;
        let c = Completion {
            id: completion_id.into(),
            by: who.staff_id.clone(),
            at: who.at,
            acceptance_due_at,
        };
        self.doc.change(who, "works finished", |d| {
            codec::append(d, &["completions"], &c)
        })
    }

    /// The acceptance inspection on site: passed, or failed with its defects.
    pub fn accept(
        &mut self,
        acceptance_id: &str,
        passed: bool,
        defects: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        if !accepts_works(who.role) {
            return Err(RecordError::invalid(
                "acceptances",
                "只有物业助理、工程人员和主管验收装修",
                "renovations are accepted by area administrators, engineering and heads",
            ));
        }
        // A retried acceptance (the same id) is recorded already, though it
        // moved the application on.
        if self
            .read()?
            .acceptances
            .iter()
            .any(|a| a.id == acceptance_id)
        {
            return Ok(());
        }
        self.in_state(&[RenovationStatus::AwaitingAcceptance], "acceptances")?;
        if !passed {
            required("defects", defects)?;
        }
        let a = Acceptance {
            id: acceptance_id.into(),
            passed,
            defects: defects.trim().into(),
            by: who.staff_id.clone(),
            at: who.at,
        };
        self.doc.change(who, "renovation accepted", |d| {
            codec::append(d, &["acceptances"], &a)
        })
    }

    /// The deposit (装修押金) taken before works start.
    pub fn take_deposit(&mut self, who: &Who) -> Result<(), RecordError> {
        let r = self.in_state(BEFORE_ACCEPTANCE, "deposit_taken_at")?;
        if r.deposit_fen <= 0 {
            return Err(RecordError::invalid(
                "deposit_taken_at",
                "此申请不收押金",
                "this application asks no deposit",
            ));
        }
        if r.deposit_taken_at.is_some() {
            return Ok(());
        }
        self.doc.change(who, "deposit taken", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "deposit_taken_by": who.staff_id, "deposit_taken_at": who.at }),
            )
        })
    }

    /// The deposit refunded: only after a passed acceptance (item 7).
    pub fn refund_deposit(&mut self, who: &Who) -> Result<(), RecordError> {
        let r = self.read()?;
        if r.passed().is_none() || !r.deposit_held() {
            return Err(RecordError::invalid(
                "deposit_refunded_at",
                "验收合格后才能退还押金",
                "the deposit is refunded only after a passed acceptance",
            ));
        }
        self.doc.change(who, "deposit refunded", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "deposit_refunded_by": who.staff_id, "deposit_refunded_at": who.at }),
            )
        })
    }
}

/// While works may go on: passes issued and the period extended.
const WORKING: &[RenovationStatus] = &[
    RenovationStatus::Permitted,
    RenovationStatus::AwaitingAcceptance,
    RenovationStatus::Rectifying,
];

const BEFORE_ACCEPTANCE: &[RenovationStatus] = &[
    RenovationStatus::Applied,
    RenovationStatus::Approved,
    RenovationStatus::Permitted,
    RenovationStatus::AwaitingAcceptance,
    RenovationStatus::Rectifying,
];

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let r: Renovation = doc.read()?;
    let status = r.status();
    let open = !matches!(status, RenovationStatus::Closed | RenovationStatus::Refused);
    Ok(IndexRow {
        id: r.id.clone(),
        kind: RecordKind::Renovation,
        estate_id: r.estate_id.clone(),
        status: status.name().into(),
        open,
        conflicted: false,
        assignee: None,
        unit_id: r.place.unit_id.clone(),
        category: None,
        emergency: false,
        created_at: r.applied_at,
        // Acceptance: due and overdue on the lists while it is awaited.
        due_at: r.acceptance_due_at(),
        done_at: r.passed().map(|a| a.at),
        // No owner's name here: rows reach every list.
        title: r.work.chars().take(60).collect(),
        facts: json!({
            "contractor": r.contractor,
            "planned_start": r.planned_start,
            "period_end": r.period_end(),
            "permit_no": r.permit_no,
            "approved_at": r.approved_at,
            "passes": r.passes.len(),
            "extensions": r.extensions.len(),
            "completed_at": r.latest_completion().map(|c| c.at),
            "acceptance_due_at": r.latest_completion().map(|c| c.acceptance_due_at),
            "acceptances": r.acceptances.len(),
            "failed_acceptances": r.acceptances.iter().filter(|a| !a.passed).count(),
            "accepted_at": r.passed().map(|a| a.at),
            "move_in_barred": status.bars_move_in(),
            "deposit_fen": r.deposit_fen,
            "deposit_held": r.deposit_held(),
            "deposit_refunded_at": r.deposit_refunded_at,
            // For the monthly report: each acceptance due and when it came,
            // and each acceptance made.
            "completions": r.completions.iter().map(|c| json!({
                "due_at": c.acceptance_due_at,
                "accepted_at": r.accepted_after(c),
            })).collect::<Vec<_>>(),
            "acceptance_log": r.acceptances.iter().map(|a| json!({
                "at": a.at,
                "passed": a.passed,
            })).collect::<Vec<_>>(),
        })
        .into(),
    })
}
