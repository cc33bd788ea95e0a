//! The row each record contributes to the query tables, on the phone and on the
//! server alike, so lists (open orders by assignee, overdue, revisits due, a
//! unit's history) never need to open documents.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::RecordKind;
use crate::time::Millis;

/// What a stored row is derived by. Bump it whenever `index_row` of any
/// kind starts to say something else (a new fact, a status reason, a
/// changed due time): a store whose rows were written under an older one
/// derives every row again when it is opened, so an upgrade never leaves
/// lists showing what the old code said.
pub const ROW_VERSION: i64 = 4;

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
    pub facts: Facts,
}

/// A row's facts, kept as the JSON text they are stored as and parsed when
/// first looked at: a list of ten thousand rows shown by title and due time
/// never parses them. Reads as the JSON value (`row.facts["units"]`).
#[derive(Clone)]
pub struct Facts {
    text: String,
    value: OnceLock<Json>,
}

impl Facts {
    /// Facts stored as `text`, JSON as the store writes it. Text that is not
    /// (a damaged file) reads as null, and `Store::verify` reports the row.
    pub fn from_text(text: String) -> Self {
        Facts {
            text,
            value: OnceLock::new(),
        }
    }

    /// The JSON text, as stored.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl From<Json> for Facts {
    fn from(value: Json) -> Self {
        Facts {
            text: value.to_string(),
            value: OnceLock::from(value),
        }
    }
}

impl Deref for Facts {
    type Target = Json;

    fn deref(&self) -> &Json {
        self.value
            .get_or_init(|| serde_json::from_str(&self.text).unwrap_or(Json::Null))
    }
}

impl PartialEq for Facts {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Facts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Json::deserialize(d).map(Facts::from)
    }
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
