//! The row each record contributes to the query tables, on the phone and on the
//! server alike, so lists (open orders by assignee, overdue, revisits due, a
//! unit's history) never need to open documents.

use serde::{Deserialize, Serialize};

use super::RecordKind;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    pub id: String,
    pub kind: RecordKind,
    pub estate_id: String,
    /// The status name, or "conflict" while transitions disagree.
    pub status: String,
    /// Still needs someone's work.
    pub open: bool,
    pub conflicted: bool,
    pub assignee: Option<String>,
    pub unit_id: Option<String>,
    pub category: Option<String>,
    pub emergency: bool,
    pub created_at: Millis,
    pub due_at: Option<Millis>,
    /// When the work was finished (completed order, done revisit, …).
    pub done_at: Option<Millis>,
    /// One line for a list, zh-CN as staff typed it.
    pub title: String,
    /// Kind-specific facts the monthly report and the office need.
    pub facts: serde_json::Value,
}

impl IndexRow {
    /// Open and past its due time.
    pub fn is_overdue(&self, now: Millis) -> bool {
        overdue(self.open, self.done_at, self.due_at, now)
    }

    /// Finished after its due time.
    pub fn was_late(&self) -> bool {
        matches!((self.due_at, self.done_at), (Some(due), Some(done)) if done > due)
    }
}

/// Open, not yet done, and past its due time: the one definition, for a row
/// and for a record read whole (`WorkOrder::is_overdue`).
pub(crate) fn overdue(
    open: bool,
    done_at: Option<Millis>,
    due_at: Option<Millis>,
    now: Millis,
) -> bool {
    open && done_at.is_none() && due_at.is_some_and(|due| now > due)
}
