//! The notice's statuses, who may move it, and its read model.

use serde::{Deserialize, Serialize};

use crate::documents::lifecycle::{
    self, not_allowed, role_in, Current, Status, Transition, TransitionError,
};
use crate::people::Role;
use crate::places::Place;
use crate::time::Millis;

/// Who issues notices and re-inspects.
pub(super) const INSPECTORS: [Role; 3] =
    [Role::PropertyAssistant, Role::Supervisor, Role::Director];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectificationStatus {
    AwaitingRectification,
    AwaitingReinspection,
    Rectified,
    SecondRectification,
    ClosedWithPenalty,
}

impl RectificationStatus {
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            RectificationStatus::Rectified | RectificationStatus::ClosedWithPenalty
        )
    }
}

impl Status for RectificationStatus {
    const INITIAL: Self = RectificationStatus::AwaitingRectification;
    const ALL: &'static [Self] = &[
        RectificationStatus::AwaitingRectification,
        RectificationStatus::AwaitingReinspection,
        RectificationStatus::Rectified,
        RectificationStatus::SecondRectification,
        RectificationStatus::ClosedWithPenalty,
    ];

    fn name(self) -> &'static str {
        use RectificationStatus::*;
        match self {
            AwaitingRectification => "awaiting_rectification",
            AwaitingReinspection => "awaiting_reinspection",
            Rectified => "rectified",
            SecondRectification => "second_rectification",
            ClosedWithPenalty => "closed_with_penalty",
        }
    }

    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError> {
        use RectificationStatus::*;
        match (from, to) {
            // Anyone may report the work done: the contractor's word is
            // checked by the re-inspection, not by a role.
            (AwaitingRectification | SecondRectification, AwaitingReinspection) => Ok(()),
            (AwaitingReinspection, Rectified | SecondRectification | ClosedWithPenalty) => {
                role_in(to, role, &INSPECTORS)
            }
            _ => Err(not_allowed(from, to)),
        }
    }
}

/// The responsible party's report that the work is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub by: String,
    pub at: Millis,
    pub note: String,
    /// SHA-256 hashes of photo blobs.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Penalty {
    /// Zero until a notice closes with a penalty.
    pub points: i64,
    pub reason: String,
    pub by: Option<String>,
    pub at: Option<Millis>,
}

/// A rectification notice as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    pub id: String,
    pub estate_id: String,
    pub inspection_id: String,
    pub item_id: String,
    pub place: Place,
    pub problem: String,
    /// 责任方: a contractor, a department, a renovating owner.
    pub responsible_party: String,
    pub issued_by: String,
    pub issued_at: Millis,
    pub due_at: Millis,
    pub events: Vec<Transition<RectificationStatus>>,
    pub reports: Vec<Report>,
    pub penalty: Penalty,
}

impl Rectification {
    pub fn current(&self) -> Current<RectificationStatus> {
        lifecycle::current(&self.events)
    }

    pub fn status(&self) -> Option<RectificationStatus> {
        self.current().status()
    }

    /// When the responsible party finished: their last report while it
    /// waits for or passed re-inspection; the close time for a penalty.
    pub fn done_at(&self) -> Option<Millis> {
        use RectificationStatus::*;
        match self.status()? {
            AwaitingReinspection | Rectified => self.reports.iter().map(|r| r.at).max(),
            ClosedWithPenalty => self.penalty.at,
            AwaitingRectification | SecondRectification => None,
        }
    }

    pub fn second_rectifications(&self) -> usize {
        self.events
            .iter()
            .filter(|e| e.to == RectificationStatus::SecondRectification)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RectificationStatus::*;

    #[test]
    fn anyone_reports_done_and_only_inspectors_reinspect() {
        for from in [AwaitingRectification, SecondRectification] {
            assert!(RectificationStatus::check(from, AwaitingReinspection, Role::Cleaning).is_ok());
        }
        for to in [Rectified, SecondRectification, ClosedWithPenalty] {
            assert!(
                RectificationStatus::check(AwaitingReinspection, to, Role::PropertyAssistant)
                    .is_ok()
            );
            assert!(
                RectificationStatus::check(AwaitingReinspection, to, Role::Technician).is_err()
            );
            assert!(RectificationStatus::check(AwaitingRectification, to, Role::Director).is_err());
        }
        assert!(
            RectificationStatus::check(Rectified, AwaitingReinspection, Role::Director).is_err()
        );
    }
}
