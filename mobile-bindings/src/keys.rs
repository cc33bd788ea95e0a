//! Residents' keys in custody (客户托管钥匙) across the boundary: a key
//! taken into custody, its weekly check, and each use registered and signed
//! on the two people's own phones (property and security), opened, entered
//! and resealed. Names stay on the phones of those who see residents' data.

use rounds_core::documents::key_custody as core;

use crate::error::RoundsError;
use crate::people::Label;
use crate::places::Place;
use crate::session::{id_or_new, item_id, record_id, Rounds};
use crate::time::{at, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyStatus {
    InCustody,
    InUse,
    Lent,
    HandedBack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyUseStatus {
    Requested,
    Approved,
    Opened,
    Resealed,
}

/// The two departments whose people both sign each use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeySide {
    Property,
    Security,
}

/// What a pair of signatures approves: the use, or the resealing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeySignStep {
    Approve,
    Reseal,
}

/// What happens on site between the two pairs of signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeySiteStep {
    Opened,
    Entered,
}

/// What the register asks when a resident deposits a key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyDepositDraft {
    /// The app's id for the new record; None: a new one.
    pub id: Option<String>,
    pub place: Place,
    pub resident_name: String,
    pub description: String,
    pub seal_no: String,
}

/// A valid signature of one step of a use, for one side.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyUseSigner {
    pub step: KeySignStep,
    pub side: KeySide,
    pub staff_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyUse {
    pub id: String,
    pub reason: String,
    pub present: Vec<String>,
    pub status: KeyUseStatus,
    pub status_label: Label,
    /// Only signatures that verify and cover the use as it stands.
    pub signers: Vec<KeyUseSigner>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DepositedKey {
    pub id: String,
    pub place: Place,
    /// Empty for those who do not see residents' data.
    pub resident_name: String,
    pub description: String,
    /// The seal it is under now.
    pub seal_no: String,
    pub status: KeyStatus,
    pub status_label: Label,
    /// When the next weekly check is due.
    pub check_due_at: Timestamp,
    pub checks: u32,
    pub uses: Vec<KeyUse>,
}

#[uniffi::export]
impl Rounds {
    /// A resident's key taken into custody; its id.
    pub fn deposit_key(&self, draft: KeyDepositDraft) -> Result<String, RoundsError> {
        let draft = core::KeyDeposit {
            id: id_or_new(draft.id)?,
            place: draft.place.into(),
            resident_name: draft.resident_name,
            description: draft.description,
            seal_no: draft.seal_no,
        };
        self.with(|s| s.deposit_key(&draft))
            .map(|id| id.to_string())
    }

    pub fn deposited_key(&self, id: String) -> Result<DepositedKey, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.key_custody(&id)).map(Into::into)
    }

    /// The weekly check. Empty `check_id`: a new one; the same again checks once.
    pub fn check_key(
        &self,
        id: String,
        check_id: String,
        present: bool,
        seal_intact: bool,
        note: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let check_id = item_id(check_id);
        self.with(|s| s.check_key(&id, &check_id, present, seal_intact, &note))
    }

    /// A use registered before anyone signs it: why, and who will be there.
    pub fn request_key_use(
        &self,
        id: String,
        use_id: String,
        reason: String,
        present: Vec<String>,
        contractor: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let req = core::UseRequest {
            id: use_id,
            reason,
            present,
            contractor,
        };
        self.with(|s| s.request_key_use(&id, &req))
    }

    /// This person signs `step` of a use for their side with this phone's
    /// key; a resealing names the new seal.
    pub fn sign_key_use(
        &self,
        id: String,
        use_id: String,
        step: KeySignStep,
        seal_no: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.sign_key_use(&id, &use_id, step.into(), &seal_no))
    }

    /// The seal opened on site, or a line of the entry register.
    pub fn key_site_step(
        &self,
        id: String,
        step_id: String,
        use_id: String,
        step: KeySiteStep,
        note: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let step_id = item_id(step_id);
        let step = match step {
            KeySiteStep::Opened => core::SiteStep::Opened,
            KeySiteStep::Entered => core::SiteStep::Entered,
        };
        self.with(|s| s.key_site_step(&id, &step_id, &use_id, step, &note))
    }
}

impl From<KeySignStep> for core::SignStep {
    fn from(s: KeySignStep) -> Self {
        match s {
            KeySignStep::Approve => core::SignStep::Approve,
            KeySignStep::Reseal => core::SignStep::Reseal,
        }
    }
}

fn key_status(s: core::KeyStatus) -> KeyStatus {
    match s {
        core::KeyStatus::InCustody => KeyStatus::InCustody,
        core::KeyStatus::InUse => KeyStatus::InUse,
        core::KeyStatus::Lent => KeyStatus::Lent,
        core::KeyStatus::HandedBack => KeyStatus::HandedBack,
    }
}

fn use_status(s: core::UseStatus) -> KeyUseStatus {
    match s {
        core::UseStatus::Requested => KeyUseStatus::Requested,
        core::UseStatus::Approved => KeyUseStatus::Approved,
        core::UseStatus::Opened => KeyUseStatus::Opened,
        core::UseStatus::Resealed => KeyUseStatus::Resealed,
    }
}

impl From<core::KeyCustody> for DepositedKey {
    fn from(k: core::KeyCustody) -> Self {
        let uses = k
            .uses
            .iter()
            .map(|u| {
                let status = k.use_status(&u.id);
                let mut signers = vec![];
                for (step, s) in [
                    (core::SignStep::Approve, KeySignStep::Approve),
                    (core::SignStep::Reseal, KeySignStep::Reseal),
                ] {
                    for (side, d) in [
                        (core::Side::Property, KeySide::Property),
                        (core::Side::Security, KeySide::Security),
                    ] {
                        if let Some(sig) = k.signature(&u.id, step, side) {
                            signers.push(KeyUseSigner {
                                step: s,
                                side: d,
                                staff_id: sig.staff_id.clone(),
                            });
                        }
                    }
                }
                KeyUse {
                    id: u.id.clone(),
                    reason: u.reason.clone(),
                    present: u.present.clone(),
                    status: use_status(status),
                    status_label: status.label().into(),
                    signers,
                }
            })
            .collect();
        let status = k.status();
        DepositedKey {
            id: k.id.clone(),
            place: k.place.clone().into(),
            resident_name: k.resident_name.0.clone(),
            description: k.description.clone(),
            seal_no: k.current_seal().to_owned(),
            status: key_status(status),
            status_label: status.label().into(),
            check_due_at: at(k.check_due_at()),
            checks: k.checks.len() as u32,
            uses,
        }
    }
}
