//! Shared fixtures of the core's story tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::work_order::*;
use rounds_core::documents::Who;
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, ComplaintRequest, OrderRequest, Session};
use rounds_core::store::Store;
use rounds_core::{DeviceId, RecordId, Role, Staff};

pub const HOUR: i64 = 3_600_000;
/// 2026-09-21 (a Monday) 09:20 in Shanghai.
pub const T0: i64 = 1_790_040_000_000;

pub fn who(staff: &str, role: Role, device: DeviceId, at: i64) -> Who {
    Who {
        staff_id: staff.into(),
        role,
        device_id: device,
        at,
    }
}

pub fn order_draft(unit: &str, due_at: i64) -> OrderDraft {
    OrderDraft {
        id: RecordId::new(),
        received_at: T0,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "pipe_leak".into(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some(unit.into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: "厨房水管漏水".into(),
        deadline: Deadline {
            class: "urgent_24h".into(),
            due_at,
            set_by: None,
        },
        rework_of: None,
        paid_service: false,
    }
}

pub fn work_done(start: i64) -> WorkRecord {
    WorkRecord {
        work_done: "更换接头".into(),
        started_at: Some(start),
        ended_at: Some(start + HOUR),
        prep_minutes: 10,
    }
}

pub fn material(id: &str) -> Material {
    Material {
        id: id.into(),
        name: "水管接头".into(),
        quantity: 2.0,
        unit: "个".into(),
        unit_price_fen: 500,
    }
}

/// A clock the story moves by hand, shared by every session in it.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    pub fn set(&self, y: i32, m: u32, d: u32, h: u32, min: u32) {
        *self.0.lock().unwrap() = Shanghai
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc);
    }
}

/// `name` (`role`) of estate e1, working on `store`.
fn session_on(store: Store, name: &str, role: Role, clock: &TestClock) -> Session {
    let staff = Staff {
        id: name.into(),
        name: name.into(),
        role,
        estates: vec!["e1".into()],
    };
    Session::with_clock(
        store,
        staff,
        RulesConfig::default(),
        WorkCalendar::china(),
        Box::new(clock.clone()),
    )
}

pub fn session(name: &str, role: Role, clock: &TestClock) -> Session {
    session_on(Store::open_in_memory().unwrap(), name, role, clock)
}

/// The same device's store, handed to someone else (`name`, `role`): one
/// office desk used by two people in turn.
pub fn hand_over(s: Session, name: &str, role: Role, clock: &TestClock) -> Session {
    session_on(s.into_store(), name, role, clock)
}

/// A complaint taken at the front desk, about the unit of [`request`].
pub fn complaint(subject: &str, content: &str, emergency: bool) -> ComplaintRequest {
    ComplaintRequest {
        id: RecordId::new(),
        resident: Contact {
            name: Personal("张伟".into()),
            phone: Personal("13900139000".into()),
        },
        place: request("general").place,
        subject: subject.into(),
        content: content.into(),
        emergency,
        at_front_desk: true,
    }
}

pub fn request(category: &str) -> OrderRequest {
    OrderRequest {
        id: RecordId::new(),
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: category.into(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some("u-3-1-502".into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("李强".into()),
            phone: Personal("13600136000".into()),
        },
        content: "卫生间门锁坏了".into(),
        agreed_due_at: None,
        rework_of: None,
        paid_service: false,
    }
}

pub fn shanghai(y: i32, m: u32, d: u32, h: u32) -> i64 {
    Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

/// Carries one record from a device to another, as a sync would.
pub fn carry(from: &Session, to: &mut Session, id: &RecordId) {
    use rounds_core::store::DocumentStore;
    let bytes = from.store().load(id).unwrap().save();
    to.store_mut().apply_changes(id, &bytes).unwrap();
}
