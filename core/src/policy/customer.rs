//! The company customer's policy: the office registers it and keeps its
//! details (it keeps the customer file, seed 003 第1篇 §3.4); who registered
//! it and when stay as written.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Violation};
use crate::documents::customer::Customer;
use crate::documents::view::View;
use crate::documents::RecordKind;

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Customer,
    creators: &[Office],
    rules: &[
        Rule::free("name", &[Office]),
        Rule::free("tier", &[Office]),
        Rule::free("unit_ids", &[Office]),
        Rule::free("premises", &[Office]),
        Rule::free("handover_date", &[Office]),
        Rule::free("contact_name", &[Office]),
        Rule::free("contact_title", &[Office]),
        Rule::free("contact_phone", &[Office]),
        Rule::free("manager", &[Office]),
        Rule::fixed("registered_by").names_author(),
        Rule::fixed("registered_at"),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Customer = typed(after)?;
    let was: Option<Customer> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |c| Facts {
        status: "active",
        assignee: None,
        owner: Some(c.registered_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    // The schedule counts from the handover: a date a phone cannot read
    // would leave the customer without revisits.
    now.handover().map_err(|e| {
        Violation::new(
            super::Code::Malformed,
            "handover_date",
            "交付日期格式应为 2026-03-15",
            &e.to_string(),
        )
    })?;
    Ok(())
}
