//! The company's own rules and working calendar, read from the file given as
//! `--rules` when the server starts: every deadline, quota and holiday the
//! server computes comes from here (through `AppState::company`), so a company changes them without a new build.
//!
//! The file is a (possibly partial) [`RulesConfig`] as JSON. Its optional
//! `"calendar"` key is either the calendar itself, in the format of
//! `core/data/calendar-cn.json`, or the name of such a file, relative to the
//! rules file's folder; without it the shipped calendar is used.
//!
//! At start the file is written into the company's rules document
//! (`rounds_core::documents::company`), which phones receive by sync and a
//! director edits in the console; without a file, that document is applied.

use std::path::{Path, PathBuf};

use rounds_core::message::{Bilingual, Explain};
use rounds_core::rules::{RulesConfig, RulesError, WorkCalendar};
use serde_json::Value;

/// What a company's rules file says: the rules and the calendar they count on.
pub use rounds_core::documents::company::CompanyRules;

/// Why a rules file cannot be used; the server does not start with it.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum RulesFileError {
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    NotJson {
        path: PathBuf,
        error: String,
    },
    /// A key the rules do not have: most often a misspelt one, which would
    /// otherwise leave the default silently in force.
    UnknownField {
        path: PathBuf,
        field: String,
    },
    /// `calendar` is neither a calendar nor the name of a file.
    BadCalendarKey {
        path: PathBuf,
    },
    /// What `RulesConfig::validate` or `WorkCalendar::from_json` refused.
    Rules {
        path: PathBuf,
        error: RulesError,
    },
}

impl RulesFileError {
    pub fn message(&self) -> Bilingual {
        use RulesFileError::*;
        match self {
            Read { path, error } => Bilingual::new(
                format!("无法读取规则文件 {}:{error}", path.display()),
                format!("cannot read the rules file {}: {error}", path.display()),
            ),
            NotJson { path, error } => Bilingual::new(
                format!("规则文件 {} 不是有效的 JSON:{error}", path.display()),
                format!("the rules file {} is not valid JSON: {error}", path.display()),
            ),
            UnknownField { path, field } => Bilingual::new(
                format!("规则文件 {}:没有“{field}”这一项(拼写错误?)", path.display()),
                format!(
                    "the rules file {}: there is no setting “{field}” (misspelt?)",
                    path.display()
                ),
            ),
            BadCalendarKey { path } => Bilingual::new(
                format!(
                    "规则文件 {}:calendar 须为日历对象或日历文件名",
                    path.display()
                ),
                format!(
                    "the rules file {}: calendar must be a calendar object or the name of a calendar file",
                    path.display()
                ),
            ),
            Rules { path, error } => {
                let m = error.message();
                Bilingual::new(
                    format!("{}:{}", path.display(), m.zh),
                    format!("{}: {}", path.display(), m.en),
                )
            }
        }
    }
}

/// Reads and checks a company's rules file (and the calendar file it names).
pub fn load(path: &Path) -> Result<CompanyRules, RulesFileError> {
    let text = read(path)?;
    let mut json: Value = serde_json::from_str(&text).map_err(|e| RulesFileError::NotJson {
        path: path.into(),
        error: e.to_string(),
    })?;
    let calendar = match json.as_object_mut().and_then(|o| o.remove("calendar")) {
        None => WorkCalendar::china(),
        Some(Value::String(name)) => {
            let file = path.parent().unwrap_or(Path::new(".")).join(name);
            let text = read(&file)?;
            WorkCalendar::from_json(&text)
                .map_err(|error| RulesFileError::Rules { path: file, error })?
        }
        Some(inline @ Value::Object(_)) => {
            WorkCalendar::from_json(&inline.to_string()).map_err(|error| RulesFileError::Rules {
                path: path.into(),
                error,
            })?
        }
        Some(_) => return Err(RulesFileError::BadCalendarKey { path: path.into() }),
    };
    let rules = RulesConfig::from_value(&json).map_err(|error| match error {
        RulesError::UnknownSetting(field) => RulesFileError::UnknownField {
            path: path.into(),
            field,
        },
        error => RulesFileError::Rules {
            path: path.into(),
            error,
        },
    })?;
    Ok(CompanyRules { rules, calendar })
}

fn read(path: &Path) -> Result<String, RulesFileError> {
    std::fs::read_to_string(path).map_err(|error| RulesFileError::Read {
        path: path.into(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const CALENDAR: &str = r#"{"name":"公司日历 / company calendar","years":[2027],
        "holidays":[{"date":"2027-10-04","name_zh":"国庆节","name_en":"National Day"}],
        "makeup_workdays":[{"date":"2027-10-09","name_zh":"国庆调休"}]}"#;

    #[test]
    fn a_partial_file_keeps_the_other_defaults_and_the_shipped_calendar() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "rules.json",
            r#"{"repairs":{"standard_working_days":5},"monthly_quotas":{"director":12}}"#,
        );
        let company = load(&path).unwrap();
        assert_eq!(company.rules.repairs.standard_working_days, 5);
        assert_eq!(company.rules.quota_for(rounds_core::Role::Director), 12);
        assert_eq!(company.rules.complaints, RulesConfig::default().complaints);
        assert_eq!(company.calendar, WorkCalendar::china());
    }

    #[test]
    fn the_calendar_comes_inline_or_from_a_sibling_file() {
        let dir = tempfile::tempdir().unwrap();
        let inline = write(
            dir.path(),
            "inline.json",
            &format!(r#"{{"calendar":{CALENDAR}}}"#),
        );
        write(dir.path(), "calendar-2027.json", CALENDAR);
        let sibling = write(
            dir.path(),
            "sibling.json",
            r#"{"calendar":"calendar-2027.json"}"#,
        );
        for path in [inline, sibling] {
            let cal = load(&path).unwrap().calendar;
            assert!(!cal.is_working_day(d("2027-10-04")), "{path:?}");
            assert!(cal.is_working_day(d("2027-10-09")), "a Saturday worked");
            // The shipped calendar's provisional 2027 National Day is gone.
            assert!(cal.is_working_day(d("2027-10-06")));
        }
    }

    #[test]
    fn a_bad_file_is_refused_naming_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let refusal = |text: &str| {
            let path = write(dir.path(), "bad.json", text);
            load(&path).unwrap_err().message()
        };
        let zero = refusal(r#"{"complaints":{"dispatch":"0h"}}"#);
        assert!(
            zero.en
                .contains("complaints.dispatch must be greater than zero"),
            "{zero}"
        );
        assert!(zero.zh.contains("complaints.dispatch 必须大于零"), "{zero}");
        let typo = refusal(r#"{"repairs":{"standard_workng_days":5}}"#);
        assert!(typo.en.contains("“repairs.standard_workng_days”"), "{typo}");
        let percent = refusal(r#"{"revisits":{"complaint_sample_percent":120}}"#);
        assert!(
            percent.en.contains("revisits.complaint_sample_percent"),
            "{percent}"
        );
        let calendar = refusal(
            r#"{"calendar":{"name":"x","years":[2027],"makeup_workdays":[{"date":"2027-10-08","name_zh":"a"}]}}"#,
        );
        assert!(calendar.en.contains("2027-10-08"), "{calendar}");
        assert!(calendar.zh.contains("不是周六或周日"), "{calendar}");
        let missing = refusal(r#"{"calendar":"no-such-file.json"}"#);
        assert!(missing.en.contains("no-such-file.json"), "{missing}");
        assert!(refusal("{").en.contains("not valid JSON"));
    }
}
