//! A deposited key as read from its document, what each signature of a use
//! covers, and where the key and each use stand.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::DeviceId;
use crate::people::Role;
use crate::places::{Personal, Place};
use crate::time::Millis;

/// The property side (物业部): assistants who fetch the key, and the heads.
pub(crate) fn is_property(role: Role) -> bool {
    role == Role::PropertyAssistant || role.is_head()
}

/// Who lends a key against an ID (借钥匙, front desk and area administrators):
/// exactly the roles who may read residents' data, since they write an ID number.
pub(crate) fn lends(role: Role) -> bool {
    role.sees_residents()
}

/// The two departments whose people both sign each use (第7篇 items 4, 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// 物业部
    Property,
    /// 保安部
    Security,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Property, Side::Security];

    /// The side a role signs for; None for roles that sign for neither.
    pub fn of(role: Role) -> Option<Side> {
        if is_property(role) {
            Some(Side::Property)
        } else if role == Role::Security {
            Some(Side::Security)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Property => "property",
            Side::Security => "security",
        }
    }
}

/// What a pair of signatures approves: the use before the seal is opened
/// (《钥匙使用登记薄》, item 4), and the joint resealing after (item 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignStep {
    Approve,
    Reseal,
}

impl SignStep {
    pub const ALL: [SignStep; 2] = [SignStep::Approve, SignStep::Reseal];

    pub fn as_str(self) -> &'static str {
        match self {
            SignStep::Approve => "approve",
            SignStep::Reseal => "reseal",
        }
    }
}

/// What happens on site between the two pairs of signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStep {
    /// The sealed key opened on site by two or more people (item 5).
    Opened,
    /// A line of the entry register (入室登记表, item 7): who went in, what
    /// was moved and put back (item 6).
    Entered,
}

impl SiteStep {
    pub const ALL: [SiteStep; 2] = [SiteStep::Opened, SiteStep::Entered];

    pub fn as_str(self) -> &'static str {
        match self {
            SiteStep::Opened => "opened",
            SiteStep::Entered => "entered",
        }
    }
}

/// One weekly check of the key against the register (item 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyCheck {
    pub id: String,
    pub by: String,
    pub at: Millis,
    /// The key is in the box.
    pub present: bool,
    /// Its seal is unbroken.
    pub seal_intact: bool,
    pub note: String,
    /// When the next check is due, by the company rules as they stood.
    pub next_due_at: Millis,
}

impl KeyCheck {
    pub fn found_fault(&self) -> bool {
        !self.present || !self.seal_intact
    }
}

/// One use of the key, as the use register (钥匙使用登记薄) asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyUse {
    pub id: String,
    pub reason: String,
    /// Who will be there when the seal is opened: two or more (item 5).
    pub present: Vec<String>,
    /// The works' person in charge (施工负责人), who also signs the entry
    /// register; empty when nobody works inside.
    pub contractor: String,
    pub requested_by: String,
    pub requested_at: Millis,
}

/// One person's signature of a use, made on their own phone with its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyUseSignature {
    pub id: String,
    pub use_id: String,
    pub step: SignStep,
    pub side: Side,
    pub staff_id: String,
    /// The new seal's number, for a resealing; empty for an approval.
    pub seal_no: String,
    pub signed_at: Millis,
    pub device_id: DeviceId,
    /// The signing device's public key, hex.
    pub device_key: String,
    pub digest: String,
    /// Ed25519 over [`KeyUseSignature::message`], hex.
    pub device_signature: String,
}

/// What a signature covers: the key, the use as registered, the step and
/// the new seal. Lists keep their order: who is present was written once.
#[derive(Serialize)]
struct Covered<'a> {
    key_id: &'a str,
    unit_id: &'a Option<String>,
    use_id: &'a str,
    reason: &'a str,
    present: &'a [String],
    contractor: &'a str,
    step: SignStep,
    seal_no: &'a str,
}

/// The digest of what signing `step` of `u` on key `key` covers.
pub fn use_digest(key: &KeyCustody, u: &KeyUse, step: SignStep, seal_no: &str) -> String {
    let covered = Covered {
        key_id: &key.id,
        unit_id: &key.place.unit_id,
        use_id: &u.id,
        reason: &u.reason,
        present: &u.present,
        contractor: &u.contractor,
        step,
        seal_no,
    };
    let bytes = serde_json::to_vec(&covered).expect("plain data always serialises");
    let mut h = Sha256::new();
    h.update(b"rounds/key-use/v1\n");
    h.update(&bytes);
    hex::encode(h.finalize())
}

impl KeyUseSignature {
    /// The bytes the device signs: the digest and who signed, for which
    /// side, when, on which device.
    pub fn message(
        digest: &str,
        staff_id: &str,
        side: Side,
        signed_at: Millis,
        device: &DeviceId,
    ) -> Vec<u8> {
        format!(
            "rounds/key-use-signature/v1\n{digest}\n{staff_id}\n{}\n{signed_at}\n{device}",
            side.as_str()
        )
        .into_bytes()
    }

    /// Whether the device signature verifies against the key it names; that
    /// the key is the device's registered one is the server's to check.
    pub fn verifies(&self) -> bool {
        let message = Self::message(
            &self.digest,
            &self.staff_id,
            self.side,
            self.signed_at,
            &self.device_id,
        );
        crate::signoff::verifies(&self.device_key, &message, &self.device_signature)
    }
}

/// A line of the register for what happened on site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyUseStep {
    pub id: String,
    pub use_id: String,
    pub step: SiteStep,
    pub by: String,
    pub at: Millis,
    pub note: String,
}

/// The key lent against an ID (身份证一片钥匙, seed 001).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyLoan {
    pub id: String,
    pub borrower: Personal<String>,
    /// The kind of document left (身份证, 驾驶证).
    pub id_document: String,
    /// Its number: shown only to those who see residents' data.
    pub id_number: Personal<String>,
    pub lent_by: String,
    pub lent_at: Millis,
    pub returned_at: Option<Millis>,
    pub returned_to: Option<String>,
}

impl KeyLoan {
    pub fn is_out(&self) -> bool {
        self.returned_at.is_none()
    }
}

/// Where the key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// Sealed in the key box.
    InCustody,
    /// Opened for a use and not yet resealed by both sides.
    InUse,
    /// Lent against an ID and not yet returned.
    Lent,
    /// Given back to the resident: the record is closed.
    HandedBack,
}

impl KeyStatus {
    pub const ALL: [KeyStatus; 4] = [
        KeyStatus::InCustody,
        KeyStatus::InUse,
        KeyStatus::Lent,
        KeyStatus::HandedBack,
    ];

    pub fn name(self) -> &'static str {
        match self {
            KeyStatus::InCustody => "in_custody",
            KeyStatus::InUse => "in_use",
            KeyStatus::Lent => "lent",
            KeyStatus::HandedBack => "handed_back",
        }
    }
}

/// Where one use stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseStatus {
    /// Registered; waiting for both sides' signatures.
    Requested,
    /// Signed by both sides; the seal may be opened.
    Approved,
    Opened,
    /// Resealed and signed by both sides.
    Resealed,
}

impl UseStatus {
    pub const ALL: [UseStatus; 4] = [
        UseStatus::Requested,
        UseStatus::Approved,
        UseStatus::Opened,
        UseStatus::Resealed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            UseStatus::Requested => "requested",
            UseStatus::Approved => "approved",
            UseStatus::Opened => "opened",
            UseStatus::Resealed => "resealed",
        }
    }
}

/// A resident's key in custody, as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyCustody {
    pub id: String,
    pub estate_id: String,
    /// The unit the key opens.
    pub place: Place,
    /// Whose key it is.
    pub resident_name: Personal<String>,
    /// What was deposited (入户门钥匙 2 把).
    pub description: String,
    /// The number of the seal it was deposited under.
    pub seal_no: String,
    pub received_by: String,
    pub received_at: Millis,
    /// The first check's due time, by the rules at deposit.
    pub first_check_due_at: Millis,
    pub checks: Vec<KeyCheck>,
    pub uses: Vec<KeyUse>,
    pub use_signatures: Vec<KeyUseSignature>,
    pub use_steps: Vec<KeyUseStep>,
    pub loans: Vec<KeyLoan>,
    pub handed_back_by: Option<String>,
    pub handed_back_at: Option<Millis>,
}

impl KeyCustody {
    /// When the next weekly check is due: after the latest check, or the
    /// first after deposit. Concurrent checks all count; the latest wins.
    pub fn check_due_at(&self) -> Millis {
        self.checks
            .iter()
            .max_by_key(|c| c.at)
            .map_or(self.first_check_due_at, |c| c.next_due_at)
    }

    /// Each weekly check owed, as (due, made): every check made answers the
    /// due time in force before it, and while the key is held the next one
    /// is owed. A check missed for weeks is one due missed, not several.
    pub fn check_dues(&self) -> Vec<(Millis, Option<Millis>)> {
        let mut made: Vec<&KeyCheck> = self.checks.iter().collect();
        made.sort_by_key(|c| c.at);
        let mut due = self.first_check_due_at;
        let mut dues = Vec::with_capacity(made.len() + 1);
        for c in made {
            dues.push((due, Some(c.at)));
            due = c.next_due_at;
        }
        // Owed until the key went back, if it was due before that.
        if self.handed_back_at.is_none_or(|back| due < back) {
            dues.push((due, None));
        }
        dues
    }

    pub fn use_by_id(&self, use_id: &str) -> Option<&KeyUse> {
        self.uses.iter().find(|u| u.id == use_id)
    }

    /// The valid signature of `side` for `step` of a use, if any: it verifies
    /// and covers the use as it stands.
    pub fn signature(&self, use_id: &str, step: SignStep, side: Side) -> Option<&KeyUseSignature> {
        let u = self.use_by_id(use_id)?;
        self.use_signatures.iter().find(|s| {
            s.use_id == use_id
                && s.step == step
                && s.side == side
                && s.verifies()
                && s.digest == use_digest(self, u, step, &s.seal_no)
        })
    }

    /// Whether both sides signed `step`, two people on two phones (and, for
    /// a resealing, the same seal).
    pub fn signed_by_both(&self, use_id: &str, step: SignStep) -> bool {
        match (
            self.signature(use_id, step, Side::Property),
            self.signature(use_id, step, Side::Security),
        ) {
            (Some(p), Some(s)) => {
                p.staff_id != s.staff_id && p.device_id != s.device_id && p.seal_no == s.seal_no
            }
            _ => false,
        }
    }

    pub fn has_step(&self, use_id: &str, step: SiteStep) -> bool {
        self.use_steps
            .iter()
            .any(|s| s.use_id == use_id && s.step == step)
    }

    pub fn use_status(&self, use_id: &str) -> UseStatus {
        if self.signed_by_both(use_id, SignStep::Reseal) {
            UseStatus::Resealed
        } else if self.has_step(use_id, SiteStep::Opened) {
            UseStatus::Opened
        } else if self.signed_by_both(use_id, SignStep::Approve) {
            UseStatus::Approved
        } else {
            UseStatus::Requested
        }
    }

    /// The seal the key is under now: the latest joint resealing's, or the
    /// one it was deposited under.
    pub fn current_seal(&self) -> &str {
        self.uses
            .iter()
            .filter(|u| self.signed_by_both(&u.id, SignStep::Reseal))
            .filter_map(|u| self.signature(&u.id, SignStep::Reseal, Side::Property))
            .max_by_key(|s| s.signed_at)
            .map_or(&self.seal_no, |s| &s.seal_no)
    }

    pub fn open_loan(&self) -> Option<&KeyLoan> {
        self.loans.iter().find(|l| l.is_out())
    }

    pub fn unsealed_uses(&self) -> usize {
        self.uses
            .iter()
            .filter(|u| self.use_status(&u.id) == UseStatus::Opened)
            .count()
    }

    pub fn status(&self) -> KeyStatus {
        if self.handed_back_at.is_some() {
            KeyStatus::HandedBack
        } else if self.unsealed_uses() > 0 {
            KeyStatus::InUse
        } else if self.open_loan().is_some() {
            KeyStatus::Lent
        } else {
            KeyStatus::InCustody
        }
    }

    /// The record as `role` may see it: residents' names and ID numbers
    /// only for those who see residents' data (`Role::sees_residents`).
    pub fn shown_to(mut self, role: Role) -> KeyCustody {
        if !role.sees_residents() {
            self.resident_name = Personal::default();
            for loan in &mut self.loans {
                loan.borrower = Personal::default();
                loan.id_number = Personal::default();
            }
        }
        self
    }
}
