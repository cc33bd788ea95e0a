//! What the field and the office wait for, each measured three ways in the
//! same run, every database a file in WAL with synchronous=NORMAL as the
//! store keeps its own:
//! - Rounds, through the session as a phone calls it;
//! - plain SQLite doing the same job on the same data;
//! - the floor of this design: the Automerge work and the one SQLite
//!   commit or read it cannot do without, done by hand.
//!
//! The cases: recording one checklist item, opening a work order with a
//! year of history, listing overdue orders among 100,000 (whose floor is the
//! plain indexed query). The table at the end gives the ratios.
//!
//! Run with `cargo bench -p rounds-core --bench records`.

mod fixtures;
mod open_year;
mod overdue;
mod record_item;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;

/// Criterion's estimate of one iteration (the slope it prints, or the mean).
fn estimate_ns(dir: &Path, group: &str, id: &str) -> Option<f64> {
    let path = dir.join(group).join(id).join("new").join("estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| v["mean"]["point_estimate"].as_f64())
}

fn ms(ns: Option<f64>) -> String {
    ns.map_or_else(|| "-".into(), |ns| format!("{:.3} ms", ns / 1e6))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}x", a / b),
        _ => "-".into(),
    }
}

fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let mut c = Criterion::default()
        .output_directory(&out)
        .sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    record_item::bench(&mut c);
    open_year::bench(&mut c);
    overdue::bench(&mut c);
    c.final_summary();

    println!("\nTime per operation, same run (target: Rounds within 1.5x of the floor):");
    println!(
        "  {:<22} {:>12} {:>14} {:>12} {:>14}",
        "case", "Rounds", "plain SQLite", "floor", "Rounds/floor"
    );
    for (group, has_floor) in [
        ("record_item", true),
        ("open_year_order", true),
        ("overdue_among_100k", false),
    ] {
        let rounds = estimate_ns(&out, group, "rounds");
        let plain = estimate_ns(&out, group, "plain_sqlite");
        // Overdue's floor is the plain indexed query itself.
        let floor = if has_floor {
            estimate_ns(&out, group, "floor")
        } else {
            plain
        };
        println!(
            "  {group:<22} {:>12} {:>14} {:>12} {:>14}",
            ms(rounds),
            ms(plain),
            if has_floor {
                ms(floor)
            } else {
                "= plain".into()
            },
            ratio(rounds, floor),
        );
    }
}
