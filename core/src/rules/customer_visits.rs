//! Company customers' revisit schedule (seed 003 第1篇 §4.3-4.4): the first
//! phone revisit a month after the handover, then one every six months; an
//! on-site revisit at least yearly for a large customer (大客户) and every six
//! months for a key one (重点客户); the visit's report the next day and its
//! papers to the department head within three days.
//!
//! Every visit is counted from the handover (handover + 1, 7, 13 … months), not
//! from when the last one happened, so a phone and the server derive the same
//! dates and a late visit does not push the rest of the year back.
//!
//! The report and the filing count working days ([`WorkCalendar`]): both are
//! paperwork handed to the department head (部门主管审核), who reviews it on
//! working days; "第二天" after a Friday visit is the Monday.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{end_of_day, start_of_day, RulesConfig, WorkCalendar};

/// How the company ranks a customer; the rank decides the on-site visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerTier {
    /// 普通客户: phone revisits only.
    Ordinary,
    /// 重点客户 (特大或重要客户): on site every six months.
    Key,
    /// 大客户: on site at least yearly.
    Large,
}

impl CustomerTier {
    pub const ALL: [CustomerTier; 3] = [
        CustomerTier::Ordinary,
        CustomerTier::Key,
        CustomerTier::Large,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CustomerTier::Ordinary => "ordinary",
            CustomerTier::Key => "key",
            CustomerTier::Large => "large",
        }
    }
}

/// The two kinds of revisit the schedule asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitSeries {
    Phone,
    OnSite,
}

impl VisitSeries {
    pub const ALL: [VisitSeries; 2] = [VisitSeries::Phone, VisitSeries::OnSite];

    pub fn name(self) -> &'static str {
        match self {
            VisitSeries::Phone => "phone",
            VisitSeries::OnSite => "on_site",
        }
    }
}

/// One revisit the schedule asks for: the `number`-th (from 0) of its series,
/// due by the end of `due_date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledVisit {
    pub series: VisitSeries,
    pub number: u32,
    pub due_date: NaiveDate,
}

impl ScheduledVisit {
    /// The end of the due date, local time.
    pub fn due_at(&self, cfg: &RulesConfig) -> DateTime<Utc> {
        end_of_day(start_of_day(self.due_date, cfg.time_zone), cfg.time_zone)
    }
}

/// The months after the handover of the `number`-th visit of a series, or
/// None when the tier has no such series.
fn months_after_handover(
    series: VisitSeries,
    number: u32,
    tier: CustomerTier,
    cfg: &RulesConfig,
) -> Option<u32> {
    let c = &cfg.customers;
    match series {
        VisitSeries::Phone => Some(c.first_phone_months + number * c.phone_every_months),
        VisitSeries::OnSite => {
            let every = match tier {
                CustomerTier::Ordinary => return None,
                CustomerTier::Key => c.key_on_site_every_months,
                CustomerTier::Large => c.large_on_site_every_months,
            };
            Some((number + 1) * every)
        }
    }
}

/// The `number`-th visit of a series; a month without the handover's day
/// falls on its last day (handed over 31 Jan: first phone visit 28 Feb).
pub fn scheduled_visit(
    handover: NaiveDate,
    tier: CustomerTier,
    series: VisitSeries,
    number: u32,
    cfg: &RulesConfig,
) -> Option<ScheduledVisit> {
    let months = months_after_handover(series, number, tier, cfg)?;
    let due_date = handover.checked_add_months(Months::new(months))?;
    Some(ScheduledVisit {
        series,
        number,
        due_date,
    })
}

/// The customer's schedule: every visit due from `since` (the day the
/// customer was registered; visits before it are not Rounds' to keep) until
/// `today`, and the next of each series due today or later, in date order.
pub fn customer_schedule(
    handover: NaiveDate,
    tier: CustomerTier,
    since: NaiveDate,
    today: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<ScheduledVisit> {
    let mut out = vec![];
    for series in VisitSeries::ALL {
        for number in 0.. {
            let Some(visit) = scheduled_visit(handover, tier, series, number, cfg) else {
                break;
            };
            if visit.due_date < since {
                continue;
            }
            out.push(visit);
            if visit.due_date >= today {
                break;
            }
        }
    }
    out.sort_by_key(|v| (v.due_date, v.series.name()));
    out
}

/// When the visit's report (《客户回访报告》) is due: by the end of the next
/// working day after the visit (by default).
pub fn customer_report_due(
    visited_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    cal.add_working_days(visited_at, cfg.customers.report_working_days, cfg.time_zone)
}

/// When the visit's papers are due with the department head: within three
/// working days of the visit (by default).
pub fn customer_file_due(
    visited_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    cal.add_working_days(visited_at, cfg.customers.file_working_days, cfg.time_zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(v: &[ScheduledVisit]) -> Vec<(&'static str, String)> {
        v.iter()
            .map(|v| (v.series.name(), v.due_date.to_string()))
            .collect()
    }

    #[test]
    fn a_large_customer_gets_phone_calls_half_yearly_and_a_yearly_visit() {
        let cfg = RulesConfig::default();
        let s = customer_schedule(
            d("2026-01-15"),
            CustomerTier::Large,
            d("2026-01-15"),
            d("2027-01-20"),
            &cfg,
        );
        assert_eq!(
            dates(&s),
            [
                ("phone", "2026-02-15".into()),
                ("phone", "2026-08-15".into()),
                ("on_site", "2027-01-15".into()),
                ("phone", "2027-02-15".into()),
                ("on_site", "2028-01-15".into()),
            ]
        );
    }

    #[test]
    fn a_key_customer_is_visited_every_six_months_an_ordinary_one_never() {
        let cfg = RulesConfig::default();
        let key = customer_schedule(
            d("2026-03-31"),
            CustomerTier::Key,
            d("2026-03-31"),
            d("2026-05-01"),
            &cfg,
        );
        // 31 March + 1 month: April has no 31st.
        assert_eq!(
            dates(&key),
            [
                ("phone", "2026-04-30".into()),
                ("on_site", "2026-09-30".into()),
                ("phone", "2026-10-31".into()),
            ]
        );
        let ordinary = customer_schedule(
            d("2026-03-31"),
            CustomerTier::Ordinary,
            d("2026-03-31"),
            d("2026-05-01"),
            &cfg,
        );
        assert_eq!(
            dates(&ordinary),
            [
                ("phone", "2026-04-30".into()),
                ("phone", "2026-10-31".into())
            ]
        );
    }

    #[test]
    fn visits_before_the_customer_was_registered_are_not_asked_for() {
        let cfg = RulesConfig::default();
        let s = customer_schedule(
            d("2024-06-10"),
            CustomerTier::Large,
            d("2026-05-01"),
            d("2026-05-01"),
            &cfg,
        );
        assert_eq!(
            dates(&s),
            [
                ("on_site", "2026-06-10".into()),
                ("phone", "2026-07-10".into())
            ]
        );
    }

    #[test]
    fn a_visit_due_today_is_the_next_one() {
        let cfg = RulesConfig::default();
        let s = customer_schedule(
            d("2025-12-08"),
            CustomerTier::Large,
            d("2026-12-08"),
            d("2026-12-08"),
            &cfg,
        );
        assert_eq!(
            dates(&s),
            [
                ("on_site", "2026-12-08".into()),
                ("phone", "2027-01-08".into())
            ]
        );
    }

    #[test]
    fn the_months_are_the_company_rules() {
        let mut cfg = RulesConfig::default();
        cfg.customers.large_on_site_every_months = 6;
        cfg.customers.first_phone_months = 2;
        let first = |series| {
            scheduled_visit(d("2026-01-10"), CustomerTier::Large, series, 0, &cfg)
                .unwrap()
                .due_date
        };
        assert_eq!(first(VisitSeries::OnSite), d("2026-07-10"));
        assert_eq!(first(VisitSeries::Phone), d("2026-03-10"));
        cfg.customers.key_on_site_every_months = 0;
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn the_report_is_due_the_next_working_day_and_the_papers_within_three() {
        let (cfg, cal) = (RulesConfig::default(), WorkCalendar::china());
        // A weekend: Fri 11-06, report Monday, papers by Wednesday.
        assert_eq!(
            customer_report_due(sh("2026-11-06 15:00"), &cfg, &cal),
            sh("2026-11-10 00:00")
        );
        assert_eq!(
            customer_file_due(sh("2026-11-06 15:00"), &cfg, &cal),
            sh("2026-11-12 00:00")
        );
        // A make-up working day: Fri 09-18, Sunday 09-20 is worked.
        assert_eq!(
            customer_report_due(sh("2026-09-18 16:00"), &cfg, &cal),
            sh("2026-09-21 00:00")
        );
        // The National Day holiday: Wed 09-30, then Thu 10-08, Fri 10-09 and
        // the make-up Saturday 10-10.
        assert_eq!(
            customer_report_due(sh("2026-09-30 10:00"), &cfg, &cal),
            sh("2026-10-09 00:00")
        );
        assert_eq!(
            customer_file_due(sh("2026-09-30 10:00"), &cfg, &cal),
            sh("2026-10-11 00:00")
        );
    }
}
