//! The complaint's policy: the first contact owns what they took down; heads
//! judge validity; the clocks' timestamps are set once.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{transitions, typed, Author, Code, Violation};
use crate::departments::Department;
use crate::documents::complaint::{Complaint, ComplaintStatus};
use crate::documents::lifecycle::Status;
use crate::documents::view::View;
use crate::documents::RecordKind;

const OPEN: &[&str] = &[
    "received",
    "dispatched",
    "resolved",
    "reported_back",
    "revisited",
];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Complaint,
    creators: &[Anyone],
    rules: &[
        Rule::fixed("received_at"),
        Rule::fixed("first_contact").names_author(),
        Rule::free("resident.name", &[Office]),
        Rule::free("resident.phone", &[Office]),
        Rule::fixed("place"),
        Rule::fixed("subject"),
        Rule::fixed("content"),
        Rule::fixed("emergency"),
        Rule::free("valid", &[Heads]),
        Rule::once("front_desk_at", &[Anyone]),
        Rule::free("answered_at", &[Anyone]).when(OPEN),
        Rule::free("answer", &[Anyone]).when(OPEN),
        Rule::fixed("due_at"),
        Rule::append("events", &[Anyone]),
        Rule::append("order_ids", &[Anyone]),
        Rule::append("revisit_ids", &[Anyone]),
        // An emergency's steps: whoever took it tells the departments; the
        // heads escalate and write the reports; the office verifies.
        Rule::once("departments_notified_at", &[Anyone]).when(OPEN),
        Rule::once("site_escalated_at", &[Heads]).when(OPEN),
        Rule::once("site_report", &[Heads]),
        Rule::once("site_report_at", &[Heads]),
        Rule::once("company_escalated_at", &[Heads]).when(OPEN),
        Rule::once("company_report", &[Heads]),
        Rule::once("company_report_at", &[Heads]),
        Rule::once("verified_at", &[Office]).when(OPEN),
        Rule::once("verification", &[Office]).when(OPEN),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Complaint = typed(after)?;
    let was: Option<Complaint> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |c| Facts {
        status: c.status().map_or("conflict", Status::name),
        assignee: c.department(),
        owner: Some(c.first_contact.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let empty = vec![];
    let old = was.as_ref().map_or(&empty, |c| &c.events);
    let steps = transitions::judge(old, &now.events, author, |s| {
        s == ComplaintStatus::Dispatched
    })?;
    // A dispatch names one of the departments (the phone's own check, made
    // again here: a changed app could name any text).
    for s in steps
        .iter()
        .filter(|s| s.t.to == ComplaintStatus::Dispatched)
    {
        if s.t
            .assignee
            .as_deref()
            .and_then(Department::parse)
            .is_none()
        {
            return Err(Violation::new(
                Code::Transition,
                "events[].assignee",
                "派单必须选择一个部门",
                "a dispatch names one of the departments",
            ));
        }
    }
    Ok(())
}
