//! Turns query-table rows into the facts the monthly report counts, so the
//! phone and the server compute the report from the same rows the same way.

use crate::documents::{IndexRow, RecordKind};
use crate::people::Role;
use crate::rules::{ComplaintFact, OrderFact, ReportInput, RevisitFact, Satisfaction};
use crate::time::from_millis;

pub fn report_input(
    rows: &[IndexRow],
    month: (i32, u32),
    units_total: u32,
    staff: Vec<(String, Role)>,
) -> ReportInput {
    let of = |kind| rows.iter().filter(move |r| r.kind == kind);
    ReportInput {
        month,
        units_total,
        orders: of(RecordKind::WorkOrder)
            .map(|r| OrderFact {
                category: r.category.clone().unwrap_or_default(),
                received_at: from_millis(r.created_at),
                due_at: from_millis(r.due_at.unwrap_or(r.created_at)),
                completed_at: r.done_at.map(from_millis),
                is_rework: r.facts["rework"].as_bool().unwrap_or(false),
            })
            .collect(),
        complaints: of(RecordKind::Complaint)
            .map(|r| ComplaintFact {
                received_at: from_millis(r.created_at),
                valid: r.facts["valid"].as_bool(),
            })
            .collect(),
        revisits: of(RecordKind::Revisit)
            .filter(|r| r.status != "cancelled")
            .map(|r| RevisitFact {
                staff_id: r.facts["done_by"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| r.assignee.clone())
                    .unwrap_or_default(),
                due_at: from_millis(r.due_at.unwrap_or(r.created_at)),
                done_at: r.done_at.map(from_millis),
                in_person: r.facts["in_person"].as_bool().unwrap_or(false),
                satisfaction: serde_json::from_value::<Option<Satisfaction>>(
                    r.facts["satisfaction"].clone(),
                )
                .ok()
                .flatten(),
            })
            .collect(),
        staff,
    }
}
