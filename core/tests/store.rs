//! The local store: one transaction per edit, idempotent creation, queries,
//! compaction, and refusal of bad bytes without touching what was saved.

use crate::common;

use common::*;
use rounds_core::documents::work_order::{OrderStatus, WorkOrderDoc};
use rounds_core::documents::Record;
use rounds_core::store::{Created, DocumentStore, Outgoing, Store, StoreError};
use rounds_core::{RecordKind, Role};

fn registered(store: &mut Store, unit: &str, due_at: i64) -> WorkOrderDoc {
    let d = store.device_id();
    let mut order = WorkOrderDoc::register(
        &order_draft(unit, due_at),
        d,
        &who("r1", Role::Receptionist, d, T0),
    )
    .unwrap();
    assert_eq!(store.create(&mut order).unwrap(), Created::New);
    order
}

#[test]
fn edits_survive_reopening_and_feed_the_query_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.db");
    let (late, on_time, device);
    {
        let mut store = Store::open(&path).unwrap();
        device = store.device_id();
        late = registered(&mut store, "u-1", T0 + HOUR)
            .record()
            .id()
            .clone();
        on_time = registered(&mut store, "u-2", T0 + 48 * HOUR)
            .record()
            .id()
            .clone();
        for id in [&late, &on_time] {
            store
                .edit(id, |o: &mut WorkOrderDoc, _| {
                    o.dispatch("t1", &who("r1", Role::Receptionist, device, T0 + 1))
                })
                .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.device_id(), device, "a device keeps its identity");
    assert_eq!(store.open_orders_for("t1").unwrap().len(), 2);
    let overdue = store.overdue(RecordKind::WorkOrder, T0 + 2 * HOUR).unwrap();
    assert_eq!(
        overdue.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec![late.as_str()]
    );
    assert_eq!(store.unit_history("u-2").unwrap()[0].status, "dispatched");
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn creating_the_same_record_again_keeps_one() {
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let draft = order_draft("u-1", T0 + HOUR);
    let mut first =
        WorkOrderDoc::register(&draft, d, &who("r1", Role::Receptionist, d, T0)).unwrap();
    let mut retry =
        WorkOrderDoc::register(&draft, d, &who("r1", Role::Receptionist, d, T0 + 5)).unwrap();
    assert_eq!(store.create(&mut first).unwrap(), Created::New);
    assert_eq!(store.create(&mut retry).unwrap(), Created::AlreadyThere);
    assert_eq!(store.record_ids().unwrap().len(), 1);
}

#[test]
fn a_refused_edit_stores_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let id = registered(&mut store, "u-1", T0 + HOUR)
        .record()
        .id()
        .clone();
    let before = store.load(&id).unwrap().save();
    let err = store
        .edit(&id, |o: &mut WorkOrderDoc, _| {
            o.accept(&who("t1", Role::Technician, d, T0))
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Record(_)), "{err}");
    assert_eq!(store.load(&id).unwrap().save(), before);
    assert_eq!(
        store.index_row(id.as_str()).unwrap().unwrap().status,
        "registered"
    );
}

#[test]
fn corrupt_or_truncated_bytes_are_refused_and_leave_the_store_as_it_was() {
    let mut phone = Store::open_in_memory().unwrap();
    let mut office = Store::open_in_memory().unwrap();
    let pd = phone.device_id();
    let mut order = registered(&mut phone, "u-1", T0 + HOUR);
    let id = order.record().id().clone();
    let full = order.record_mut().save();
    office.apply_changes(&id, &full).unwrap();
    phone
        .edit(&id, |o: &mut WorkOrderDoc, _| {
            o.add_note("n1", "带梯子", &who("r1", Role::Receptionist, pd, T0 + 1))
        })
        .unwrap();
    let change = phone
        .load(&id)
        .unwrap()
        .changes_since(&office.load(&id).unwrap().heads());
    let before = office.load(&id).unwrap().save();

    let truncated = &change[..change.len() / 2];
    let mut flipped = change.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0xff;
    for bad in [truncated, &flipped[..], b"not automerge at all"] {
        assert!(office.apply_changes(&id, bad).is_err());
        assert_eq!(office.load(&id).unwrap().save(), before);
    }
    // Bytes of another record under this id are refused too.
    let other = registered(&mut phone, "u-2", T0).record_mut().save();
    assert!(office.apply_changes(&id, &other).is_err());
    assert!(office.verify().unwrap().is_empty());
    // And the good change still applies afterwards.
    office.apply_changes(&id, &change).unwrap();
    let o = office.get::<WorkOrderDoc>(&id).unwrap().read().unwrap();
    assert_eq!(o.notes.len(), 1);
    assert_eq!(o.status(), Some(OrderStatus::Registered));
}

#[test]
fn many_edits_compact_into_a_snapshot_that_reads_the_same() {
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let id = registered(&mut store, "u-1", T0 + HOUR)
        .record()
        .id()
        .clone();
    for i in 0..80 {
        store
            .edit(&id, |o: &mut WorkOrderDoc, _| {
                o.add_note(
                    &format!("n{i}"),
                    &format!("第{i}次记录"),
                    &who("r1", Role::Receptionist, d, T0 + i),
                )
            })
            .unwrap();
    }
    let o = store.get::<WorkOrderDoc>(&id).unwrap().read().unwrap();
    assert_eq!(o.notes.len(), 80);
    assert_eq!(o.notes[79].text, "第79次记录");
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn an_edit_through_another_connection_is_seen_not_hidden_by_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.db");
    let mut app = Store::open(&path).unwrap();
    let d = app.device_id();
    let id = registered(&mut app, "u-1", T0 + HOUR).record().id().clone();
    app.edit(&id, |o: &mut WorkOrderDoc, _| {
        o.add_note("n1", "第一条", &who("r1", Role::Receptionist, d, T0 + 1))
    })
    .unwrap();
    // A background worker (sync, say) opens the same file and writes.
    let mut worker = Store::open(&path).unwrap();
    worker
        .edit(&id, |o: &mut WorkOrderDoc, _| {
            o.add_note("n2", "第二条", &who("r1", Role::Receptionist, d, T0 + 2))
        })
        .unwrap();
    app.edit(&id, |o: &mut WorkOrderDoc, _| {
        o.add_note("n3", "第三条", &who("r1", Role::Receptionist, d, T0 + 3))
    })
    .unwrap();
    let notes: Vec<String> = app
        .get::<WorkOrderDoc>(&id)
        .unwrap()
        .read()
        .unwrap()
        .notes
        .into_iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(notes, ["n1", "n2", "n3"]);
    assert!(worker.verify().unwrap().is_empty());
}

#[test]
fn what_a_device_lacks_brings_it_to_the_stored_heads() {
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let id = registered(&mut store, "u-1", T0 + HOUR)
        .record()
        .id()
        .clone();
    let note = |store: &mut Store, i: i64| {
        store
            .edit(&id, |o: &mut WorkOrderDoc, _| {
                o.add_note(
                    &format!("n{i}"),
                    "门锁已换 / lock replaced",
                    &who("r1", Role::Receptionist, d, T0 + i),
                )
            })
            .unwrap();
    };
    note(&mut store, 1);
    let mut at_halfway = store.load(&id).unwrap();
    let halfway = at_halfway.heads();
    // Enough edits to compact once, so both a snapshot and chunks are read.
    for i in 2..40 {
        note(&mut store, i);
    }
    let mut stored = store.load(&id).unwrap();
    let mut heads = stored.heads();
    heads.sort();

    assert_eq!(store.outgoing(&id, &heads).unwrap(), Outgoing::UpToDate);

    // A device with nothing gets the whole record, as stored.
    let Outgoing::Changes { heads: sent, bytes } = store.outgoing(&id, &[]).unwrap() else {
        panic!("a device with nothing lacks everything");
    };
    assert_eq!(sent, heads);
    let mut fresh = Store::open_in_memory().unwrap();
    let mut got = fresh.apply_changes(&id, &bytes).unwrap();
    assert_eq!(got.heads(), stored.heads());

    // A device half-way gets only what it lacks.
    let Outgoing::Changes {
        heads: sent,
        bytes: rest,
    } = store.outgoing(&id, &halfway).unwrap()
    else {
        panic!("a device half-way lacks the later notes");
    };
    assert_eq!(sent, heads);
    let mut behind = Store::open_in_memory().unwrap();
    behind.apply_changes(&id, &at_halfway.save()).unwrap();
    let mut caught_up = behind.apply_changes(&id, &rest).unwrap();
    assert_eq!(caught_up.heads(), stored.heads());
    let o = behind.get::<WorkOrderDoc>(&id).unwrap().read().unwrap();
    assert_eq!(o.notes.len(), 39);
}

/// A store whose list rows an older release wrote (here: a wrong status and
/// a row version of 0) derives them again from the documents on opening, so
/// an upgrade's new facts reach lists without waiting for each record's
/// next change; a current store is left as it is.
#[test]
fn rows_written_by_an_older_release_are_derived_again_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.db");
    let id = {
        let mut store = Store::open(&path).unwrap();
        registered(&mut store, "u-1", T0 + HOUR)
            .record()
            .id()
            .clone()
    };
    let stale = |version: i64| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE record_index SET status = 'as_the_old_code_said'",
            [],
        )
        .unwrap();
        conn.execute("UPDATE index_meta SET row_version = ?1", [version])
            .unwrap();
    };
    let status = |store: &Store| store.index_row(id.as_str()).unwrap().unwrap().status;

    stale(rounds_core::documents::index::ROW_VERSION);
    assert_eq!(status(&Store::open(&path).unwrap()), "as_the_old_code_said");

    stale(0);
    let store = Store::open(&path).unwrap();
    assert_eq!(status(&store), "registered");
    drop(store);
    // Derived once: the version is now current.
    stale(rounds_core::documents::index::ROW_VERSION);
    assert_eq!(status(&Store::open(&path).unwrap()), "as_the_old_code_said");
}
