//! The revisit's policy: the plan is written once; the outcome is recorded
//! with the "done" status by the people who revisit.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{transitions, typed, Author, Code, Violation};
use crate::documents::lifecycle::Status;
use crate::documents::revisit::{Method, Revisit, RevisitReason, RevisitStatus};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::people::Role;

const REVISITORS: &[super::table::Writer] = &[Office, Role(Role::PropertyAssistant), Assignee];
const PLANNED: &[&str] = &["planned"];
const DONE: &[&str] = &["done"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Revisit,
    creators: &[Anyone],
    rules: &[
        Rule::fixed("reason"),
        Rule::fixed("subject_id"),
        Rule::fixed("place"),
        Rule::fixed("assignee"),
        Rule::fixed("planned_method"),
        Rule::fixed("due_at"),
        Rule::fixed("planned_by").names_author(),
        Rule::fixed("planned_at"),
        Rule::append("events", &[Anyone]),
        Rule::free("outcome.method", REVISITORS).when(PLANNED),
        Rule::free("outcome.satisfaction", REVISITORS).when(PLANNED),
        Rule::free("outcome.comments", REVISITORS).when(PLANNED),
        Rule::free("outcome.promised_reply_at", REVISITORS).when(PLANNED),
        Rule::free("outcome.signature_image", REVISITORS).when(PLANNED),
        Rule::free("outcome.resident_name", REVISITORS).when(PLANNED),
        Rule::free("outcome.discrepancy", REVISITORS).when(PLANNED),
        Rule::once("outcome.opened_order_id", REVISITORS),
        Rule::once("outcome.replied_at", REVISITORS),
        Rule::once("outcome.reply", REVISITORS),
        Rule::once("outcome.report", REVISITORS).when(DONE),
        Rule::once("outcome.reported_at", REVISITORS).when(DONE),
        Rule::once("outcome.filed_at", REVISITORS).when(DONE),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Revisit = typed(after)?;
    let was: Option<Revisit> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |r| Facts {
        status: r.status().map_or("conflict", Status::name),
        assignee: Some(r.assignee.clone()),
        owner: Some(r.planned_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let empty = vec![];
    let old = was.as_ref().map_or(&empty, |r| &r.events);
    let steps = transitions::judge(old, &now.events, author, |_| false)?;
    let done = steps.iter().any(|s| s.t.to == RevisitStatus::Done);
    for s in &steps {
        if s.t.to == RevisitStatus::Cancelled {
            transitions::needs_reason(s)?;
        }
    }
    let mut outcome = now.outcome.clone();
    if let Some(was) = &was {
        // Set after the visit, each once: the order it opened, the reply it promised.
        outcome.opened_order_id = was.outcome.opened_order_id.clone();
        outcome.replied_at = was.outcome.replied_at;
        outcome.reply = was.outcome.reply.clone();
        outcome.report = was.outcome.report.clone();
        outcome.reported_at = was.outcome.reported_at;
        outcome.filed_at = was.outcome.filed_at;
        if outcome != was.outcome && !done {
            return Err(Violation::new(
                Code::Transition,
                "outcome",
                "回访结果随完成一起记录",
                "an outcome is recorded with the revisit's done status",
            ));
        }
    }
    customer_paperwork(&now)?;
    if done {
        let o = &now.outcome;
        let complete = o.method.is_some()
            && o.satisfaction.is_some()
            && (o.method != Some(Method::InPerson) || o.signature_image.is_some());
        if !complete {
            return Err(Violation::new(
                Code::Transition,
                "outcome",
                "回访结果不完整",
                "the outcome needs a method, a rating and, in person, a signature",
            ));
        }
    }
    Ok(())
}

/// A customer visit's report and filing: only on a company customer's
/// revisit, the report with its time, filed only once reported.
fn customer_paperwork(now: &Revisit) -> Result<(), Violation> {
    let o = &now.outcome;
    let any = !o.report.is_empty() || o.reported_at.is_some() || o.filed_at.is_some();
    if !any {
        return Ok(());
    }
    let bad = |zh: &str, en: &str| Err(Violation::new(Code::Transition, "outcome.report", zh, en));
    if now.reason != RevisitReason::Customer {
        return bad(
            "只有公司客户回访写回访报告",
            "only a company customer's revisit has a report",
        );
    }
    if o.report.trim().is_empty() != o.reported_at.is_none() {
        return bad(
            "回访报告与时间一起写入",
            "a report is written with its time",
        );
    }
    if o.filed_at.is_some() && o.reported_at.is_none() {
        return bad("先写报告再提交", "the report comes before the filing");
    }
    Ok(())
}
