//! The desk log's words and its read model: entries, items still open,
//! matters waiting for a department's status report, and the handover.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::departments::Department;
use crate::time::Millis;

/// The desk's shifts (早班 / 晚班).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    Day,
    Night,
}

impl Shift {
    pub const ALL: [Shift; 2] = [Shift::Day, Shift::Night];

    pub fn as_str(self) -> &'static str {
        match self {
            Shift::Day => "day",
            Shift::Night => "night",
        }
    }

    pub fn parse(code: &str) -> Option<Shift> {
        Shift::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// What an entry of the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 来访
    Visitor,
    /// 来电
    Call,
    /// 事项: anything else the desk dealt with or must follow.
    Matter,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Visitor, EntryKind::Call, EntryKind::Matter];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Visitor => "visitor",
            EntryKind::Call => "call",
            EntryKind::Matter => "matter",
        }
    }

    pub fn parse(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// How the desk left an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Dealt with on the spot.
    Handled,
    /// The desk itself still follows it.
    Pending,
    /// Passed to a department, which reports its status back.
    PassedOn,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Handled, Outcome::Pending, Outcome::PassedOn];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Handled => "handled",
            Outcome::Pending => "pending",
            Outcome::PassedOn => "passed_on",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == code)
    }
}

/// Where the log stands: being written, handed over, taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeskLogStatus {
    Open,
    HandedOver,
    TakenOver,
}

impl DeskLogStatus {
    pub const ALL: [DeskLogStatus; 3] = [
        DeskLogStatus::Open,
        DeskLogStatus::HandedOver,
        DeskLogStatus::TakenOver,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DeskLogStatus::Open => "open",
            DeskLogStatus::HandedOver => "handed_over",
            DeskLogStatus::TakenOver => "taken_over",
        }
    }
}

/// One line of the log: a visitor, a call or a matter, when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    pub at: Millis,
    /// The desk person who wrote it.
    pub by: String,
    /// Who came or called (a resident, a visitor, a supplier); may be blank.
    pub party: String,
    pub unit_id: Option<String>,
    pub summary: String,
    pub outcome: Outcome,
    /// The department a matter was passed to.
    pub department: Option<Department>,
    /// When that department's status report is due (company rules, working days).
    pub report_due_at: Option<Millis>,
}

/// An item the previous shift handed over and this one accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carried {
    /// The item's id in the log it came from.
    pub id: String,
    pub from_log: String,
    pub summary: String,
    pub department: Option<Department>,
}

/// An open item (an entry or a carried item) the desk closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closed {
    pub id: String,
    pub item: String,
    pub by: String,
    pub at: Millis,
    pub note: String,
}

/// A department's status report on a matter passed to it (§5.3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    pub id: String,
    pub entry: String,
    pub by: String,
    pub at: Millis,
    pub note: String,
    /// Whether the department says the work is finished.
    pub finished: bool,
}

/// A front-desk work log (工作日志) of one estate and shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskLog {
    pub id: String,
    pub estate_id: String,
    /// The shift's local date, "2026-12-07".
    pub date: String,
    pub shift: Shift,
    pub opened_by: String,
    pub opened_at: Millis,
    pub carried: Vec<Carried>,
    pub entries: Vec<Entry>,
    pub closed: Vec<Closed>,
    pub reports: Vec<StatusReport>,
    pub handed_by: Option<String>,
    pub handed_at: Option<Millis>,
    pub handover_note: String,
    /// The items open at the handover, as core listed them.
    pub outstanding: Vec<String>,
    pub taken_by: Option<String>,
    pub taken_at: Option<Millis>,
    /// The outstanding items the next shift accepted; the rest stay open here.
    pub accepted: Vec<String>,
    pub next_log: Option<String>,
}

/// A matter waiting for its department's status report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwaitingReport {
    pub entry: String,
    pub department: Department,
    pub summary: String,
    pub passed_at: Millis,
    pub due_at: Millis,
}

impl DeskLog {
    pub fn status(&self) -> DeskLogStatus {
        match (&self.handed_by, &self.taken_by) {
            (_, Some(_)) => DeskLogStatus::TakenOver,
            (Some(_), None) => DeskLogStatus::HandedOver,
            (None, None) => DeskLogStatus::Open,
        }
    }

    fn is_closed(&self, item: &str) -> bool {
        self.closed.iter().any(|c| c.item == item)
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Whether `item` is an item of this log (an entry or a carried item).
    pub fn has_item(&self, item: &str) -> bool {
        self.entry(item).is_some() || self.carried.iter().any(|c| c.id == item)
    }

    /// The items this log still has to deal with: matters pending or passed
    /// on, and carried items, not closed — in the order they were written.
    pub fn open_items(&self) -> Vec<String> {
        let entries = self
            .entries
            .iter()
            .filter(|e| e.outcome != Outcome::Handled)
            .map(|e| e.id.as_str());
        self.carried
            .iter()
            .map(|c| c.id.as_str())
            .chain(entries)
            .filter(|id| !self.is_closed(id))
            .map(str::to_owned)
            .collect()
    }

    /// Open items nobody took over: after a takeover, what the next shift
    /// did not accept stays open here; nothing vanishes.
    pub fn unaccepted(&self) -> Vec<String> {
        let accepted: BTreeSet<&str> = self.accepted.iter().map(String::as_str).collect();
        let mut open = self.open_items();
        if self.taken_by.is_some() {
            open.retain(|i| !accepted.contains(i.as_str()));
        }
        open
    }

    /// Whether the log asks anything more of the desk: not yet taken over,
    /// or items the next shift did not accept, or reports still due.
    pub fn is_open(&self) -> bool {
        self.status() != DeskLogStatus::TakenOver
            || !self.unaccepted().is_empty()
            || !self.awaiting_reports().is_empty()
    }

    /// The first status report on each passed-on entry.
    pub fn first_report(&self, entry: &str) -> Option<&StatusReport> {
        self.reports
            .iter()
            .filter(|r| r.entry == entry)
            .min_by_key(|r| r.at)
    }

    /// Matters passed on whose department has not reported yet.
    pub fn awaiting_reports(&self) -> Vec<AwaitingReport> {
        self.entries
            .iter()
            .filter(|e| self.first_report(&e.id).is_none())
            .filter_map(|e| {
                Some(AwaitingReport {
                    entry: e.id.clone(),
                    department: e.department?,
                    summary: e.summary.clone(),
                    passed_at: e.at,
                    due_at: e.report_due_at?,
                })
            })
            .collect()
    }
}
