//! A day of offline work: phones (PER_ESTATE to an estate) sync the
//! morning's shared orders, work a day offline, and reconnect at once, spread
//! over one or more `rounds-server` processes on one database.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rounds_core::{RecordId, Role, Staff};
use rounds_server::phone::auth::hash_password;
use rounds_tests::{heads, Backend, Device, Server, PASSWORD};

use crate::memory;
use crate::phone::{change_bytes, in_parallel, note, on_all, reconnect, register};
use crate::phone::{Upload, Wire};
use crate::workload::Workload;

pub const PER_ESTATE: usize = 10;
pub const SHARED_ORDERS: usize = 20;
pub const NEW_ORDERS: usize = 20;
pub const NOTED_ORDERS: usize = 10;
/// A supervisor, to read the server's counters.
const HEAD: &str = "bench-head";

/// How the day is run.
pub struct Plan<'a> {
    pub devices: usize,
    /// Server processes on the one database (1 on SQLite).
    pub servers: usize,
    pub how: Upload,
    pub workers: usize,
    pub phase_limit: Duration,
    /// Where to write the day's documents for the automerge-repo harness.
    pub export: Option<&'a Path>,
}

/// Did every phone end with every record of its estate at the server's heads?
#[derive(Default)]
pub struct Convergence {
    /// Records the server holds.
    pub records: usize,
    /// Records the phones made that the server does not hold.
    pub lost: usize,
    /// Phones missing a record of their estate, holding one at other heads
    /// than the server's, or with changes left to send.
    pub phones_behind: usize,
}

impl Convergence {
    pub fn complete(&self) -> bool {
        self.lost == 0 && self.phones_behind == 0
    }
}

pub struct DayResult {
    pub seconds: f64,
    /// Reconnect passes over every phone, the last one moving nothing.
    pub passes: usize,
    /// The run stopped at the phase limit.
    pub gave_up: bool,
    pub wire: Wire,
    pub changes: u64,
    /// Each server process's peak resident memory (VmHWM).
    pub peak_kib: Vec<u64>,
    /// CPU time during the evening: the servers', and the phones' (this process).
    pub server_cpu: f64,
    pub phones_cpu: f64,
    /// The servers' own counters (`GET /metrics`), summed, in seconds.
    pub metrics: BTreeMap<String, f64>,
    pub check: Convergence,
}

impl DayResult {
    pub fn metric(&self, key: &str) -> f64 {
        self.metrics.get(key).copied().unwrap_or(0.0)
    }
}

/// Staff for `estates` estates, PER_ESTATE receptionists each, written into
/// the server's storage before it starts (so `demo` seeds nothing else).
pub fn seed_staff(backend: &Backend, dir: &Path, estates: usize) -> Vec<(String, String)> {
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

/// The server's sync counters, read as a head.
fn server_metrics(base: &str) -> BTreeMap<String, f64> {
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

/// Every phone against what the server's database holds for its estate.
fn check(
    server: &Server,
    devices: &mut [Device],
    workers: usize,
    made: &BTreeMap<String, Vec<RecordId>>,
) -> Convergence {
    let on_server: BTreeMap<&String, BTreeMap<RecordId, Vec<String>>> = made
        .keys()
        .map(|estate| (estate, server.records_of(estate)))
        .collect();
    let behind = on_all(devices, workers, |d| {
        let estate = &d.staff.estates[0];
        let records = &on_server[estate];
        !d.ids().iter().eq(records.keys())
            || records
                .iter()
                .any(|(id, server_heads)| &heads(&d.store, id) != server_heads)
            || d.store.dirty_count().expect("dirty") > 0
    });
    Convergence {
        records: on_server.values().map(BTreeMap::len).sum(),
        lost: made
            .iter()
            .map(|(estate, ids)| {
                ids.iter()
                    .filter(|id| !on_server[estate].contains_key(id))
                    .count()
            })
            .sum(),
        phones_behind: behind.into_iter().filter(|b| *b).count(),
    }
}

/// Fresh servers and phones; a day offline; everyone reconnects at once.
pub fn day_of_offline_work(backend: &Backend, plan: &Plan) -> DayResult {
    let dirs: Vec<tempfile::TempDir> = (0..plan.servers)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let estates = plan.devices.div_ceil(PER_ESTATE);
    let users = seed_staff(backend, dirs[0].path(), estates);
    let mut servers: Vec<Server> = dirs
        .iter()
        .map(|d| Server::start_demo(backend, d.path()))
        .collect();
    let pids: Vec<u32> = servers.iter().filter_map(Server::pid).collect();
    let client = reqwest::blocking::Client::builder()
        .timeout(plan.phase_limit)
        .build()
        .expect("client");
    // Phone i talks to server i mod servers: each estate's phones on all of them.
    let bases: Vec<String> = servers.iter().map(Server::base).collect();
    let mut devices = in_parallel(plan.devices, plan.workers, |i| {
        Device::login(&bases[i % bases.len()], &users[i].0)
    });
    let until = || Instant::now() + plan.phase_limit;

    // Morning: the first phone of each estate registers the shared orders;
    // everyone syncs them.
    let mut made: BTreeMap<String, Vec<RecordId>> = BTreeMap::new();
    let mut shared = vec![vec![]; estates];
    for (i, d) in devices.iter_mut().enumerate().step_by(PER_ESTATE) {
        let estate = &users[i].1;
        for k in 0..SHARED_ORDERS {
            shared[i / PER_ESTATE].push(register(d, estate, k));
        }
        made.entry(estate.clone())
            .or_default()
            .extend(shared[i / PER_ESTATE].clone());
    }
    for _ in 0..2 {
        let deadline = until();
        on_all(&mut devices, plan.workers, |d| {
            reconnect(&client, d, Upload::Changes, &mut Wire::default(), deadline)
        });
    }
    let mut workload = plan.export.map(|dir| Workload::new(dir, &devices));

    // The day offline: new orders, and notes on some of the shared ones.
    for (i, d) in devices.iter_mut().enumerate() {
        let estate = &users[i].1;
        let new: Vec<RecordId> = (0..NEW_ORDERS)
            .map(|k| register(d, estate, 1000 + k))
            .collect();
        made.entry(estate.clone()).or_default().extend(new);
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
    if let Some(w) = workload.as_mut() {
        w.evening(&devices);
    }

    // Evening: everyone reconnects at once, then again until nothing moves.
    let cpu = || -> (f64, f64) {
        (
            pids.iter().map(|&p| memory::cpu_seconds(p)).sum(),
            memory::cpu_seconds(std::process::id()),
        )
    };
    let (server_cpu0, phones_cpu0) = cpu();
    let start = Instant::now();
    let deadline = start + plan.phase_limit;
    let mut wire = Wire::default();
    let mut passes = 0;
    while Instant::now() < deadline {
        let how = if passes == 0 {
            plan.how
        } else {
            Upload::Changes
        };
        let results = on_all(&mut devices, plan.workers, |d| {
            let mut w = Wire::default();
            (reconnect(&client, d, how, &mut w, deadline), w)
        });
        passes += 1;
        let moved: usize = results.iter().map(|(g, _)| g).sum();
        eprintln!(
            "  evening pass {passes}: {moved} documents received, {:.1} s since the start",
            start.elapsed().as_secs_f64()
        );
        results.iter().for_each(|(_, w)| wire.add(*w));
        if passes > 1 && moved == 0 {
            break;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let gave_up = Instant::now() >= deadline;
    let (server_cpu1, phones_cpu1) = cpu();

    let peak_kib = pids.iter().map(|&p| memory::peak_kib(p)).collect();
    let mut metrics = BTreeMap::new();
    for s in &servers {
        for (k, v) in server_metrics(&s.base()) {
            *metrics.entry(k).or_insert(0.0) += v;
        }
    }
    // SQLite's files are read once the server has stopped.
    servers.iter_mut().for_each(Server::kill);
    DayResult {
        seconds,
        passes,
        gave_up,
        wire,
        changes,
        peak_kib,
        server_cpu: server_cpu1 - server_cpu0,
        phones_cpu: phones_cpu1 - phones_cpu0,
        metrics,
        check: check(&servers[0], &mut devices, plan.workers, &made),
    }
}
