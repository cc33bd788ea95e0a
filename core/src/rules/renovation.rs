//! The renovation's clock (seed 003 第6篇 item 7): once the works (or their
//! rectification) are finished, acceptance is applied for within this many
//! working days.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{RulesConfig, WorkCalendar};

/// One renovation application, as the monthly report counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenovationFact {
    pub applied_at: DateTime<Utc>,
    /// Each time the works were reported finished: when acceptance was
    /// due, and when the first acceptance after it was made.
    pub completions: Vec<CompletionFact>,
    /// Each acceptance on site: when, and whether it passed.
    pub acceptances: Vec<(DateTime<Utc>, bool)>,
    pub deposit_refunded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionFact {
    pub due_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// The month's renovation figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RenovationTotals {
    /// Applications registered in the month.
    pub applied: u32,
    /// Acceptances falling due in the month; made by their due time; made
    /// late or not at all.
    pub acceptances_due: u32,
    pub acceptances_on_time: u32,
    pub acceptances_overdue: u32,
    pub acceptance_on_time_rate: Option<f64>,
    /// Acceptances made in the month that passed, and that failed.
    pub passed: u32,
    pub failed: u32,
    /// Deposits refunded in the month.
    pub deposits_refunded: u32,
}

/// The figures of the facts that fall `within` the month.
pub fn renovation_totals(
    facts: &[RenovationFact],
    within: impl Fn(&DateTime<Utc>) -> bool,
) -> RenovationTotals {
    let n = |it: &mut dyn Iterator<Item = bool>| it.filter(|b| *b).count() as u32;
    let due: Vec<&CompletionFact> = facts
        .iter()
        .flat_map(|f| &f.completions)
        .filter(|c| within(&c.due_at))
        .collect();
    let on_time = n(&mut due
        .iter()
        .map(|c| c.accepted_at.is_some_and(|a| a <= c.due_at)));
    let acceptances = || {
        facts
            .iter()
            .flat_map(|f| &f.acceptances)
            .filter(|(at, _)| within(at))
    };
    RenovationTotals {
        applied: n(&mut facts.iter().map(|f| within(&f.applied_at))),
        acceptances_due: due.len() as u32,
        acceptances_on_time: on_time,
        acceptances_overdue: due.len() as u32 - on_time,
        acceptance_on_time_rate: (!due.is_empty()).then(|| f64::from(on_time) / due.len() as f64),
        passed: n(&mut acceptances().map(|(_, passed)| *passed)),
        failed: n(&mut acceptances().map(|(_, passed)| !*passed)),
        deposits_refunded: n(&mut facts
            .iter()
            .map(|f| f.deposit_refunded_at.is_some_and(|r| within(&r)))),
    }
}

/// When acceptance of works reported finished at `completed_at` is due.
pub fn acceptance_due(
    completed_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    cal.add_working_days(
        completed_at,
        cfg.renovation.acceptance_working_days,
        cfg.time_zone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    #[test]
    fn acceptance_is_due_seven_working_days_after_completion() {
        let (cfg, cal) = (RulesConfig::default(), WorkCalendar::china());
        // Thu 11-05: Fri 06, the weekend skipped, Mon 09 … Fri 13 make six,
        // the next weekend skipped, Mon 16 the seventh.
        assert_eq!(
            acceptance_due(sh("2026-11-05 10:00"), &cfg, &cal),
            sh("2026-11-17 00:00")
        );
        // Wed 09-16: Thu, Fri, the make-up working Sunday 09-20, Mon 21 …
        // Thu 24 the seventh.
        assert_eq!(
            acceptance_due(sh("2026-09-16 16:00"), &cfg, &cal),
            sh("2026-09-25 00:00")
        );
        // Wed 09-30: the National Day holiday, then Thu 10-08, Fri 10-09,
        // the make-up Saturday 10-10, Mon 12 … Thu 15 the seventh.
        assert_eq!(
            acceptance_due(sh("2026-09-30 10:00"), &cfg, &cal),
            sh("2026-10-16 00:00")
        );
    }

    #[test]
    fn the_month_counts_acceptances_falling_due_in_it() {
        let november =
            |t: &DateTime<Utc>| sh("2026-11-01 00:00") <= *t && *t < sh("2026-12-01 00:00");
        let facts = vec![
            RenovationFact {
                applied_at: sh("2026-10-20 10:00"),
                completions: vec![
                    // Due in November, failed on time; the rectified works
                    // due in November too, never accepted.
                    CompletionFact {
                        due_at: sh("2026-11-10 00:00"),
                        accepted_at: Some(sh("2026-11-09 10:00")),
                    },
                    CompletionFact {
                        due_at: sh("2026-11-25 00:00"),
                        accepted_at: None,
                    },
                ],
                acceptances: vec![(sh("2026-11-09 10:00"), false)],
                deposit_refunded_at: None,
            },
            RenovationFact {
                applied_at: sh("2026-11-02 10:00"),
                completions: vec![CompletionFact {
                    due_at: sh("2026-11-20 00:00"),
                    accepted_at: Some(sh("2026-11-19 15:00")),
                }],
                acceptances: vec![(sh("2026-11-19 15:00"), true)],
                deposit_refunded_at: Some(sh("2026-11-23 10:00")),
            },
        ];
        let t = renovation_totals(&facts, november);
        assert_eq!(
            (
                t.applied,
                t.acceptances_due,
                t.acceptances_on_time,
                t.acceptances_overdue
            ),
            (1, 3, 2, 1)
        );
        assert_eq!((t.passed, t.failed, t.deposits_refunded), (1, 1, 1));
        assert_eq!(t.acceptance_on_time_rate, Some(2.0 / 3.0));
    }

    #[test]
    fn the_days_are_the_company_rules() {
        let mut cfg = RulesConfig::default();
        cfg.renovation.acceptance_working_days = 1;
        let cal = WorkCalendar::china();
        // Fri 11-06: the weekend skipped, Mon 09.
        assert_eq!(
            acceptance_due(sh("2026-11-06 10:00"), &cfg, &cal),
            sh("2026-11-10 00:00")
        );
        cfg.renovation.acceptance_working_days = 0;
        assert!(cfg.validate().is_err());
    }
}
