//! The company rules from the service manuals, as pure functions over plain data:
//! working days, repair deadlines, complaint clocks, revisit planning, the monthly
//! report, patrol checks and satisfaction surveys. Every number lives in [`RulesConfig`], with the
//! manuals' figures as defaults.

pub mod calendar;
pub mod calendar_status;
pub mod complaint_clock;
pub mod config;
pub mod customer_visits;
pub mod deadlines;
pub mod desk;
pub mod key_figures;
pub mod patrol_check;
pub mod price_list;
pub mod renovation;
pub mod report;
pub mod revisit_plan;
mod serde_text;
mod settlement;
pub mod survey;
#[cfg(test)]
pub(crate) mod test_time;

pub use calendar::{end_of_day, local_date, start_of_day, CalendarDay, WorkCalendar};
pub use calendar_status::{calendar_status, CalendarStatus};
pub use complaint_clock::{
    complaint_clocks, escalation_stage, ClockKind, ClockState, ComplaintClock, ComplaintTimes,
    Escalation, EscalationStage,
};
pub use config::{
    ComplaintRules, CustomerRules, DeskRules, EmergencyRules, KeyRules, PatrolRules,
    RenovationRules, RepairRules, RevisitRules, RulesConfig, SurveyRules, Targets,
};
pub use customer_visits::{
    customer_file_due, customer_report_due, customer_schedule, scheduled_visit, CustomerTier,
    ScheduledVisit, VisitSeries,
};
pub use deadlines::{due_at, is_overdue, required_approval, ExtensionApproval, RepairClass};
pub use desk::status_report_due;
pub use key_figures::{key_figures, KeyCheckFact, KeyFact, KeyFigures, KeyLoanFact};
pub use patrol_check::{check_patrol, haversine_m, Checkpoint, PatrolFinding, Scan};
pub use renovation::{
    acceptance_due, renovation_totals, CompletionFact, RenovationFact, RenovationTotals,
};
pub use report::{
    month_window, monthly_report, ComplaintFact, CustomerVisitFact, DeskReportFact, MonthlyReport,
    OrderFact, ReportInput, RevisitFact, Satisfaction, SurveyFact,
};
pub use revisit_plan::{
    effect_revisit_due, quota_progress, revisit_due_after_complaint, revisit_due_after_repair,
    sample_complaints, QuotaProgress, SampledRevisit,
};
pub use settlement::{monthly_settlement, yuan, FeeFact, FeeTotals, Settlement, SettlementLine};
pub use survey::{
    draw_sample, forms_due, new_service_survey_by, next_survey_due, survey_result, survey_valid,
    year_result, ItemRate, SurveyResult, YearItem, YearResult,
};

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

use crate::message::{Bilingual, ErrorCode, Explain};

/// Why a rule could not be applied or its data could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{}", self.message())]
pub enum RulesError {
    CalendarJson(String),
    BadDate(String),
    DateOutsideYears(NaiveDate),
    HolidayAndMakeupDay(NaiveDate),
    MakeupDayNotWeekend(NaiveDate),
    ConfigJson(String),
    /// A setting the rules do not have (dotted name).
    UnknownSetting(String),
    /// A setting whose value is not of its form (a duration not like "24h").
    BadSetting {
        field: String,
        error: String,
    },
    NotPositive {
        field: &'static str,
    },
    PercentOutOfRange {
        field: &'static str,
        value: f64,
    },
    BadCutoffHour(u32),
    DeadlineRequired(RepairClass),
    DeadlineFixed(RepairClass),
    DeadlineBeforeReceipt {
        received: DateTime<Utc>,
        due: DateTime<Utc>,
    },
    ExtensionNotLater {
        current: DateTime<Utc>,
        requested: DateTime<Utc>,
    },
    BadMonth {
        year: i32,
        month: u32,
    },
    /// An item of the price list, or a change of it, that cannot stand.
    PriceList {
        field: String,
        why: crate::labels::Label,
    },
}

impl RulesError {
    /// The setting of the rules a refusal of rules data names (dotted, as
    /// the rules file and the director's form spell it), to show beside it.
    pub fn setting(&self) -> Option<String> {
        use RulesError::*;
        match self {
            UnknownSetting(field) | BadSetting { field, .. } | PriceList { field, .. } => {
                Some(field.clone())
            }
            NotPositive { field } | PercentOutOfRange { field, .. } => Some((*field).into()),
            BadCutoffHour(_) => Some("repairs.move_in_cleaning_cutoff_hour".into()),
            _ => None,
        }
    }
}

impl Explain for RulesError {
    /// Input a rule refuses is `rule`; broken calendar or rules data is a
    /// fault of the installation, not of the person.
    fn code(&self) -> ErrorCode {
        match self.field() {
            Some(_) => ErrorCode::Rule,
            None => ErrorCode::Internal,
        }
    }

    fn message(&self) -> Bilingual {
        use RulesError::*;
        match self {
            CalendarJson(e) => Bilingual::new(
                format!("工作日历数据无效:{e}"),
                format!("calendar data is not valid: {e}"),
            ),
            BadDate(d) => Bilingual::new(
                format!("日历日期“{d}”不是 YYYY-MM-DD"),
                format!("calendar date {d:?} is not a YYYY-MM-DD date"),
            ),
            DateOutsideYears(d) => Bilingual::new(
                format!("日历日期 {d} 不在文件所列年份内"),
                format!("calendar date {d} lies outside the years the file says it covers"),
            ),
            HolidayAndMakeupDay(d) => Bilingual::new(
                format!("{d} 同时被列为假日和调休工作日"),
                format!("{d} is listed both as a holiday and as a make-up working day"),
            ),
            MakeupDayNotWeekend(d) => Bilingual::new(
                format!("{d} 被列为调休工作日,但不是周六或周日"),
                format!("{d} is listed as a make-up working day but is not a Saturday or Sunday"),
            ),
            ConfigJson(e) => Bilingual::new(
                format!("规则配置无效:{e}"),
                format!("rules configuration is not valid: {e}"),
            ),
            UnknownSetting(field) => Bilingual::new(
                format!("规则配置:没有“{field}”这一项(拼写错误?)"),
                format!("rules configuration: there is no setting “{field}” (misspelt?)"),
            ),
            BadSetting { field, error } => Bilingual::new(
                format!("规则配置:{field} 的值无效:{error}"),
                format!("rules configuration: {field} is not valid: {error}"),
            ),
            NotPositive { field } => Bilingual::new(
                format!("规则配置:{field} 必须大于零"),
                format!("rules configuration: {field} must be greater than zero"),
            ),
            PercentOutOfRange { field, value } => Bilingual::new(
                format!("规则配置:{field} 为 {value}%,须在 0 到 100% 之间"),
                format!("rules configuration: {field} is {value} %, it must lie between 0 and 100 %"),
            ),
            BadCutoffHour(h) => Bilingual::new(
                format!("规则配置:截止时间 {h} 不是一天中的小时(0-23)"),
                format!("rules configuration: cut-off hour {h} is not an hour of the day (0-23)"),
            ),
            DeadlineRequired(class) => Bilingual::new(
                "此类维修需由主管定或与住户约定期限",
                format!("a {class:?} repair needs a deadline set by the department head or agreed with the resident"),
            ),
            DeadlineFixed(class) => Bilingual::new(
                "此类维修期限固定,请走延期申请",
                format!("a {class:?} repair has a fixed deadline; change it through an extension instead"),
            ),
            DeadlineBeforeReceipt { received, due } => Bilingual::new(
                "约定期限早于受理时间",
                format!("the given deadline {due} is not after the time the repair was received {received}"),
            ),
            ExtensionNotLater { current, requested } => Bilingual::new(
                "延期后的期限必须晚于原期限",
                format!("an extension must move the deadline later: requested {requested} is not after {current}"),
            ),
            BadMonth { year, month } => Bilingual::new(
                format!("{year}年没有{month}月"),
                format!("month {month} of {year} does not exist"),
            ),
            PriceList { field, why } => Bilingual::new(
                format!("价目表 {field}:{}", why.zh),
                format!("price list {field}: {}", why.en),
            ),
        }
    }

    /// The input a refusal is about; None for broken data.
    fn field(&self) -> Option<String> {
        let field = match self {
            RulesError::DeadlineRequired(_)
            | RulesError::DeadlineFixed(_)
            | RulesError::DeadlineBeforeReceipt { .. } => "agreed_due_at",
            RulesError::ExtensionNotLater { .. } => "requested_due",
            RulesError::BadMonth { .. } => "month",
            _ => return None,
        };
        Some(field.into())
    }
}
