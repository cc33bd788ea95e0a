//! Instants cross the boundary as `SystemTime`, which UniFFI hands to Kotlin
//! as `java.time.Instant` and to Swift as `Date`; the core keeps milliseconds
//! since the Unix epoch (UTC).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type Timestamp = SystemTime;

/// The core's milliseconds as an instant.
pub(crate) fn at(ms: i64) -> Timestamp {
    let offset = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH + offset
    } else {
        UNIX_EPOCH - offset
    }
}

/// An instant as the core's milliseconds.
pub(crate) fn ms(t: Timestamp) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_to_the_millisecond() {
        for m in [0, 1_790_040_000_123, -86_400_001] {
            assert_eq!(ms(at(m)), m);
        }
    }
}
