//! Whether the calendar a phone applies is behind: a phone offline counts
//! working days with the calendar it last received, so it must say when that
//! calendar does not speak for the days it counts, or speaks only
//! provisionally (a year whose holidays the State Council has not published).

use chrono::{Datelike, NaiveDate};

use super::WorkCalendar;
use crate::message::Bilingual;

/// What the calendar in force covers, and why it may be behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarStatus {
    pub name: String,
    pub years: Vec<i32>,
    pub provisional_years: Vec<i32>,
    /// Set when the calendar does not cover, or only provisionally covers,
    /// `today`'s year or the year of the deadline being counted.
    pub behind: Option<Bilingual>,
}

/// The calendar's standing for counting from `today` up to `until` (the
/// furthest deadline in view, if any).
pub fn calendar_status(
    calendar: &WorkCalendar,
    today: NaiveDate,
    until: Option<NaiveDate>,
) -> CalendarStatus {
    let years = calendar.years();
    let provisional_years = calendar.provisional_years();
    let mut counted = vec![today.year()];
    if let Some(until) = until {
        counted.extend(today.year() + 1..=until.year());
    }
    let missing = counted.iter().find(|y| !years.contains(y));
    let provisional = counted.iter().find(|y| provisional_years.contains(y));
    let behind = match (missing, provisional) {
        (Some(year), _) => Some(Bilingual::new(
            format!("工作日历未包含{year}年的节假日,期限按普通周末计算;请同步,或请主任更新日历"),
            format!(
                "the working calendar has no holidays for {year}: deadlines count plain weekends; sync, or ask the director to update the calendar"
            ),
        )),
        (None, Some(year)) => Some(Bilingual::new(
            format!("{year}年节假日为暂定安排,国务院公布后请主任更新日历"),
            format!(
                "the {year} holidays are provisional: the director should update the calendar once the State Council publishes them"
            ),
        )),
        (None, None) => None,
    };
    CalendarStatus {
        name: calendar.name.clone(),
        years,
        provisional_years,
        behind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_calendar_without_this_year_or_with_it_provisional_is_behind() {
        let china = WorkCalendar::china();
        let ok = calendar_status(&china, d("2026-03-02"), Some(d("2026-03-05")));
        assert_eq!(ok.years, vec![2025, 2026, 2027]);
        assert_eq!(ok.provisional_years, vec![2027]);
        assert_eq!(ok.behind, None);
        let provisional = calendar_status(&china, d("2026-12-30"), Some(d("2027-01-04")));
        assert!(provisional
            .behind
            .unwrap()
            .en
            .contains("2027 holidays are provisional"));
        let missing = calendar_status(&china, d("2028-01-03"), None);
        let why = missing.behind.unwrap();
        assert!(why.zh.contains("未包含2028年"), "{why}");
        assert!(why.en.contains("no holidays for 2028"), "{why}");
    }
}
