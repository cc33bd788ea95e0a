//! The bench's tables: Rounds beside its baselines, and the run at scale.

use std::time::Duration;

use crate::automerge_repo::RepoDay;
use crate::big::{BigResult, BIG_CHANGED, BIG_HELD};
use crate::day::DayResult;
use crate::memory::bytes_per_doc;

fn ratio(ours: f64, theirs: f64) -> String {
    if ours == 0.0 {
        "-".into()
    } else {
        format!("{:.1}×", theirs / ours)
    }
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1 << 20) as f64)
}

fn kib_as_mib(kib: u64) -> String {
    mib(kib * 1024)
}

/// One row: a label, then the cells right-aligned in 16 columns.
fn row(label: &str, cells: &[String]) {
    print!("{label:<46}");
    for c in cells {
        print!(" {c:>16}");
    }
    println!();
}

fn convergence(name: &str, r: &DayResult, limit: Duration) {
    let c = &r.check;
    println!(
        "{name}: {} ({} records on the server, {} made on phones and missing there, {} phones behind, {} reconnect passes{})",
        if c.complete() && !r.gave_up {
            "every phone holds every record of its estate at the server's heads"
        } else {
            "DID NOT CONVERGE"
        },
        c.records,
        c.lost,
        c.phones_behind,
        r.passes,
        if r.gave_up {
            format!(", stopped at the phase limit of {} s", limit.as_secs())
        } else {
            String::new()
        }
    );
}

/// Where the servers' time went, by their own counters (`GET /metrics`).
const SERVER_TIME: [(&str, &str); 4] = [
    (
        "server: decoding before the lock",
        "rounds_sync_decode_seconds_total",
    ),
    ("server: merging changes", "rounds_sync_merge_seconds_total"),
    (
        "server: the write policy",
        "rounds_sync_policy_seconds_total",
    ),
    (
        "server: sync rounds in storage, all told",
        "rounds_sync_storage_seconds_total",
    ),
];

/// The protocol, whole-document upload and automerge-repo, side by side.
pub fn comparison(
    ours: &DayResult,
    base: &DayResult,
    repo: &Result<RepoDay, String>,
    big: &BigResult,
    limit: Duration,
) {
    let na = || "-".to_string();
    let repo_ok = repo.as_ref().ok();
    let repo_cell = |f: &dyn Fn(&RepoDay) -> String| repo_ok.map_or_else(na, f);
    println!();
    row(
        "",
        &[
            "Rounds".into(),
            "whole-document".into(),
            "automerge-repo".into(),
        ],
    );
    row(
        "time until all converged",
        &[
            format!("{:.2} s", ours.seconds),
            format!("{:.2} s", base.seconds),
            repo_cell(&|r| format!("{:.2} s", r.seconds)),
        ],
    );
    row(
        "  that time / Rounds' time",
        &[
            "1.0×".into(),
            ratio(ours.seconds, base.seconds),
            repo_cell(&|r| ratio(ours.seconds, r.seconds)),
        ],
    );
    row(
        "bytes on the wire",
        &[mib(ours.wire.bytes()), mib(base.wire.bytes()), na()],
    );
    row(
        "  of which uploaded",
        &[mib(ours.wire.up), mib(base.wire.up), na()],
    );
    row(
        "size of the changes themselves",
        &[mib(ours.changes), mib(base.changes), na()],
    );
    row(
        "wire bytes / change bytes",
        &[
            format!(
                "{:.1}×",
                ours.wire.bytes() as f64 / ours.changes.max(1) as f64
            ),
            format!(
                "{:.1}×",
                base.wire.bytes() as f64 / base.changes.max(1) as f64
            ),
            na(),
        ],
    );
    row(
        "server peak memory (VmHWM)",
        &[
            kib_as_mib(ours.peak_kib.iter().sum()),
            kib_as_mib(base.peak_kib.iter().sum()),
            repo_cell(&|r| kib_as_mib(r.peak_kib)),
        ],
    );
    row(
        "  documents held at the end",
        &[
            ours.check.records.to_string(),
            base.check.records.to_string(),
            repo_cell(&|r| r.docs_held.to_string()),
        ],
    );
    row(
        "server CPU during the evening",
        &[
            format!("{:.2} s", ours.server_cpu),
            format!("{:.2} s", base.server_cpu),
            repo_cell(&|r| format!("{:.2} s", r.server_cpu)),
        ],
    );
    row(
        "phones' CPU during the evening",
        &[
            format!("{:.2} s", ours.phones_cpu),
            format!("{:.2} s", base.phones_cpu),
            repo_cell(&|r| format!("{:.2} s", r.phones_cpu)),
        ],
    );
    for (label, key) in SERVER_TIME {
        row(
            label,
            &[
                format!("{:.2} s", ours.metric(key)),
                format!("{:.2} s", base.metric(key)),
                na(),
            ],
        );
    }
    row(
        &format!("reconnect holding {BIG_HELD}, {BIG_CHANGED} changed: bytes"),
        &[
            mib(big.protocol.bytes()),
            mib(big.baseline.bytes()),
            ratio(big.protocol.bytes() as f64, big.baseline.bytes() as f64),
        ],
    );
    row(
        "  round trips",
        &[
            big.protocol.round_trips.to_string(),
            big.baseline.round_trips.to_string(),
            ratio(
                big.protocol.round_trips as f64,
                big.baseline.round_trips as f64,
            ),
        ],
    );
    row(
        "server memory per held document (ΔVmRSS)",
        &[
            format!(
                "{:.0} B",
                bytes_per_doc(big.rss_before_kib, big.rss_holding_kib, BIG_HELD)
            ),
            na(),
            repo_cell(&|r| {
                format!(
                    "{:.0} B",
                    bytes_per_doc(r.rss_empty_kib, r.rss_after_kib, r.docs_held)
                )
            }),
        ],
    );
    println!(
        "(the reconnect rows: Rounds, whole-document, their ratio; memory per held document: Rounds holding {BIG_HELD} records, automerge-repo after the day)"
    );
    println!();
    convergence("Rounds", ours, limit);
    convergence("whole-document", base, limit);
    match repo {
        Ok(r) if r.converged => println!(
            "automerge-repo: every phone holds every document of its estate at the server's heads ({} documents)",
            r.docs_held
        ),
        Ok(r) => println!("automerge-repo: DID NOT CONVERGE within {:.0} s", r.seconds),
        Err(why) => println!("automerge-repo: not measured, {why}"),
    }
}

/// The protocol's day alone, at scale over several server processes.
pub fn scale(r: &DayResult, limit: Duration) {
    println!();
    row("time until all converged", &[format!("{:.2} s", r.seconds)]);
    row("reconnect passes over every phone", &[r.passes.to_string()]);
    row("bytes on the wire", &[mib(r.wire.bytes())]);
    row("  of which uploaded", &[mib(r.wire.up)]);
    row("size of the changes themselves", &[mib(r.changes)]);
    for (i, kib) in r.peak_kib.iter().enumerate() {
        row(
            &format!("server {} peak memory (VmHWM)", i + 1),
            &[kib_as_mib(*kib)],
        );
    }
    row(
        "phones' process peak memory (VmHWM)",
        &[kib_as_mib(crate::memory::peak_kib(std::process::id()))],
    );
    row(
        "servers' CPU during the evening",
        &[format!("{:.2} s", r.server_cpu)],
    );
    row(
        "phones' CPU during the evening",
        &[format!("{:.2} s", r.phones_cpu)],
    );
    for (label, key) in SERVER_TIME {
        row(label, &[format!("{:.2} s", r.metric(key))]);
    }
    println!();
    convergence("Rounds", r, limit);
}
