//! The departments' status reports to the front desk (§5.3.2) across the
//! boundary: the matters passed to this person's department and waiting on
//! its report, soonest due first, and the report made from the phone.

use crate::error::RoundsError;
use crate::people::Label;
use crate::session::{item_id, record_id, Rounds};
use crate::time::{at, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeskReportDue {
    /// The desk log the matter was written in.
    pub log_id: String,
    /// The log's entry the report answers.
    pub entry: String,
    /// The department's code (`engineering`) and its words.
    pub department: String,
    pub department_label: Label,
    pub summary: String,
    pub passed_at: Timestamp,
    pub due_at: Timestamp,
    pub overdue: bool,
}

#[uniffi::export]
impl Rounds {
    /// The matters waiting on this person's department's report (every
    /// department's for the desk and heads).
    pub fn desk_reports_due(&self) -> Result<Vec<DeskReportDue>, RoundsError> {
        let due = self.with(|s| s.my_desk_reports_due())?;
        Ok(due
            .into_iter()
            .map(|d| DeskReportDue {
                log_id: d.log_id,
                entry: d.report.entry,
                department: d.report.department.as_str().into(),
                department_label: d.report.department.label().into(),
                summary: d.report.summary,
                passed_at: at(d.report.passed_at),
                due_at: at(d.report.due_at),
                overdue: d.overdue,
            })
            .collect())
    }

    /// The department's status report on a matter the desk passed to it;
    /// `finished` when the matter is dealt with. Empty `report_id`: a new
    /// one; the same again reports once.
    pub fn report_desk_status(
        &self,
        log_id: String,
        report_id: String,
        entry: String,
        note: String,
        finished: bool,
    ) -> Result<(), RoundsError> {
        let log_id = record_id(&log_id)?;
        let report_id = item_id(report_id);
        self.with(|s| s.report_desk_status(&log_id, &report_id, &entry, &note, finished))
    }
}
