//! `cargo run --release -p rounds-tests --bin sync_bench [-- OPTIONS]`
//!
//! Measures the sync protocol on this machine against baselines measured in
//! the same run, on release `rounds-server` processes on loopback:
//! - a day of offline work: DEVICES phones (10 per estate), each with about
//!   30 records of offline work (20 new orders, notes on 10 shared ones),
//!   reconnect at once; time until all have converged (checked: every phone
//!   holds every record of its estate at the server's heads), bytes on the
//!   wire against the size of the changes themselves, the server's peak
//!   memory and its memory per held document;
//! - the same day by whole-document upload (every document a phone holds,
//!   `save()`d, then a pull as usual), and on the JavaScript automerge-repo
//!   sync server (`tests/automerge-repo/`, the same documents), when node
//!   and its packages are there;
//! - one phone holding 5,000 records of which 50 changed reconnects: bytes
//!   and round trips.
//!
//! With `--postgres URL --servers 3` the phones are spread over three server
//! processes on one database. Bounded: each phase gives up after
//! `--phase-limit` seconds and says how far it got.

mod automerge_repo;
mod big;
mod day;
mod memory;
mod phone;
mod report;
mod workload;

use std::time::Duration;

use clap::Parser;
use rounds_tests::Backend;

use crate::day::{day_of_offline_work, Plan, NEW_ORDERS, NOTED_ORDERS, PER_ESTATE};
use crate::phone::{Upload, WORKERS};

#[derive(Parser)]
#[command(
    about = "The sync protocol against whole-document upload and automerge-repo",
    args_override_self = true
)]
struct Args {
    /// Phones in the day of offline work, PER_ESTATE (10) to an estate.
    #[arg(long, default_value_t = 200)]
    devices: usize,
    /// Run on this PostgreSQL (a fresh database is made there for each phase)
    /// instead of SQLite.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Server processes sharing the one PostgreSQL database; phone i talks to
    /// server i mod N.
    #[arg(long, default_value_t = 1)]
    servers: usize,
    /// Phones reconnecting at the same moment (the bench's threads).
    #[arg(long, default_value_t = WORKERS)]
    workers: usize,
    /// Seconds each phase may take before it gives up and reports how far it got.
    #[arg(long, default_value_t = 600)]
    phase_limit: u64,
    /// Only the protocol's day: no whole-document baseline, no automerge-repo,
    /// no 5,000-record reconnect (for runs at scale).
    #[arg(long)]
    only_protocol: bool,
}

fn main() {
    let args = Args::parse();
    assert!(
        args.servers == 1 || args.postgres.is_some(),
        "several servers share one database: --servers needs --postgres"
    );
    // The server under test is a release build, as deployed.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "rounds-server",
            "--bin",
            "rounds-server",
        ])
        .status()
        .expect("cargo build");
    assert!(status.success());
    let exe = std::env::current_exe().expect("exe");
    let bin = exe.with_file_name(format!("rounds-server{}", std::env::consts::EXE_SUFFIX));
    std::env::set_var("ROUNDS_SERVER_BIN", &bin);
    if let Some(url) = &args.postgres {
        std::env::set_var(rounds_tests::POSTGRES_ENV, url);
    }
    let backend_of = || match &args.postgres {
        Some(_) => Backend::postgres().expect("PostgreSQL"),
        None => Backend::Sqlite,
    };
    let on = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "sync_bench on {on}: {} phones, {PER_ESTATE} per estate, ~{} records of offline work each, {} server process(es), {} reconnecting at once",
        args.devices,
        NEW_ORDERS + NOTED_ORDERS,
        args.servers,
        args.workers
    );
    let phase_limit = Duration::from_secs(args.phase_limit);
    let plan = |how, export| Plan {
        devices: args.devices,
        servers: args.servers,
        how,
        workers: args.workers,
        phase_limit,
        export,
    };

    if args.only_protocol {
        let ours = day_of_offline_work(&backend_of(), &plan(Upload::Changes, None));
        report::scale(&ours, phase_limit);
        std::process::exit(i32::from(!ours.check.complete() || ours.gave_up));
    }
    let workload = tempfile::tempdir().expect("tempdir");
    let base = day_of_offline_work(&backend_of(), &plan(Upload::WholeDocuments, None));
    let ours = day_of_offline_work(&backend_of(), &plan(Upload::Changes, Some(workload.path())));
    let repo = automerge_repo::run(workload.path(), phase_limit);
    let big = big::big_reconnect(&backend_of(), phase_limit);
    report::comparison(&ours, &base, &repo, &big, phase_limit);
    let complete = [&ours, &base]
        .iter()
        .all(|r| r.check.complete() && !r.gave_up);
    std::process::exit(i32::from(!complete));
}
