//! What a simulated phone does in the bench: register orders, write notes,
//! reconnect (by the protocol or by whole-document upload), counting bytes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::DocumentStore;
use rounds_core::sync::{apply_response, build_request, DocChanges, SyncRequest, SyncResponse};
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::{order_draft, Device};

/// Phones working at once: the bench's threads, each reconnecting one phone
/// after another.
pub const WORKERS: usize = 16;

#[derive(Default, Clone, Copy)]
pub struct Wire {
    pub up: u64,
    pub down: u64,
    pub round_trips: u64,
}

impl Wire {
    pub fn add(&mut self, o: Wire) {
        self.up += o.up;
        self.down += o.down;
        self.round_trips += o.round_trips;
    }
    pub fn bytes(&self) -> u64 {
        self.up + self.down
    }
}

/// How a phone sends what it holds.
#[derive(Clone, Copy, PartialEq)]
pub enum Upload {
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

/// One reconnect, to the end or to `deadline`; returns the documents received.
pub fn reconnect(
    client: &reqwest::blocking::Client,
    d: &mut Device,
    how: Upload,
    wire: &mut Wire,
    deadline: Instant,
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
    while Instant::now() < deadline {
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

pub fn register(d: &mut Device, estate: &str, i: usize) -> RecordId {
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

pub fn note(d: &mut Device, id: &RecordId, n: &str) {
    let who = d.who(now_millis());
    d.store
        .edit(id, |o: &mut WorkOrderDoc, _| {
            o.add_note(n, "已联系业主,明早上门 / resident called back", &who)
        })
        .expect("note");
}

/// Bytes of a phone's unsynced changes: what the work itself weighs.
pub fn change_bytes(d: &Device) -> u64 {
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

/// Runs `f(i)` for every `i` below `n` from `workers` threads at once, in order of `i`.
pub fn in_parallel<T: Send>(n: usize, workers: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    return;
                }
                let r = f(i);
                *out[i].lock().expect("slot") = Some(r);
            });
        }
    });
    out.into_iter()
        .map(|m| m.into_inner().expect("slot").expect("ran"))
        .collect()
}

/// Runs `f` on every phone from `workers` threads at once.
pub fn on_all<T: Send>(
    devices: &mut [Device],
    workers: usize,
    f: impl Fn(&mut Device) -> T + Sync,
) -> Vec<T> {
    let slots: Vec<Mutex<&mut Device>> = devices.iter_mut().map(Mutex::new).collect();
    in_parallel(slots.len(), workers, |i| {
        f(&mut slots[i].lock().expect("device"))
    })
}
