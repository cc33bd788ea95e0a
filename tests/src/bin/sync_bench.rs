//! `cargo run --release -p rounds-tests --bin sync_bench [-- --postgres URL]`
//!
//! Measures the sync protocol on this machine against a baseline measured in
//! the same run, on a release `rounds-server` on loopback:
//! - a day of offline work: DEVICES phones (10 per estate), each with about
//!   30 records of offline work (20 new orders, notes on 10 shared ones),
//!   reconnect at once; time until all have converged, bytes on the wire
//!   against the size of the changes themselves, the server's peak memory;
//! - one phone holding 5,000 records of which 50 changed reconnects: bytes
//!   and round trips.
//!
//! The baseline uploads every document a phone holds whole (`save()`), then
//! pulls as usual. Bounded: each phase gives up after a few minutes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::DocumentStore;
use rounds_core::sync::{apply_response, build_request, DocChanges, SyncRequest, SyncResponse};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, Role, Staff};
use rounds_server::auth::hash_password;
use rounds_tests::{order_draft, Backend, Device, Server, PASSWORD};

const PER_ESTATE: usize = 10;
const SHARED_ORDERS: usize = 20;
const NEW_ORDERS: usize = 20;
const NOTED_ORDERS: usize = 10;
const BIG_HELD: usize = 5_000;
const BIG_CHANGED: usize = 50;
const WORKERS: usize = 16;
const PHASE_LIMIT: Duration = Duration::from_secs(600);
/// A supervisor, to read the server's counters.
const HEAD: &str = "bench-head";

#[derive(Default, Clone, Copy)]
struct Wire {
    up: u64,
    down: u64,
    round_trips: u64,
}

impl Wire {
    fn add(&mut self, o: Wire) {
        self.up += o.up;
        self.down += o.down;
        self.round_trips += o.round_trips;
    }
    fn bytes(&self) -> u64 {
        self.up + self.down
    }
}

/// How a phone sends what it holds.
#[derive(Clone, Copy, PartialEq)]
enum Upload {
    /// The protocol: only changes since the heads both sides had.
    Changes,
    /// Baseline: every document it holds, whole.
    WholeDocuments,
}

fn post(
    client: &reqwest::blocking::Client,
    d: &Device,
    req: &SyncRequest,
    wire: &mut Wire,
) -> SyncResponse {
    let body = serde_json::to_vec(req).expect("json");
    let resp = client
        .post(format!("{}/v1/sync", d.base))
        .bearer_auth(d.http.token().expect("signed in"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .expect("sync request");
    assert!(
        resp.status().is_success(),
        "sync answered {}",
        resp.status()
    );
    let bytes = resp.bytes().expect("answer");
    wire.up += body.len() as u64;
    wire.down += bytes.len() as u64;
    wire.round_trips += 1;
    serde_json::from_slice(&bytes).expect("answer json")
}

/// One reconnect, to the end; returns the documents received.
fn reconnect(
    client: &reqwest::blocking::Client,
    d: &mut Device,
    how: Upload,
    wire: &mut Wire,
) -> usize {
    let mut received = 0;
    if how == Upload::WholeDocuments {
        let ids = d.store.record_ids().expect("ids");
        for batch in ids.chunks(100) {
            let docs = batch
                .iter()
                .map(|(id, kind)| {
                    // Every change the phone holds, as plain change chunks
                    // (what the server accepts), whether it has them or not.
                    let mut doc = d.store.load(id).expect("load");
                    DocChanges::new(id, *kind, &doc.heads(), &doc.changes_since(&[]))
                })
                .collect();
            let req = SyncRequest {
                cursor: d.store.sync_cursor().expect("cursor"),
                docs,
            };
            let answer = post(client, d, &req, wire);
            received += answer.docs.len();
            apply_response(&mut d.store, answer).expect("apply");
        }
    }
    for _ in 0..100_000 {
        let req = build_request(&d.store, 100).expect("request");
        let sent = req.docs.len();
        let answer = post(client, d, &req, wire);
        let more = answer.more;
        received += answer.docs.len();
        apply_response(&mut d.store, answer).expect("apply");
        if sent == 0 && !more {
            break;
        }
    }
    received
}

fn register(d: &mut Device, estate: &str, i: usize) -> RecordId {
    let draft = order_draft(
        estate,
        &format!("{estate}-1-1-{}", 101 + i % 20),
        &format!("厨房水管漏水,需上门查看 #{i}"),
    );
    let mut o = WorkOrderDoc::register(&draft, d.store.device_id(), &d.who(now_millis()))
        .expect("register");
    d.store.create(&mut o).expect("store");
    draft.id
}

fn note(d: &mut Device, id: &RecordId, n: &str) {
    let who = d.who(now_millis());
    d.store
        .edit(id, |o: &mut WorkOrderDoc, _| {
            o.add_note(n, "已联系业主,明早上门 / resident called back", &who)
        })
        .expect("note");
}

/// Bytes of a phone's unsynced changes: what the work itself weighs.
fn change_bytes(d: &Device) -> u64 {
    d.store
        .dirty_docs(usize::MAX / 2)
        .expect("dirty")
        .iter()
        .map(|dirty| {
            d.store
                .load(&dirty.id)
                .expect("load")
                .changes_since(&dirty.synced_heads)
                .len() as u64
        })
        .sum()
}

fn peak_memory_kib(server: &Server) -> u64 {
    let Some(pid) = server.pid() else { return 0 };
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Staff for `estates` estates, PER_ESTATE receptionists each, written into
/// the server's storage before it starts (so `demo` seeds nothing else).
fn seed_staff(backend: &Backend, dir: &std::path::Path, estates: usize) -> Vec<(String, String)> {
    let hash = hash_password(PASSWORD).expect("hash");
    let mut users = vec![];
    backend.with_storage(dir, |db| {
        let head = Staff {
            id: format!("s-{HEAD}"),
            name: "主管".into(),
            role: Role::Supervisor,
            estates: vec![],
        };
        db.put_staff(&head, HEAD, &hash).expect("staff");
        for e in 0..estates {
            let estate = format!("e-bench-{e:03}");
            for i in 0..PER_ESTATE {
                let username = format!("desk-{e:03}-{i}");
                let staff = Staff {
                    id: format!("s-{username}"),
                    name: format!("前台{e}-{i}"),
                    role: Role::Receptionist,
                    estates: vec![estate.clone()],
                };
                db.put_staff(&staff, &username, &hash).expect("staff");
                users.push((username, estate.clone()));
            }
        }
    });
    users
}

/// Runs `f` on every phone from WORKERS threads at once.
fn on_all<T: Send>(devices: &mut [Device], f: impl Fn(&mut Device) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<&mut Device>> = devices.iter_mut().map(Mutex::new).collect();
    let out: Vec<Mutex<Option<T>>> = (0..slots.len()).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= slots.len() {
                    return;
                }
                let mut d = slots[i].lock().expect("device");
                *out[i].lock().expect("slot") = Some(f(&mut d));
            });
        }
    });
    out.into_iter()
        .map(|m| m.into_inner().expect("slot").expect("ran"))
        .collect()
}

struct DayResult {
    seconds: f64,
    wire: Wire,
    changes: u64,
    peak_kib: u64,
    /// The server's own counters (`GET /metrics`), in seconds.
    metrics: std::collections::BTreeMap<String, f64>,
}

/// The server's sync counters, read as a head.
fn server_metrics(base: &str) -> std::collections::BTreeMap<String, f64> {
    let head = Device::login(base, HEAD);
    let text = reqwest::blocking::Client::new()
        .get(format!("{base}/metrics"))
        .bearer_auth(head.http.token().expect("signed in"))
        .send()
        .and_then(|r| r.error_for_status())
        .and_then(|r| r.text())
        .expect("metrics");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_owned(), v.parse().ok()?))
        })
        .collect()
}

/// A fresh server and phones; a day offline; everyone reconnects at once.
fn day_of_offline_work(
    backend_of: &dyn Fn() -> Backend,
    devices_n: usize,
    how: Upload,
) -> DayResult {
    let backend = backend_of();
    let dir = tempfile::tempdir().expect("tempdir");
    let estates = devices_n.div_ceil(PER_ESTATE);
    let users = seed_staff(&backend, dir.path(), estates);
    let server = Server::start_demo(&backend, dir.path());
    let client = reqwest::blocking::Client::new();
    let mut devices: Vec<Device> = users
        .iter()
        .take(devices_n)
        .map(|(u, _)| Device::login(&server.base(), u))
        .collect();
    // Morning: the first phone of each estate registers the shared orders;
    // everyone syncs them.
    let mut shared = vec![vec![]; estates];
    for (i, d) in devices.iter_mut().enumerate().step_by(PER_ESTATE) {
        let estate = users[i].1.clone();
        for k in 0..SHARED_ORDERS {
            shared[i / PER_ESTATE].push(register(d, &estate, k));
        }
    }
    on_all(&mut devices, |d| {
        reconnect(&client, d, Upload::Changes, &mut Wire::default())
    });
    on_all(&mut devices, |d| {
        reconnect(&client, d, Upload::Changes, &mut Wire::default())
    });

    // The day offline: new orders, and notes on some of the shared ones.
    for (i, d) in devices.iter_mut().enumerate() {
        let estate = users[i].1.clone();
        for k in 0..NEW_ORDERS {
            register(d, &estate, 1000 + k);
        }
        for (k, id) in shared[i / PER_ESTATE]
            .iter()
            .enumerate()
            .skip(i % PER_ESTATE)
            .take(NOTED_ORDERS)
        {
            note(d, id, &format!("n{i}-{k}"));
        }
    }
    let changes: u64 = devices.iter().map(change_bytes).sum();

    // Evening: everyone reconnects at once, then again until nothing moves.
    let start = Instant::now();
    let mut wire = Wire::default();
    for pass in 0..6 {
        let results = on_all(&mut devices, |d| {
            let mut w = Wire::default();
            let got = reconnect(
                &client,
                d,
                if pass == 0 { how } else { Upload::Changes },
                &mut w,
            );
            (got, w)
        });
        let moved: usize = results.iter().map(|(g, _)| g).sum();
        results.iter().for_each(|(_, w)| wire.add(*w));
        if pass > 0 && moved == 0 {
            break;
        }
        assert!(
            start.elapsed() < PHASE_LIMIT,
            "gave up after {PHASE_LIMIT:?}"
        );
    }
    let seconds = start.elapsed().as_secs_f64();
    let dirty: u64 = devices
        .iter()
        .map(|d| d.store.dirty_count().expect("dirty"))
        .sum();
    assert_eq!(dirty, 0, "every phone's work reached the server");
    DayResult {
        seconds,
        wire,
        changes,
        peak_kib: peak_memory_kib(&server),
        metrics: server_metrics(&server.base()),
    }
}

/// One phone holds BIG_HELD records; BIG_CHANGED of them changed (half on
/// it, half elsewhere); its reconnect, by the protocol and by the baseline.
fn big_reconnect(backend: &Backend) -> (Wire, Wire) {
    let dir = tempfile::tempdir().expect("tempdir");
    let users = seed_staff(backend, dir.path(), 1);
    let server = Server::start_demo(backend, dir.path());
    let client = reqwest::blocking::Client::new();
    let estate = users[0].1.clone();
    let mut phone = Device::login(&server.base(), &users[0].0);
    let mut other = Device::login(&server.base(), &users[1].0);
    let ids: Vec<RecordId> = (0..BIG_HELD)
        .map(|i| register(&mut other, &estate, i))
        .collect();
    reconnect(&client, &mut other, Upload::Changes, &mut Wire::default());
    reconnect(&client, &mut phone, Upload::Changes, &mut Wire::default());
    let offline = |phone: &mut Device, other: &mut Device, round: usize| {
        for (k, id) in ids.iter().take(BIG_CHANGED).enumerate() {
            let d = if k % 2 == 0 { &mut *phone } else { &mut *other };
            note(d, id, &format!("big-{round}-{k}"));
        }
        reconnect(&client, other, Upload::Changes, &mut Wire::default());
    };
    offline(&mut phone, &mut other, 0);
    let mut protocol = Wire::default();
    reconnect(&client, &mut phone, Upload::Changes, &mut protocol);
    offline(&mut phone, &mut other, 1);
    let mut baseline = Wire::default();
    reconnect(&client, &mut phone, Upload::WholeDocuments, &mut baseline);
    (protocol, baseline)
}

fn ratio(a: f64, b: f64) -> String {
    if a == 0.0 {
        "-".into()
    } else {
        format!("{:.1}×", b / a)
    }
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1 << 20) as f64)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut devices_n = 200;
    let mut postgres = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--devices" => {
                devices_n = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--devices N")
            }
            "--postgres" => postgres = args.next(),
            other => panic!("unknown argument {other} (--devices N, --postgres URL)"),
        }
    }
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
    if let Some(url) = &postgres {
        std::env::set_var(rounds_tests::POSTGRES_ENV, url);
    }
    let backend_of = || match &postgres {
        Some(_) => Backend::postgres().expect("PostgreSQL"),
        None => Backend::Sqlite,
    };
    let on = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("sync_bench on {on}: {devices_n} phones, {PER_ESTATE} per estate, ~{} records of offline work each", NEW_ORDERS + NOTED_ORDERS);

    let base = day_of_offline_work(&backend_of, devices_n, Upload::WholeDocuments);
    let ours = day_of_offline_work(&backend_of, devices_n, Upload::Changes);
    let (big, big_base) = big_reconnect(&backend_of());

    println!();
    println!(
        "{:<44} {:>16} {:>16} {:>9}",
        "", "protocol", "whole-document", "baseline/protocol"
    );
    println!(
        "{:<44} {:>15.2}s {:>15.2}s {:>9}",
        "time until all converged",
        ours.seconds,
        base.seconds,
        ratio(ours.seconds, base.seconds)
    );
    println!(
        "{:<44} {:>16} {:>16} {:>9}",
        "bytes on the wire",
        mib(ours.wire.bytes()),
        mib(base.wire.bytes()),
        ratio(ours.wire.bytes() as f64, base.wire.bytes() as f64)
    );
    println!(
        "{:<44} {:>16} {:>16}",
        "  of which uploaded",
        mib(ours.wire.up),
        mib(base.wire.up)
    );
    println!(
        "{:<44} {:>16} {:>16}",
        "size of the changes themselves",
        mib(ours.changes),
        mib(base.changes)
    );
    println!(
        "{:<44} {:>15.1}× {:>15.1}×",
        "wire bytes / change bytes",
        ours.wire.bytes() as f64 / ours.changes.max(1) as f64,
        base.wire.bytes() as f64 / base.changes.max(1) as f64
    );
    println!(
        "{:<44} {:>12} KiB {:>12} KiB {:>9}",
        "server peak memory (VmHWM)",
        ours.peak_kib,
        base.peak_kib,
        ratio(ours.peak_kib as f64, base.peak_kib as f64)
    );
    let m = |r: &DayResult, k: &str| r.metrics.get(k).copied().unwrap_or(0.0);
    for (label, key) in [
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
    ] {
        println!(
            "{:<44} {:>15.2}s {:>15.2}s",
            label,
            m(&ours, key),
            m(&base, key)
        );
    }
    let policy = m(&ours, "rounds_sync_policy_seconds_total");
    println!(
        "{:<44} {:>15.1}% {:>15.1}%",
        "write policy / time until all converged",
        100.0 * policy / ours.seconds.max(1e-9),
        100.0 * m(&base, "rounds_sync_policy_seconds_total") / base.seconds.max(1e-9)
    );
    println!(
        "{:<44} {:>15.1}%",
        "write policy / storage time",
        100.0 * policy / m(&ours, "rounds_sync_storage_seconds_total").max(1e-9)
    );
    println!(
        "{:<44} {:>16} {:>16} {:>9}",
        format!("reconnect holding {BIG_HELD}, {BIG_CHANGED} changed: bytes"),
        mib(big.bytes()),
        mib(big_base.bytes()),
        ratio(big.bytes() as f64, big_base.bytes() as f64)
    );
    println!(
        "{:<44} {:>16} {:>16} {:>9}",
        "  round trips",
        big.round_trips,
        big_base.round_trips,
        ratio(big.round_trips as f64, big_base.round_trips as f64)
    );
}
