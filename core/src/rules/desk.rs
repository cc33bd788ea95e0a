//! The front desk's clock on departments (seed 003 第4/13篇 §5.3.2): a matter
//! passed to a department has its status reported back to the desk by the
//! end of the n-th working day after it was passed on.

use chrono::{DateTime, Utc};

use super::{RulesConfig, WorkCalendar};

/// When the department's status report on a matter passed on at
/// `passed_at` is due.
pub fn status_report_due(
    passed_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    cal.add_working_days(
        passed_at,
        cfg.desk.status_report_working_days,
        cfg.time_zone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    #[test]
    fn a_status_report_is_due_three_working_days_later() {
        let (cfg, cal) = (RulesConfig::default(), WorkCalendar::china());
        // Thu 11-05: Fri, then the weekend is skipped: Mon, Tue.
        assert_eq!(
            status_report_due(sh("2026-11-05 10:00"), &cfg, &cal),
            sh("2026-11-11 00:00")
        );
        // Fri 09-18: Sun 09-20 is a make-up working day, then Mon, Tue.
        assert_eq!(
            status_report_due(sh("2026-09-18 16:00"), &cfg, &cal),
            sh("2026-09-23 00:00")
        );
        // Wed 09-30: the National Day holiday, then Thu 10-08, Fri 10-09 and
        // the make-up Saturday 10-10.
        assert_eq!(
            status_report_due(sh("2026-09-30 10:00"), &cfg, &cal),
            sh("2026-10-11 00:00")
        );
    }

    #[test]
    fn the_days_are_the_company_rules() {
        let mut cfg = RulesConfig::default();
        cfg.desk.status_report_working_days = 1;
        let cal = WorkCalendar::china();
        assert_eq!(
            status_report_due(sh("2026-11-06 10:00"), &cfg, &cal),
            sh("2026-11-10 00:00")
        );
        cfg.desk.status_report_working_days = 0;
        assert!(cfg.validate().is_err());
    }
}
