//! One checklist item recorded on a building patrol. Each inspection has
//! nine items, each recorded once; a new inspection is started (and shown,
//! as the checklist screen does) outside the timed part every nine items,
//! so no case works on a document larger than a real one.
//!
//! - rounds: `Session::record_item`, the write policy judging the edit, the
//!   change stored with the inspection's query row in one transaction;
//! - plain SQLite: one row per item, updated;
//! - floor: the same Automerge change made by hand on the same document,
//!   `save_incremental`, and one transaction appending those bytes as a row.

use std::time::{Duration, Instant};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ReadDoc, Value, ROOT};
use criterion::Criterion;
use rounds_core::documents::inspection::{InspectionDoc, InspectionDraft, ItemResult};
use rounds_core::documents::template::{default_templates, Template, TemplateDoc};
use rounds_core::documents::{Record, Who};
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};
use rusqlite::{params, TransactionBehavior};

use crate::fixtures::{durable, place, session, BenchClock, T0};

/// What the `n`th edit records: every other item a defect with a note.
fn outcome(n: u64) -> (ItemResult, &'static str) {
    if n.is_multiple_of(2) {
        (ItemResult::Ok, "")
    } else {
        (ItemResult::Defect, "消防栓压力不足")
    }
}

pub fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let clock = BenchClock::at(T0);
    let mut s = session(dir.path(), Role::PropertyAssistant, &clock);
    let device = s.store().device_id();
    let head = Who {
        staff_id: "h1".into(),
        role: Role::Supervisor,
        device_id: device,
        at: T0,
    };
    let mut template = TemplateDoc::create(
        RecordId::new(),
        "e1",
        &default_templates()[0],
        device,
        &head,
    )
    .unwrap();
    s.store_mut().create(&mut template).unwrap();
    let template_id = template.record().id().clone();
    let template = template.read().unwrap();
    let items: Vec<String> = template.versions[0]
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let per = items.len() as u64;

    let mut g = c.benchmark_group("record_item");
    g.bench_function("rounds", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            let mut id = None;
            for n in 0..iters {
                if n % per == 0 {
                    let new = s
                        .start_inspection(RecordId::new(), &template_id, place(n as i64), None)
                        .unwrap();
                    s.inspection(&new).unwrap();
                    id = Some(new);
                }
                clock.tick();
                let (result, note) = outcome(n);
                let item = &items[(n % per) as usize];
                let t = Instant::now();
                s.record_item(id.as_ref().unwrap(), item, result, note)
                    .unwrap();
                spent += t.elapsed();
            }
            spent
        })
    });

    let mut plain = durable(&dir.path().join("plain.db"));
    plain
        .execute_batch(
            "CREATE TABLE checklist_items (
                inspection_id TEXT NOT NULL, item_id TEXT NOT NULL, result TEXT NOT NULL,
                note TEXT NOT NULL, checked_by TEXT, checked_at INTEGER,
                PRIMARY KEY (inspection_id, item_id));",
        )
        .unwrap();
    g.bench_function("plain_sqlite", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            let mut id = String::new();
            for n in 0..iters {
                if n % per == 0 {
                    id = RecordId::new().to_string();
                    let tx = plain.transaction().unwrap();
                    for item in &items {
                        tx.execute(
                            "INSERT INTO checklist_items VALUES (?1, ?2, 'unchecked', '', NULL, NULL)",
                            params![id, item],
                        )
                        .unwrap();
                    }
                    tx.commit().unwrap();
                }
                let at = clock.tick();
                let (result, note) = outcome(n);
                let result = if result == ItemResult::Ok { "ok" } else { "defect" };
                let item = &items[(n % per) as usize];
                let t = Instant::now();
                plain
                    .prepare_cached(
                        "UPDATE checklist_items SET result = ?3, note = ?4, checked_by = 's1', checked_at = ?5
                         WHERE inspection_id = ?1 AND item_id = ?2",
                    )
                    .unwrap()
                    .execute(params![id, item, result, note, at])
                    .unwrap();
                spent += t.elapsed();
            }
            spent
        })
    });

    let mut floor = durable(&dir.path().join("floor.db"));
    floor
        .execute_batch(
            "CREATE TABLE chunks (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL,
                PRIMARY KEY (doc_id, seq));",
        )
        .unwrap();
    let assistant = Who {
        staff_id: "s1".into(),
        role: Role::PropertyAssistant,
        device_id: device,
        at: T0,
    };
    g.bench_function("floor", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            let mut doc = AutoCommit::new();
            let mut id = String::new();
            for n in 0..iters {
                if n % per == 0 {
                    // Stored as Rounds stores a new record: its first bytes, one row.
                    let (new, fresh, bytes) = fresh_inspection(&template, n as i64, &assistant);
                    (id, doc) = (new, fresh);
                    floor
                        .execute(
                            "INSERT INTO chunks (doc_id, seq, bytes) VALUES (?1, -1, ?2)",
                            params![id, bytes],
                        )
                        .unwrap();
                }
                let at = clock.tick();
                let (result, note) = outcome(n);
                let item = &items[(n % per) as usize];
                let t = Instant::now();
                record_by_hand(&mut doc, item, result, note, at);
                let bytes = doc.save_incremental();
                let tx = floor
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .unwrap();
                tx.prepare_cached("INSERT INTO chunks (doc_id, seq, bytes) VALUES (?1, ?2, ?3)")
                    .unwrap()
                    .execute(params![id, n as i64, bytes])
                    .unwrap();
                tx.commit().unwrap();
                spent += t.elapsed();
            }
            spent
        })
    });
    g.finish();
}

/// The same inspection Rounds starts, as a plain Automerge document whose
/// save cursor is at its creation, and its saved bytes.
fn fresh_inspection(template: &Template, n: i64, who: &Who) -> (String, AutoCommit, Vec<u8>) {
    let draft = InspectionDraft {
        id: RecordId::new(),
        place: place(n),
        location: None,
        renovation_id: None,
    };
    let mut inspection = InspectionDoc::start(&draft, template, 1, who.device_id, who).unwrap();
    let bytes = inspection.record_mut().save();
    let mut doc = AutoCommit::load(&bytes)
        .unwrap()
        .with_actor(ActorId::random());
    doc.save_incremental();
    (draft.id.to_string(), doc, bytes)
}

/// The operations `InspectionDoc::record_item` writes: the item's fields
/// that change, in one change whose message says who and what.
fn record_by_hand(doc: &mut AutoCommit, item: &str, result: ItemResult, note: &str, at: i64) {
    let map = |doc: &AutoCommit, obj: &ObjId, key: &str| -> ObjId {
        match doc.get(obj, key).unwrap() {
            Some((Value::Object(_), id)) => id,
            _ => panic!("no map {key}"),
        }
    };
    let items = map(doc, &ROOT, "items");
    let item = map(doc, &items, item);
    let result = if result == ItemResult::Ok {
        "ok"
    } else {
        "defect"
    };
    doc.put(&item, "result", result).unwrap();
    if !note.is_empty() {
        doc.put(&item, "note", note).unwrap();
    }
    doc.put(&item, "checked_by", "s1").unwrap();
    doc.put(&item, "checked_at", at).unwrap();
    let message =
        serde_json::json!({ "by": "s1", "role": "property_assistant", "what": "record item" });
    doc.commit_with(
        CommitOptions::default()
            .with_message(message.to_string())
            .with_time(at / 1000),
    );
}
