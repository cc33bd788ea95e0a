//! Every number in the rules, with the manuals' figures as defaults. Partial JSON
//! works: anything left out keeps its default. Durations are written as text
//! ("3m", "24h", "14d").

use std::collections::BTreeMap;

use chrono::Duration;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::deadlines::RepairClass;
use super::serde_text::{duration_text, tz_name};
use super::RulesError;
use crate::people::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RulesConfig {
    /// Calendar days and "end of day" are counted here.
    #[serde(with = "tz_name")]
    pub time_zone: Tz,
    pub repairs: RepairRules,
    pub complaints: ComplaintRules,
    pub emergency: EmergencyRules,
    pub revisits: RevisitRules,
    /// In-person revisits a month per role; roles not listed have none.
    pub monthly_quotas: BTreeMap<Role, u32>,
    pub targets: Targets,
    pub patrol: PatrolRules,
    pub keys: KeyRules,
    pub desk: DeskRules,
    /// The company's price list for paid services (价目表).
    pub price_list: Vec<super::price_list::PriceItem>,
    pub renovation: RenovationRules,
    pub surveys: SurveyRules,
    pub customers: CustomerRules,
}

/// Seed 003, 第4/13篇 §5.2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepairRules {
    pub standard_working_days: u32,
    /// Blocked drain or toilet, leaking pipe: clock time.
    #[serde(with = "duration_text")]
    pub urgent_deadline: Duration,
    /// Lamp, door lock: counted on working days only.
    #[serde(with = "duration_text")]
    pub working_day_deadline: Duration,
    /// Move-in cleaning received before this local hour is due the same day.
    pub move_in_cleaning_cutoff_hour: u32,
    pub move_in_cleaning_working_days: u32,
    #[serde(with = "duration_text")]
    pub emergency_deadline: Duration,
    /// An extension reaching past this span from receipt needs the director.
    #[serde(with = "duration_text")]
    pub director_approval_after: Duration,
    /// Work-order category code -> class; codes not listed are Standard.
    pub categories: BTreeMap<String, RepairClass>,
}

/// Seed 003 第5篇, seed 001.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintRules {
    #[serde(with = "duration_text")]
    pub relay_to_front_desk: Duration,
    #[serde(with = "duration_text")]
    pub dispatch: Duration,
    #[serde(with = "duration_text")]
    pub department_answer: Duration,
    #[serde(with = "duration_text")]
    pub report_back: Duration,
    #[serde(with = "duration_text")]
    pub resolve: Duration,
    /// A pending clock this close to its due time shows as due soon.
    #[serde(with = "duration_text")]
    pub due_soon_warning: Duration,
    /// Breached by more than this goes to the director, not just the supervisor.
    #[serde(with = "duration_text")]
    pub escalate_after: Duration,
}

/// Emergencies (紧急抢险抢修, 重大事项), seed 003 第5篇 items 6-7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyRules {
    #[serde(with = "duration_text")]
    pub notify_departments: Duration,
    #[serde(with = "duration_text")]
    pub site_escalation: Duration,
    #[serde(with = "duration_text")]
    pub site_written_report: Duration,
    #[serde(with = "duration_text")]
    pub company_escalation: Duration,
    #[serde(with = "duration_text")]
    pub company_written_report: Duration,
    #[serde(with = "duration_text")]
    pub verification: Duration,
    pub revisit_working_days: u32,
}

/// Seed 003 第14篇 and 第4/13篇 §8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevisitRules {
    pub after_repair_working_days: u32,
    pub after_complaint_working_days: u32,
    /// Seed 002 §4.2.3: the effect of a complaint's handling is revisited
    /// within this many months of it being resolved.
    pub effect_revisit_months: u32,
    pub complaint_sample_percent: f64,
    pub in_person_percent_of_sample: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Targets {
    /// A satisfaction survey counts only if more than this share of forms return.
    pub survey_return_percent: f64,
    /// Valid complaints per unit must stay below this.
    pub valid_complaint_percent: f64,
    pub revisit_handling_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatrolRules {
    /// Wall clock and device monotonic clock may drift this much before it is
    /// reported as a moved phone clock.
    #[serde(with = "duration_text")]
    pub clock_tolerance: Duration,
}

/// Residents' keys in custody (seed 003 第7篇 item 3: 定期(一周)核对一次).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyRules {
    /// Calendar days between checks of a deposited key; the next check is due
    /// by the end of that local day. Calendar, not working, days: a key in
    /// the box is at risk over a holiday as on any other day.
    pub check_every_days: u32,
}

impl KeyRules {
    /// When the check after one made at `checked_at` is due.
    pub fn next_check_due(&self, checked_at: crate::time::Millis, tz: Tz) -> crate::time::Millis {
        let day = super::local_date(crate::time::from_millis(checked_at), tz)
            + chrono::Days::new(u64::from(self.check_every_days));
        crate::time::to_millis(super::end_of_day(super::start_of_day(day, tz), tz))
    }
}

impl Default for KeyRules {
    fn default() -> Self {
        KeyRules {
            check_every_days: 7,
        }
    }
}

/// Seed 003 第4/13篇 §5.3.2: a department a matter is passed to reports its
/// status to the front desk within this many working days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeskRules {
    pub status_report_working_days: u32,
}

impl Default for DeskRules {
    fn default() -> Self {
        DeskRules {
            status_report_working_days: 3,
        }
    }
}

/// Seed 003 第6篇 item 7: finished works (and their rectification) are
/// applied for acceptance within this many working days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RenovationRules {
    pub acceptance_working_days: u32,
}

impl Default for RenovationRules {
    fn default() -> Self {
        RenovationRules {
            acceptance_working_days: 7,
        }
    }
}

/// Seed 003 第8篇 §4.2, §4.4: a satisfaction survey every this many months,
/// a new service surveyed within this many months of starting, and the
/// forms due back within this many (calendar) days of going out. The share
/// that must come back is `targets.survey_return_percent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyRules {
    pub every_months: u32,
    pub new_service_within_months: u32,
    pub return_days: u32,
}

impl Default for SurveyRules {
    fn default() -> Self {
        SurveyRules {
            every_months: 6,
            new_service_within_months: 3,
            return_days: 7,
        }
    }
}

/// Company customers' revisits (seed 003 第1篇 §4.3-4.4). Months count from
/// the handover; the report and its filing count working days from the visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerRules {
    /// 首次电话回访: one month after the handover.
    pub first_phone_months: u32,
    /// 常规电话回访: every six months after the first.
    pub phone_every_months: u32,
    /// 现场回访 of a large customer (大客户): at least yearly.
    pub large_on_site_every_months: u32,
    /// 现场回访 of a key customer (重点客户): every six months.
    pub key_on_site_every_months: u32,
    /// 《客户回访报告》 on the day after the visit (第二天).
    pub report_working_days: u32,
    /// The visit's papers to the department head within three days.
    pub file_working_days: u32,
}

impl Default for CustomerRules {
    fn default() -> Self {
        CustomerRules {
            first_phone_months: 1,
            phone_every_months: 6,
            large_on_site_every_months: 12,
            key_on_site_every_months: 6,
            report_working_days: 1,
            file_working_days: 3,
        }
    }
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            time_zone: chrono_tz::Asia::Shanghai,
            repairs: RepairRules::default(),
            complaints: ComplaintRules::default(),
            emergency: EmergencyRules::default(),
            revisits: RevisitRules::default(),
            monthly_quotas: BTreeMap::from([(Role::Director, 10), (Role::PropertyAssistant, 15)]),
            targets: Targets::default(),
            patrol: PatrolRules::default(),
            keys: KeyRules::default(),
            desk: DeskRules::default(),
            price_list: vec![],
            renovation: RenovationRules::default(),
            surveys: SurveyRules::default(),
            customers: CustomerRules::default(),
        }
    }
}

impl Default for RepairRules {
    fn default() -> Self {
        use RepairClass::*;
        let categories = [
            ("drain_blocked", Urgent24h),
            ("toilet_blocked", Urgent24h),
            ("pipe_leak", Urgent24h),
            ("lamp", WorkingDay24h),
            ("door_lock", WorkingDay24h),
            ("move_in_cleaning", MoveInCleaning),
            ("internal_equipment", HeadSet),
            ("internal_repair", HeadSet),
            ("leak_sealing", HeadSet),
        ];
        RepairRules {
            standard_working_days: 3,
            urgent_deadline: Duration::hours(24),
            working_day_deadline: Duration::hours(24),
            move_in_cleaning_cutoff_hour: 12,
            move_in_cleaning_working_days: 3,
            emergency_deadline: Duration::hours(4),
            director_approval_after: Duration::days(14),
            categories: categories.map(|(c, k)| (c.to_string(), k)).into(),
        }
    }
}

impl Default for ComplaintRules {
    fn default() -> Self {
        ComplaintRules {
            relay_to_front_desk: Duration::hours(24),
            dispatch: Duration::hours(12),
            department_answer: Duration::hours(2),
            report_back: Duration::hours(2),
            resolve: Duration::hours(24),
            due_soon_warning: Duration::hours(1),
            escalate_after: Duration::hours(24),
        }
    }
}

impl Default for EmergencyRules {
    fn default() -> Self {
        EmergencyRules {
            notify_departments: Duration::minutes(3),
            site_escalation: Duration::minutes(5),
            site_written_report: Duration::hours(24),
            company_escalation: Duration::minutes(10),
            company_written_report: Duration::hours(48),
            verification: Duration::hours(8),
            revisit_working_days: 2,
        }
    }
}

impl Default for RevisitRules {
    fn default() -> Self {
        RevisitRules {
            after_repair_working_days: 2,
            after_complaint_working_days: 2,
            effect_revisit_months: 1,
            complaint_sample_percent: 10.0,
            in_person_percent_of_sample: 30.0,
        }
    }
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            survey_return_percent: 85.0,
            valid_complaint_percent: 2.0,
            revisit_handling_percent: 100.0,
        }
    }
}

impl Default for PatrolRules {
    fn default() -> Self {
        PatrolRules {
            clock_tolerance: Duration::minutes(2),
        }
    }
}

impl RulesConfig {
    /// Reads a (possibly partial) configuration and checks it.
    pub fn from_json(json: &str) -> Result<RulesConfig, RulesError> {
        let cfg: RulesConfig =
            serde_json::from_str(json).map_err(|e| RulesError::ConfigJson(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Reads rules given as JSON by the names of their fields (a company's
    /// file, the director's form, the synced document) and checks them: a
    /// setting the rules do not have (most often misspelt, which would
    /// otherwise leave the default silently in force) and a value of the wrong
    /// form are refused naming the setting, as `validate` names its own.
    pub fn from_value(given: &Value) -> Result<RulesConfig, RulesError> {
        let rules: RulesConfig = match serde_json::from_value(given.clone()) {
            Ok(rules) => rules,
            Err(e) => {
                return Err(leaves(given)
                    .into_iter()
                    .find_map(|(field, alone)| {
                        serde_json::from_value::<RulesConfig>(alone).err().map(|e| {
                            RulesError::BadSetting {
                                field,
                                error: e.to_string(),
                            }
                        })
                    })
                    .unwrap_or_else(|| RulesError::ConfigJson(e.to_string())))
            }
        };
        // Read back, a setting the rules do not have is missing.
        let known =
            serde_json::to_value(&rules).map_err(|e| RulesError::ConfigJson(e.to_string()))?;
        if let Some(field) = unknown_field(given, &known, "") {
            return Err(RulesError::UnknownSetting(field));
        }
        rules.validate()?;
        Ok(rules)
    }

    pub fn quota_for(&self, role: Role) -> u32 {
        self.monthly_quotas.get(&role).copied().unwrap_or(0)
    }

    /// Durations and day counts must be positive, percentages within 0-100.
    pub fn validate(&self) -> Result<(), RulesError> {
        let (r, c, e) = (&self.repairs, &self.complaints, &self.emergency);
        let durations = [
            ("repairs.urgent_deadline", r.urgent_deadline),
            ("repairs.working_day_deadline", r.working_day_deadline),
            ("repairs.emergency_deadline", r.emergency_deadline),
            ("repairs.director_approval_after", r.director_approval_after),
            ("complaints.relay_to_front_desk", c.relay_to_front_desk),
            ("complaints.dispatch", c.dispatch),
            ("complaints.department_answer", c.department_answer),
            ("complaints.report_back", c.report_back),
            ("complaints.resolve", c.resolve),
            ("complaints.due_soon_warning", c.due_soon_warning),
            ("complaints.escalate_after", c.escalate_after),
            ("emergency.notify_departments", e.notify_departments),
            ("emergency.site_escalation", e.site_escalation),
            ("emergency.site_written_report", e.site_written_report),
            ("emergency.company_escalation", e.company_escalation),
            ("emergency.company_written_report", e.company_written_report),
            ("emergency.verification", e.verification),
            ("patrol.clock_tolerance", self.patrol.clock_tolerance),
        ];
        for (field, value) in durations {
            if value <= Duration::zero() {
                return Err(RulesError::NotPositive { field });
            }
        }
        let day_counts = [
            ("repairs.standard_working_days", r.standard_working_days),
            (
                "repairs.move_in_cleaning_working_days",
                r.move_in_cleaning_working_days,
            ),
            ("emergency.revisit_working_days", e.revisit_working_days),
            (
                "revisits.after_repair_working_days",
                self.revisits.after_repair_working_days,
            ),
            (
                "revisits.after_complaint_working_days",
                self.revisits.after_complaint_working_days,
            ),
            ("keys.check_every_days", self.keys.check_every_days),
            (
                "desk.status_report_working_days",
                self.desk.status_report_working_days,
            ),
            (
                "renovation.acceptance_working_days",
                self.renovation.acceptance_working_days,
            ),
            ("surveys.every_months", self.surveys.every_months),
            (
                "surveys.new_service_within_months",
                self.surveys.new_service_within_months,
            ),
            ("surveys.return_days", self.surveys.return_days),
            (
                "customers.first_phone_months",
                self.customers.first_phone_months,
            ),
            (
                "customers.phone_every_months",
                self.customers.phone_every_months,
            ),
            (
                "customers.large_on_site_every_months",
                self.customers.large_on_site_every_months,
            ),
            (
                "customers.key_on_site_every_months",
                self.customers.key_on_site_every_months,
            ),
            (
                "customers.report_working_days",
                self.customers.report_working_days,
            ),
            (
                "customers.file_working_days",
                self.customers.file_working_days,
            ),
        ];
        if let Some((field, _)) = day_counts.into_iter().find(|(_, n)| *n == 0) {
            return Err(RulesError::NotPositive { field });
        }
        if r.move_in_cleaning_cutoff_hour > 23 {
            return Err(RulesError::BadCutoffHour(r.move_in_cleaning_cutoff_hour));
        }
        let percents = [
            (
                "revisits.complaint_sample_percent",
                self.revisits.complaint_sample_percent,
            ),
            (
                "revisits.in_person_percent_of_sample",
                self.revisits.in_person_percent_of_sample,
            ),
            (
                "targets.survey_return_percent",
                self.targets.survey_return_percent,
            ),
            (
                "targets.valid_complaint_percent",
                self.targets.valid_complaint_percent,
            ),
            (
                "targets.revisit_handling_percent",
                self.targets.revisit_handling_percent,
            ),
        ];
        for (field, value) in percents {
            if !(0.0..=100.0).contains(&value) {
                return Err(RulesError::PercentOutOfRange { field, value });
            }
        }
        super::price_list::validate(&self.price_list)
    }
}

/// The first key of `given` (dotted, as `validate` names fields) that the
/// rules read back from it do not have.
fn unknown_field(given: &Value, known: &Value, prefix: &str) -> Option<String> {
    let (Value::Object(given), Value::Object(known)) = (given, known) else {
        return None;
    };
    given.iter().find_map(|(key, value)| {
        let field = format!("{prefix}{key}");
        match known.get(key) {
            None => Some(field),
            Some(k) => unknown_field(value, k, &format!("{field}.")),
        }
    })
}

/// Each setting of `given` by its dotted name, alone in rules otherwise
/// empty (a section's settings one by one; a map of quotas is one setting).
fn leaves(given: &Value) -> Vec<(String, Value)> {
    let Value::Object(top) = given else {
        return vec![];
    };
    let mut out = vec![];
    for (key, value) in top {
        match value {
            Value::Object(section) if key != "monthly_quotas" => {
                for (name, v) in section {
                    out.push((format!("{key}.{name}"), json!({ key: { name: v } })));
                }
            }
            _ => out.push((key.clone(), json!({ key: value }))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_manuals_numbers() {
        let cfg = RulesConfig::default();
        assert_eq!(cfg.time_zone, chrono_tz::Asia::Shanghai);
        assert_eq!(cfg.repairs.standard_working_days, 3);
        assert_eq!(cfg.emergency.notify_departments, Duration::minutes(3));
        assert_eq!(cfg.quota_for(Role::Director), 10);
        assert_eq!(cfg.quota_for(Role::PropertyAssistant), 15);
        assert_eq!(cfg.quota_for(Role::Technician), 0);
        assert_eq!(cfg.keys.check_every_days, 7);
        assert_eq!(cfg.validate(), Ok(()));
    }

    #[test]
    fn partial_json_keeps_other_defaults() {
        let json = r#"{"time_zone":"Asia/Urumqi",
            "repairs":{"emergency_deadline":"2h"},
            "monthly_quotas":{"director":12}}"#;
        let cfg = RulesConfig::from_json(json).unwrap();
        assert_eq!(cfg.time_zone, chrono_tz::Asia::Urumqi);
        assert_eq!(cfg.repairs.emergency_deadline, Duration::hours(2));
        assert_eq!(cfg.repairs.standard_working_days, 3);
        assert_eq!(cfg.quota_for(Role::Director), 12);
        assert_eq!(cfg.complaints.dispatch, Duration::hours(12));
    }

    #[test]
    fn round_trips_through_json() {
        let cfg = RulesConfig::default();
        let json = serde_json::to_string(&cfg).unwrap();
        assert!(json.contains(r#""notify_departments":"3m""#));
        assert!(json.contains(r#""director_approval_after":"14d""#));
        assert_eq!(RulesConfig::from_json(&json).unwrap(), cfg);
    }

    #[test]
    fn rejects_bad_values() {
        let zero = r#"{"complaints":{"dispatch":"0h"}}"#;
        assert_eq!(
            RulesConfig::from_json(zero),
            Err(RulesError::NotPositive {
                field: "complaints.dispatch"
            })
        );
        let negative = r#"{"emergency":{"verification":"-8h"}}"#;
        assert_eq!(
            RulesConfig::from_json(negative),
            Err(RulesError::NotPositive {
                field: "emergency.verification"
            })
        );
        let percent = r#"{"revisits":{"complaint_sample_percent":120}}"#;
        assert!(matches!(
            RulesConfig::from_json(percent),
            Err(RulesError::PercentOutOfRange { value, .. }) if value == 120.0
        ));
        let days = r#"{"repairs":{"standard_working_days":0}}"#;
        assert!(RulesConfig::from_json(days).is_err());
        for bad in [
            r#"{"time_zone":"Mars/Base"}"#,
            r#"{"patrol":{"clock_tolerance":"2 weeks"}}"#,
        ] {
            assert!(matches!(
                RulesConfig::from_json(bad),
                Err(RulesError::ConfigJson(_))
            ));
        }
    }
}
