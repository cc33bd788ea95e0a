//! Turns query-table rows into the facts the monthly report counts, so the
//! phone and the server compute the report from the same rows the same way.
//! The server and `Session::monthly_report` both call here; nothing else
//! builds a `ReportInput` from rows.

use crate::documents::lifecycle::Status;
use crate::documents::revisit::{RevisitReason, RevisitStatus};
use crate::documents::{IndexRow, RecordKind};
use crate::people::Role;
use crate::rules::{
    ComplaintFact, CompletionFact, CustomerVisitFact, DeskReportFact, FeeFact, KeyCheckFact,
    KeyFact, KeyLoanFact, OrderFact, RenovationFact, ReportInput, RevisitFact, Satisfaction,
    SurveyFact,
};
use crate::time::from_millis;

/// The units of the estates among `rows` (each estate record's row counts
/// its units), the denominator of the valid-complaint rate.
pub fn units_total(rows: &[IndexRow]) -> u32 {
    rows.iter()
        .filter(|r| r.kind == RecordKind::Estate)
        .filter_map(|r| r.facts["units"].as_u64())
        .sum::<u64>() as u32
}

/// The report's facts from the rows of one estate (every kind; others are
/// ignored).
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
        // A cancelled revisit is no longer owed: counting it as due would
        // hold the handling rate below its 100 % target for work nobody may
        // do (DOMAIN.md, revisit programme).
        revisits: of(RecordKind::Revisit)
            .filter(|r| r.status != RevisitStatus::Cancelled.name())
            .map(|r| RevisitFact {
                staff_id: r.facts["done_by"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| r.assignee.clone())
                    .unwrap_or_default(),
                due_at: from_millis(r.due_at.unwrap_or(r.created_at)),
                done_at: r.done_at.map(from_millis),
                in_person: r.facts["in_person"].as_bool().unwrap_or(false),
                planned_in_person: r.facts["planned_method"] == "in_person",
                satisfaction: serde_json::from_value::<Option<Satisfaction>>(
                    r.facts["satisfaction"].clone(),
                )
                .ok()
                .flatten(),
            })
            .collect(),
        staff,
        fees: fee_facts(rows),
        // Each matter the desk passed to a department, from its log's row.
        desk_reports: of(RecordKind::DeskLog)
            .flat_map(|r| r.facts["passed_on"].as_array().cloned().unwrap_or_default())
            .filter_map(|p| {
                Some(DeskReportFact {
                    due_at: from_millis(p["due_at"].as_i64()?),
                    reported_at: p["reported_at"].as_i64().map(from_millis),
                })
            })
            .collect(),
        // Each counted survey, from its row's per-item counts.
        surveys: of(RecordKind::Survey)
            .filter_map(|r| {
                let items = r.facts["items"].as_array().cloned().unwrap_or_default();
                let sum = |key: &str| items.iter().filter_map(|i| i[key].as_u64()).sum::<u64>();
                Some(SurveyFact {
                    closed_at: r.done_at.map(from_millis)?,
                    sample: r.facts["sample"].as_u64()? as u32,
                    returned: r.facts["returned"].as_u64()? as u32,
                    ratings: sum("ratings") as u32,
                    satisfied: sum("satisfied") as u32,
                })
            })
            .collect(),
        renovations: of(RecordKind::Renovation).map(renovation_fact).collect(),
        customer_visits: of(RecordKind::Revisit)
            .filter(|r| r.category.as_deref() == Some(RevisitReason::Customer.name()))
            .filter(|r| r.status != RevisitStatus::Cancelled.name())
            .map(|r| CustomerVisitFact {
                on_site: r.facts["planned_method"] == "in_person",
                due_at: from_millis(r.due_at.unwrap_or(r.created_at)),
                done_at: r.done_at.map(from_millis),
                reported_at: r.facts["reported_at"].as_i64().map(from_millis),
                filed_at: r.facts["filed_at"].as_i64().map(from_millis),
            })
            .collect(),
        keys: of(RecordKind::KeyCustody).map(key_fact).collect(),
    }
}

/// A renovation's row as the monthly report counts it.
fn renovation_fact(r: &IndexRow) -> RenovationFact {
    let list = |key: &str| r.facts[key].as_array().cloned().unwrap_or_default();
    let at = |v: &serde_json::Value| v.as_i64().map(from_millis);
    RenovationFact {
        applied_at: from_millis(r.created_at),
        completions: list("completions")
            .iter()
            .filter_map(|c| {
                Some(CompletionFact {
                    due_at: at(&c["due_at"])?,
                    accepted_at: at(&c["accepted_at"]),
                })
            })
            .collect(),
        acceptances: list("acceptance_log")
            .iter()
            .filter_map(|a| Some((at(&a["at"])?, a["passed"].as_bool()?)))
            .collect(),
        deposit_refunded_at: at(&r.facts["deposit_refunded_at"]),
    }
}

/// A deposited key's history from its row (times written by
/// `key_custody::index_row`).
fn key_fact(r: &IndexRow) -> KeyFact {
    let list = |key: &str| r.facts[key].as_array().cloned().unwrap_or_default();
    let at = |v: &serde_json::Value| v.as_i64().map(from_millis);
    KeyFact {
        received_at: from_millis(r.created_at),
        handed_back_at: r.done_at.map(from_millis),
        checks: list("check_dues")
            .iter()
            .filter_map(|c| {
                Some(KeyCheckFact {
                    due_at: at(&c["due_at"])?,
                    done_at: at(&c["done_at"]),
                })
            })
            .collect(),
        uses: list("use_times").iter().filter_map(at).collect(),
        loans: list("loan_times")
            .iter()
            .filter_map(|l| {
                Some(KeyLoanFact {
                    lent_at: at(&l["lent_at"])?,
                    returned_at: at(&l["returned_at"]),
                })
            })
            .collect(),
    }
}

/// The paid jobs among `rows` (work orders marked paid), with their money,
/// for the monthly report and the settlement to finance.
pub fn fee_facts(rows: &[IndexRow]) -> Vec<FeeFact> {
    let fen = |r: &IndexRow, key: &str| r.facts[key].as_i64().unwrap_or(0);
    rows.iter()
        .filter(|r| r.kind == RecordKind::WorkOrder)
        .filter(|r| r.facts["paid_service"].as_bool() == Some(true))
        .map(|r| FeeFact {
            order_id: r.id.clone(),
            estate_id: r.estate_id.clone(),
            technician: r.assignee.clone().unwrap_or_default(),
            completed_at: r.done_at.map(from_millis),
            quoted_fen: fen(r, "quoted_fen"),
            charged_fen: fen(r, "charged_fen"),
            collected_fen: fen(r, "collected_fen"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason};
    use crate::documents::{Record, Who};
    use crate::ids::{DeviceId, RecordId};
    use crate::places::Place;
    use crate::rules::test_time::sh;
    use crate::rules::{monthly_report, RulesConfig};
    use crate::time::to_millis;

    fn supervisor(device: DeviceId) -> Who {
        Who {
            staff_id: "s1".into(),
            role: Role::Supervisor,
            device_id: device,
            at: to_millis(sh("2026-11-02 09:00")),
        }
    }

    fn home_visit(device: DeviceId, who: &Who) -> RevisitDoc {
        let plan = RevisitPlan {
            id: RecordId::new(),
            reason: RevisitReason::HomeVisit,
            subject_id: None,
            place: Place {
                estate_id: "e1".into(),
                unit_id: Some("u-1-302".into()),
                common_area_id: None,
                detail: String::new(),
            },
            assignee: "a1".into(),
            planned_method: Method::InPerson,
            due_at: to_millis(sh("2026-11-10 09:00")),
        };
        RevisitDoc::plan(&plan, device, who).unwrap()
    }

    /// Two home visits owed in November, one of them cancelled by the head:
    /// only the one still owed counts, so doing it reaches the 100 % target.
    #[test]
    fn a_cancelled_revisit_is_not_owed_in_the_report() {
        let device = DeviceId::new();
        let head = supervisor(device);
        let owed = home_visit(device, &head);
        let mut cancelled = home_visit(device, &head);
        cancelled.cancel("业主已搬走", &head).unwrap();
        let rows = [owed.index_row().unwrap(), cancelled.index_row().unwrap()];

        let input = report_input(
            &rows,
            (2026, 11),
            100,
            vec![("a1".into(), Role::PropertyAssistant)],
        );
        assert_eq!(input.revisits.len(), 1);
        let report = monthly_report(
            &input,
            &RulesConfig::default(),
            &crate::rules::WorkCalendar::china(),
        )
        .unwrap();
        assert_eq!(report.revisits_due, 1);
        assert_eq!(report.revisits_done, 0);
    }

    #[test]
    fn units_are_counted_from_the_estate_rows_only() {
        let device = DeviceId::new();
        let head = supervisor(device);
        let visit = home_visit(device, &head).index_row().unwrap();
        let row = |kind, units: u64| IndexRow {
            kind,
            facts: serde_json::json!({ "units": units }).into(),
            ..visit.clone()
        };
        let rows = [
            row(RecordKind::Estate, 120),
            row(RecordKind::Estate, 80),
            row(RecordKind::WorkOrder, 999),
        ];
        assert_eq!(units_total(&rows), 200);
    }
}
