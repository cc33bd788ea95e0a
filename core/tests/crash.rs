//! A store killed in the middle of writing is consistent when reopened: every
//! document loads and its query row matches it.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::*;
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::Record;
use rounds_core::store::{DocumentStore, Store};
use rounds_core::{RecordId, RecordKind, Role};

const CHILD: &str = "ROUNDS_CRASH_CHILD_DB";

/// Run as a child process: writes to the store until it is killed.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut store = Store::open(&path).unwrap();
    let d = store.device_id();
    let id = match store.record_ids().unwrap().first() {
        Some((id, _)) => id.clone(),
        None => {
            let mut o = WorkOrderDoc::register(
                &order_draft("u-1", T0 + HOUR),
                d,
                &who("r1", Role::Receptionist, d, T0),
            )
            .unwrap();
            store.create(&mut o).unwrap();
            o.record().id().clone()
        }
    };
    for i in 0.. {
        let who = who("r1", Role::Receptionist, d, T0 + i);
        store
            .edit(&id, |o: &mut WorkOrderDoc, _| {
                o.add_note(&format!("{}-{i}", std::process::id()), "巡查记录", &who)
            })
            .unwrap();
        if i == 0 {
            // Tell the parent writing has begun, so it kills mid-write
            // however slowly this process started.
            std::fs::write(format!("{path}.writing"), b"").unwrap();
        }
        if i % 7 == 0 {
            let mut extra = WorkOrderDoc::register(&order_draft("u-2", T0), d, &who).unwrap();
            store.create(&mut extra).unwrap();
        }
    }
}

#[test]
fn a_store_killed_mid_write_reopens_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut notes_seen = 0;
    let writing = dir.path().join("crash.db.writing");
    for round in 0..4u64 {
        let _ = std::fs::remove_file(&writing);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash::crash_child_writer", "--exact", "--nocapture"])
            .env(CHILD, &db)
            .spawn()
            .unwrap();
        while !writing.exists() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the writer exited early"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(100 + round * 70));
        child.kill().unwrap(); // SIGKILL: no destructor, no flush.
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        assert_eq!(
            store.verify().unwrap(),
            Vec::<String>::new(),
            "round {round}"
        );
        let ids: Vec<RecordId> = store
            .record_ids()
            .unwrap()
            .into_iter()
            .filter(|(_, k)| *k == RecordKind::WorkOrder)
            .map(|(id, _)| id)
            .collect();
        assert!(!ids.is_empty(), "the child wrote nothing in round {round}");
        let first = ids.iter().min().unwrap();
        let notes = store
            .get::<WorkOrderDoc>(first)
            .unwrap()
            .read()
            .unwrap()
            .notes
            .len();
        assert!(
            notes >= notes_seen,
            "committed notes were lost: {notes} < {notes_seen}"
        );
        notes_seen = notes;
    }
    assert!(notes_seen > 0);
}
