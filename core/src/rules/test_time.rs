//! Test helper: times written as they are read on a wall in Shanghai.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

/// "2026-10-10 09:00" in Shanghai, as UTC.
pub(crate) fn sh(s: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    Shanghai
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}
