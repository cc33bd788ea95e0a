//! Repair deadlines and who may extend them (seed 003, 第4/13篇 §5.2).

use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::{start_of_day, WorkCalendar};
use super::config::RulesConfig;
use super::RulesError;
use crate::people::Role;

/// How a repair's deadline is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairClass {
    /// Default: within 3 working days.
    Standard,
    /// Blocked drain or toilet, leaking pipe: 24 clock hours.
    Urgent24h,
    /// Lamp replacement, broken door lock: 24 hours counted on working days.
    WorkingDay24h,
    /// Cleaning before move-in: same day, or within 3 working days.
    MoveInCleaning,
    /// Outage, lift failure, flooding, fire, break-in: hours, handled first.
    Emergency,
    /// Internal equipment, internal repairs, leak sealing: the department head decides.
    HeadSet,
    /// A time agreed with the resident.
    Negotiated,
}

impl RepairClass {
    /// The class for a work-order category code; codes not configured are Standard.
    pub fn classify(category: &str, cfg: &RulesConfig) -> RepairClass {
        cfg.repairs
            .categories
            .get(category)
            .copied()
            .unwrap_or(RepairClass::Standard)
    }

    pub const ALL: [RepairClass; 7] = [
        RepairClass::Standard,
        RepairClass::Urgent24h,
        RepairClass::WorkingDay24h,
        RepairClass::MoveInCleaning,
        RepairClass::Emergency,
        RepairClass::HeadSet,
        RepairClass::Negotiated,
    ];

    /// The stored name, as in JSON ("urgent24h"); records keep the class as text.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairClass::Standard => "standard",
            RepairClass::Urgent24h => "urgent24h",
            RepairClass::WorkingDay24h => "working_day24h",
            RepairClass::MoveInCleaning => "move_in_cleaning",
            RepairClass::Emergency => "emergency",
            RepairClass::HeadSet => "head_set",
            RepairClass::Negotiated => "negotiated",
        }
    }

    pub fn parse(s: &str) -> Option<RepairClass> {
        RepairClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The 24-hour classes, whose extensions also need the resident's consent.
    pub fn is_24h(self) -> bool {
        matches!(self, RepairClass::Urgent24h | RepairClass::WorkingDay24h)
    }
}

/// When a repair received at `received_at` is due. `given` is the deadline set by
/// the head (HeadSet), agreed with the resident (Negotiated), or optionally agreed
/// for move-in cleaning; the other classes have fixed deadlines and refuse one.
pub fn due_at(
    received_at: DateTime<Utc>,
    class: RepairClass,
    given: Option<DateTime<Utc>>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> Result<DateTime<Utc>, RulesError> {
    let rules = &cfg.repairs;
    let tz = cfg.time_zone;
    if let Some(due) = given {
        if due <= received_at {
            return Err(RulesError::DeadlineBeforeReceipt {
                received: received_at,
                due,
            });
        }
    }
    Ok(match (class, given) {
        (
            RepairClass::HeadSet | RepairClass::Negotiated | RepairClass::MoveInCleaning,
            Some(due),
        ) => due,
        (RepairClass::HeadSet | RepairClass::Negotiated, None) => {
            return Err(RulesError::DeadlineRequired(class))
        }
        (_, Some(_)) => return Err(RulesError::DeadlineFixed(class)),
        (RepairClass::Standard, None) => {
            cal.add_working_days(received_at, rules.standard_working_days, tz)
        }
        (RepairClass::Urgent24h, None) => received_at + rules.urgent_deadline,
        (RepairClass::WorkingDay24h, None) => {
            cal.add_working_time(received_at, rules.working_day_deadline, tz)
        }
        (RepairClass::Emergency, None) => received_at + rules.emergency_deadline,
        (RepairClass::MoveInCleaning, None) => {
            let local = received_at.with_timezone(&tz);
            let day = local.date_naive();
            // Same day only when the crew can still get there: a working day,
            // before the cut-off hour.
            if cal.is_working_day(day) && local.hour() < rules.move_in_cleaning_cutoff_hour {
                start_of_day(day + Duration::days(1), tz)
            } else {
                cal.add_working_days(received_at, rules.move_in_cleaning_working_days, tz)
            }
        }
    })
}

/// Who must sign an extension, and whether the resident must agree too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionApproval {
    /// Supervisor (service-centre head) or Director.
    pub approver: Role,
    pub needs_resident_consent: bool,
}

/// The approval an extension from `current_due` to `requested_due` needs: the head
/// by default, the director past two weeks from receipt, and for the 24-hour
/// classes the resident's consent as well.
pub fn required_approval(
    received_at: DateTime<Utc>,
    class: RepairClass,
    current_due: DateTime<Utc>,
    requested_due: DateTime<Utc>,
    cfg: &RulesConfig,
) -> Result<ExtensionApproval, RulesError> {
    if requested_due <= current_due {
        return Err(RulesError::ExtensionNotLater {
            current: current_due,
            requested: requested_due,
        });
    }
    let beyond_two_weeks = requested_due - received_at > cfg.repairs.director_approval_after;
    Ok(ExtensionApproval {
        approver: if beyond_two_weeks {
            Role::Director
        } else {
            Role::Supervisor
        },
        needs_resident_consent: class.is_24h(),
    })
}

impl ExtensionApproval {
    /// Whether `role` may decide (approve or refuse) the extension: the
    /// director alone when the rules name the director, else any department
    /// head. The resident's consent is a separate fact. The one definition:
    /// the record, the write policy and the office's list all ask here.
    pub fn may_decide(&self, role: Role) -> bool {
        match self.approver {
            Role::Director => role == Role::Director,
            _ => role.is_head(),
        }
    }
}

/// Done after the deadline, or still open past it.
pub fn is_overdue(
    due_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    completed_at.unwrap_or(now) > due_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn due(received: &str, class: RepairClass) -> DateTime<Utc> {
        due_at(
            sh(received),
            class,
            None,
            &RulesConfig::default(),
            &WorkCalendar::china(),
        )
        .unwrap()
    }

    #[test]
    fn standard_is_three_working_days() {
        // Across a weekend: Thu 11-26 -> Fri, Mon, Tue.
        assert_eq!(
            due("2026-11-26 09:00", RepairClass::Standard),
            sh("2026-12-02 00:00")
        );
        // Across National Day: Tue 09-29 -> Wed 30, Thu 10-08, Fri 10-09.
        assert_eq!(
            due("2026-09-29 09:00", RepairClass::Standard),
            sh("2026-10-10 00:00")
        );
        // Make-up days count: Fri 10-09 -> Sat 10-10, Mon 12, Tue 13.
        assert_eq!(
            due("2026-10-09 09:00", RepairClass::Standard),
            sh("2026-10-14 00:00")
        );
        // Fri 09-18 -> Sun 09-20 (make-up), Mon 21, Tue 22.
        assert_eq!(
            due("2026-09-18 09:00", RepairClass::Standard),
            sh("2026-09-23 00:00")
        );
    }

    #[test]
    fn urgent_is_clock_hours_even_over_holidays() {
        assert_eq!(
            due("2026-09-30 20:00", RepairClass::Urgent24h),
            sh("2026-10-01 20:00")
        );
        assert_eq!(
            due("2026-11-27 15:00", RepairClass::Urgent24h),
            sh("2026-11-28 15:00")
        );
    }

    #[test]
    fn working_day_24h_pauses_on_days_off() {
        assert_eq!(
            due("2026-11-27 15:00", RepairClass::WorkingDay24h),
            sh("2026-11-30 15:00")
        );
        assert_eq!(
            due("2026-09-30 20:00", RepairClass::WorkingDay24h),
            sh("2026-10-08 20:00")
        );
        // Sat 10-10 is a working day: 4 h left of Fri 10-09, then 20 h of Saturday.
        assert_eq!(
            due("2026-10-09 20:00", RepairClass::WorkingDay24h),
            sh("2026-10-10 20:00")
        );
        // Sat 09-19 is off, Sun 09-20 is a make-up day: the clock starts Sunday.
        assert_eq!(
            due("2026-09-19 10:00", RepairClass::WorkingDay24h),
            sh("2026-09-21 00:00")
        );
    }

    #[test]
    fn move_in_cleaning_same_day_before_cutoff() {
        assert_eq!(
            due("2026-11-26 11:59", RepairClass::MoveInCleaning),
            sh("2026-11-27 00:00")
        );
        assert_eq!(
            due("2026-11-26 12:00", RepairClass::MoveInCleaning),
            sh("2026-12-02 00:00")
        );
        // On a holiday morning there is no same-day crew: 3 working days.
        assert_eq!(
            due("2026-10-02 09:00", RepairClass::MoveInCleaning),
            sh("2026-10-11 00:00")
        );
        // A make-up Saturday morning is a working day.
        assert_eq!(
            due("2026-10-10 09:00", RepairClass::MoveInCleaning),
            sh("2026-10-11 00:00")
        );
    }

    #[test]
    fn emergency_uses_the_configured_hours() {
        assert_eq!(
            due("2026-10-01 08:00", RepairClass::Emergency),
            sh("2026-10-01 12:00")
        );
        let mut cfg = RulesConfig::default();
        cfg.repairs.emergency_deadline = Duration::hours(2);
        let got = due_at(
            sh("2026-10-01 08:00"),
            RepairClass::Emergency,
            None,
            &cfg,
            &WorkCalendar::china(),
        );
        assert_eq!(got, Ok(sh("2026-10-01 10:00")));
    }

    #[test]
    fn given_deadlines_are_required_or_refused_by_class() {
        let (cfg, cal) = (RulesConfig::default(), WorkCalendar::china());
        let received = sh("2026-11-26 09:00");
        let agreed = sh("2026-12-20 17:00");
        for class in [
            RepairClass::HeadSet,
            RepairClass::Negotiated,
            RepairClass::MoveInCleaning,
        ] {
            assert_eq!(
                due_at(received, class, Some(agreed), &cfg, &cal),
                Ok(agreed)
            );
        }
        assert_eq!(
            due_at(received, RepairClass::HeadSet, None, &cfg, &cal),
            Err(RulesError::DeadlineRequired(RepairClass::HeadSet))
        );
        assert_eq!(
            due_at(received, RepairClass::Standard, Some(agreed), &cfg, &cal),
            Err(RulesError::DeadlineFixed(RepairClass::Standard))
        );
        let earlier = Some(sh("2026-11-25 09:00"));
        assert!(matches!(
            due_at(received, RepairClass::Negotiated, earlier, &cfg, &cal),
            Err(RulesError::DeadlineBeforeReceipt { .. })
        ));
    }

    #[test]
    fn classifies_categories() {
        let cfg = RulesConfig::default();
        assert_eq!(
            RepairClass::classify("toilet_blocked", &cfg),
            RepairClass::Urgent24h
        );
        assert_eq!(
            RepairClass::classify("door_lock", &cfg),
            RepairClass::WorkingDay24h
        );
        assert_eq!(
            RepairClass::classify("leak_sealing", &cfg),
            RepairClass::HeadSet
        );
        assert_eq!(RepairClass::classify("paint", &cfg), RepairClass::Standard);
    }

    #[test]
    fn class_names_match_json() {
        for class in RepairClass::ALL {
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
            assert_eq!(RepairClass::parse(class.as_str()), Some(class));
        }
        assert_eq!(RepairClass::parse("urgent"), None);
    }

    #[test]
    fn extensions_need_head_director_and_consent() {
        let cfg = RulesConfig::default();
        let received = sh("2026-11-02 09:00");
        let current = sh("2026-11-05 00:00");
        let week = required_approval(
            received,
            RepairClass::Standard,
            current,
            sh("2026-11-12 00:00"),
            &cfg,
        )
        .unwrap();
        assert_eq!(
            week,
            ExtensionApproval {
                approver: Role::Supervisor,
                needs_resident_consent: false
            }
        );
        let month = required_approval(
            received,
            RepairClass::Standard,
            current,
            sh("2026-11-16 09:01"),
            &cfg,
        )
        .unwrap();
        assert_eq!(month.approver, Role::Director);
        let drain = required_approval(
            received,
            RepairClass::Urgent24h,
            sh("2026-11-03 09:00"),
            sh("2026-11-04 09:00"),
            &cfg,
        )
        .unwrap();
        assert_eq!(
            drain,
            ExtensionApproval {
                approver: Role::Supervisor,
                needs_resident_consent: true
            }
        );
        assert!(matches!(
            required_approval(received, RepairClass::Standard, current, current, &cfg),
            Err(RulesError::ExtensionNotLater { .. })
        ));
        assert!(week.may_decide(Role::Supervisor) && week.may_decide(Role::Director));
        assert!(!week.may_decide(Role::Receptionist));
        assert!(!month.may_decide(Role::Supervisor) && month.may_decide(Role::Director));
    }

    #[test]
    fn overdue_when_late_or_open_past_due() {
        let due = sh("2026-11-05 00:00");
        assert!(!is_overdue(
            due,
            Some(sh("2026-11-04 18:00")),
            sh("2026-11-10 00:00")
        ));
        assert!(is_overdue(
            due,
            Some(sh("2026-11-05 08:00")),
            sh("2026-11-10 00:00")
        ));
        assert!(is_overdue(due, None, sh("2026-11-05 00:01")));
        assert!(!is_overdue(due, None, sh("2026-11-04 23:59")));
    }
}
