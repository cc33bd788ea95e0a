//! Revisits: when they are due, which complaints are sampled for one, and how
//! staff stand against their monthly quota (seed 003 第14篇, 第4/13篇 §8).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::calendar::WorkCalendar;
use super::config::RulesConfig;
use crate::people::Role;

/// End of the second working day (by default) after the repair was completed.
pub fn revisit_due_after_repair(
    completed_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    let days = cfg.revisits.after_repair_working_days;
    cal.add_working_days(completed_at, days, cfg.time_zone)
}

/// End of the second working day (by default) after the complaint was dealt with.
pub fn revisit_due_after_complaint(
    completed_at: DateTime<Utc>,
    cfg: &RulesConfig,
    cal: &WorkCalendar,
) -> DateTime<Utc> {
    let days = cfg.revisits.after_complaint_working_days;
    cal.add_working_days(completed_at, days, cfg.time_zone)
}

/// The effect revisit after a complaint: the same local time, the rules'
/// months after it was resolved (the month's last day when shorter).
pub fn effect_revisit_due(resolved_at: DateTime<Utc>, cfg: &RulesConfig) -> DateTime<Utc> {
    let local = resolved_at.with_timezone(&cfg.time_zone);
    local
        .checked_add_months(chrono::Months::new(cfg.revisits.effect_revisit_months))
        .map_or(resolved_at, |t| t.with_timezone(&Utc))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampledRevisit {
    pub complaint_id: String,
    /// Visit in person and get the resident's signature, rather than phone.
    pub in_person: bool,
}

/// The complaints to revisit: the configured share (10 %, rounded up) and of those
/// the in-person share (30 %, rounded up). The pick depends only on the set of ids
/// (ordered by their SHA-256), so a phone and the server choose the same ones.
pub fn sample_complaints(ids: &[String], cfg: &RulesConfig) -> Vec<SampledRevisit> {
    let mut ranked: Vec<(String, &String)> = ids.iter().map(|id| (sha256_hex(id), id)).collect();
    ranked.sort();
    ranked.dedup();
    let sample = percent_of(ranked.len(), cfg.revisits.complaint_sample_percent);
    let in_person = percent_of(sample, cfg.revisits.in_person_percent_of_sample);
    ranked
        .into_iter()
        .take(sample)
        .enumerate()
        .map(|(i, (_, id))| SampledRevisit {
            complaint_id: id.clone(),
            in_person: i < in_person,
        })
        .collect()
}

fn sha256_hex(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// `percent` of `n`, rounded up, in integer arithmetic so that 10 % of 30 is
/// exactly 3 on every device.
fn percent_of(n: usize, percent: f64) -> usize {
    let basis_points = (percent * 100.0).round().max(0.0) as usize;
    (n * basis_points).div_ceil(10_000)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaProgress {
    pub staff_id: String,
    pub role: Role,
    pub quota: u32,
    pub done: u32,
    pub short_by: u32,
    /// In-person visits planned for the month and not done yet.
    #[serde(default)]
    pub planned: u32,
    /// What is still to be planned to meet the quota.
    #[serde(default)]
    pub to_plan: u32,
}

/// Progress of everyone with a monthly in-person quota; staff whose role has no
/// quota are left out.
pub fn quota_progress(
    staff: &[(String, Role)],
    done_in_person: &HashMap<String, u32>,
    planned_in_person: &HashMap<String, u32>,
    cfg: &RulesConfig,
) -> Vec<QuotaProgress> {
    staff
        .iter()
        .filter_map(|(id, role)| {
            let quota = cfg.quota_for(*role);
            let done = done_in_person.get(id).copied().unwrap_or(0);
            let planned = planned_in_person.get(id).copied().unwrap_or(0);
            let short_by = quota.saturating_sub(done);
            (quota > 0).then(|| QuotaProgress {
                staff_id: id.clone(),
                role: *role,
                quota,
                done,
                short_by,
                planned,
                to_plan: short_by.saturating_sub(planned),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_time::sh;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("C-{i:03}")).collect()
    }

    #[test]
    fn the_effect_revisit_is_due_a_month_after_resolution() {
        let cfg = RulesConfig::default();
        assert_eq!(
            effect_revisit_due(sh("2026-11-23 15:00"), &cfg),
            sh("2026-12-23 15:00")
        );
        // 31 January has no 31 February: the month's last day.
        assert_eq!(
            effect_revisit_due(sh("2027-01-31 09:00"), &cfg),
            sh("2027-02-28 09:00")
        );
    }

    #[test]
    fn revisits_due_two_working_days_later() {
        let (cfg, cal) = (RulesConfig::default(), WorkCalendar::china());
        // Fri 09-18: Sun 09-20 is a make-up day, then Mon 09-21.
        assert_eq!(
            revisit_due_after_repair(sh("2026-09-18 16:00"), &cfg, &cal),
            sh("2026-09-22 00:00")
        );
        // Wed 09-30: National Day, then Thu 10-08 and Fri 10-09.
        assert_eq!(
            revisit_due_after_complaint(sh("2026-09-30 10:00"), &cfg, &cal),
            sh("2026-10-10 00:00")
        );
    }

    #[test]
    fn samples_ten_percent_rounded_up_with_a_third_in_person() {
        let cfg = RulesConfig::default();
        let picked = sample_complaints(&ids(25), &cfg);
        // The three smallest SHA-256 digests among C-001..C-025 (checked independently).
        let chosen: Vec<_> = picked.iter().map(|s| s.complaint_id.as_str()).collect();
        assert_eq!(chosen, ["C-006", "C-001", "C-004"]);
        let in_person: Vec<_> = picked.iter().map(|s| s.in_person).collect();
        assert_eq!(in_person, [true, false, false]);

        assert_eq!(sample_complaints(&ids(30), &cfg).len(), 3);
        assert_eq!(sample_complaints(&ids(1), &cfg).len(), 1);
        assert!(sample_complaints(&[], &cfg).is_empty());
        let big = sample_complaints(&ids(101), &cfg);
        assert_eq!(
            (big.len(), big.iter().filter(|s| s.in_person).count()),
            (11, 4)
        );
    }

    #[test]
    fn sample_ignores_order_and_repeats() {
        let cfg = RulesConfig::default();
        let mut shuffled = ids(25);
        shuffled.reverse();
        shuffled.push("C-006".into());
        assert_eq!(
            sample_complaints(&shuffled, &cfg),
            sample_complaints(&ids(25), &cfg)
        );
    }

    #[test]
    fn quota_progress_for_director_and_assistants() {
        let staff = vec![
            ("d1".to_string(), Role::Director),
            ("a1".to_string(), Role::PropertyAssistant),
            ("a2".to_string(), Role::PropertyAssistant),
            ("t1".to_string(), Role::Technician),
        ];
        let done = HashMap::from([("d1".to_string(), 4), ("a1".to_string(), 17)]);
        let planned = HashMap::from([("d1".to_string(), 2), ("a1".to_string(), 1)]);
        let progress = quota_progress(&staff, &done, &planned, &RulesConfig::default());
        let rows: Vec<_> = progress
            .iter()
            .map(|p| (p.staff_id.as_str(), p.quota, p.done, p.short_by, p.to_plan))
            .collect();
        assert_eq!(
            rows,
            [
                ("d1", 10, 4, 6, 4),
                ("a1", 15, 17, 0, 0),
                ("a2", 15, 0, 15, 15)
            ]
        );
    }
}
