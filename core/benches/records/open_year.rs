//! A work order with a year of history (three notes a day for a year, 1,095
//! edits), opened by someone who has not had it open: nothing of it loaded.
//!
//! - rounds: `Session::order` with the store's loaded documents released
//!   first (outside the timed part), so it reads and loads from disk;
//! - plain SQLite: the order as a JSON row plus its history rows;
//! - floor: the same stored bytes (snapshot and chunks) read by hand,
//!   `AutoCommit::load`, and every field the order view shows read out.

use std::time::{Duration, Instant};

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, ValueRef, ROOT};
use criterion::Criterion;
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::{Record, Who};
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};
use rusqlite::{params, Connection};

use crate::fixtures::{durable, order_draft, session, BenchClock, DAY, T0};

const NOTES: usize = 365 * 3;
const NOTE: &str = "每日巡查:管道无渗漏";

/// The stored order and its plain copy; built only when a case of this
/// group runs (a year of edits takes a while).
struct Year {
    _dir: tempfile::TempDir,
    session: Session,
    id: RecordId,
    plain: Connection,
    floor: Connection,
}

fn year() -> Year {
    let dir = tempfile::tempdir().unwrap();
    let clock = BenchClock::at(T0);
    let mut s = session(dir.path(), Role::Technician, &clock);
    let device = s.store().device_id();
    let desk = Who {
        staff_id: "r1".into(),
        role: Role::Receptionist,
        device_id: device,
        at: T0,
    };
    let mut order = WorkOrderDoc::register(&order_draft(0), device, &desk).unwrap();
    s.store_mut().create(&mut order).unwrap();
    let id = order.record().id().clone();
    let mut plain = durable(&dir.path().join("plain.db"));
    plain
        .execute_batch(
            "CREATE TABLE orders (id TEXT PRIMARY KEY, body TEXT NOT NULL);
             CREATE TABLE history (order_id TEXT NOT NULL, at INTEGER NOT NULL, what TEXT NOT NULL);
             CREATE INDEX history_order ON history (order_id, at);",
        )
        .unwrap();
    let body = serde_json::to_string(&order.read().unwrap()).unwrap();
    let tx = plain.transaction().unwrap();
    tx.execute(
        "INSERT INTO orders VALUES (?1, ?2)",
        params![id.as_str(), body],
    )
    .unwrap();
    for day in 0..365 {
        for k in 0..3 {
            let at = T0 + day * DAY + k;
            clock.set(at);
            s.add_order_note(&id, &format!("{day}-{k}"), NOTE).unwrap();
            tx.execute(
                "INSERT INTO history VALUES (?1, ?2, ?3)",
                params![id.as_str(), at, NOTE],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();

    let floor = durable(&dir.path().join("rounds.db"));
    Year {
        _dir: dir,
        session: s,
        id,
        plain,
        floor,
    }
}

pub fn bench(c: &mut Criterion) {
    let mut year_ = None;
    let mut g = c.benchmark_group("open_year_order");
    g.bench_function("rounds", |b| {
        let Year { session: s, id, .. } = year_.get_or_insert_with(year);
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                s.store().release_memory();
                let t = Instant::now();
                let o = s.order(id).unwrap();
                spent += t.elapsed();
                assert_eq!(o.notes.len(), NOTES);
            }
            spent
        })
    });
    g.bench_function("plain_sqlite", |b| {
        let Year { id, plain, .. } = year_.get_or_insert_with(year);
        b.iter(|| {
            let body: String = plain
                .prepare_cached("SELECT body FROM orders WHERE id = ?1")
                .unwrap()
                .query_row([id.as_str()], |r| r.get(0))
                .unwrap();
            let mut stmt = plain
                .prepare_cached("SELECT at, what FROM history WHERE order_id = ?1 ORDER BY at")
                .unwrap();
            let notes: Vec<(i64, String)> = stmt
                .query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(notes.len(), NOTES);
            let _: serde_json::Value = serde_json::from_str(&body).unwrap();
        })
    });
    g.bench_function("floor", |b| {
        let Year { id, floor, .. } = year_.get_or_insert_with(year);
        b.iter(|| {
            let mut bytes: Vec<u8> = floor
                .prepare_cached("SELECT snapshot FROM documents WHERE id = ?1")
                .unwrap()
                .query_row([id.as_str()], |r| r.get(0))
                .unwrap();
            let mut chunks = floor
                .prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")
                .unwrap();
            for chunk in chunks
                .query_map([id.as_str()], |r| r.get::<_, Vec<u8>>(0))
                .unwrap()
            {
                bytes.extend_from_slice(&chunk.unwrap());
            }
            let doc = AutoCommit::load(&bytes).unwrap();
            let order = read_all(&doc, &ROOT, ObjType::Map);
            match order {
                Field::Map(fields) => {
                    let notes = fields.iter().find(|(k, _)| k == "notes");
                    assert!(matches!(notes, Some((_, Field::List(n))) if n.len() == NOTES));
                }
                _ => unreachable!(),
            }
        })
    });
    g.finish();
}

/// An order's fields as owned values, with no schema: the least a view
/// showing every field must do.
#[allow(dead_code)] // held as a view would hold them, not looked at
enum Field {
    Scalar(ScalarValue),
    Map(Vec<(String, Field)>),
    List(Vec<Field>),
}

fn read_all(doc: &AutoCommit, obj: &ObjId, ty: ObjType) -> Field {
    let value = |v: ValueRef<'_>, id: &dyn Fn() -> ObjId| match v {
        ValueRef::Object(ty) => read_all(doc, &id(), ty),
        ValueRef::Scalar(s) => Field::Scalar(ScalarValue::from(s)),
    };
    match ty {
        ObjType::List => Field::List(
            doc.list_range(obj, ..)
                .map(|i| value(i.value.clone(), &|| i.id()))
                .collect(),
        ),
        _ => Field::Map(
            doc.map_range(obj, ..)
                .map(|i| (i.key.to_string(), value(i.value.clone(), &|| i.id())))
                .collect(),
        ),
    }
}
