//! The monthly report's figures for residents' keys in custody (seed 003
//! 第7篇): keys held at the month's end, the weekly checks made and those
//! missed or made late, the uses opened in the month, the loans still out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One weekly check owed on a key: when it fell due and when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCheckFact {
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// A lending of the key against an ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyLoanFact {
    pub lent_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
}

/// One deposited key's history, as far as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFact {
    pub received_at: DateTime<Utc>,
    pub handed_back_at: Option<DateTime<Utc>>,
    /// Each check owed, in order: the ones made, then the one now due.
    pub checks: Vec<KeyCheckFact>,
    /// When each use was registered.
    pub uses: Vec<DateTime<Utc>>,
    pub loans: Vec<KeyLoanFact>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigures {
    /// Keys in custody at the month's end (deposited, not handed back).
    pub held: u32,
    /// Weekly checks made in the month.
    pub checks_done: u32,
    /// Checks falling due in the month that were not made by their due
    /// time: made late, or not yet made.
    pub checks_late: u32,
    /// Uses registered in the month.
    pub uses: u32,
    /// Keys lent against an ID and not back at the month's end.
    pub loans_outstanding: u32,
}

/// The figures of `keys` for the month `[start, end)`.
pub fn key_figures(keys: &[KeyFact], (start, end): (DateTime<Utc>, DateTime<Utc>)) -> KeyFigures {
    let within = |t: &DateTime<Utc>| start <= *t && *t < end;
    let before_end = |t: &Option<DateTime<Utc>>| t.is_some_and(|t| t < end);
    let count = |n: usize| n as u32;
    KeyFigures {
        held: count(
            keys.iter()
                .filter(|k| k.received_at < end && !before_end(&k.handed_back_at))
                .count(),
        ),
        checks_done: count(
            keys.iter()
                .flat_map(|k| &k.checks)
                .filter(|c| c.done_at.as_ref().is_some_and(within))
                .count(),
        ),
        checks_late: count(
            keys.iter()
                .flat_map(|k| &k.checks)
                .filter(|c| within(&c.due_at))
                .filter(|c| c.done_at.is_none_or(|d| d > c.due_at))
                .count(),
        ),
        uses: count(
            keys.iter()
                .flat_map(|k| &k.uses)
                .filter(|u| within(u))
                .count(),
        ),
        loans_outstanding: count(
            keys.iter()
                .flat_map(|k| &k.loans)
                .filter(|l| l.lent_at < end && !before_end(&l.returned_at))
                .count(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn check(due: &str, done: Option<&str>) -> KeyCheckFact {
        KeyCheckFact {
            due_at: sh(due),
            done_at: done.map(sh),
        }
    }

    fn november() -> (DateTime<Utc>, DateTime<Utc>) {
        (sh("2026-11-01 00:00"), sh("2026-12-01 00:00"))
    }

    #[test]
    fn checks_count_when_made_and_lateness_when_due() {
        let key = KeyFact {
            received_at: sh("2026-10-20 10:00"),
            handed_back_at: None,
            checks: vec![
                // October's check, made on time: not November's.
                check("2026-10-27 10:00", Some("2026-10-27 09:00")),
                // Due in October, made in November: done in November, late in October.
                check("2026-10-31 18:00", Some("2026-11-02 09:00")),
                check("2026-11-09 09:00", Some("2026-11-09 08:00")),
                check("2026-11-16 08:00", Some("2026-11-17 08:00")),
                // Now due and not made.
                check("2026-11-24 08:00", None),
            ],
            uses: vec![sh("2026-10-30 10:00"), sh("2026-11-03 10:00")],
            loans: vec![
                KeyLoanFact {
                    lent_at: sh("2026-11-05 10:00"),
                    returned_at: Some(sh("2026-11-05 18:00")),
                },
                KeyLoanFact {
                    lent_at: sh("2026-11-30 20:00"),
                    returned_at: Some(sh("2026-12-01 09:00")),
                },
            ],
        };
        let f = key_figures(&[key], november());
        assert_eq!(
            f,
            KeyFigures {
                held: 1,
                checks_done: 3,
                checks_late: 2,
                uses: 1,
                loans_outstanding: 1,
            }
        );
    }

    #[test]
    fn a_key_handed_back_or_deposited_later_is_not_held() {
        let key = |received: &str, back: Option<&str>| KeyFact {
            received_at: sh(received),
            handed_back_at: back.map(sh),
            checks: vec![],
            uses: vec![],
            loans: vec![],
        };
        let keys = [
            key("2026-10-01 10:00", Some("2026-11-20 10:00")),
            key("2026-10-01 10:00", Some("2026-12-02 10:00")),
            key("2026-12-01 00:00", None),
            key("2026-11-30 23:00", None),
        ];
        assert_eq!(key_figures(&keys, november()).held, 2);
    }
}
