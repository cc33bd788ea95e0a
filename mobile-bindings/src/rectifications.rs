//! Rectification notices (整改通知单) across the boundary: the responsible
//! party's report that the work is done, with photos, and the re-inspection
//! (复查) on the phone that passes it, sends it round again by a new
//! deadline, or closes it with penalty points.

use rounds_core::documents::rectification as core;
use rounds_core::session::Reinspection as CoreReinspection;

use crate::error::RoundsError;
use crate::people::Label;
use crate::session::{item_id, record_id, Rounds};
use crate::time::{at, ms, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RectificationStatus {
    AwaitingRectification,
    AwaitingReinspection,
    Rectified,
    SecondRectification,
    ClosedWithPenalty,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Rectification {
    pub id: String,
    pub inspection_id: String,
    pub item_id: String,
    pub problem: String,
    pub responsible_party: String,
    pub due_at: Timestamp,
    /// None while devices' re-inspections disagree.
    pub status: Option<RectificationStatus>,
    /// The status's words, from core's table.
    pub status_label: Label,
    /// How many times the party reported the work done.
    pub reports: u32,
    /// Rounds sent back at re-inspection.
    pub second_rounds: u32,
    pub penalty_points: i64,
}

/// What a re-inspection finds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Reinspection {
    Passed {
        note: String,
    },
    /// Not yet: the party rectifies again by `due_at`.
    Again {
        reason: String,
        due_at: Timestamp,
    },
    /// Not rectified: closed with penalty points for the party.
    Penalty {
        points: i64,
        reason: String,
    },
}

#[uniffi::export]
impl Rounds {
    pub fn rectification(&self, id: String) -> Result<Rectification, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.rectification(&id)).map(Into::into)
    }

    /// The party's work is done: a note and photos (each `mime`). Empty
    /// `report_id`: a new one; the same one again reports once.
    pub fn report_rectified(
        &self,
        id: String,
        report_id: String,
        note: String,
        photos: Vec<Vec<u8>>,
        mime: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let report_id = item_id(report_id);
        let photos: Vec<(&[u8], &str)> = photos
            .iter()
            .map(|p| (p.as_slice(), mime.as_str()))
            .collect();
        self.with(|s| s.report_rectified(&id, &report_id, &note, &photos))
    }

    /// The re-inspection's verdict.
    pub fn reinspect(&self, id: String, verdict: Reinspection) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let verdict = match verdict {
            Reinspection::Passed { note } => CoreReinspection::Passed { note },
            Reinspection::Again { reason, due_at } => CoreReinspection::Again {
                reason,
                due_at: ms(due_at),
            },
            Reinspection::Penalty { points, reason } => {
                CoreReinspection::Penalty { points, reason }
            }
        };
        self.with(|s| s.reinspect(&id, &verdict))
    }
}

impl From<core::RectificationStatus> for RectificationStatus {
    fn from(s: core::RectificationStatus) -> Self {
        use core::RectificationStatus as C;
        match s {
            C::AwaitingRectification => RectificationStatus::AwaitingRectification,
            C::AwaitingReinspection => RectificationStatus::AwaitingReinspection,
            C::Rectified => RectificationStatus::Rectified,
            C::SecondRectification => RectificationStatus::SecondRectification,
            C::ClosedWithPenalty => RectificationStatus::ClosedWithPenalty,
        }
    }
}

impl From<core::Rectification> for Rectification {
    fn from(r: core::Rectification) -> Self {
        let status = r.status();
        let status_label = status.map_or(rounds_core::labels::CONFLICT, |s| s.label());
        Rectification {
            status: status.map(Into::into),
            status_label: status_label.into(),
            reports: r.reports.len() as u32,
            second_rounds: r.second_rectifications() as u32,
            penalty_points: r.penalty.points,
            due_at: at(r.due_at),
            id: r.id,
            inspection_id: r.inspection_id,
            item_id: r.item_id,
            problem: r.problem,
            responsible_party: r.responsible_party,
        }
    }
}
