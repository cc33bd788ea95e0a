//! The renovation's clock (seed 003 第6篇 item 7): once the works (or their
//! rectification) are finished, acceptance is applied for within this many
//! working days.

use chrono::{DateTime, Utc};

use super::{RulesConfig, WorkCalendar};

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
