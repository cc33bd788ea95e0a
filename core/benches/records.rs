//! What the field and the office wait for, each beside plain SQLite doing the
//! same job on the same data, with the ratio printed at the end:
//! - recording one checklist item (an Automerge change, committed and stored),
//! - opening a work order with a year of history,
//! - listing overdue orders among 100,000.
//!
//! Run with `cargo bench -p rounds-core --bench records`.

use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use rounds_core::documents::inspection::{InspectionDoc, InspectionDraft, ItemResult};
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::work_order::*;
use rounds_core::documents::{Record, Who};
use rounds_core::places::{Personal, Place};
use rounds_core::store::{DocumentStore, Store};
use rounds_core::{DeviceId, RecordId, RecordKind, Role};
use rusqlite::{params, Connection};

const T0: i64 = 1_790_040_000_000;
const DAY: i64 = 86_400_000;

fn who(d: DeviceId, at: i64) -> Who {
    Who {
        staff_id: "t1".into(),
        role: Role::Receptionist,
        device_id: d,
        at,
    }
}

fn draft(i: i64) -> OrderDraft {
    OrderDraft {
        id: RecordId::new(),
        received_at: T0 + i * 60_000,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "general".into(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some(format!("u-{}", i % 2000)),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: "厨房水管漏水".into(),
        // One in ten is already late at the query time.
        deadline: Deadline {
            class: "standard".into(),
            due_at: if i % 10 == 0 { T0 } else { T0 + 30 * DAY },
        },
        rework_of: None,
    }
}

fn plain_db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE items (id TEXT PRIMARY KEY, doc TEXT, result TEXT, note TEXT, by TEXT, at INTEGER);
         CREATE TABLE orders (id TEXT PRIMARY KEY, body TEXT NOT NULL);
         CREATE TABLE history (order_id TEXT, at INTEGER, what TEXT);
         CREATE INDEX history_order ON history (order_id);
         CREATE TABLE order_rows (id TEXT PRIMARY KEY, open INTEGER, due_at INTEGER, title TEXT);
         CREATE INDEX order_rows_due ON order_rows (open, due_at);",
    )
    .unwrap();
    c
}

/// One checklist item recorded: in Rounds a change to a record's document,
/// committed and stored with its query row in one transaction; the baseline
/// inserts one row.
fn record_item(c: &mut Criterion) {
    let mut g = c.benchmark_group("record_item");
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let head = Who {
        role: Role::Supervisor,
        ..who(d, T0)
    };
    let template =
        TemplateDoc::create(RecordId::new(), "e1", &default_templates()[0], d, &head).unwrap();
    let draft = InspectionDraft {
        id: RecordId::new(),
        place: draft(0).place,
        location: None,
    };
    let mut inspection =
        InspectionDoc::start(&draft, &template.read().unwrap(), 1, d, &who(d, T0)).unwrap();
    store.create(&mut inspection).unwrap();
    let id = inspection.record().id().clone();
    let items: Vec<String> = inspection
        .read()
        .unwrap()
        .checklist()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let mut n = 0i64;
    g.bench_function("rounds", |b| {
        b.iter(|| {
            n += 1;
            let w = who(d, T0 + n);
            let item = &items[n as usize % items.len()];
            let (result, note) = if n % 2 == 0 {
                (ItemResult::Ok, "")
            } else {
                (ItemResult::Defect, "消防栓压力不足")
            };
            store
                .edit(&id, |i: &mut InspectionDoc, _| {
                    i.record_item(item, result, note, &w)
                })
                .unwrap();
        })
    });
    let db = plain_db();
    let mut m = 0i64;
    g.bench_function("sqlite_baseline", |b| {
        b.iter(|| {
            m += 1;
            db.execute(
                "INSERT INTO items VALUES (?1, 'i1', 'ok', '消防栓压力正常', 't1', ?2)",
                params![m.to_string(), T0 + m],
            )
            .unwrap();
        })
    });
    g.finish();
}

/// A work order with a year of history: a few edits a day for a year (notes,
/// materials, re-dispatches), then opened and read.
fn open_year(c: &mut Criterion) {
    let mut g = c.benchmark_group("open_year_order");
    let mut store = Store::open_in_memory().unwrap();
    let d = store.device_id();
    let mut order = WorkOrderDoc::register(&draft(0), d, &who(d, T0)).unwrap();
    store.create(&mut order).unwrap();
    let id = order.record().id().clone();
    let db = plain_db();
    db.execute(
        "INSERT INTO orders VALUES (?1, ?2)",
        params![
            id.as_str(),
            serde_json::to_string(&order.read().unwrap()).unwrap()
        ],
    )
    .unwrap();
    for day in 0..365 {
        for k in 0..3 {
            let at = T0 + day * DAY + k;
            store
                .edit(&id, |o: &mut WorkOrderDoc, _| {
                    o.add_note(&format!("{day}-{k}"), "每日巡查:管道无渗漏", &who(d, at))
                })
                .unwrap();
            db.execute(
                "INSERT INTO history VALUES (?1, ?2, '每日巡查:管道无渗漏')",
                params![id.as_str(), at],
            )
            .unwrap();
        }
    }
    g.bench_function("rounds", |b| {
        b.iter(|| {
            let o = store.get::<WorkOrderDoc>(&id).unwrap().read().unwrap();
            assert_eq!(o.notes.len(), 365 * 3);
        })
    });
    g.bench_function("sqlite_baseline", |b| {
        b.iter(|| {
            let body: String = db
                .query_row(
                    "SELECT body FROM orders WHERE id = ?1",
                    [id.as_str()],
                    |r| r.get(0),
                )
                .unwrap();
            let mut stmt = db
                .prepare_cached("SELECT at, what FROM history WHERE order_id = ?1 ORDER BY at")
                .unwrap();
            let notes: Vec<(i64, String)> = stmt
                .query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(notes.len(), 365 * 3);
            let _: serde_json::Value = serde_json::from_str(&body).unwrap();
        })
    });
    g.finish();
}

/// Overdue orders among 100,000 stored ones.
fn list_overdue(c: &mut Criterion) {
    let mut g = c.benchmark_group("overdue_among_100k");
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    let d = store.device_id();
    let db = plain_db();
    let total: i64 = std::env::var("ROUNDS_BENCH_ORDERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    for i in 0..total {
        let mut o = WorkOrderDoc::register(&draft(i), d, &who(d, T0)).unwrap();
        store.create(&mut o).unwrap();
        let due = if i % 10 == 0 { T0 } else { T0 + 30 * DAY };
        db.execute(
            "INSERT INTO order_rows VALUES (?1, 1, ?2, '厨房水管漏水')",
            params![o.record().id().as_str(), due],
        )
        .unwrap();
    }
    let now = T0 + DAY;
    g.bench_function("rounds", |b| {
        b.iter(|| {
            assert_eq!(
                store.overdue(RecordKind::WorkOrder, now).unwrap().len(),
                (total / 10) as usize
            )
        })
    });
    g.bench_function("sqlite_baseline", |b| {
        b.iter(|| {
            let mut stmt = db.prepare_cached("SELECT id, due_at, title FROM order_rows WHERE open = 1 AND due_at < ?1 ORDER BY due_at").unwrap();
            let rows: Vec<(String, i64, String)> = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
            assert_eq!(rows.len(), (total / 10) as usize);
        })
    });
    g.finish();
}

fn mean_ns(dir: &std::path::Path, group: &str, id: &str) -> Option<f64> {
    let path = dir.join(group).join(id).join("new").join("estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let mut c = Criterion::default()
        .output_directory(&out)
        .sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    record_item(&mut c);
    open_year(&mut c);
    list_overdue(&mut c);
    c.final_summary();
    println!("\nRounds against plain SQLite on the same data (mean time, same run):");
    for group in ["record_item", "open_year_order", "overdue_among_100k"] {
        match (
            mean_ns(&out, group, "rounds"),
            mean_ns(&out, group, "sqlite_baseline"),
        ) {
            (Some(r), Some(b)) => println!(
                "  {group:<20} rounds {:>10.1} µs   sqlite {:>10.1} µs   ratio {:>6.1}x",
                r / 1e3,
                b / 1e3,
                r / b
            ),
            _ => println!("  {group:<20} (not measured in this run)"),
        }
    }
}
