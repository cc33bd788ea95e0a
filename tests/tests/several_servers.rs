//! Several `rounds-server` processes on one PostgreSQL: phones split between
//! them converge, a change merged by one process pokes phones connected to
//! another, and two processes merging the same record at the same moment
//! lose nothing. PostgreSQL only (skipped with a note without
//! `ROUNDS_TEST_POSTGRES`).

use std::io::{BufRead, BufReader};
use std::sync::{mpsc, Barrier};
use std::time::{Duration, Instant};

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::{DocumentStore, Query};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, RecordKind};
use rounds_tests::*;

fn orders(d: &Device, status: &str) -> Vec<RecordId> {
    d.store
        .query(&Query {
            kind: Some(RecordKind::WorkOrder),
            status: Some(status.into()),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|r| RecordId::parse(&r.id).unwrap())
        .collect()
}

fn note(d: &mut Device, id: &RecordId, note_id: &str) {
    let who = d.who(now_millis());
    d.store
        .edit(id, |o: &mut WorkOrderDoc, _| {
            o.add_note(note_id, "现场记录 / field note", &who)
        })
        .unwrap();
}

fn notes(d: &Device, id: &RecordId) -> Vec<String> {
    let o = d.store.get::<WorkOrderDoc>(id).unwrap().read().unwrap();
    o.notes.iter().map(|n| n.id.clone()).collect()
}

/// Two processes on one fresh database; the second starts once the first
/// has seeded it.
fn two_servers(backend: &Backend) -> (Server, Server, tempfile::TempDir, tempfile::TempDir) {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s1 = Server::start_demo(backend, d1.path());
    let s2 = Server::start_demo(backend, d2.path());
    (s1, s2, d1, d2)
}

#[test]
fn phones_split_between_two_server_processes_on_postgres_converge_and_hear_each_other() {
    let Some(pg) = Backend::postgres() else {
        return;
    };
    let (s1, s2, _d1, _d2) = two_servers(&pg);
    let mut desk = Device::login(&s1.base(), "reception");
    let mut tech = Device::login(&s2.base(), "tech");
    let mut head = Device::login(&s2.base(), "supervisor");
    for d in [&mut desk, &mut tech, &mut head] {
        d.sync().unwrap();
    }

    // The technician, listening on the second process, hears of a dispatch
    // the desk syncs through the first.
    let (tx, rx) = mpsc::channel();
    let events = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap()
        .get(format!("{}/v1/events", s2.base()))
        .bearer_auth(tech.http.token().unwrap())
        .send()
        .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(events).lines().map_while(Result::ok) {
            if line == "event: changed" && tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    let registered = orders(&desk, "registered");
    let who = desk.who(now_millis());
    desk.store
        .edit(&registered[0], |o: &mut WorkOrderDoc, _| {
            o.dispatch("s-tech", &who)
        })
        .unwrap();
    let sent = Instant::now();
    desk.sync().unwrap();
    let poked = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the technician on the other process is poked");
    assert!(poked.duration_since(sent) < Duration::from_secs(1));

    // Offline work on both sides, then reconnects in shuffled order.
    let dispatched = orders(&tech, "dispatched");
    for (i, id) in dispatched.iter().enumerate() {
        note(&mut tech, id, &format!("t{i}"));
        note(&mut desk, id, &format!("d{i}"));
        note(&mut head, id, &format!("h{i}"));
    }
    let mut seed = 0x2_5e57_u64;
    let mut devices = vec![desk, tech, head];
    for _ in 0..3 {
        for i in shuffled((0..devices.len()).collect(), &mut seed) {
            let summary = devices[i].sync().unwrap();
            assert!(summary.refused.is_empty(), "{:?}", summary.refused);
        }
    }
    assert_converged(&s1, &devices.iter().collect::<Vec<_>>());
    for d in &devices {
        for (i, id) in dispatched.iter().enumerate() {
            let n = notes(d, id);
            for who in ["t", "d", "h"] {
                assert!(
                    n.contains(&format!("{who}{i}")),
                    "{} lacks {who}{i}",
                    d.staff.id
                );
            }
        }
    }
}

#[test]
fn two_processes_on_postgres_merging_the_same_records_at_once_lose_nothing() {
    let Some(pg) = Backend::postgres() else {
        return;
    };
    let (s1, s2, _d1, _d2) = two_servers(&pg);
    let mut desk = Device::login(&s1.base(), "reception");
    let mut head = Device::login(&s2.base(), "supervisor");
    desk.sync().unwrap();
    head.sync().unwrap();
    let shared: Vec<RecordId> = orders(&desk, "registered")
        .into_iter()
        .chain(orders(&desk, "dispatched"))
        .take(8)
        .collect();

    // Rounds of: both note every shared order offline, then sync at the same
    // instant, each through its own process.
    const ROUNDS: usize = 5;
    for round in 0..ROUNDS {
        for id in &shared {
            note(&mut desk, id, &format!("desk-{round}"));
            note(&mut head, id, &format!("head-{round}"));
        }
        let barrier = Barrier::new(2);
        std::thread::scope(|s| {
            for d in [&mut desk, &mut head] {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    let summary = d.sync().unwrap();
                    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
                });
            }
        });
    }
    desk.sync().unwrap();
    head.sync().unwrap();
    desk.sync().unwrap();

    let on_server = s1.records_of(ESTATE_A);
    for id in &shared {
        for d in [&desk, &head] {
            let n = notes(d, id);
            for round in 0..ROUNDS {
                for who in ["desk", "head"] {
                    assert!(
                        n.contains(&format!("{who}-{round}")),
                        "{} lacks {who}-{round} on {id}",
                        d.staff.id
                    );
                }
            }
            assert_eq!(
                heads(&d.store, id),
                on_server[id],
                "{} matches the server",
                d.staff.id
            );
        }
    }
}
