//! The company rules from the service manuals, as pure functions over plain data:
//! working days, repair deadlines, complaint clocks, revisit planning, the monthly
//! report and patrol checks. Every number lives in [`RulesConfig`], with the
//! manuals' figures as defaults.

pub mod calendar;
pub mod complaint_clock;
pub mod config;
pub mod deadlines;
pub mod patrol_check;
pub mod report;
pub mod revisit_plan;
mod serde_text;
#[cfg(test)]
pub(crate) mod test_time;

pub use calendar::{local_date, start_of_day, CalendarDay, WorkCalendar};
pub use complaint_clock::{
    complaint_clocks, escalation_stage, ClockKind, ClockState, ComplaintClock, ComplaintTimes,
    Escalation, EscalationStage,
};
pub use config::{
    ComplaintRules, EmergencyRules, PatrolRules, RepairRules, RevisitRules, RulesConfig, Targets,
};
pub use deadlines::{due_at, is_overdue, required_approval, ExtensionApproval, RepairClass};
pub use patrol_check::{check_patrol, haversine_m, Checkpoint, PatrolFinding, Scan};
pub use report::{
    monthly_report, survey_valid, ComplaintFact, MonthlyReport, OrderFact, ReportInput,
    RevisitFact, Satisfaction,
};
pub use revisit_plan::{
    quota_progress, revisit_due_after_complaint, revisit_due_after_repair, sample_complaints,
    QuotaProgress, SampledRevisit,
};

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

/// Why a rule could not be applied or its data could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RulesError {
    #[error("calendar data is not valid: {0}")]
    CalendarJson(String),
    #[error("calendar date {0:?} is not a YYYY-MM-DD date")]
    BadDate(String),
    #[error("calendar date {0} lies outside the years the file says it covers")]
    DateOutsideYears(NaiveDate),
    #[error("{0} is listed both as a holiday and as a make-up working day")]
    HolidayAndMakeupDay(NaiveDate),
    #[error("{0} is listed as a make-up working day but is not a Saturday or Sunday")]
    MakeupDayNotWeekend(NaiveDate),
    #[error("rules configuration is not valid: {0}")]
    ConfigJson(String),
    #[error("rules configuration: {field} must be greater than zero")]
    NotPositive { field: &'static str },
    #[error("rules configuration: {field} is {value} %, it must lie between 0 and 100 %")]
    PercentOutOfRange { field: &'static str, value: f64 },
    #[error("rules configuration: cut-off hour {0} is not an hour of the day (0-23)")]
    BadCutoffHour(u32),
    #[error(
        "a {0:?} repair needs a deadline set by the department head or agreed with the resident"
    )]
    DeadlineRequired(RepairClass),
    #[error("a {0:?} repair has a fixed deadline; change it through an extension instead")]
    DeadlineFixed(RepairClass),
    #[error("the given deadline {due} is not after the time the repair was received {received}")]
    DeadlineBeforeReceipt {
        received: DateTime<Utc>,
        due: DateTime<Utc>,
    },
    #[error(
        "an extension must move the deadline later: requested {requested} is not after {current}"
    )]
    ExtensionNotLater {
        current: DateTime<Utc>,
        requested: DateTime<Utc>,
    },
    #[error("month {month} of {year} does not exist")]
    BadMonth { year: i32, month: u32 },
}
