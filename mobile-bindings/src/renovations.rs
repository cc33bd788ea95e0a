//! Renovations (二次装修) across the boundary, for the field work on them:
//! the applications of my estates with acceptance due, one application as
//! this person may see it, a renovation patrol (装修巡查) on it and a defect
//! raised against its contractor, the works (or their rectification)
//! reported finished, and the acceptance on site (验收). Registering,
//! deciding, permits and the deposit are the office's. Every rule is core's.

use rounds_core::documents::renovation as core;

use crate::error::RoundsError;
use crate::inspections::GeoPoint;
use crate::people::Label;
use crate::places::Place;
use crate::queries::{rows, TaskRow};
use crate::session::{id_or_new, item_id, record_id, Rounds};
use crate::time::{at, ms, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RenovationStatus {
    Applied,
    Refused,
    Approved,
    Permitted,
    AwaitingAcceptance,
    Rectifying,
    Accepted,
    Closed,
}

/// A worker's pass (装修工作证). Never the worker's ID number: the phone
/// has no use for it. The name is empty for those who do not see residents'
/// data.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkerPass {
    pub id: String,
    pub name: String,
    pub valid_until: Timestamp,
}

/// An acceptance on site: passed, or failed with its defects.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RenovationAcceptance {
    pub id: String,
    pub passed: bool,
    pub defects: String,
    pub by: String,
    pub at: Timestamp,
}

/// An application as the field screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Renovation {
    pub id: String,
    pub estate_id: String,
    /// The unit renovated.
    pub place: Place,
    /// Empty for those who do not see residents' data.
    pub owner_name: String,
    pub owner_phone: String,
    pub contractor: String,
    pub contractor_phone: String,
    pub work: String,
    pub permit_no: String,
    pub status: RenovationStatus,
    pub status_label: Label,
    /// The end of the permitted period, extensions included.
    pub period_end: Timestamp,
    /// While acceptance is awaited: when it is due.
    pub acceptance_due_at: Option<Timestamp>,
    /// No moving in before a passed acceptance.
    pub move_in_barred: bool,
    pub passes: Vec<WorkerPass>,
    /// Oldest first.
    pub acceptances: Vec<RenovationAcceptance>,
}

#[uniffi::export]
impl Rounds {
    /// The applications of my estates, newest first; `due_at` is when
    /// acceptance is due while it is awaited.
    pub fn renovations(&self) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.renovations()).map(rows)
    }

    pub fn renovation(&self, id: String) -> Result<Renovation, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.renovation(&id)).map(Into::into)
    }

    /// The renovation patrols that checked an application, newest first.
    pub fn renovation_patrols(&self, id: String) -> Result<Vec<TaskRow>, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.renovation_patrols(&id)).map(rows)
    }

    /// A renovation patrol of the application's unit on the renovation
    /// checklist `template_id`; returns the inspection's id. Its items are
    /// recorded and it is submitted as any inspection's.
    pub fn start_renovation_patrol(
        &self,
        id: Option<String>,
        template_id: String,
        renovation_id: String,
        location: Option<GeoPoint>,
    ) -> Result<String, RoundsError> {
        let id = id_or_new(id)?;
        let template_id = record_id(&template_id)?;
        let renovation_id = record_id(&renovation_id)?;
        self.with(|s| {
            s.start_renovation_patrol(id, &template_id, &renovation_id, location.map(Into::into))
        })
        .map(|id| id.to_string())
    }

    /// A patrol's defect as a rectification notice to the application's
    /// contractor (整改通知单); returns the notice's id.
    pub fn raise_against_renovation(
        &self,
        inspection_id: String,
        notice_id: Option<String>,
        item_id: String,
        due_at: Timestamp,
    ) -> Result<String, RoundsError> {
        let inspection_id = record_id(&inspection_id)?;
        let notice_id = id_or_new(notice_id)?;
        self.with(|s| s.raise_against_renovation(&inspection_id, notice_id, &item_id, ms(due_at)))
            .map(|id| id.to_string())
    }

    /// The works (or their rectification) finished now; acceptance falls
    /// due by the company rules and calendar. Empty `completion_id`: a new
    /// one; the same again reports once.
    pub fn report_renovation_finished(
        &self,
        id: String,
        completion_id: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let completion_id = item_id(completion_id);
        self.with(|s| s.report_renovation_finished(&id, &completion_id))
    }

    /// The acceptance on site: passed, or failed with its defects. Empty
    /// `acceptance_id`: a new one; the same again records once.
    pub fn accept_renovation(
        &self,
        id: String,
        acceptance_id: String,
        passed: bool,
        defects: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let acceptance_id = item_id(acceptance_id);
        self.with(|s| s.accept_renovation(&id, &acceptance_id, passed, &defects))
    }
}

impl From<core::RenovationStatus> for RenovationStatus {
    fn from(s: core::RenovationStatus) -> Self {
        use core::RenovationStatus as S;
        match s {
            S::Applied => RenovationStatus::Applied,
            S::Refused => RenovationStatus::Refused,
            S::Approved => RenovationStatus::Approved,
            S::Permitted => RenovationStatus::Permitted,
            S::AwaitingAcceptance => RenovationStatus::AwaitingAcceptance,
            S::Rectifying => RenovationStatus::Rectifying,
            S::Accepted => RenovationStatus::Accepted,
            S::Closed => RenovationStatus::Closed,
        }
    }
}

impl From<core::Renovation> for Renovation {
    fn from(r: core::Renovation) -> Self {
        let status = r.status();
        Renovation {
            status: status.into(),
            status_label: status.label().into(),
            period_end: at(r.period_end()),
            acceptance_due_at: r.acceptance_due_at().map(at),
            move_in_barred: status.bars_move_in(),
            passes: r
                .passes
                .into_iter()
                .map(|p| WorkerPass {
                    id: p.id,
                    name: p.name.0,
                    valid_until: at(p.valid_until),
                })
                .collect(),
            acceptances: r
                .acceptances
                .into_iter()
                .map(|a| RenovationAcceptance {
                    id: a.id,
                    passed: a.passed,
                    defects: a.defects,
                    by: a.by,
                    at: at(a.at),
                })
                .collect(),
            id: r.id,
            estate_id: r.estate_id,
            place: r.place.into(),
            owner_name: r.owner_name.0,
            owner_phone: r.owner_phone.0,
            contractor: r.contractor,
            contractor_phone: r.contractor_phone,
            work: r.work,
            permit_no: r.permit_no,
        }
    }
}
