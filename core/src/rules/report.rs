//! The monthly report (seed 003; seed 000): requests, complaints, on-time and
//! re-repair rates, revisits against quota, satisfaction. Rates are fractions
//! (0.0-1.0) and None when there is nothing to divide by.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::start_of_day;
use super::calendar::WorkCalendar;
use super::config::RulesConfig;
use super::customer_visits::{customer_file_due, customer_report_due};
use super::key_figures::{key_figures, KeyFact, KeyFigures};
use super::revisit_plan::{quota_progress, QuotaProgress};
use super::settlement::{monthly_settlement, FeeFact, FeeTotals};
use super::survey::survey_valid;
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

    pub fn is_dissatisfied(self) -> bool {
        matches!(
            self,
            Satisfaction::Dissatisfied | Satisfaction::VeryDissatisfied
        )
    }

    pub fn parse(code: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|s| s.as_str() == code)
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

/// A satisfaction survey counted (closed) at `closed_at`: its sample, the
/// forms that came back, and all their ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyFact {
    pub closed_at: DateTime<Utc>,
    pub sample: u32,
    pub returned: u32,
    pub ratings: u32,
    pub satisfied: u32,
}

/// A company customer's revisit (seed 003 第1篇): when it was due, whether
/// on site, and when it was done, reported and filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerVisitFact {
    pub on_site: bool,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub reported_at: Option<DateTime<Utc>>,
    pub filed_at: Option<DateTime<Utc>>,
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
    #[serde(default)]
    pub renovations: Vec<super::RenovationFact>,
    pub surveys: Vec<SurveyFact>,
    pub customer_visits: Vec<CustomerVisitFact>,
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
    /// Renovations (第6篇): applications, acceptances due and made, deposits
    /// refunded in the month.
    pub renovations: super::RenovationTotals,
    /// Satisfaction surveys counted in the month, those valid (more than
    /// the rules' share of forms back), and the satisfied share of all the
    /// valid ones' ratings (第8篇).
    pub surveys_counted: u32,
    pub surveys_valid: u32,
    pub survey_satisfaction_rate: Option<f64>,
    /// Company customers' revisits owed in the month and those done; of
    /// them the on-site ones (done means signed by the customer).
    pub customer_revisits_due: u32,
    pub customer_revisits_done: u32,
    pub customer_on_site_due: u32,
    pub customer_on_site_done: u32,
    /// Customer visits whose papers fell due with the head in the month,
    /// and those whose report and papers both came in time.
    pub customer_papers_due: u32,
    pub customer_papers_on_time: u32,
    /// Residents' keys: held, weekly checks made and missed, uses, loans out.
    pub keys: KeyFigures,
}

/// Builds the report for `input.month`; only facts inside the month count.
pub fn monthly_report(
    input: &ReportInput,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> Result<MonthlyReport, RulesError> {
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

    let surveys: Vec<_> = input
        .surveys
        .iter()
        .filter(|s| within(&s.closed_at))
        .collect();
    let valid_surveys: Vec<_> = surveys
        .iter()
        .filter(|s| survey_valid(s.returned, s.sample, cfg))
        .collect();
    let survey_ratings = valid_surveys.iter().map(|s| s.ratings).sum();
    let survey_satisfied = valid_surveys.iter().map(|s| s.satisfied).sum();
    let customers = customer_figures(&input.customer_visits, &within, cfg, cal);

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
        renovations: super::renovation_totals(&input.renovations, within),
        surveys_counted: surveys.len() as u32,
        surveys_valid: valid_surveys.len() as u32,
        survey_satisfaction_rate: rate(survey_satisfied, survey_ratings),
        customer_revisits_due: customers[0],
        customer_revisits_done: customers[1],
        customer_on_site_due: customers[2],
        customer_on_site_done: customers[3],
        customer_papers_due: customers[4],
        customer_papers_on_time: customers[5],
        keys: key_figures(&input.keys, in_month),
    })
}

/// Customers' visits due and done (all, then on site), and their papers due
/// and on time, in the month `within` tells.
fn customer_figures(
    visits: &[CustomerVisitFact],
    within: &impl Fn(&DateTime<Utc>) -> bool,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> [u32; 6] {
    let due: Vec<_> = visits.iter().filter(|v| within(&v.due_at)).collect();
    let on_site: Vec<_> = due.iter().filter(|v| v.on_site).copied().collect();
    let papers: Vec<_> = visits
        .iter()
        .filter_map(|v| {
            let done = v.done_at?;
            let file_due = customer_file_due(done, cfg, cal);
            within(&file_due).then(|| {
                let report_due = customer_report_due(done, cfg, cal);
                v.reported_at.is_some_and(|r| r <= report_due)
                    && v.filed_at.is_some_and(|f| f <= file_due)
            })
        })
        .collect();
    [
        due.len() as u32,
        count(&due, |v| v.done_at.is_some()),
        on_site.len() as u32,
        count(&on_site, |v| v.done_at.is_some()),
        papers.len() as u32,
        count(&papers, |on_time| *on_time),
    ]
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

    fn customer(
        on_site: bool,
        due: &str,
        done: Option<&str>,
        reported: Option<&str>,
        filed: Option<&str>,
    ) -> CustomerVisitFact {
        CustomerVisitFact {
            on_site,
            due_at: sh(due),
            done_at: done.map(sh),
            reported_at: reported.map(sh),
            filed_at: filed.map(sh),
        }
    }

    #[test]
    fn customers_visits_and_papers_of_the_month() {
        let r =
            monthly_report(&november(), &RulesConfig::default(), &WorkCalendar::china()).unwrap();
        assert_eq!(
            (
                r.customer_revisits_due,
                r.customer_revisits_done,
                r.customer_on_site_due,
                r.customer_on_site_done,
                r.customer_papers_due,
                r.customer_papers_on_time,
            ),
            (3, 2, 2, 1, 2, 1)
        );
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
            renovations: vec![],
            surveys: vec![
                // Counted on the last evening of October: not November's.
                survey("2026-10-31 20:00", 10, 10, 30, 30),
                survey("2026-11-09 17:00", 50, 45, 225, 180),
                // 42 of 50 is not more than 85 %: counted, not valid.
                survey("2026-11-20 17:00", 50, 42, 210, 42),
                survey("2026-11-30 23:00", 20, 20, 100, 80),
            ],
            customer_visits: vec![
                // Due and done in November, on site: done Fri 11-06, report
                // by Mon 11-09's end, papers by Wed 11-11's: both in time.
                customer(
                    true,
                    "2026-11-07 00:00",
                    Some("2026-11-06 15:00"),
                    Some("2026-11-09 17:00"),
                    Some("2026-11-11 23:00"),
                ),
                // A phone call due in November, done; its report a day late.
                customer(
                    false,
                    "2026-11-20 00:00",
                    Some("2026-11-18 10:00"),
                    Some("2026-11-20 09:00"),
                    Some("2026-11-20 09:00"),
                ),
                // On site, due in November, not done.
                customer(true, "2026-11-28 00:00", None, None, None),
                // Due in December, done early on Fri 27 Nov: its papers are
                // due Wed 2 Dec, December's.
                customer(
                    false,
                    "2026-12-05 00:00",
                    Some("2026-11-27 10:00"),
                    None,
                    None,
                ),
            ],
            keys: vec![],
        }
    }

    fn survey(
        closed: &str,
        sample: u32,
        returned: u32,
        ratings: u32,
        satisfied: u32,
    ) -> SurveyFact {
        SurveyFact {
            closed_at: sh(closed),
            sample,
            returned,
            ratings,
            satisfied,
        }
    }

    #[test]
    fn only_valid_surveys_give_the_months_satisfaction() {
        let r =
            monthly_report(&november(), &RulesConfig::default(), &WorkCalendar::china()).unwrap();
        assert_eq!((r.surveys_counted, r.surveys_valid), (3, 2));
        assert_eq!(r.survey_satisfaction_rate, Some(260.0 / 325.0));
        let mut cfg = RulesConfig::default();
        cfg.targets.survey_return_percent = 80.0;
        let r = monthly_report(&november(), &cfg, &WorkCalendar::china()).unwrap();
        assert_eq!(r.surveys_valid, 3);
    }

    fn desk(due: &str, reported: Option<&str>) -> DeskReportFact {
        DeskReportFact {
            due_at: sh(due),
            reported_at: reported.map(sh),
        }
    }

    #[test]
    fn departments_reports_count_in_the_month_they_fall_due() {
        let r =
            monthly_report(&november(), &RulesConfig::default(), &WorkCalendar::china()).unwrap();
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
        let r =
            monthly_report(&november(), &RulesConfig::default(), &WorkCalendar::china()).unwrap();
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
            renovations: vec![],
            surveys: vec![],
            customer_visits: vec![],
            keys: vec![],
        };
        let r = monthly_report(&input, &RulesConfig::default(), &WorkCalendar::china()).unwrap();
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
            monthly_report(&input, &RulesConfig::default(), &WorkCalendar::china()),
            Err(RulesError::BadMonth {
                year: 2026,
                month: 13
            })
        );
    }
}
