//! Checks a walked patrol route against its checkpoints: what was missed, walked
//! out of order, scanned twice or far from where the checkpoint is, and whether
//! the phone's wall clock was moved during the patrol.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::config::RulesConfig;

/// A point on the route, in the order it should be walked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub code: String,
    pub name: String,
    /// (latitude, longitude) in degrees, where known.
    pub expected: Option<(f64, f64)>,
    /// How far from `expected` a scan may be, in metres.
    pub radius_m: f64,
}

/// One scan as the device recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub code: String,
    pub wall_at: DateTime<Utc>,
    /// Device monotonic time since the patrol started; the user cannot change it.
    pub elapsed_ms: i64,
    pub location: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PatrolFinding {
    Missed(String),
    OutOfOrder(String),
    UnknownCode(String),
    TooFar {
        code: String,
        distance_m: f64,
    },
    /// Wall-clock and monotonic elapsed times disagree: the phone's clock moved.
    ClockMismatch {
        code: String,
        wall_elapsed_ms: i64,
        mono_elapsed_ms: i64,
    },
    Duplicate(String),
}

/// Findings in scan order (taken by monotonic time), then missed checkpoints in
/// route order. A scan without a location is not checked for distance.
pub fn check_patrol(
    route: &[Checkpoint],
    started_at: DateTime<Utc>,
    scans: &[Scan],
    cfg: &RulesConfig,
) -> Vec<PatrolFinding> {
    let position: HashMap<&str, usize> = route
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    let mut scans: Vec<&Scan> = scans.iter().collect();
    scans.sort_by_key(|s| s.elapsed_ms);

    let tolerance_ms = cfg.patrol.clock_tolerance.num_milliseconds();
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    let mut first_visits = Vec::new(); // (scan code, route position)
    for scan in &scans {
        let wall_elapsed_ms = (scan.wall_at - started_at).num_milliseconds();
        if (wall_elapsed_ms - scan.elapsed_ms).abs() > tolerance_ms {
            findings.push(PatrolFinding::ClockMismatch {
                code: scan.code.clone(),
                wall_elapsed_ms,
                mono_elapsed_ms: scan.elapsed_ms,
            });
        }
        let Some(&at) = position.get(scan.code.as_str()) else {
            findings.push(PatrolFinding::UnknownCode(scan.code.clone()));
            continue;
        };
        if !seen.insert(at) {
            findings.push(PatrolFinding::Duplicate(scan.code.clone()));
            continue;
        }
        first_visits.push(at);
        let checkpoint = &route[at];
        if let (Some(expected), Some(got)) = (checkpoint.expected, scan.location) {
            let distance_m = haversine_m(expected, got);
            if distance_m > checkpoint.radius_m {
                findings.push(PatrolFinding::TooFar {
                    code: scan.code.clone(),
                    distance_m,
                });
            }
        }
    }
    let in_order = longest_in_order(&first_visits);
    for (i, &at) in first_visits.iter().enumerate() {
        if !in_order.contains(&i) {
            findings.push(PatrolFinding::OutOfOrder(route[at].code.clone()));
        }
    }
    for (i, checkpoint) in route.iter().enumerate() {
        if !seen.contains(&i) {
            findings.push(PatrolFinding::Missed(checkpoint.code.clone()));
        }
    }
    findings
}

/// Indices of the longest run of visits in route order; the visits outside it
/// are the fewest that can be blamed for being out of order (A C B blames only C
/// or B, not both). Routes are short, so the quadratic search is fine.
fn longest_in_order(visits: &[usize]) -> HashSet<usize> {
    let n = visits.len();
    let mut length = vec![1usize; n];
    let mut previous = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if visits[j] < visits[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let mut kept = HashSet::new();
    let mut cursor = (0..n).max_by_key(|&i| (length[i], std::cmp::Reverse(i)));
    while let Some(i) = cursor {
        kept.insert(i);
        cursor = previous[i];
    }
    kept
}

/// Great-circle distance in metres between two (latitude, longitude) points.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.1 - a.1).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    const GATE: (f64, f64) = (31.2304, 121.4737);

    fn route() -> Vec<Checkpoint> {
        ["A", "B", "C"]
            .iter()
            .enumerate()
            .map(|(i, code)| Checkpoint {
                code: code.to_string(),
                name: format!("Building {code}"),
                // About 111 m apart, northwards.
                expected: Some((GATE.0 + 0.001 * i as f64, GATE.1)),
                radius_m: 30.0,
            })
            .collect()
    }

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap()
    }

    /// A scan at `minutes` into the patrol, both clocks agreeing, standing on the spot.
    fn scan(code: &str, minutes: i64) -> Scan {
        let index = ["A", "B", "C"].iter().position(|c| *c == code).unwrap_or(0);
        Scan {
            code: code.into(),
            wall_at: start() + Duration::minutes(minutes),
            elapsed_ms: minutes * 60_000,
            location: Some((GATE.0 + 0.001 * index as f64, GATE.1 + 0.00005)),
        }
    }

    fn check(scans: &[Scan]) -> Vec<PatrolFinding> {
        check_patrol(&route(), start(), scans, &RulesConfig::default())
    }

    #[test]
    fn a_clean_patrol_has_no_findings() {
        assert_eq!(check(&[scan("A", 1), scan("B", 5), scan("C", 9)]), vec![]);
    }

    #[test]
    fn missed_unknown_and_duplicate() {
        let found = check(&[scan("A", 1), scan("Z", 3), scan("A", 4), scan("C", 9)]);
        assert_eq!(
            found,
            [
                PatrolFinding::UnknownCode("Z".into()),
                PatrolFinding::Duplicate("A".into()),
                PatrolFinding::Missed("B".into()),
            ]
        );
    }

    #[test]
    fn out_of_order_blames_the_fewest_scans() {
        let found = check(&[scan("C", 1), scan("A", 5), scan("B", 9)]);
        assert_eq!(found, [PatrolFinding::OutOfOrder("C".into())]);
        // Scans are ordered by the monotonic clock, not by list position.
        assert_eq!(check(&[scan("C", 9), scan("A", 1), scan("B", 5)]), vec![]);
    }

    #[test]
    fn a_scan_of_a_photo_far_away_is_too_far() {
        let mut faked = scan("B", 5);
        faked.location = Some((GATE.0 + 0.01, GATE.1)); // about 1 km north of B
        let found = check(&[scan("A", 1), faked, scan("C", 9)]);
        let [PatrolFinding::TooFar { code, distance_m }] = found.as_slice() else {
            panic!("expected one TooFar, got {found:?}");
        };
        assert_eq!(code, "B");
        assert!((distance_m - 1000.75).abs() < 1.0, "{distance_m}");
    }

    #[test]
    fn a_moved_phone_clock_is_caught() {
        let mut moved = scan("C", 9);
        moved.wall_at = start() + Duration::minutes(40); // clock set half an hour ahead
        let mut drift = scan("B", 5);
        drift.wall_at += Duration::seconds(90); // within the 2-minute tolerance
        let found = check(&[scan("A", 1), drift, moved]);
        assert_eq!(
            found,
            [PatrolFinding::ClockMismatch {
                code: "C".into(),
                wall_elapsed_ms: 40 * 60_000,
                mono_elapsed_ms: 9 * 60_000,
            }]
        );
    }

    #[test]
    fn haversine_matches_known_distances() {
        // One degree of latitude is about 111.2 km.
        assert!((haversine_m((0.0, 0.0), (1.0, 0.0)) - 111_195.0).abs() < 10.0);
        // Shanghai People's Square to Beijing Tiananmen, about 1,068 km.
        let d = haversine_m(GATE, (39.9087, 116.3975));
        assert!((d - 1_068_000.0).abs() < 2_000.0, "{d}");
    }
}
