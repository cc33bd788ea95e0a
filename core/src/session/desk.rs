//! The front desk's work log through a session: a shift opens its log,
//! writes what comes to the desk, hands over to the next shift, and follows
//! the departments' status reports on what it passed on.

use crate::departments::Department;
use crate::documents::desk_log::{AwaitingReport, DeskLog, DeskLogDoc, EntryDraft, Shift};
use crate::documents::{IndexRow, RecordKind};
use crate::ids::RecordId;
use crate::rules;
use crate::store::{DocumentStore, Query};
use crate::time::{to_millis, Millis};

use super::{Session, SessionError};

/// A matter waiting for a department's status report, with its log.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReport {
    pub log_id: String,
    pub estate_id: String,
    pub report: AwaitingReport,
    pub overdue: bool,
}

impl<S: DocumentStore> Session<S> {
    /// Opens a shift's log with nothing carried (the first shift, or one
    /// that follows no handover).
    pub fn open_desk_log(
        &mut self,
        id: RecordId,
        estate_id: &str,
        date: &str,
        shift: Shift,
    ) -> Result<RecordId, SessionError> {
        let log = DeskLogDoc::open(
            id,
            estate_id,
            date,
            shift,
            &[],
            self.store().device_id(),
            &self.who(),
        )?;
        self.create(log)
    }

    pub fn desk_log(&self, id: &RecordId) -> Result<DeskLog, SessionError> {
        Ok(self.get::<DeskLogDoc>(id)?.read()?)
    }

    /// Writes an entry; a matter passed to a department gets its report's
    /// due time from the company rules and calendar.
    pub fn log_desk_entry(
        &mut self,
        log_id: &RecordId,
        draft: &EntryDraft,
    ) -> Result<(), SessionError> {
        let due = draft.department.map(|_| {
            to_millis(rules::status_report_due(
                self.now(),
                &self.rules,
                &self.calendar,
            ))
        });
        self.edit(log_id, |l: &mut DeskLogDoc, who, _| {
            l.add_entry(draft, due, who)
        })
    }

    pub fn close_desk_item(
        &mut self,
        log_id: &RecordId,
        close_id: &str,
        item: &str,
        note: &str,
    ) -> Result<(), SessionError> {
        self.edit(log_id, |l: &mut DeskLogDoc, who, _| {
            l.close_item(close_id, item, note, who)
        })
    }

    /// A department's status report on a matter passed to it.
    pub fn report_desk_status(
        &mut self,
        log_id: &RecordId,
        report_id: &str,
        entry: &str,
        note: &str,
        finished: bool,
    ) -> Result<(), SessionError> {
        self.edit(log_id, |l: &mut DeskLogDoc, who, _| {
            l.report_status(report_id, entry, note, finished, who)
        })
    }

    /// Signs the shift off; returns the items it handed over.
    pub fn hand_over_desk(
        &mut self,
        log_id: &RecordId,
        note: &str,
    ) -> Result<Vec<String>, SessionError> {
        self.edit(log_id, |l: &mut DeskLogDoc, who, _| l.hand_over(note, who))
    }

    /// Takes over a handed-over shift, accepting `accepted` of its
    /// outstanding items, and opens the next shift's log carrying them.
    pub fn take_over_desk(
        &mut self,
        log_id: &RecordId,
        accepted: &[String],
        next_id: RecordId,
        date: &str,
        shift: Shift,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            let estate_id = s.get::<DeskLogDoc>(log_id)?.read()?.estate_id;
            let carried = s.edit(log_id, |l: &mut DeskLogDoc, who, _| {
                l.take_over(accepted, &next_id, who)
            })?;
            let next = DeskLogDoc::open(
                next_id,
                &estate_id,
                date,
                shift,
                &carried,
                s.store().device_id(),
                &s.who(),
            )?;
            s.create(next)
        })
    }

    /// The desk logs of my estates, newest first.
    pub fn desk_logs(&self) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.records(RecordKind::DeskLog)?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }

    /// The matters waiting on the signed-in person's own report: their
    /// department's, or every department's for the desk and heads.
    pub fn my_desk_reports_due(&self) -> Result<Vec<DueReport>, SessionError> {
        let role = self.staff.role;
        self.desk_reports_due(Department::of(role).filter(|_| !role.registers()))
    }

    /// Matters waiting for a status report, soonest due first: all of them
    /// for the desk, or one department's.
    pub fn desk_reports_due(
        &self,
        department: Option<Department>,
    ) -> Result<Vec<DueReport>, SessionError> {
        let now: Millis = self.now_ms();
        let rows = self.store().query(&Query {
            kind: Some(RecordKind::DeskLog),
            open: Some(true),
            estates: self.my_estates(),
            ..Query::default()
        })?;
        let mut due = vec![];
        for row in rows {
            let awaiting: Vec<AwaitingReport> =
                serde_json::from_value(row.facts["awaiting_reports"].clone()).unwrap_or_default();
            due.extend(
                awaiting
                    .into_iter()
                    .filter(|a| department.is_none_or(|d| a.department == d))
                    .map(|a| DueReport {
                        log_id: row.id.clone(),
                        estate_id: row.estate_id.clone(),
                        overdue: now > a.due_at,
                        report: a,
                    }),
            );
        }
        due.sort_by_key(|d| d.report.due_at);
        Ok(due)
    }
}
