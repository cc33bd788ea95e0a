//! Overdue work orders among 100,000 stored ones (one in ten late).
//!
//! - rounds: `Session::overdue`, from the store's query table;
//! - plain indexed query (the floor here): the same rows in a table of the
//!   same columns and index, in a file opened the same way, read into a
//!   struct of the same fields.

use criterion::Criterion;
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::Who;
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordKind, Role};
use rusqlite::Connection;

use crate::fixtures::{durable, order_draft, session, BenchClock, DAY, T0};

/// A query-table row as a plain app would hold it.
#[allow(dead_code)] // read, as a list screen would, but only counted here
struct Row {
    id: String,
    kind: String,
    estate_id: String,
    status: String,
    open: bool,
    conflicted: bool,
    assignee: Option<String>,
    unit_id: Option<String>,
    category: Option<String>,
    emergency: bool,
    created_at: i64,
    due_at: Option<i64>,
    done_at: Option<i64>,
    title: String,
    facts: String,
}

/// The stored orders and the plain table of the same rows; built only when
/// a case of this group runs.
struct Orders {
    _dir: tempfile::TempDir,
    session: Session,
    plain: Connection,
    late: usize,
}

fn orders() -> Orders {
    let total: i64 = std::env::var("ROUNDS_BENCH_ORDERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let late = (total as usize).div_ceil(10);
    let dir = tempfile::tempdir().unwrap();
    let clock = BenchClock::at(T0 + DAY);
    let mut s = session(dir.path(), Role::Supervisor, &clock);
    let device = s.store().device_id();
    let desk = Who {
        staff_id: "r1".into(),
        role: Role::Receptionist,
        device_id: device,
        at: T0,
    };
    for i in 0..total {
        let mut o = WorkOrderDoc::register(&order_draft(i), device, &desk).unwrap();
        s.store_mut().create(&mut o).unwrap();
    }

    let plain = durable(&dir.path().join("plain.db"));
    plain
        .execute_batch(&format!(
            "CREATE TABLE record_index (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, estate_id TEXT NOT NULL, status TEXT NOT NULL,
                open INTEGER NOT NULL, conflicted INTEGER NOT NULL,
                assignee TEXT, unit_id TEXT, category TEXT, emergency INTEGER NOT NULL,
                created_at INTEGER NOT NULL, due_at INTEGER, done_at INTEGER,
                title TEXT NOT NULL, facts TEXT NOT NULL);
             CREATE INDEX record_index_open_due_created ON record_index (kind, open, due_at, created_at);
             ATTACH '{}' AS store;
             INSERT INTO record_index SELECT id, kind, estate_id, status, open, conflicted, assignee,
                unit_id, category, emergency, created_at, due_at, done_at, title, facts
                FROM store.record_index;
             DETACH store;",
            dir.path().join("rounds.db").display()
        ))
        .unwrap();

    Orders {
        _dir: dir,
        session: s,
        plain,
        late,
    }
}

pub fn bench(c: &mut Criterion) {
    let mut orders_ = None;
    let mut g = c.benchmark_group("overdue_among_100k");
    g.bench_function("rounds", |b| {
        let Orders { session, late, .. } = orders_.get_or_insert_with(orders);
        b.iter(|| assert_eq!(session.overdue(RecordKind::WorkOrder).unwrap().len(), *late))
    });
    let now = T0 + DAY;
    g.bench_function("plain_sqlite", |b| {
        let Orders { plain, late, .. } = orders_.get_or_insert_with(orders);
        b.iter(|| {
            let mut stmt = plain
                .prepare_cached(
                    "SELECT id, kind, estate_id, status, open, conflicted, assignee, unit_id, category,
                        emergency, created_at, due_at, done_at, title, facts
                     FROM record_index
                     WHERE kind = 'work_order' AND open = 1 AND due_at < ?1 AND done_at IS NULL
                     ORDER BY due_at, created_at",
                )
                .unwrap();
            let rows: Vec<Row> = stmt
                .query_map([now], |r| {
                    Ok(Row {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        estate_id: r.get(2)?,
                        status: r.get(3)?,
                        open: r.get(4)?,
                        conflicted: r.get(5)?,
                        assignee: r.get(6)?,
                        unit_id: r.get(7)?,
                        category: r.get(8)?,
                        emergency: r.get(9)?,
                        created_at: r.get(10)?,
                        due_at: r.get(11)?,
                        done_at: r.get(12)?,
                        title: r.get(13)?,
                        facts: r.get(14)?,
                    })
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(rows.len(), *late);
        })
    });
    g.finish();
}
