//! The front desk's work log (前台工作日志, seed 003 第4/13篇 §7.4): per
//! estate and shift, every visitor, call and matter with its time and who
//! wrote it; the handover to the next shift, signed off by the one handing
//! over and accepted by the one taking over; and the status reports of the
//! departments matters were passed to (§5.3.2).

mod model;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::departments::Department;
use crate::ids::{DeviceId, RecordId};
use crate::people::Role;
use crate::time::Millis;
pub use model::{
    AwaitingReport, Carried, Closed, DeskLog, DeskLogStatus, Entry, EntryKind, Outcome, Shift,
    StatusReport,
};

/// What the desk writes for one entry; the time, the writer and the
/// report's due time come from the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryDraft {
    pub id: String,
    pub kind: EntryKind,
    pub party: String,
    pub unit_id: Option<String>,
    pub summary: String,
    pub outcome: Outcome,
    pub department: Option<Department>,
}

pub struct DeskLogDoc {
    doc: RecordDoc,
}

record_view!(DeskLogDoc, RecordKind::DeskLog, index_row);

fn desk_role(role: Role) -> Result<(), RecordError> {
    if DeskLogDoc::may_keep(role) {
        Ok(())
    } else {
        Err(RecordError::invalid(
            "role",
            "只有前台与主管可以记录工作日志",
            "only the front desk and heads keep the work log",
        ))
    }
}

/// "2026-12-07": the shift's local date.
fn check_date(date: &str) -> Result<(), RecordError> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| {
            RecordError::invalid(
                "date",
                "日期格式应为 2026-12-07",
                "a date is written like 2026-12-07",
            )
        })
}

impl DeskLogDoc {
    /// Whether someone of `role` keeps the log (the desk, and heads who
    /// stand in for it).
    pub fn may_keep(role: Role) -> bool {
        role.registers()
    }

    /// Opens the log of a shift, with the items accepted from the shift
    /// before it (none for the first).
    pub fn open(
        id: RecordId,
        estate_id: &str,
        date: &str,
        shift: Shift,
        carried: &[Carried],
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        desk_role(who.role)?;
        required("estate_id", estate_id)?;
        check_date(date)?;
        let skeleton = json!({
            "date": date,
            "shift": shift,
            "opened_by": who.staff_id,
            "opened_at": who.at,
            "carried": carried,
            "entries": [],
            "closed": [],
            "reports": [],
            "handed_by": null,
            "handed_at": null,
            "handover_note": "",
            "outstanding": [],
            "taken_by": null,
            "taken_at": null,
            "accepted": [],
            "next_log": null,
        });
        let doc = RecordDoc::create(RecordKind::DeskLog, id, estate_id, device, who, skeleton)?;
        Ok(DeskLogDoc { doc })
    }

    pub fn read(&self) -> Result<DeskLog, RecordError> {
        self.doc.read()
    }

    /// Writes a visitor, a call or a matter. A matter passed to a
    /// department carries when its status report is due.
    pub fn add_entry(
        &mut self,
        draft: &EntryDraft,
        report_due_at: Option<Millis>,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("id", &draft.id)?;
        required("summary", &draft.summary)?;
        let log = self.read()?;
        if log.status() != DeskLogStatus::Open {
            return Err(RecordError::invalid(
                "entries",
                "本班已交班,不能再记录",
                "this shift is handed over; nothing more is written in its log",
            ));
        }
        if log.entry(&draft.id).is_some() {
            return Ok(()); // a retry of the same entry
        }
        let passed_on = draft.outcome == Outcome::PassedOn;
        if passed_on != draft.department.is_some() {
            return Err(RecordError::invalid(
                "department",
                "转交部门的事项须选择部门,其他事项不选",
                "a matter passed on names its department; nothing else does",
            ));
        }
        let entry = Entry {
            id: draft.id.clone(),
            kind: draft.kind,
            at: who.at,
            by: who.staff_id.clone(),
            party: draft.party.trim().into(),
            unit_id: draft.unit_id.clone().filter(|u| !u.trim().is_empty()),
            summary: draft.summary.trim().into(),
            outcome: draft.outcome,
            department: draft.department,
            report_due_at: report_due_at.filter(|_| passed_on),
        };
        self.doc
            .change(who, "log entry", |d| codec::append(d, &["entries"], &entry))
    }

    /// The desk closes an open item: done, or answered in full.
    pub fn close_item(
        &mut self,
        close_id: &str,
        item: &str,
        note: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let log = self.read()?;
        if log.closed.iter().any(|c| c.id == close_id) {
            return Ok(()); // a retry
        }
        if !log.open_items().iter().any(|i| i == item) {
            return Err(RecordError::NoSuchItem {
                what: "open item",
                id: item.into(),
            });
        }
        let closed = Closed {
            id: close_id.into(),
            item: item.into(),
            by: who.staff_id.clone(),
            at: who.at,
            note: note.trim().into(),
        };
        self.doc.change(who, "close item", |d| {
            codec::append(d, &["closed"], &closed)
        })
    }

    /// Whether someone of `role` may report on a matter passed to
    /// `department`: its own people, or the desk writing down what the
    /// department told it.
    pub fn may_report(role: Role, department: Department) -> bool {
        Department::of(role) == Some(department) || role.registers()
    }

    /// A department reports the status of a matter passed to it.
    pub fn report_status(
        &mut self,
        report_id: &str,
        entry: &str,
        note: &str,
        finished: bool,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("note", note)?;
        let log = self.read()?;
        if log.reports.iter().any(|r| r.id == report_id) {
            return Ok(()); // a retry
        }
        let department =
            log.entry(entry)
                .and_then(|e| e.department)
                .ok_or_else(|| RecordError::NoSuchItem {
                    what: "matter passed to a department",
                    id: entry.into(),
                })?;
        if !Self::may_report(who.role, department) {
            return Err(RecordError::invalid(
                "entry",
                "只有该部门或前台可以通报此事项",
                "only that department, or the desk, reports on this matter",
            ));
        }
        let report = StatusReport {
            id: report_id.into(),
            entry: entry.into(),
            by: who.staff_id.clone(),
            at: who.at,
            note: note.trim().into(),
            finished,
        };
        self.doc.change(who, "status report", |d| {
            codec::append(d, &["reports"], &report)
        })
    }

    /// The one handing over signs the shift off: every item still open is
    /// listed, by core, so none can be left off.
    pub fn hand_over(&mut self, note: &str, who: &Who) -> Result<Vec<String>, RecordError> {
        desk_role(who.role)?;
        let log = self.read()?;
        if log.status() != DeskLogStatus::Open {
            return Err(RecordError::invalid(
                "handed_by",
                "本班已交班",
                "this shift is already handed over",
            ));
        }
        let outstanding = log.open_items();
        self.doc.change(who, "hand over", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({
                    "handed_by": who.staff_id,
                    "handed_at": who.at,
                    "handover_note": note.trim(),
                }),
            )?;
            for item in &outstanding {
                codec::append(d, &["outstanding"], item)?;
            }
            Ok(())
        })?;
        Ok(outstanding)
    }

    /// The one taking over accepts some or all of the outstanding items;
    /// what they do not accept stays open in this log.
    pub fn take_over(
        &mut self,
        accepted: &[String],
        next_log: &RecordId,
        who: &Who,
    ) -> Result<Vec<Carried>, RecordError> {
        desk_role(who.role)?;
        let log = self.read()?;
        if log.status() != DeskLogStatus::HandedOver {
            return Err(RecordError::invalid(
                "taken_by",
                "本班尚未交班或已被接班",
                "this shift is not waiting to be taken over",
            ));
        }
        if log.handed_by.as_deref() == Some(who.staff_id.as_str()) {
            return Err(RecordError::invalid(
                "taken_by",
                "交班人与接班人不能是同一人",
                "the one taking over is not the one handing over",
            ));
        }
        let open = log.open_items();
        if let Some(bad) = accepted
            .iter()
            .find(|a| !log.outstanding.contains(a) || !open.contains(a))
        {
            return Err(RecordError::NoSuchItem {
                what: "outstanding item",
                id: bad.clone(),
            });
        }
        let carried: Vec<Carried> = accepted.iter().map(|id| carried_of(&log, id)).collect();
        self.doc.change(who, "take over", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({
                    "taken_by": who.staff_id,
                    "taken_at": who.at,
                    "next_log": next_log,
                }),
            )?;
            for item in accepted {
                codec::append(d, &["accepted"], item)?;
            }
            Ok(())
        })?;
        Ok(carried)
    }
}

/// An accepted item as the next shift's log carries it.
fn carried_of(log: &DeskLog, item: &str) -> Carried {
    match log.entry(item) {
        Some(e) => Carried {
            id: e.id.clone(),
            from_log: log.id.clone(),
            summary: e.summary.clone(),
            department: e.department,
        },
        None => {
            let c = log.carried.iter().find(|c| c.id == item);
            Carried {
                id: item.into(),
                from_log: log.id.clone(),
                summary: c.map(|c| c.summary.clone()).unwrap_or_default(),
                department: c.and_then(|c| c.department),
            }
        }
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let log: DeskLog = doc.read()?;
    let awaiting = log.awaiting_reports();
    let count = |k: EntryKind| log.entries.iter().filter(|e| e.kind == k).count();
    // Each matter passed on, with when its report was due and came, for the
    // monthly report and the department's list.
    let passed_on: Vec<_> = log
        .entries
        .iter()
        .filter_map(|e| {
            Some(json!({
                "entry": e.id,
                "department": e.department?,
                "passed_at": e.at,
                "due_at": e.report_due_at?,
                "reported_at": log.first_report(&e.id).map(|r| r.at),
            }))
        })
        .collect();
    Ok(IndexRow {
        id: log.id.clone(),
        kind: RecordKind::DeskLog,
        estate_id: log.estate_id.clone(),
        status: log.status().name().into(),
        open: log.is_open(),
        conflicted: false,
        assignee: None,
        unit_id: None,
        category: Some(log.shift.as_str().into()),
        emergency: false,
        created_at: log.opened_at,
        // The soonest report still due, so an overdue one shows on lists.
        due_at: awaiting.iter().map(|a| a.due_at).min(),
        // Done once taken over with nothing left open here.
        done_at: log.taken_at.filter(|_| !log.is_open()),
        title: format!("{} {}", log.date, log.shift.as_str()),
        facts: json!({
            "date": log.date,
            "shift": log.shift,
            "visitors": count(EntryKind::Visitor),
            "calls": count(EntryKind::Call),
            "matters": count(EntryKind::Matter),
            "passed_on": passed_on,
            "awaiting_reports": awaiting,
            "unaccepted": if log.taken_by.is_some() { log.unaccepted() } else { vec![] },
            "handed_by": log.handed_by,
            "taken_by": log.taken_by,
        })
        .into(),
    })
}
