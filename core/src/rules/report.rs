//! The monthly report (seed 003; seed 000): requests, complaints, on-time and
//! re-repair rates, revisits against quota, satisfaction. Rates are fractions
//! (0.0-1.0) and None when there is nothing to divide by.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::start_of_day;
use super::config::RulesConfig;
use super::key_figures::{key_figures, KeyFact, KeyFigures};
use super::revisit_plan::{quota_progress, QuotaProgress};
use super::settlement::{monthly_settlement, FeeFact, FeeTotals};
use super::RulesError;
use crate::people::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    Neutral,
    Dissatisfied,
    VeryDissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 5] = [
        Satisfaction::VerySatisfied,
        Satisfaction::Satisfied,
        Satisfaction::Neutral,
        Satisfaction::Dissatisfied,
        Satisfaction::VeryDissatisfied,
    ];

    /// The name in JSON ("very_satisfied").
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "very_satisfied",
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Neutral => "neutral",
            Satisfaction::Dissatisfied => "dissatisfied",
            Satisfaction::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn is_satisfied(self) -> bool {
        matches!(self, Satisfaction::VerySatisfied | Satisfaction::Satisfied)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFact {
    pub category: String,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// A repeat repair of the same fault (返修).
    pub is_rework: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFact {
    pub received_at: DateTime<Utc>,
    /// None while not yet classified.
    pub valid: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisitFact {
    pub staff_id: String,
    /// Decides the month the revisit is owed in.
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub in_person: bool,
    pub satisfaction: Option<Satisfaction>,
    /// Planned as an in-person visit (counts as planned against the quota
    /// until it is done).
    #[serde(default)]
    pub planned_in_person: bool,
}

/// A matter the front desk passed to a department, whose status report was
/// due by `due_at` (§5.3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskReportFact {
    pub due_at: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// (year, month 1-12) in the company's time zone.
    pub month: (i32, u32),
    pub units_total: u32,
    pub orders: Vec<OrderFact>,
    pub complaints: Vec<ComplaintFact>,
    pub revisits: Vec<RevisitFact>,
    pub staff: Vec<(String, Role)>,
    /// The paid jobs' money (有偿服务), for the month's settlement figures.
    #[serde(default)]
    pub fees: Vec<FeeFact>,
    #[serde(default)]
    pub desk_reports: Vec<DeskReportFact>,
    /// Residents' keys in custody, each with its checks, uses and loans.
    #[serde(default)]
    pub keys: Vec<KeyFact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    /// Requests received in the month.
    pub requests_by_category: BTreeMap<String, u32>,
    pub requests_total: u32,
    /// Orders completed in the month, whenever received.
    pub completed: u32,
    pub completed_on_time: u32,
    pub on_time_rate: Option<f64>,
    pub rework_count: u32,
    /// 返修率: rework orders among those completed.
    pub rework_rate: Option<f64>,
    pub complaints_total: u32,
    pub valid_complaints: u32,
    /// Valid complaints per unit; the target is below 2 %.
    pub valid_complaint_rate: Option<f64>,
    pub valid_complaints_within_target: Option<bool>,
    /// Revisits owed in the month, and how many of them were done.
    pub revisits_due: u32,
    pub revisits_done: u32,
    pub revisit_handling_rate: Option<f64>,
    pub revisit_handling_on_target: Option<bool>,
    /// In-person revisits done in the month against each person's quota.
    pub quota: Vec<QuotaProgress>,
    /// Satisfied ratings among the revisits done in the month.
    pub satisfaction_rate: Option<f64>,
    /// Paid jobs finished in the month: quoted, charged, collected and
    /// outstanding, as the settlement to finance sums them.
    pub fees: FeeTotals,
    /// Departments' status reports to the front desk falling due in the
    /// month; those that came by their due time; those that came late or
    /// not at all.
    pub desk_reports_due: u32,
    pub desk_reports_on_time: u32,
    pub desk_reports_overdue: u32,
    pub desk_report_on_time_rate: Option<f64>,
    /// Residents' keys: held, weekly checks made and missed, uses, loans out.
    pub keys: KeyFigures,
}

/// Builds the report for `input.month`; only facts inside the month count.
pub fn monthly_report(input: &ReportInput, cfg: &RulesConfig) -> Result<MonthlyReport, RulesError> {
    let in_month = month_window(input.month, cfg)?;
    let within = |t: &DateTime<Utc>| in_month.0 <= *t && *t < in_month.1;

    let mut requests_by_category = BTreeMap::new();
    for order in input.orders.iter().filter(|o| within(&o.received_at)) {
        *requests_by_category
            .entry(order.category.clone())
            .or_insert(0) += 1;
    }
    let completed: Vec<_> = input
        .orders
        .iter()
        .filter(|o| o.completed_at.as_ref().is_some_and(within))
        .collect();
    let completed_on_time = count(&completed, |o| {
        o.completed_at.is_some_and(|c| c <= o.due_at)
    });
    let rework_count = count(&completed, |o| o.is_rework);

    let complaints: Vec<_> = input
        .complaints
        .iter()
        .filter(|c| within(&c.received_at))
        .collect();
    let valid_complaints = count(&complaints, |c| c.valid == Some(true));
    let valid_complaint_rate = rate(valid_complaints, input.units_total);

    let due: Vec<_> = input
        .revisits
        .iter()
        .filter(|r| within(&r.due_at))
        .collect();
    let revisits_done = count(&due, |r| r.done_at.is_some());
    let revisit_handling_rate = rate(revisits_done, due.len() as u32);

    let done_in_month: Vec<_> = input
        .revisits
        .iter()
        .filter(|r| r.done_at.as_ref().is_some_and(within))
        .collect();
    let mut in_person: HashMap<String, u32> = HashMap::new();
    for r in done_in_month.iter().filter(|r| r.in_person) {
        *in_person.entry(r.staff_id.clone()).or_insert(0) += 1;
    }
    let mut planned: HashMap<String, u32> = HashMap::new();
    for r in due
        .iter()
        .filter(|r| r.done_at.is_none() && r.planned_in_person)
    {
        *planned.entry(r.staff_id.clone()).or_insert(0) += 1;
    }
    let ratings: Vec<_> = done_in_month
        .iter()
        .filter_map(|r| r.satisfaction)
        .collect();
    let satisfied = count(&ratings, |s| s.is_satisfied());

    let desk_due: Vec<_> = input
        .desk_reports
        .iter()
        .filter(|d| within(&d.due_at))
        .collect();
    let desk_on_time = count(&desk_due, |d| d.reported_at.is_some_and(|r| r <= d.due_at));

    let targets = &cfg.targets;
    Ok(MonthlyReport {
        requests_total: requests_by_category.values().sum(),
        requests_by_category,
        completed: completed.len() as u32,
        completed_on_time,
        on_time_rate: rate(completed_on_time, completed.len() as u32),
        rework_count,
        rework_rate: rate(rework_count, completed.len() as u32),
        complaints_total: complaints.len() as u32,
        valid_complaints,
        valid_complaint_rate,
        valid_complaints_within_target: valid_complaint_rate
            .map(|r| r * 100.0 < targets.valid_complaint_percent),
        revisits_due: due.len() as u32,
        revisits_done,
        revisit_handling_rate,
        revisit_handling_on_target: revisit_handling_rate
            .map(|r| r * 100.0 >= targets.revisit_handling_percent),
        quota: quota_progress(&input.staff, &in_person, &planned, cfg),
        satisfaction_rate: rate(satisfied, ratings.len() as u32),
        fees: monthly_settlement(&input.fees, input.month, cfg)?.total,
        desk_reports_due: desk_due.len() as u32,
        desk_reports_on_time: desk_on_time,
        desk_reports_overdue: desk_due.len() as u32 - desk_on_time,
        desk_report_on_time_rate: rate(desk_on_time, desk_due.len() as u32),
        keys: key_figures(&input.keys, in_month),
    })
}

/// A satisfaction survey counts only if more than the threshold share came back.
pub fn survey_valid(returned: u32, sent: u32, cfg: &RulesConfig) -> bool {
    // Compared as returned*100 > pct*sent so that 85 of 100 is not "more than 85 %".
    sent > 0 && f64::from(returned) * 100.0 > cfg.targets.survey_return_percent * f64::from(sent)
}

/// [start, end) of the month in the company's time zone.
pub fn month_window(
    (year, month): (i32, u32),
    cfg: &RulesConfig,
) -> Result<(DateTime<Utc>, DateTime<Utc>), RulesError> {
    let bad = RulesError::BadMonth { year, month };
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(bad.clone())?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or(bad)?;
    Ok((
        start_of_day(first, cfg.time_zone),
        start_of_day(next, cfg.time_zone),
    ))
}

fn count<T>(items: &[T], pred: impl Fn(&T) -> bool) -> u32 {
    items.iter().filter(|i| pred(i)).count() as u32
}

fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn order(
        category: &str,
        received: &str,
        due: &str,
        done: Option<&str>,
        rework: bool,
    ) -> OrderFact {
        OrderFact {
            category: category.into(),
            received_at: sh(received),
            due_at: sh(due),
            completed_at: done.map(sh),
            is_rework: rework,
        }
    }

    fn revisit(
        staff: &str,
        due: &str,
        done: Option<&str>,
        in_person: bool,
        s: Option<Satisfaction>,
    ) -> RevisitFact {
        RevisitFact {
            staff_id: staff.into(),
            due_at: sh(due),
            done_at: done.map(sh),
            in_person,
            satisfaction: s,
            // One not done yet was planned in person if it is in person.
            planned_in_person: in_person && done.is_none(),
        }
    }

    fn november() -> ReportInput {
        use Satisfaction::*;
        ReportInput {
            month: (2026, 11),
            units_total: 200,
            orders: vec![
                // Received 31 Oct 23:30 Shanghai (15:30 UTC): October's request, November's completion.
                order(
                    "lamp",
                    "2026-10-31 23:30",
                    "2026-11-03 00:00",
                    Some("2026-11-02 10:00"),
                    false,
                ),
                order(
                    "lamp",
                    "2026-11-02 09:00",
                    "2026-11-03 09:00",
                    Some("2026-11-03 10:00"),
                    false,
                ),
                order(
                    "pipe_leak",
                    "2026-11-10 09:00",
                    "2026-11-11 09:00",
                    Some("2026-11-10 18:00"),
                    true,
                ),
                order("paint", "2026-11-30 23:59", "2026-12-04 00:00", None, false),
                order("paint", "2026-12-01 00:00", "2026-12-04 00:00", None, false),
            ],
            complaints: vec![
                ComplaintFact {
                    received_at: sh("2026-11-05 10:00"),
                    valid: Some(true),
                },
                ComplaintFact {
                    received_at: sh("2026-11-06 10:00"),
                    valid: Some(false),
                },
                ComplaintFact {
                    received_at: sh("2026-11-07 10:00"),
                    valid: None,
                },
                ComplaintFact {
                    received_at: sh("2026-10-07 10:00"),
                    valid: Some(true),
                },
            ],
            revisits: vec![
                revisit(
                    "a1",
                    "2026-11-04 00:00",
                    Some("2026-11-03 15:00"),
                    true,
                    Some(VerySatisfied),
                ),
                revisit(
                    "a1",
                    "2026-11-12 00:00",
                    Some("2026-11-11 15:00"),
                    false,
                    Some(Neutral),
                ),
                revisit(
                    "d1",
                    "2026-11-20 00:00",
                    Some("2026-11-19 15:00"),
                    true,
                    Some(Satisfied),
                ),
                revisit("d1", "2026-11-28 00:00", None, true, None),
                revisit(
                    "a1",
                    "2026-10-30 00:00",
                    Some("2026-10-29 15:00"),
                    true,
                    Some(Dissatisfied),
                ),
            ],
            fees: vec![],
            staff: vec![
                ("a1".into(), Role::PropertyAssistant),
                ("d1".into(), Role::Director),
            ],
            desk_reports: vec![
                // Due in October: not November's.
                desk("2026-10-31 00:00", Some("2026-10-30 10:00")),
                desk("2026-11-05 00:00", Some("2026-11-04 16:00")),
                // Reported after it was due, and not reported at all.
                desk("2026-11-12 00:00", Some("2026-11-12 09:00")),
                desk("2026-11-20 00:00", None),
            ],
            keys: vec![],
        }
    }

    fn desk(due: &str, reported: Option<&str>) -> DeskReportFact {
        DeskReportFact {
            due_at: sh(due),
            reported_at: reported.map(sh),
        }
    }

    #[test]
    fn departments_reports_count_in_the_month_they_fall_due() {
        let r = monthly_report(&november(), &RulesConfig::default()).unwrap();
        assert_eq!(
            (
                r.desk_reports_due,
                r.desk_reports_on_time,
                r.desk_reports_overdue
            ),
            (3, 1, 2)
        );
        assert_eq!(r.desk_report_on_time_rate, Some(1.0 / 3.0));
    }

    #[test]
    fn counts_only_the_month_in_company_time() {
        let r = monthly_report(&november(), &RulesConfig::default()).unwrap();
        assert_eq!(
            r.requests_by_category,
            BTreeMap::from([
                ("lamp".into(), 1),
                ("pipe_leak".into(), 1),
                ("paint".into(), 1)
            ])
        );
        assert_eq!(r.requests_total, 3);
        assert_eq!((r.completed, r.completed_on_time), (3, 2));
        assert_eq!(r.on_time_rate, Some(2.0 / 3.0));
        assert_eq!((r.rework_count, r.rework_rate), (1, Some(1.0 / 3.0)));
        assert_eq!((r.complaints_total, r.valid_complaints), (3, 1));
        assert_eq!(r.valid_complaint_rate, Some(0.005));
        assert_eq!(r.valid_complaints_within_target, Some(true));
        assert_eq!((r.revisits_due, r.revisits_done), (4, 3));
        assert_eq!(r.revisit_handling_rate, Some(0.75));
        assert_eq!(r.revisit_handling_on_target, Some(false));
        assert_eq!(r.satisfaction_rate, Some(2.0 / 3.0));
        let quota: Vec<_> = r
            .quota
            .iter()
            .map(|q| (q.staff_id.as_str(), q.done, q.short_by, q.to_plan))
            .collect();
        // d1's visit of the 28th is planned, not done: one fewer to plan.
        assert_eq!(quota, [("a1", 1, 14, 14), ("d1", 1, 9, 8)]);
    }

    #[test]
    fn empty_month_has_no_rates() {
        let input = ReportInput {
            month: (2026, 2),
            units_total: 0,
            orders: vec![],
            complaints: vec![],
            revisits: vec![],
            fees: vec![],
            staff: vec![],
            desk_reports: vec![],
            keys: vec![],
        };
        let r = monthly_report(&input, &RulesConfig::default()).unwrap();
        assert_eq!(r.requests_total, 0);
        assert_eq!(
            (r.on_time_rate, r.rework_rate, r.valid_complaint_rate),
            (None, None, None)
        );
        assert_eq!((r.revisit_handling_rate, r.satisfaction_rate), (None, None));
        assert_eq!(r.valid_complaints_within_target, None);
    }

    #[test]
    fn rejects_a_month_that_does_not_exist() {
        let mut input = november();
        input.month = (2026, 13);
        assert_eq!(
            monthly_report(&input, &RulesConfig::default()),
            Err(RulesError::BadMonth {
                year: 2026,
                month: 13
            })
        );
    }

    #[test]
    fn survey_needs_more_than_85_percent_back() {
        let cfg = RulesConfig::default();
        assert!(!survey_valid(85, 100, &cfg));
        assert!(survey_valid(86, 100, &cfg));
        assert!(survey_valid(171, 200, &cfg));
        assert!(!survey_valid(0, 0, &cfg));
    }
}
