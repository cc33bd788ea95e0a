//! The rectification notice's policy: inspectors issue and re-inspect;
//! anyone reports the work done; a new deadline or a penalty comes only with
//! the re-inspection that decided it.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{transitions, typed, Author, Code, Violation};
use crate::documents::lifecycle::Status;
use crate::documents::rectification::{Rectification, RectificationStatus};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::people::Role;

const INSPECTORS: &[super::table::Writer] = &[Role(Role::PropertyAssistant), Heads];
const REINSPECTING: &[&str] = &["awaiting_reinspection"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Rectification,
    creators: INSPECTORS,
    rules: &[
        Rule::fixed("inspection_id"),
        Rule::fixed("item_id"),
        Rule::fixed("place"),
        Rule::fixed("problem"),
        Rule::fixed("responsible_party"),
        Rule::fixed("issued_by").names_author(),
        Rule::fixed("issued_at"),
        Rule::free("due_at", INSPECTORS).when(REINSPECTING),
        Rule::append("events", &[Anyone]),
        Rule::append("reports", &[Anyone])
            .when(&["awaiting_rectification", "second_rectification"])
            .item_by("by"),
        Rule::free("penalty.points", INSPECTORS).when(REINSPECTING),
        Rule::free("penalty.reason", INSPECTORS).when(REINSPECTING),
        Rule::free("penalty.by", INSPECTORS)
            .when(REINSPECTING)
            .names_author(),
        Rule::free("penalty.at", INSPECTORS).when(REINSPECTING),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Rectification = typed(after)?;
    let was: Option<Rectification> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |r| Facts {
        status: r.status().map_or("conflict", Status::name),
        assignee: None,
        owner: Some(r.issued_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let empty = vec![];
    let old = was.as_ref().map_or(&empty, |r| &r.events);
    let steps = transitions::judge(old, &now.events, author, |_| false)?;
    let to = |s: RectificationStatus| steps.iter().any(|x| x.t.to == s);
    for s in &steps {
        if matches!(
            s.t.to,
            RectificationStatus::SecondRectification | RectificationStatus::ClosedWithPenalty
        ) {
            transitions::needs_reason(s)?;
        }
    }
    if let Some(was) = &was {
        let refused =
            |field: &str, zh: &str, en: &str| Err(Violation::new(Code::Transition, field, zh, en));
        if was.due_at != now.due_at && !to(RectificationStatus::SecondRectification) {
            return refused(
                "due_at",
                "新期限随二次整改给出",
                "a new deadline comes with a second rectification",
            );
        }
        if was.penalty != now.penalty && !to(RectificationStatus::ClosedWithPenalty) {
            return refused(
                "penalty",
                "处罚随处罚关闭记录",
                "a penalty is recorded when the notice closes with it",
            );
        }
        if to(RectificationStatus::AwaitingReinspection)
            && now.reports.iter().all(|r| was.reports.contains(r))
        {
            return refused(
                "reports",
                "须附整改报告",
                "reporting the work done needs a report",
            );
        }
    }
    Ok(())
}
