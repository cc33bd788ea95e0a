//! A renovation application as read from its document, and where it stands.

use serde::{Deserialize, Serialize};

use crate::people::Role;
use crate::places::{Personal, Place};
use crate::time::Millis;

/// Who registers applications, issues workers' passes and keeps the deposit:
/// the front desk (客务部) and the area administrators, exactly the roles who
/// read residents' data, since they write owners' phones and workers' IDs.
pub(crate) fn keeps_applications(role: Role) -> bool {
    role.sees_residents()
}

/// Who inspects finished works on site (验收): area administrators, the
/// engineering side and the heads.
pub(crate) fn accepts_works(role: Role) -> bool {
    matches!(role, Role::PropertyAssistant | Role::Technician) || role.is_head()
}

/// A worker's pass (装修工作证, 出入证): worn on the estate until it expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerPass {
    pub id: String,
    pub name: Personal<String>,
    /// Shown only to those who see residents' data.
    pub id_number: Personal<String>,
    pub valid_until: Millis,
    pub issued_by: String,
    pub issued_at: Millis,
}

/// The permitted period extended (延期装修手续, item 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub id: String,
    /// The new end of the permitted period.
    pub until: Millis,
    pub reason: String,
    pub by: String,
    pub at: Millis,
}

/// The works (or their rectification) reported finished; acceptance is due
/// by the company rules and calendar as they stood (item 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub id: String,
    pub by: String,
    pub at: Millis,
    pub acceptance_due_at: Millis,
}

/// An acceptance inspection on site: passed, or failed with its defects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptance {
    pub id: String,
    pub passed: bool,
    pub defects: String,
    pub by: String,
    pub at: Millis,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenovationStatus {
    /// Registered, waiting for the heads' decision.
    Applied,
    Refused,
    /// Approved in writing; no permit issued yet.
    Approved,
    /// The permit (开工证) is issued: works under way.
    Permitted,
    /// Works reported finished; acceptance due.
    AwaitingAcceptance,
    /// Acceptance failed: the defects are being rectified.
    Rectifying,
    /// Acceptance passed; the deposit is still held.
    Accepted,
    /// Accepted and the deposit refunded (or none was taken); or refused.
    Closed,
}

impl RenovationStatus {
    pub const ALL: [RenovationStatus; 8] = [
        RenovationStatus::Applied,
        RenovationStatus::Refused,
        RenovationStatus::Approved,
        RenovationStatus::Permitted,
        RenovationStatus::AwaitingAcceptance,
        RenovationStatus::Rectifying,
        RenovationStatus::Accepted,
        RenovationStatus::Closed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RenovationStatus::Applied => "applied",
            RenovationStatus::Refused => "refused",
            RenovationStatus::Approved => "approved",
            RenovationStatus::Permitted => "permitted",
            RenovationStatus::AwaitingAcceptance => "awaiting_acceptance",
            RenovationStatus::Rectifying => "rectifying",
            RenovationStatus::Accepted => "accepted",
            RenovationStatus::Closed => "closed",
        }
    }

    /// Whether the unit may not be moved into (item 7: not before a passed
    /// acceptance), from approval on.
    pub fn bars_move_in(self) -> bool {
        matches!(
            self,
            RenovationStatus::Approved
                | RenovationStatus::Permitted
                | RenovationStatus::AwaitingAcceptance
                | RenovationStatus::Rectifying
        )
    }
}

/// A renovation application (装修申请表) with its permit, passes, extensions,
/// completion, acceptance and deposit, as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Renovation {
    pub id: String,
    pub estate_id: String,
    /// The unit renovated.
    pub place: Place,
    pub owner_name: Personal<String>,
    pub owner_phone: Personal<String>,
    /// The renovation company (装修单位) and its person in charge's phone.
    pub contractor: String,
    pub contractor_phone: String,
    /// The planned works, as the application lists them.
    pub work: String,
    pub planned_start: Millis,
    pub planned_end: Millis,
    /// The deposit asked (装修押金), in fen; 0 when none.
    pub deposit_fen: i64,
    pub applied_by: String,
    pub applied_at: Millis,
    pub approved_by: Option<String>,
    pub approved_at: Option<Millis>,
    pub refused_by: Option<String>,
    pub refused_at: Option<Millis>,
    pub refused_reason: String,
    pub permit_no: String,
    pub permit_issued_by: Option<String>,
    pub permit_issued_at: Option<Millis>,
    pub passes: Vec<WorkerPass>,
    pub extensions: Vec<Extension>,
    pub completions: Vec<Completion>,
    pub acceptances: Vec<Acceptance>,
    pub deposit_taken_by: Option<String>,
    pub deposit_taken_at: Option<Millis>,
    pub deposit_refunded_by: Option<String>,
    pub deposit_refunded_at: Option<Millis>,
}

impl Renovation {
    /// The end of the permitted period: the latest extension's, or planned.
    pub fn period_end(&self) -> Millis {
        self.extensions
            .iter()
            .map(|e| e.until)
            .max()
            .map_or(self.planned_end, |u| u.max(self.planned_end))
    }

    pub fn latest_completion(&self) -> Option<&Completion> {
        self.completions.iter().max_by_key(|c| c.at)
    }

    pub fn latest_acceptance(&self) -> Option<&Acceptance> {
        self.acceptances.iter().max_by_key(|a| a.at)
    }

    /// The acceptance that passed, if any: once passed, the works stay accepted.
    pub fn passed(&self) -> Option<&Acceptance> {
        self.acceptances.iter().find(|a| a.passed)
    }

    /// When the first acceptance after `c` was made, if one was.
    pub fn accepted_after(&self, c: &Completion) -> Option<Millis> {
        self.acceptances
            .iter()
            .map(|a| a.at)
            .filter(|at| *at >= c.at)
            .min()
    }

    /// The deposit taken and not yet refunded.
    pub fn deposit_held(&self) -> bool {
        self.deposit_taken_at.is_some() && self.deposit_refunded_at.is_none()
    }

    pub fn status(&self) -> RenovationStatus {
        use RenovationStatus as S;
        if self.refused_at.is_some() {
            return S::Refused;
        }
        if self.passed().is_some() {
            return if self.deposit_held() {
                S::Accepted
            } else {
                S::Closed
            };
        }
        if self.approved_at.is_none() {
            return S::Applied;
        }
        if self.permit_issued_at.is_none() {
            return S::Approved;
        }
        match (self.latest_completion(), self.latest_acceptance()) {
            (Some(c), Some(a)) if c.at > a.at => S::AwaitingAcceptance,
            (_, Some(_)) => S::Rectifying,
            (Some(_), None) => S::AwaitingAcceptance,
            (None, None) => S::Permitted,
        }
    }

    /// When acceptance of the latest completion is due, while it is awaited.
    pub fn acceptance_due_at(&self) -> Option<Millis> {
        (self.status() == RenovationStatus::AwaitingAcceptance)
            .then(|| self.latest_completion().map(|c| c.acceptance_due_at))
            .flatten()
    }

    /// Passes still valid at `now`.
    pub fn valid_passes(&self, now: Millis) -> usize {
        self.passes.iter().filter(|p| p.valid_until > now).count()
    }

    /// The record as `role` may see it: owners' names and phones and
    /// workers' names and ID numbers only for those who see residents' data.
    pub fn shown_to(mut self, role: Role) -> Renovation {
        if !role.sees_residents() {
            self.owner_name = Personal::default();
            self.owner_phone = Personal::default();
            for p in &mut self.passes {
                p.name = Personal::default();
                p.id_number = Personal::default();
            }
        }
        self
    }
}
