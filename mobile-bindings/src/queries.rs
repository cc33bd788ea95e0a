//! The lists a field screen shows: today's tasks, what is overdue, revisits
//! due, a unit's history. Rows come from the core's query tables, filtered
//! to the estates this person works on.

use rounds_core::documents::{IndexRow, RecordKind as CoreKind};
use rounds_core::time::now_millis;

use crate::error::RoundsError;
use crate::people::Label;
use crate::session::Rounds;
use crate::time::{at, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RecordKind {
    Estate,
    Template,
    Inspection,
    Rectification,
    PatrolRoute,
    PatrolRun,
    WorkOrder,
    Revisit,
    Complaint,
    CompanyRules,
    KeyCustody,
    DeskLog,
    Renovation,
    Survey,
    Customer,
}

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TaskRow {
    pub id: String,
    pub kind: RecordKind,
    pub estate_id: String,
    /// The status name (`dispatched`, `planned`, …), or `conflict`.
    pub status: String,
    /// Still needs someone's work.
    pub open: bool,
    pub conflicted: bool,
    pub assignee: Option<String>,
    pub unit_id: Option<String>,
    pub category: Option<String>,
    pub emergency: bool,
    pub created_at: Timestamp,
    pub due_at: Option<Timestamp>,
    pub done_at: Option<Timestamp>,
    /// Open and past its due time, as of when the list was read.
    pub overdue: bool,
    /// One line for the list, as staff typed it.
    pub title: String,
    /// Why it is in its status, where the move there gave a reason: a work
    /// order refused at the desk or returned (退单) says why.
    pub status_reason: Option<String>,
}

#[uniffi::export]
impl Rounds {
    /// My open work orders, revisits and rectifications, soonest due first.
    pub fn my_tasks(&self) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.my_tasks()).map(rows)
    }

    /// Records of `kind` past their due time, in my estates.
    pub fn overdue(&self, kind: RecordKind) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.overdue(kind.into())).map(rows)
    }

    /// Revisits due within the next `within_days` calendar days.
    pub fn due_revisits(&self, within_days: u32) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.due_revisits(within_days.into())).map(rows)
    }

    /// Everything recorded for a unit, for the resident file on site.
    pub fn unit_history(&self, unit_id: String) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.unit_history(&unit_id)).map(rows)
    }
}

pub(crate) fn rows(rows: Vec<IndexRow>) -> Vec<TaskRow> {
    let now = now_millis();
    rows.into_iter().map(|r| row_at(r, now)).collect()
}

/// One row, its overdue mark as of now.
pub(crate) fn row(r: IndexRow) -> TaskRow {
    row_at(r, now_millis())
}

fn row_at(r: IndexRow, now: i64) -> TaskRow {
    TaskRow {
        overdue: r.is_overdue(now),
        status_reason: r.facts["status_reason"].as_str().map(str::to_owned),
        kind: r.kind.into(),
        id: r.id,
        estate_id: r.estate_id,
        status: r.status,
        open: r.open,
        conflicted: r.conflicted,
        assignee: r.assignee,
        unit_id: r.unit_id,
        category: r.category,
        emergency: r.emergency,
        created_at: at(r.created_at),
        due_at: r.due_at.map(at),
        done_at: r.done_at.map(at),
        title: r.title,
    }
}

impl From<RecordKind> for CoreKind {
    fn from(k: RecordKind) -> Self {
        match k {
            RecordKind::Estate => CoreKind::Estate,
            RecordKind::Template => CoreKind::Template,
            RecordKind::Inspection => CoreKind::Inspection,
            RecordKind::Rectification => CoreKind::Rectification,
            RecordKind::PatrolRoute => CoreKind::PatrolRoute,
            RecordKind::PatrolRun => CoreKind::PatrolRun,
            RecordKind::WorkOrder => CoreKind::WorkOrder,
            RecordKind::Revisit => CoreKind::Revisit,
            RecordKind::Complaint => CoreKind::Complaint,
            RecordKind::CompanyRules => CoreKind::CompanyRules,
            RecordKind::KeyCustody => CoreKind::KeyCustody,
            RecordKind::DeskLog => CoreKind::DeskLog,
            RecordKind::Renovation => CoreKind::Renovation,
            RecordKind::Survey => CoreKind::Survey,
            RecordKind::Customer => CoreKind::Customer,
        }
    }
}

impl From<CoreKind> for RecordKind {
    fn from(k: CoreKind) -> Self {
        match k {
            CoreKind::Estate => RecordKind::Estate,
            CoreKind::Template => RecordKind::Template,
            CoreKind::Inspection => RecordKind::Inspection,
            CoreKind::Rectification => RecordKind::Rectification,
            CoreKind::PatrolRoute => RecordKind::PatrolRoute,
            CoreKind::PatrolRun => RecordKind::PatrolRun,
            CoreKind::WorkOrder => RecordKind::WorkOrder,
            CoreKind::Revisit => RecordKind::Revisit,
            CoreKind::Complaint => RecordKind::Complaint,
            CoreKind::CompanyRules => RecordKind::CompanyRules,
            CoreKind::KeyCustody => RecordKind::KeyCustody,
            CoreKind::DeskLog => RecordKind::DeskLog,
            CoreKind::Renovation => RecordKind::Renovation,
            CoreKind::Survey => RecordKind::Survey,
            CoreKind::Customer => RecordKind::Customer,
        }
    }
}

/// A kind of record's name for a screen ("维修单 / Work order"), from the
/// core's one table.
#[uniffi::export]
pub fn record_kind_label(kind: RecordKind) -> Label {
    CoreKind::from(kind).label().into()
}
