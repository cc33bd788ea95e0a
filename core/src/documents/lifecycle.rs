//! A record's status as a graph of transitions, so a merge never silently
//! picks a winner.
//!
//! Every transition names the transitions it followed (`after`). Replicas that
//! moved the same record offline append to the same list and Automerge keeps
//! both. The current status is read off the tips (transitions nothing follows):
//! one tip, or several that reached the same status, is a status; tips that
//! disagree (one device completed the order, another returned it) are a
//! [`Current::Conflict`] until a head records a transition after all of them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::message::{Bilingual, ErrorCode, Explain};
use crate::people::Role;
use crate::time::Millis;
use crate::DeviceId;

/// Who is making a change, from which device, and when (the device's clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    pub staff_id: String,
    pub role: Role,
    pub device_id: DeviceId,
    pub at: Millis,
}

/// A record type's statuses and the moves between them.
pub trait Status: Copy + Eq + Debug + Serialize + DeserializeOwned + 'static {
    const INITIAL: Self;
    /// Every status, in the order of the record's life (for label tables).
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
    /// Whether `role` may move a record from `from` to `to`; conditions on the
    /// record's contents are checked by the record itself.
    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError>;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition<S> {
    pub id: String,
    /// The tips this transition followed; several when it resolves a conflict.
    pub after: Vec<String>,
    pub to: S,
    pub by: String,
    pub role: Role,
    pub device: String,
    pub at: Millis,
    #[serde(default)]
    pub reason: Option<String>,
    /// Set by a dispatch: who the work now belongs to.
    #[serde(default)]
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Current<S> {
    At(S),
    /// Tips that disagree, for a person to choose between.
    Conflict(Vec<Transition<S>>),
}

impl<S: Status> Current<S> {
    pub fn status(&self) -> Option<S> {
        match self {
            Current::At(s) => Some(*s),
            Current::Conflict(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum TransitionError {
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    RoleMayNot {
        role: Role,
        to: &'static str,
    },
    InConflict,
    NoConflict,
    NotACandidate,
    Incomplete {
        missing: String,
    },
    NotAssignee,
}

impl Explain for TransitionError {
    fn code(&self) -> ErrorCode {
        match self {
            TransitionError::RoleMayNot { .. } | TransitionError::NotAssignee => {
                ErrorCode::Forbidden
            }
            TransitionError::Incomplete { .. } => ErrorCode::Incomplete,
            TransitionError::NotAllowed { .. }
            | TransitionError::InConflict
            | TransitionError::NoConflict
            | TransitionError::NotACandidate => ErrorCode::Conflict,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            TransitionError::NotAllowed { from, to } => Bilingual::new(
                format!("不能从“{from}”改为“{to}”"),
                format!("cannot go from {from} to {to}"),
            ),
            TransitionError::RoleMayNot { role, to } => Bilingual::new(
                format!("{}无权执行“{to}”", role.label().zh),
                format!(
                    "a {} may not move a record to {to}",
                    role.label().en.to_lowercase()
                ),
            ),
            TransitionError::InConflict => Bilingual::new(
                "记录有冲突,需主管处理",
                "the record has conflicting changes; a supervisor must resolve them first",
            ),
            TransitionError::NoConflict => {
                Bilingual::new("没有需要处理的冲突", "there is no conflict to resolve")
            }
            TransitionError::NotACandidate => Bilingual::new(
                "只能选择冲突中的一个状态",
                "choose one of the conflicting statuses",
            ),
            TransitionError::Incomplete { missing } => Bilingual::new(
                format!("缺少:{missing}"),
                format!("incomplete: {missing} missing"),
            ),
            TransitionError::NotAssignee => Bilingual::new(
                "只有被派工人员可以执行",
                "only the assigned person may do this",
            ),
        }
    }

    /// "resident_consent 业主同意, …": the first word names the field.
    fn field(&self) -> Option<String> {
        match self {
            TransitionError::Incomplete { missing } => {
                missing.split_whitespace().next().map(str::to_owned)
            }
            _ => None,
        }
    }
}

pub fn tips<S: Status>(events: &[Transition<S>]) -> Vec<&Transition<S>> {
    let followed: HashSet<&str> = events
        .iter()
        .flat_map(|e| e.after.iter().map(String::as_str))
        .collect();
    events
        .iter()
        .filter(|e| !followed.contains(e.id.as_str()))
        .collect()
}

pub fn current<S: Status>(events: &[Transition<S>]) -> Current<S> {
    let tips = tips(events);
    match tips.first() {
        None => Current::At(S::INITIAL),
        Some(first) if tips.iter().all(|t| t.to == first.to) => Current::At(first.to),
        Some(_) => Current::Conflict(tips.into_iter().cloned().collect()),
    }
}

/// The assignee set by the nearest dispatch behind the current tips: a walk
/// back through the graph, so a phone with a wrong clock cannot reorder it.
pub fn assignee<S: Status>(events: &[Transition<S>]) -> Option<String> {
    let by_id: HashMap<&str, &Transition<S>> = events.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut queue: VecDeque<&Transition<S>> = tips(events).into_iter().collect();
    let mut seen = HashSet::new();
    while let Some(e) = queue.pop_front() {
        if !seen.insert(e.id.as_str()) {
            continue;
        }
        if e.assignee.is_some() {
            return e.assignee.clone();
        }
        queue.extend(
            e.after
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied()),
        );
    }
    None
}

/// Why the record is in its current status, where the move there gave a
/// reason (a refusal at the desk, a return, a reopening, a send-back): the
/// words the person who made the move wrote, for whoever works on it next.
/// None in a conflict, whose tips each say their own.
pub fn status_reason<S: Status>(events: &[Transition<S>]) -> Option<&str> {
    match current(events) {
        Current::At(_) => tips(events).into_iter().find_map(|t| t.reason.as_deref()),
        Current::Conflict(_) => None,
    }
}

/// When the record first reached `status`, if it did.
pub fn reached_at<S: Status>(events: &[Transition<S>], status: S) -> Option<Millis> {
    events.iter().filter(|e| e.to == status).map(|e| e.at).min()
}

/// Builds the next transition after checking the move is allowed; nothing is
/// written here, so a refusal leaves the record as it was.
pub fn next<S: Status>(
    events: &[Transition<S>],
    to: S,
    who: &Who,
    reason: Option<String>,
    assignee: Option<String>,
) -> Result<Transition<S>, TransitionError> {
    let from = match current(events) {
        Current::At(s) => s,
        Current::Conflict(_) => return Err(TransitionError::InConflict),
    };
    S::check(from, to, who.role)?;
    Ok(make(events, to, who, reason, assignee))
}

/// A head's choice between conflicting tips; it follows all of them.
pub fn resolve<S: Status>(
    events: &[Transition<S>],
    to: S,
    who: &Who,
    reason: Option<String>,
) -> Result<Transition<S>, TransitionError> {
    let Current::Conflict(candidates) = current(events) else {
        return Err(TransitionError::NoConflict);
    };
    if !who.role.is_head() {
        return Err(TransitionError::RoleMayNot {
            role: who.role,
            to: to.name(),
        });
    }
    if !candidates.iter().any(|c| c.to == to) {
        return Err(TransitionError::NotACandidate);
    }
    let assignee = candidates
        .iter()
        .find(|c| c.to == to)
        .and_then(|c| c.assignee.clone());
    Ok(make(events, to, who, reason, assignee))
}

fn make<S: Status>(
    events: &[Transition<S>],
    to: S,
    who: &Who,
    reason: Option<String>,
    assignee: Option<String>,
) -> Transition<S> {
    Transition {
        id: uuid::Uuid::now_v7().to_string(),
        after: tips(events).into_iter().map(|t| t.id.clone()).collect(),
        to,
        by: who.staff_id.clone(),
        role: who.role,
        device: who.device_id.to_string(),
        at: who.at,
        reason,
        assignee,
    }
}

/// Refuses a move unless `role` is one of `allowed`.
pub(crate) fn role_in<S: Status>(
    to: S,
    role: Role,
    allowed: &[Role],
) -> Result<(), TransitionError> {
    if allowed.contains(&role) {
        Ok(())
    } else {
        Err(TransitionError::RoleMayNot {
            role,
            to: to.name(),
        })
    }
}

pub(crate) fn not_allowed<S: Status>(from: S, to: S) -> TransitionError {
    TransitionError::NotAllowed {
        from: from.name(),
        to: to.name(),
    }
}
