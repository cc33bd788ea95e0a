//! Instants as documents keep them: milliseconds since the Unix epoch, UTC.

use chrono::{DateTime, TimeZone, Utc};

/// Milliseconds since the Unix epoch; what documents and query tables store.
pub type Millis = i64;

pub fn to_millis(t: DateTime<Utc>) -> Millis {
    t.timestamp_millis()
}

pub fn from_millis(ms: Millis) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn now_millis() -> Millis {
    Utc::now().timestamp_millis()
}
