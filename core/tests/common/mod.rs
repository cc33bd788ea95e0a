//! Shared fixtures of the core's story tests.
#![allow(dead_code)]

use rounds_core::documents::work_order::*;
use rounds_core::documents::Who;
use rounds_core::places::{Personal, Place};
use rounds_core::{DeviceId, RecordId, Role};

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
        },
        rework_of: None,
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
