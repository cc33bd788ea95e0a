//! New entries of a record's transition graph (`events`): each must be the
//! author's own, follow the record's latest status as the author saw it, and
//! be a move the kind's lifecycle allows.

use std::collections::HashSet;

use super::{Author, Code, Violation};
use crate::documents::lifecycle::{self, Current, Status, Transition};

/// A transition the change added, with the status it left.
pub(super) struct Step<'a, S> {
    pub t: &'a Transition<S>,
    /// None when it resolved a conflict.
    pub from: Option<S>,
    /// Who the record was assigned to just before it.
    pub assignee: Option<String>,
}

fn refused(field: &str, zh: &str, en: &str) -> Violation {
    Violation::new(Code::Transition, field, zh, en)
}

/// Checks the transitions in `after` that `before` lacks; `dispatches` says
/// which statuses name an assignee.
pub(super) fn judge<'a, S: Status>(
    before: &[Transition<S>],
    after: &'a [Transition<S>],
    author: &Author,
    dispatches: impl Fn(S) -> bool,
) -> Result<Vec<Step<'a, S>>, Violation> {
    let known: HashSet<&str> = before.iter().map(|t| t.id.as_str()).collect();
    let mut so_far: Vec<Transition<S>> = before.to_vec();
    let mut steps = vec![];
    for t in after.iter().filter(|t| !known.contains(t.id.as_str())) {
        if t.by != author.staff_id || t.role != author.role || t.device != author.device.to_string()
        {
            return Err(Violation::new(
                Code::NotAuthor,
                "events[].by",
                "状态变更必须由本人在本设备上记录",
                "a status change must name its author, their role and their device",
            ));
        }
        let tips: HashSet<&str> = lifecycle::tips(&so_far)
            .into_iter()
            .map(|t| t.id.as_str())
            .collect();
        let follows: HashSet<&str> = t.after.iter().map(String::as_str).collect();
        if tips != follows {
            return Err(refused(
                "events[].after",
                "必须接在记录的最新状态之后",
                "must follow the record's latest status",
            ));
        }
        let assignee = lifecycle::assignee(&so_far);
        let from = match lifecycle::current(&so_far) {
            Current::At(from) => {
                S::check(from, t.to, t.role).map_err(|e| {
                    refused(
                        "events[].to",
                        &e.to_string(),
                        &format!("{} → {}", from.name(), t.to.name()),
                    )
                })?;
                check_assignee(t, dispatches(t.to), None)?;
                Some(from)
            }
            Current::Conflict(candidates) => {
                let chosen = candidates.iter().find(|c| c.to == t.to);
                if !author.role.is_head() || chosen.is_none() {
                    return Err(refused(
                        "events[].to",
                        "只有主管可以在冲突的状态中选择一个",
                        "only a head may resolve a conflict, to one of its statuses",
                    ));
                }
                check_assignee(t, false, chosen.map(|c| c.assignee.clone()))?;
                None
            }
        };
        steps.push(Step { t, from, assignee });
        so_far.push(t.clone());
    }
    Ok(steps)
}

/// A dispatch names who takes the work; nothing else may, except a
/// resolution carrying the chosen branch's assignee along.
fn check_assignee<S: Status>(
    t: &Transition<S>,
    dispatch: bool,
    resolved: Option<Option<String>>,
) -> Result<(), Violation> {
    let ok = match (&resolved, &t.assignee) {
        (Some(chosen), named) => chosen == named,
        (None, Some(a)) => dispatch && !a.trim().is_empty(),
        (None, None) => !dispatch,
    };
    if ok {
        Ok(())
    } else {
        Err(refused(
            "events[].assignee",
            "只有派工可以指定处理人",
            "only a dispatch names who takes the work",
        ))
    }
}

/// Refuses a step that needs a reason and has none.
pub(super) fn needs_reason<S: Status>(step: &Step<'_, S>) -> Result<(), Violation> {
    match &step.t.reason {
        Some(r) if !r.trim().is_empty() => Ok(()),
        _ => Err(refused(
            "events[].reason",
            "必须写明原因",
            "this status change must say why",
        )),
    }
}

/// Refuses a step not made by the person the record was assigned to.
pub(super) fn by_assignee<S: Status>(step: &Step<'_, S>, author: &Author) -> Result<(), Violation> {
    if step.assignee.as_deref() == Some(author.staff_id.as_str()) {
        Ok(())
    } else {
        Err(Violation::new(
            Code::RoleMayNot,
            "events[].to",
            "只有被派工人员可以执行",
            "only the assigned person may do this",
        ))
    }
}
