//! The clocks that run on a complaint (seed 003 第5篇, seed 001) and how far up the
//! office must take it when they run out.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use super::config::RulesConfig;
use super::revisit_plan::revisit_due_after_complaint;

/// What has happened to a complaint so far, and when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintTimes {
    pub received_at: DateTime<Utc>,
    /// 紧急抢险抢修 or a major matter: the minute clocks apply instead of relay/dispatch.
    pub emergency: bool,
    pub front_desk_at: Option<DateTime<Utc>>,
    pub dispatched_at: Option<DateTime<Utc>>,
    /// The department's answer to the front desk after dispatch.
    pub answered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub reported_back_at: Option<DateTime<Utc>>,
    pub revisited_at: Option<DateTime<Utc>>,
    /// The resident has an answer or the matter is settled (事事有着落,件件有回音).
    pub resolved_at: Option<DateTime<Utc>>,
    /// Emergency: relevant departments told.
    pub departments_notified_at: Option<DateTime<Utc>>,
    /// Emergency the site manager could not resolve; None when not needed.
    pub site_escalation: Option<Escalation>,
    /// Emergency the company could not resolve either; None when not needed.
    pub company_escalation: Option<Escalation>,
    /// Emergency: the result checked after completion.
    pub verified_at: Option<DateTime<Utc>>,
}

/// An escalation that was needed: when it was reported up, when the written report came.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub escalated_at: Option<DateTime<Utc>>,
    pub written_report_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    RelayToFrontDesk,
    Dispatch,
    DepartmentAnswer,
    ReportBack,
    Revisit,
    Resolve,
    NotifyDepartments,
    SiteEscalation,
    SiteWrittenReport,
    CompanyEscalation,
    CompanyWrittenReport,
    Verification,
}

impl ClockKind {
    pub const ALL: [ClockKind; 12] = [
        ClockKind::RelayToFrontDesk,
        ClockKind::Dispatch,
        ClockKind::DepartmentAnswer,
        ClockKind::ReportBack,
        ClockKind::Revisit,
        ClockKind::Resolve,
        ClockKind::NotifyDepartments,
        ClockKind::SiteEscalation,
        ClockKind::SiteWrittenReport,
        ClockKind::CompanyEscalation,
        ClockKind::CompanyWrittenReport,
        ClockKind::Verification,
    ];

    /// The name in JSON ("relay_to_front_desk").
    pub fn as_str(self) -> &'static str {
        use ClockKind::*;
        match self {
            RelayToFrontDesk => "relay_to_front_desk",
            Dispatch => "dispatch",
            DepartmentAnswer => "department_answer",
            ReportBack => "report_back",
            Revisit => "revisit",
            Resolve => "resolve",
            NotifyDepartments => "notify_departments",
            SiteEscalation => "site_escalation",
            SiteWrittenReport => "site_written_report",
            CompanyEscalation => "company_escalation",
            CompanyWrittenReport => "company_written_report",
            Verification => "verification",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Met,
    Pending {
        due_at: DateTime<Utc>,
    },
    /// Done late, or still open past due; `late_by` runs to the completion or to now.
    Breached {
        due_at: DateTime<Utc>,
        late_by: Duration,
    },
}

impl ClockState {
    pub const NAMES: [&'static str; 3] = ["met", "pending", "breached"];

    /// The name in JSON: met, pending or breached.
    pub fn name(&self) -> &'static str {
        match self {
            ClockState::Met => "met",
            ClockState::Pending { .. } => "pending",
            ClockState::Breached { .. } => "breached",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplaintClock {
    pub kind: ClockKind,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub state: ClockState,
}

/// Where the office stands with a complaint; later stages outrank earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationStage {
    Normal,
    /// A pending clock runs out within the warning time.
    DueSoon,
    /// A clock was breached: the supervisor follows it up.
    Overdue,
    /// Breached by more than the margin, or any emergency breach: the director.
    Escalated,
}

impl EscalationStage {
    pub const ALL: [EscalationStage; 4] = [
        EscalationStage::Normal,
        EscalationStage::DueSoon,
        EscalationStage::Overdue,
        EscalationStage::Escalated,
    ];

    /// The name in JSON ("due_soon").
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationStage::Normal => "normal",
            EscalationStage::DueSoon => "due_soon",
            EscalationStage::Overdue => "overdue",
            EscalationStage::Escalated => "escalated",
        }
    }
}

/// The clocks that have started for this complaint, with their state at `now`.
/// Clocks whose starting event has not happened yet are left out.
pub fn complaint_clocks(
    c: &ComplaintTimes,
    now: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> Vec<ComplaintClock> {
    let (rules, em) = (&cfg.complaints, &cfg.emergency);
    let at = |kind, due_at, done_at| clock(kind, due_at, done_at, now);
    let mut clocks = Vec::new();
    if c.emergency {
        clocks.push(at(
            ClockKind::NotifyDepartments,
            c.received_at + em.notify_departments,
            c.departments_notified_at,
        ));
        let escalations = [
            (
                &c.site_escalation,
                ClockKind::SiteEscalation,
                em.site_escalation,
            ),
            (
                &c.company_escalation,
                ClockKind::CompanyEscalation,
                em.company_escalation,
            ),
        ];
        for (esc, kind, within) in escalations {
            if let Some(esc) = esc {
                clocks.push(at(kind, c.received_at + within, esc.escalated_at));
            }
        }
        let reports = [
            (
                &c.site_escalation,
                ClockKind::SiteWrittenReport,
                em.site_written_report,
            ),
            (
                &c.company_escalation,
                ClockKind::CompanyWrittenReport,
                em.company_written_report,
            ),
        ];
        for (esc, kind, within) in reports {
            if let Some(esc) = esc {
                clocks.push(at(kind, c.received_at + within, esc.written_report_at));
            }
        }
    } else {
        clocks.push(at(
            ClockKind::RelayToFrontDesk,
            c.received_at + rules.relay_to_front_desk,
            c.front_desk_at,
        ));
        if let Some(front_desk) = c.front_desk_at {
            clocks.push(at(
                ClockKind::Dispatch,
                front_desk + rules.dispatch,
                c.dispatched_at,
            ));
        }
        if let Some(dispatched) = c.dispatched_at {
            // Whether the department will finish in time is unknown up front, so an
            // answer is expected unless the work itself is done within the window.
            let answered = [c.answered_at, c.completed_at].into_iter().flatten().min();
            let due = dispatched + rules.department_answer;
            clocks.push(at(ClockKind::DepartmentAnswer, due, answered));
        }
    }
    if let Some(completed) = c.completed_at {
        clocks.push(at(
            ClockKind::ReportBack,
            completed + rules.report_back,
            c.reported_back_at,
        ));
        if c.emergency {
            let verify_by = completed + em.verification;
            clocks.push(at(ClockKind::Verification, verify_by, c.verified_at));
        }
        let revisit_by = if c.emergency {
            cal.add_working_days(completed, em.revisit_working_days, cfg.time_zone)
        } else {
            revisit_due_after_complaint(completed, cfg, cal)
        };
        clocks.push(at(ClockKind::Revisit, revisit_by, c.revisited_at));
    }
    clocks.push(at(
        ClockKind::Resolve,
        c.received_at + rules.resolve,
        c.resolved_at,
    ));
    clocks
}

fn clock(
    kind: ClockKind,
    due_at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ComplaintClock {
    let state = match done_at {
        Some(done) if done <= due_at => ClockState::Met,
        Some(done) => ClockState::Breached {
            due_at,
            late_by: done - due_at,
        },
        None if now <= due_at => ClockState::Pending { due_at },
        None => ClockState::Breached {
            due_at,
            late_by: now - due_at,
        },
    };
    ComplaintClock {
        kind,
        due_at,
        done_at,
        state,
    }
}

/// The stage the office should treat the complaint at, from its clocks.
pub fn escalation_stage(
    clocks: &[ComplaintClock],
    emergency: bool,
    now: DateTime<Utc>,
    cfg: &RulesConfig,
) -> EscalationStage {
    let rules = &cfg.complaints;
    clocks
        .iter()
        .map(|c| match c.state {
            // A step done, late or not, asks nothing more of the office: its
            // breach stays on the clock for the record and the report.
            _ if c.done_at.is_some() => EscalationStage::Normal,
            ClockState::Met => EscalationStage::Normal,
            ClockState::Pending { due_at } if due_at - now <= rules.due_soon_warning => {
                EscalationStage::DueSoon
            }
            ClockState::Pending { .. } => EscalationStage::Normal,
            ClockState::Breached { late_by, .. } if emergency || late_by > rules.escalate_after => {
                EscalationStage::Escalated
            }
            ClockState::Breached { .. } => EscalationStage::Overdue,
        })
        .max()
        .unwrap_or(EscalationStage::Normal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn clocks_at(c: &ComplaintTimes, now: &str) -> Vec<ComplaintClock> {
        complaint_clocks(c, sh(now), &RulesConfig::default(), &WorkCalendar::china())
    }

    fn get(clocks: &[ComplaintClock], kind: ClockKind) -> ComplaintClock {
        *clocks
            .iter()
            .find(|c| c.kind == kind)
            .expect("clock present")
    }

    fn stage(c: &ComplaintTimes, now: &str) -> EscalationStage {
        escalation_stage(
            &clocks_at(c, now),
            c.emergency,
            sh(now),
            &RulesConfig::default(),
        )
    }

    fn received(at: &str) -> ComplaintTimes {
        ComplaintTimes {
            received_at: sh(at),
            ..Default::default()
        }
    }

    #[test]
    fn relay_and_dispatch_clocks() {
        let mut c = received("2026-11-23 09:00");
        let fresh = clocks_at(&c, "2026-11-23 10:00");
        let kinds: Vec<_> = fresh.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, [ClockKind::RelayToFrontDesk, ClockKind::Resolve]);
        assert_eq!(
            get(&fresh, ClockKind::RelayToFrontDesk).state,
            ClockState::Pending {
                due_at: sh("2026-11-24 09:00")
            }
        );

        c.front_desk_at = Some(sh("2026-11-23 10:00"));
        let late = clocks_at(&c, "2026-11-23 23:00");
        assert_eq!(
            get(&late, ClockKind::RelayToFrontDesk).state,
            ClockState::Met
        );
        assert_eq!(
            get(&late, ClockKind::Dispatch).state,
            ClockState::Breached {
                due_at: sh("2026-11-23 22:00"),
                late_by: Duration::hours(1)
            }
        );
    }

    #[test]
    fn department_answer_is_met_by_answer_or_completion() {
        let mut c = received("2026-11-23 09:00");
        c.front_desk_at = Some(sh("2026-11-23 09:00"));
        c.dispatched_at = Some(sh("2026-11-23 10:00"));
        let open = clocks_at(&c, "2026-11-23 12:30");
        assert_eq!(
            get(&open, ClockKind::DepartmentAnswer).due_at,
            sh("2026-11-23 12:00")
        );
        assert!(matches!(
            get(&open, ClockKind::DepartmentAnswer).state,
            ClockState::Breached { .. }
        ));
        c.completed_at = Some(sh("2026-11-23 11:40"));
        let done = clocks_at(&c, "2026-11-23 12:30");
        assert_eq!(
            get(&done, ClockKind::DepartmentAnswer).state,
            ClockState::Met
        );
    }

    #[test]
    fn report_back_revisit_and_resolve_after_completion() {
        let mut c = received("2026-09-29 09:00");
        c.front_desk_at = Some(sh("2026-09-29 09:00"));
        c.dispatched_at = Some(sh("2026-09-29 09:30"));
        c.completed_at = Some(sh("2026-09-30 15:00"));
        c.reported_back_at = Some(sh("2026-09-30 16:00"));
        let clocks = clocks_at(&c, "2026-10-05 10:00");
        assert_eq!(get(&clocks, ClockKind::ReportBack).state, ClockState::Met);
        // Two working days after Wed 09-30: Thu 10-08 and Fri 10-09.
        assert_eq!(
            get(&clocks, ClockKind::Revisit).state,
            ClockState::Pending {
                due_at: sh("2026-10-10 00:00")
            }
        );
        assert_eq!(
            get(&clocks, ClockKind::Resolve).state,
            ClockState::Breached {
                due_at: sh("2026-09-30 09:00"),
                late_by: Duration::hours(5 * 24 + 1)
            }
        );
    }

    #[test]
    fn emergency_minute_clocks() {
        let mut c = received("2026-11-23 20:00");
        c.emergency = true;
        c.departments_notified_at = Some(sh("2026-11-23 20:02"));
        c.site_escalation = Some(Escalation {
            escalated_at: Some(sh("2026-11-23 20:04")),
            written_report_at: None,
        });
        c.company_escalation = Some(Escalation {
            escalated_at: Some(sh("2026-11-23 20:12")),
            written_report_at: None,
        });
        let clocks = clocks_at(&c, "2026-11-24 21:00");
        assert_eq!(
            get(&clocks, ClockKind::NotifyDepartments).state,
            ClockState::Met
        );
        assert_eq!(
            get(&clocks, ClockKind::SiteEscalation).state,
            ClockState::Met
        );
        assert_eq!(
            get(&clocks, ClockKind::CompanyEscalation).state,
            ClockState::Breached {
                due_at: sh("2026-11-23 20:10"),
                late_by: Duration::minutes(2)
            }
        );
        assert!(matches!(
            get(&clocks, ClockKind::SiteWrittenReport).state,
            ClockState::Breached { .. }
        ));
        assert_eq!(
            get(&clocks, ClockKind::CompanyWrittenReport).state,
            ClockState::Pending {
                due_at: sh("2026-11-25 20:00")
            }
        );
        assert!(!clocks.iter().any(|k| k.kind == ClockKind::RelayToFrontDesk));
    }

    #[test]
    fn emergency_verification_and_revisit() {
        let mut c = received("2026-11-27 08:00");
        c.emergency = true;
        c.departments_notified_at = Some(sh("2026-11-27 08:01"));
        c.completed_at = Some(sh("2026-11-27 11:00"));
        c.verified_at = Some(sh("2026-11-27 18:00"));
        let clocks = clocks_at(&c, "2026-11-27 19:00");
        assert_eq!(
            get(&clocks, ClockKind::Verification).due_at,
            sh("2026-11-27 19:00")
        );
        assert_eq!(get(&clocks, ClockKind::Verification).state, ClockState::Met);
        // Friday completion: revisit by the end of Tuesday.
        assert_eq!(
            get(&clocks, ClockKind::Revisit).due_at,
            sh("2026-12-02 00:00")
        );
        assert!(!clocks.iter().any(|k| k.kind == ClockKind::SiteEscalation));
    }

    #[test]
    fn stages_rise_with_breaches() {
        let c = received("2026-11-23 09:00");
        assert_eq!(stage(&c, "2026-11-23 10:00"), EscalationStage::Normal);
        assert_eq!(stage(&c, "2026-11-24 08:30"), EscalationStage::DueSoon);
        assert_eq!(stage(&c, "2026-11-24 09:01"), EscalationStage::Overdue);
        assert_eq!(stage(&c, "2026-11-25 09:00"), EscalationStage::Overdue);
        assert_eq!(stage(&c, "2026-11-25 09:01"), EscalationStage::Escalated);
        let mut em = c.clone();
        em.emergency = true;
        // A three-minute clock is always inside the warning time.
        assert_eq!(stage(&em, "2026-11-23 09:02"), EscalationStage::DueSoon);
        assert_eq!(stage(&em, "2026-11-23 09:04"), EscalationStage::Escalated);
    }

    #[test]
    fn a_step_done_late_stops_raising_the_stage() {
        let mut em = received("2026-11-23 09:00");
        em.emergency = true;
        assert_eq!(stage(&em, "2026-11-23 09:04"), EscalationStage::Escalated);
        em.departments_notified_at = Some(sh("2026-11-23 09:04"));
        let clocks = clocks_at(&em, "2026-11-23 09:05");
        assert!(matches!(
            get(&clocks, ClockKind::NotifyDepartments).state,
            ClockState::Breached { .. }
        ));
        // Only the 24-hour resolve clock is still running.
        assert_eq!(stage(&em, "2026-11-23 09:05"), EscalationStage::Normal);
        assert_eq!(stage(&em, "2026-11-24 08:59"), EscalationStage::DueSoon);
    }
}
