//! The inspection's policy: items are walked while it is in progress, by
//! whoever checks them; submitting and sending back move `finished_at`.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{transitions, typed, Author, Code, Violation};
use crate::documents::inspection::{Inspection, InspectionStatus, ItemResult};
use crate::documents::lifecycle::Status;
use crate::documents::view::View;
use crate::documents::RecordKind;

const WALKING: &[&str] = &["in_progress"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Inspection,
    creators: &[Anyone],
    rules: &[
        Rule::fixed("checklist_kind"),
        Rule::fixed("title_zh"),
        Rule::fixed("template_id"),
        Rule::fixed("template_version"),
        Rule::fixed("place"),
        Rule::fixed("started_by").names_author(),
        Rule::fixed("started_at"),
        Rule::fixed("location"),
        Rule::fixed("renovation_id"),
        Rule::free("finished_at", &[Anyone]),
        Rule::keys("items"),
        Rule::fixed("items.*.id"),
        Rule::fixed("items.*.position"),
        Rule::fixed("items.*.title_zh"),
        Rule::fixed("items.*.title_en"),
        Rule::free("items.*.result", &[Anyone]).when(WALKING),
        Rule::free("items.*.note", &[Anyone]).when(WALKING),
        Rule::append("items.*.photos", &[Anyone]).when(WALKING),
        Rule::free("items.*.place", &[Anyone]).when(WALKING),
        Rule::free("items.*.checked_by", &[Anyone])
            .when(WALKING)
            .names_author(),
        Rule::free("items.*.checked_at", &[Anyone]).when(WALKING),
        Rule::append("follow_ups", &[Anyone]),
        Rule::append("events", &[Anyone]),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Inspection = typed(after)?;
    let was: Option<Inspection> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |i| Facts {
        status: i.status().map_or("conflict", Status::name),
        assignee: None,
        owner: Some(i.started_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let empty = vec![];
    let old = was.as_ref().map_or(&empty, |i| &i.events);
    let steps = transitions::judge(old, &now.events, author, |_| false)?;
    let refused =
        |field: &str, zh: &str, en: &str| Err(Violation::new(Code::Transition, field, zh, en));
    for s in &steps {
        match (s.from, s.t.to) {
            (_, InspectionStatus::Submitted) if !now.missing_for_submission().is_empty() => {
                return refused(
                    "items",
                    "还有未完成的检查项",
                    "items are still to be checked",
                );
            }
            (Some(InspectionStatus::Submitted), InspectionStatus::InProgress) => {
                transitions::needs_reason(s)?
            }
            _ => {}
        }
    }
    let finished_moved = was
        .as_ref()
        .is_some_and(|w| w.finished_at != now.finished_at);
    let moves_finish = steps.iter().any(|s| {
        matches!(
            (s.t.to, now.finished_at),
            (InspectionStatus::Submitted, Some(_)) | (InspectionStatus::InProgress, None)
        )
    });
    if finished_moved && !moves_finish {
        return refused(
            "finished_at",
            "完成时间随提交或退回改变",
            "finished_at moves with submitting or sending back",
        );
    }
    let is_new = |f: &&crate::documents::inspection::FollowUp| {
        was.as_ref().is_none_or(|w| !w.follow_ups.contains(f))
    };
    for f in now.follow_ups.iter().filter(is_new) {
        if now
            .items
            .get(&f.item_id)
            .is_none_or(|i| i.result != ItemResult::Defect)
        {
            return refused(
                "follow_ups[]",
                "只有缺陷项需要跟进",
                "only a defect gets a follow-up",
            );
        }
    }
    Ok(())
}
