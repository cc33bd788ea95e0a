//! What every case shares: a session over a file store, a clock the bench
//! moves, plain SQLite opened exactly as the store opens its file, and the
//! records the cases are made of.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rounds_core::documents::work_order::*;
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, Session};
use rounds_core::store::Store;
use rounds_core::time::from_millis;
use rounds_core::{RecordId, Role, Staff};
use rusqlite::Connection;

/// 2026-09-21 (a Monday) 09:20 in Shanghai.
pub const T0: i64 = 1_790_040_000_000;
pub const DAY: i64 = 86_400_000;

/// The session's time, set by the bench so every case is reproducible.
#[derive(Clone)]
pub struct BenchClock(Arc<AtomicI64>);

impl BenchClock {
    pub fn at(ms: i64) -> Self {
        BenchClock(Arc::new(AtomicI64::new(ms)))
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::Relaxed);
    }

    pub fn tick(&self) -> i64 {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

impl Clock for BenchClock {
    fn now(&self) -> DateTime<Utc> {
        from_millis(self.0.load(Ordering::Relaxed))
    }
}

/// A person of estate `e1` signed in on a phone whose store is `dir/rounds.db`.
pub fn session(dir: &Path, role: Role, clock: &BenchClock) -> Session {
    let staff = Staff {
        id: "s1".into(),
        name: "李明".into(),
        role,
        estates: vec!["e1".into()],
    };
    Session::with_clock(
        Store::open(dir.join("rounds.db")).unwrap(),
        staff,
        RulesConfig::default(),
        WorkCalendar::china(),
        Box::new(clock.clone()),
    )
}

/// A SQLite file opened with the store's own settings (`Store::setup`):
/// WAL, synchronous=NORMAL, foreign keys, a busy timeout.
pub fn durable(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "NORMAL").unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    c
}

pub fn place(i: i64) -> Place {
    Place {
        estate_id: "e1".into(),
        unit_id: Some(format!("u-{}", i % 2000)),
        common_area_id: None,
        detail: String::new(),
    }
}

/// The `i`th order registered at reception; one in ten is late at `T0 + DAY`.
pub fn order_draft(i: i64) -> OrderDraft {
    OrderDraft {
        id: RecordId::new(),
        received_at: T0 + i * 60_000,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "general".into(),
        place: place(i),
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: "厨房水管漏水".into(),
        deadline: Deadline {
            class: "standard".into(),
            due_at: if i % 10 == 0 { T0 } else { T0 + 30 * DAY },
            set_by: None,
        },
        rework_of: None,
        paid_service: false,
    }
}
