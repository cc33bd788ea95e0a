//! Patrol routes (heads edit them) and runs (the guard who started one
//! scans, never edits a scan, and finishes it once).

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Violation};
use crate::documents::patrol::{PatrolRoute, PatrolRun};
use crate::documents::view::View;
use crate::documents::RecordKind;

pub(super) static ROUTE: Table = Table {
    kind: RecordKind::PatrolRoute,
    creators: &[Heads],
    rules: &[
        Rule::fixed("name"),
        Rule::fixed("created_by").names_author(),
        Rule::fixed("created_at"),
        Rule::free("checkpoints", &[Heads]),
        Rule::free("schedule.daily_starts", &[Heads]),
    ],
};

pub(super) static RUN: Table = Table {
    kind: RecordKind::PatrolRun,
    creators: &[Anyone],
    rules: &[
        Rule::fixed("route_id"),
        Rule::fixed("route_name"),
        Rule::fixed("checkpoints"),
        Rule::fixed("started_by").names_author(),
        Rule::fixed("started_at"),
        Rule::append("scans", &[Owner])
            .when(&["in_progress"])
            .item_by("by"),
        Rule::once("finished_at", &[Owner]),
    ],
};

pub(super) fn judge_route(
    before: Option<&View>,
    after: &View,
    author: &Author,
) -> Result<(), Violation> {
    let _: PatrolRoute = typed(after)?;
    super::table::judge(
        &ROUTE,
        before.map(View::tree),
        after.tree(),
        author,
        &Facts::default(),
    )
}

pub(super) fn judge_run(
    before: Option<&View>,
    after: &View,
    author: &Author,
) -> Result<(), Violation> {
    let _: PatrolRun = typed(after)?;
    let was: Option<PatrolRun> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |r| Facts {
        status: if r.finished_at.is_some() {
            "finished"
        } else {
            "in_progress"
        },
        assignee: None,
        owner: Some(r.started_by.clone()),
    });
    super::table::judge(&RUN, before.map(View::tree), after.tree(), author, &facts)
}
