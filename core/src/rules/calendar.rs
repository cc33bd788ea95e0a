//! Working-day calendar. China moves weekend days to working days (调休), so which
//! days count comes from data, not from a weekday test.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::RulesError;

const CHINA_JSON: &str = include_str!("../../data/calendar-cn.json");

/// One listed day: a public holiday or a make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub name_zh: String,
    pub name_en: String,
    /// Derived rather than taken from a published notice; replace when it is out.
    pub provisional: bool,
}

#[derive(Serialize, Deserialize)]
struct DayEntry {
    date: String,
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    provisional: bool,
}

#[derive(Serialize, Deserialize)]
struct CalendarFile {
    name: String,
    years: Vec<i32>,
    #[serde(default)]
    holidays: Vec<DayEntry>,
    #[serde(default)]
    makeup_workdays: Vec<DayEntry>,
}

/// Which days are working days, for the years the data covers; plain Monday to
/// Friday outside them (see [`WorkCalendar::covers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    pub name: String,
    years: BTreeSet<i32>,
    holidays: BTreeMap<NaiveDate, CalendarDay>,
    makeup_workdays: BTreeMap<NaiveDate, CalendarDay>,
}

impl WorkCalendar {
    /// Mainland China's public holidays and 调休 days as shipped with the app.
    pub fn china() -> WorkCalendar {
        // Parsed once per process; callers get their own copy.
        static CHINA: OnceLock<WorkCalendar> = OnceLock::new();
        CHINA
            .get_or_init(|| {
                WorkCalendar::from_json(CHINA_JSON).expect("the shipped calendar file is valid")
            })
            .clone()
    }

    /// Reads and checks calendar data (a company may supply its own file).
    pub fn from_json(json: &str) -> Result<WorkCalendar, RulesError> {
        let file: CalendarFile =
            serde_json::from_str(json).map_err(|e| RulesError::CalendarJson(e.to_string()))?;
        let years: BTreeSet<i32> = file.years.into_iter().collect();
        let holidays = days(file.holidays, &years)?;
        let makeup_workdays = days(file.makeup_workdays, &years)?;
        for date in makeup_workdays.keys() {
            if holidays.contains_key(date) {
                return Err(RulesError::HolidayAndMakeupDay(*date));
            }
            if !is_weekend(*date) {
                return Err(RulesError::MakeupDayNotWeekend(*date));
            }
        }
        Ok(WorkCalendar {
            name: file.name,
            years,
            holidays,
            makeup_workdays,
        })
    }

    /// The calendar in the format of `calendar-cn.json`, which
    /// [`WorkCalendar::from_json`] reads back as it was.
    pub fn to_json(&self) -> serde_json::Value {
        let entries = |days: &BTreeMap<NaiveDate, CalendarDay>| {
            days.iter()
                .map(|(date, day)| DayEntry {
                    date: date.format("%Y-%m-%d").to_string(),
                    name_zh: day.name_zh.clone(),
                    name_en: day.name_en.clone(),
                    provisional: day.provisional,
                })
                .collect()
        };
        let file = CalendarFile {
            name: self.name.clone(),
            years: self.years.iter().copied().collect(),
            holidays: entries(&self.holidays),
            makeup_workdays: entries(&self.makeup_workdays),
        };
        serde_json::to_value(file).expect("a calendar is plain data")
    }

    /// The years the data speaks for, in order.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// Years with a day derived rather than published (2027 as shipped):
    /// replace the calendar once the State Council publishes them.
    pub fn provisional_years(&self) -> Vec<i32> {
        let years: BTreeSet<i32> = self
            .holidays
            .iter()
            .chain(&self.makeup_workdays)
            .filter(|(_, day)| day.provisional)
            .map(|(date, _)| date.year())
            .collect();
        years.into_iter().collect()
    }

    /// Whether the data speaks for this date's year; outside it only weekends are
    /// off, so callers should warn that holidays may be missing.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains(&date.year())
    }

    pub fn holiday(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.holidays.get(&date)
    }

    pub fn makeup_workday(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.makeup_workdays.get(&date)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains_key(&date) {
            false
        } else {
            self.makeup_workdays.contains_key(&date) || !is_weekend(date)
        }
    }

    /// The end of the n-th working day after the local day of `from` (00:00 local
    /// of the day after). With n = 0, the end of `from`'s own local day.
    pub fn add_working_days(&self, from: DateTime<Utc>, n: u32, tz: Tz) -> DateTime<Utc> {
        let mut day = local_date(from, tz);
        let mut counted = 0;
        while counted < n {
            day = next_day(day);
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        start_of_day(next_day(day), tz)
    }

    /// `from` plus `span` of time counted only on working days: Friday 15:00 plus
    /// 24 working hours is Monday 15:00; from a Saturday the clock starts Monday 00:00.
    pub fn add_working_time(&self, from: DateTime<Utc>, span: Duration, tz: Tz) -> DateTime<Utc> {
        if span <= Duration::zero() {
            return from;
        }
        let mut remaining = span;
        let mut cursor = from;
        loop {
            let day = local_date(cursor, tz);
            let day_end = start_of_day(next_day(day), tz);
            if self.is_working_day(day) {
                let left_today = day_end - cursor;
                if remaining <= left_today {
                    return cursor + remaining;
                }
                remaining -= left_today;
            }
            cursor = day_end;
        }
    }

    /// [`add_working_time`](Self::add_working_time) in whole hours.
    pub fn add_working_hours(&self, from: DateTime<Utc>, hours: u32, tz: Tz) -> DateTime<Utc> {
        self.add_working_time(from, Duration::hours(i64::from(hours)), tz)
    }

    /// Working days after `from` up to and including `to`; 0 when `to` is not later.
    /// `add_working_days` lands on the day where this reaches n.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

fn days(
    entries: Vec<DayEntry>,
    years: &BTreeSet<i32>,
) -> Result<BTreeMap<NaiveDate, CalendarDay>, RulesError> {
    let mut out = BTreeMap::new();
    for entry in entries {
        let date = NaiveDate::parse_from_str(&entry.date, "%Y-%m-%d")
            .map_err(|_| RulesError::BadDate(entry.date.clone()))?;
        if !years.contains(&date.year()) {
            return Err(RulesError::DateOutsideYears(date));
        }
        let day = CalendarDay {
            name_zh: entry.name_zh,
            name_en: entry.name_en,
            provisional: entry.provisional,
        };
        out.insert(date, day);
    }
    Ok(out)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt()
        .expect("dates stay far from chrono's limits")
}

/// The calendar day `t` falls on in the company's time zone.
pub fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The end of `t`'s local day (the next day's first instant): what is due
/// before it is due today, or late.
pub fn end_of_day(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let today = local_date(t, tz);
    start_of_day(today.succ_opt().unwrap_or(today), tz)
}

/// The first instant of a local day. Where a zone skips midnight (a DST change),
/// the day starts at the first local time that exists.
pub fn start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    (0..=3)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + Duration::hours(h)))
                .earliest()
        })
        .expect("no time zone skips more than three hours")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;
    use chrono_tz::Asia::Shanghai;

    #[test]
    fn the_day_ends_at_the_next_local_midnight() {
        assert_eq!(
            end_of_day(sh("2026-11-23 23:59"), Shanghai),
            sh("2026-11-24 00:00")
        );
        assert_eq!(
            end_of_day(sh("2026-11-24 00:00"), Shanghai),
            sh("2026-11-25 00:00")
        );
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_calendar_knows_holidays_and_makeup_days() {
        let cal = WorkCalendar::china();
        assert!(!cal.is_working_day(d("2026-10-01")), "National Day");
        assert!(!cal.is_working_day(d("2026-02-16")), "Spring Festival eve");
        assert!(cal.is_working_day(d("2026-10-10")), "Saturday make-up day");
        assert!(cal.is_working_day(d("2026-09-20")), "Sunday make-up day");
        assert!(
            cal.is_working_day(d("2025-01-26")),
            "2025 Spring Festival make-up"
        );
        assert!(
            !cal.is_working_day(d("2025-10-08")),
            "2025 National Day week ends 8th"
        );
        assert!(!cal.is_working_day(d("2026-11-28")), "ordinary Saturday");
        assert!(cal.is_working_day(d("2026-11-27")), "ordinary Friday");
        assert!(cal.holiday(d("2027-10-01")).unwrap().provisional);
        assert!(!cal.holiday(d("2026-10-01")).unwrap().provisional);
    }

    #[test]
    fn coverage_and_weekend_fallback() {
        let cal = WorkCalendar::china();
        assert!(cal.covers(d("2025-03-01")));
        assert!(!cal.covers(d("2028-10-02")));
        // 2028-10-02 is a Monday: unknown holidays, so it counts as working.
        assert!(cal.is_working_day(d("2028-10-02")));
        assert!(!cal.is_working_day(d("2028-10-01")));
    }

    #[test]
    fn working_days_end_at_local_midnight() {
        let cal = WorkCalendar::china();
        // Thursday 2026-11-26 10:00 + 3 working days = end of Tuesday 12-01.
        let due = cal.add_working_days(sh("2026-11-26 10:00"), 3, Shanghai);
        assert_eq!(due, sh("2026-12-02 00:00"));
        // 23:30 local on Wed is already Wed in Shanghai though still Wed 15:30 UTC.
        let due = cal.add_working_days(sh("2026-11-25 23:30"), 1, Shanghai);
        assert_eq!(due, sh("2026-11-27 00:00"));
        assert_eq!(
            cal.add_working_days(sh("2026-11-28 09:00"), 0, Shanghai),
            sh("2026-11-29 00:00")
        );
    }

    #[test]
    fn working_days_skip_national_day_and_count_makeup_days() {
        let cal = WorkCalendar::china();
        // Tue 09-29: Wed 30 is day 1, Oct 1-7 off, Thu 8 day 2, Fri 9 day 3.
        let due = cal.add_working_days(sh("2026-09-29 16:00"), 3, Shanghai);
        assert_eq!(due, sh("2026-10-10 00:00"));
        // Fri 10-09 + 1: the make-up Saturday 10-10 counts.
        let due = cal.add_working_days(sh("2026-10-09 11:00"), 1, Shanghai);
        assert_eq!(due, sh("2026-10-11 00:00"));
        // Sat 09-19 + 1: the make-up Sunday 09-20 counts.
        let due = cal.add_working_days(sh("2026-09-19 11:00"), 1, Shanghai);
        assert_eq!(due, sh("2026-09-21 00:00"));
    }

    #[test]
    fn working_hours_pause_over_weekends_and_holidays() {
        let cal = WorkCalendar::china();
        // Friday 15:00 + 24 h = Monday 15:00.
        let fri = sh("2026-11-27 15:00");
        assert_eq!(
            cal.add_working_hours(fri, 24, Shanghai),
            sh("2026-11-30 15:00")
        );
        // Received on Saturday: the clock starts Monday 00:00.
        let sat = sh("2026-11-28 10:00");
        assert_eq!(
            cal.add_working_hours(sat, 24, Shanghai),
            sh("2026-12-01 00:00")
        );
        // Wed 09-30 20:00 + 24 h: 4 h that day, then 20 h of Thu 10-08.
        let eve = sh("2026-09-30 20:00");
        assert_eq!(
            cal.add_working_hours(eve, 24, Shanghai),
            sh("2026-10-08 20:00")
        );
        assert_eq!(cal.add_working_hours(eve, 0, Shanghai), eve);
    }

    #[test]
    fn counts_working_days_between_dates() {
        let cal = WorkCalendar::china();
        assert_eq!(
            cal.working_days_between(d("2026-09-29"), d("2026-10-10")),
            4
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-23"), d("2026-11-30")),
            5
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-30"), d("2026-11-23")),
            0
        );
    }

    proptest::proptest! {
        /// add_working_days lands on the day where working_days_between reaches n,
        /// and that day is a working day.
        #[test]
        fn working_days_agree(day in 0i64..(3 * 366), hour in 0u32..24, n in 1u32..40) {
            let cal = WorkCalendar::china();
            let from = sh("2025-01-01 00:00") + Duration::days(day) + Duration::hours(hour.into());
            let end = cal.add_working_days(from, n, Shanghai);
            let last = local_date(end, Shanghai).pred_opt().unwrap();
            proptest::prop_assert!(cal.is_working_day(last));
            proptest::prop_assert_eq!(cal.working_days_between(local_date(from, Shanghai), last), n);
        }

        /// Working time never ends before the same span of clock time.
        #[test]
        fn working_time_is_never_shorter(minutes in 0i64..(3 * 366 * 1440), span in 0i64..(5 * 1440)) {
            let cal = WorkCalendar::china();
            let from = sh("2025-01-01 00:00") + Duration::minutes(minutes);
            let span = Duration::minutes(span);
            proptest::prop_assert!(cal.add_working_time(from, span, Shanghai) >= from + span);
        }
    }

    #[test]
    fn rejects_bad_calendar_data() {
        let both = r#"{"name":"x","years":[2026],
            "holidays":[{"date":"2026-02-14","name_zh":"a"}],
            "makeup_workdays":[{"date":"2026-02-14","name_zh":"b"}]}"#;
        assert_eq!(
            WorkCalendar::from_json(both),
            Err(RulesError::HolidayAndMakeupDay(d("2026-02-14")))
        );
        let bad = r#"{"name":"x","years":[2026],"holidays":[{"date":"2026-02-30","name_zh":"a"}]}"#;
        assert_eq!(
            WorkCalendar::from_json(bad),
            Err(RulesError::BadDate("2026-02-30".into()))
        );
        let weekday = r#"{"name":"x","years":[2026],"makeup_workdays":[{"date":"2026-02-16","name_zh":"a"}]}"#;
        assert_eq!(
            WorkCalendar::from_json(weekday),
            Err(RulesError::MakeupDayNotWeekend(d("2026-02-16")))
        );
        let outside =
            r#"{"name":"x","years":[2026],"holidays":[{"date":"2027-01-01","name_zh":"a"}]}"#;
        assert_eq!(
            WorkCalendar::from_json(outside),
            Err(RulesError::DateOutsideYears(d("2027-01-01")))
        );
        assert!(matches!(
            WorkCalendar::from_json("{"),
            Err(RulesError::CalendarJson(_))
        ));
    }
}
