//! One phone holding BIG_HELD records, BIG_CHANGED of which changed (half on
//! it, half elsewhere), reconnects: by the protocol and by the baseline. The
//! server's resident memory before and once it holds them all.

use std::time::{Duration, Instant};

use rounds_core::RecordId;
use rounds_tests::{Backend, Device, Server};

use crate::day::seed_staff;
use crate::memory;
use crate::phone::{note, reconnect, register, Upload, Wire};

pub const BIG_HELD: usize = 5_000;
pub const BIG_CHANGED: usize = 50;

pub struct BigResult {
    pub protocol: Wire,
    pub baseline: Wire,
    pub rss_before_kib: u64,
    pub rss_holding_kib: u64,
}

pub fn big_reconnect(backend: &Backend, phase_limit: Duration) -> BigResult {
    let dir = tempfile::tempdir().expect("tempdir");
    let users = seed_staff(backend, dir.path(), 1);
    let server = Server::start_demo(backend, dir.path());
    let pid = server.pid().expect("running");
    let client = reqwest::blocking::Client::builder()
        .timeout(phase_limit)
        .build()
        .expect("client");
    let deadline = Instant::now() + phase_limit;
    let estate = users[0].1.clone();
    let mut phone = Device::login(&server.base(), &users[0].0);
    let mut other = Device::login(&server.base(), &users[1].0);
    let rss_before_kib = memory::settled_rss_kib(pid);
    let ids: Vec<RecordId> = (0..BIG_HELD)
        .map(|i| register(&mut other, &estate, i))
        .collect();
    let sync = |d: &mut Device, how: Upload, wire: &mut Wire| {
        reconnect(&client, d, how, wire, deadline);
    };
    sync(&mut other, Upload::Changes, &mut Wire::default());
    sync(&mut phone, Upload::Changes, &mut Wire::default());
    let rss_holding_kib = memory::settled_rss_kib(pid);
    let offline = |phone: &mut Device, other: &mut Device, round: usize| {
        for (k, id) in ids.iter().take(BIG_CHANGED).enumerate() {
            let d = if k % 2 == 0 { &mut *phone } else { &mut *other };
            note(d, id, &format!("big-{round}-{k}"));
        }
        sync(other, Upload::Changes, &mut Wire::default());
    };
    offline(&mut phone, &mut other, 0);
    let mut protocol = Wire::default();
    reconnect(
        &client,
        &mut phone,
        Upload::Changes,
        &mut protocol,
        deadline,
    );
    offline(&mut phone, &mut other, 1);
    let mut baseline = Wire::default();
    reconnect(
        &client,
        &mut phone,
        Upload::WholeDocuments,
        &mut baseline,
        deadline,
    );
    BigResult {
        protocol,
        baseline,
        rss_before_kib,
        rss_holding_kib,
    }
}
