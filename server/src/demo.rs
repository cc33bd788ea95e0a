//! `rounds-server demo`: two estates with buildings, units and residents,
//! staff of every role with a known password, and a month of records, so the
//! office pages and a phone have something real to show. The finished and
//! unfinished business of the month is in `demo_month`.

use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason};
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::work_order::{
    Contact, Deadline, OrderDraft, Source, SourceKind, WorkOrderDoc,
};
use rounds_core::documents::{Record, Who};
use rounds_core::places::{
    Building, CommonArea, Entrance, Estate, Personal, Place, Resident, Unit,
};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, Role, Staff};

use crate::auth::hash_password;
use crate::error::AppError;
use crate::state::Db;

pub const DEMO_PASSWORD: &str = "rounds-demo";
pub const ESTATE_A: &str = "e-sunshine";
pub const ESTATE_B: &str = "e-cuihu";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// (username, name, role, estates)
pub fn demo_staff() -> Vec<(&'static str, &'static str, Role, Vec<&'static str>)> {
    vec![
        ("reception", "李静", Role::Receptionist, vec![ESTATE_A]),
        ("tech", "张伟", Role::Technician, vec![ESTATE_A]),
        ("tech2", "赵磊", Role::Technician, vec![ESTATE_A]),
        ("assistant", "陈晨", Role::PropertyAssistant, vec![ESTATE_A]),
        ("supervisor", "王敏", Role::Supervisor, vec![ESTATE_A]),
        ("director", "刘洋", Role::Director, vec![ESTATE_A, ESTATE_B]),
        ("security", "孙强", Role::Security, vec![ESTATE_A]),
        ("cleaning", "周丽", Role::Cleaning, vec![ESTATE_A]),
        ("landscaping", "吴刚", Role::Landscaping, vec![ESTATE_A]),
        ("reception-b", "郑芳", Role::Receptionist, vec![ESTATE_B]),
        ("tech-b", "冯军", Role::Technician, vec![ESTATE_B]),
        ("supervisor-b", "何平", Role::Supervisor, vec![ESTATE_B]),
    ]
}

pub fn staff_id(username: &str) -> String {
    format!("s-{username}")
}

fn estate(id: &str, name: &str) -> Estate {
    let buildings = (1..=3)
        .map(|b| Building {
            id: format!("{id}-b{b}"),
            name: format!("{b}栋"),
            entrances: (1..=2)
                .map(|e| Entrance {
                    id: format!("{id}-b{b}-e{e}"),
                    name: format!("{e}单元"),
                    units: (1..=6)
                        .flat_map(|floor| (1..=2).map(move |n| (floor, n)))
                        .map(|(floor, n)| Unit {
                            id: format!("{id}-{b}-{e}-{floor}0{n}"),
                            number: format!("{b}-{e}-{floor}0{n}"),
                            vacant: floor == 6 && n == 2,
                            residents: vec![Resident {
                                id: format!("r-{id}-{b}{e}{floor}{n}"),
                                name: Personal(format!("住户{b}{e}{floor}{n}")),
                                phone: Personal(format!("1380013{b}{e}{floor}{n}0")),
                                owner: true,
                            }],
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let common_areas = vec![
        CommonArea {
            id: format!("{id}-lift-1"),
            kind: "lift".into(),
            name: "1栋电梯".into(),
        },
        CommonArea {
            id: format!("{id}-garage"),
            kind: "car_park".into(),
            name: "地下车库".into(),
        },
        CommonArea {
            id: format!("{id}-garden"),
            kind: "garden".into(),
            name: "中心花园".into(),
        },
    ];
    Estate {
        id: id.into(),
        name: name.into(),
        buildings,
        common_areas,
    }
}

fn err(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// Seeds an empty server; a server that already has staff is left alone.
pub fn seed(db: &mut Db) -> Result<bool, AppError> {
    if db.staff_count()? > 0 {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    for (username, name, role, estates) in demo_staff() {
        let staff = Staff {
            id: staff_id(username),
            name: name.into(),
            role,
            estates: estates.iter().map(|e| e.to_string()).collect(),
        };
        db.put_staff(&staff, username, &hash)?;
    }
    let device = db.device_id();
    let now = now_millis();
    let who = |user: &str, role, at| Who {
        staff_id: staff_id(user),
        role,
        device_id: device,
        at,
    };
    for (id, name) in [(ESTATE_A, "阳光花园"), (ESTATE_B, "翠湖苑")] {
        let mut doc = EstateDoc::create(
            RecordId::new(),
            &estate(id, name),
            device,
            &who("director", Role::Director, now - 31 * DAY),
        )
        .map_err(err)?;
        db.create(doc.record_mut())?;
    }
    let contents = [
        "厨房水管漏水",
        "卫生间下水道堵塞",
        "楼道灯不亮",
        "入户门锁损坏",
        "空调不制冷",
        "阳台地漏返水",
    ];
    for i in 0..30i64 {
        let at = now - 30 * DAY + i * DAY;
        let unit = format!(
            "{ESTATE_A}-{}-{}-{}0{}",
            1 + i % 3,
            1 + i % 2,
            1 + i % 6,
            1 + i % 2
        );
        let draft = OrderDraft {
            id: RecordId::new(),
            received_at: at,
            source: Source {
                kind: SourceKind::ResidentRequest,
                record_id: None,
                item_id: None,
            },
            category: if i % 3 == 0 {
                "pipe_leak".into()
            } else {
                "general".into()
            },
            place: Place {
                estate_id: ESTATE_A.into(),
                unit_id: Some(unit),
                common_area_id: None,
                detail: String::new(),
            },
            emergency: i % 11 == 0,
            resident: Contact {
                name: Personal("住户".into()),
                phone: Personal("13800138000".into()),
            },
            content: contents[i as usize % contents.len()].into(),
            deadline: Deadline {
                class: "standard_3_days".into(),
                due_at: at + 3 * DAY,
            },
            rework_of: None,
        };
        let mut order =
            WorkOrderDoc::register(&draft, device, &who("reception", Role::Receptionist, at))
                .map_err(err)?;
        advance_order(&mut order, i, at, &who).map_err(err)?;
        db.create(order.record_mut())?;
    }
    for i in 0..8i64 {
        let at = now - 25 * DAY + i * 3 * DAY;
        let plan = RevisitPlan {
            id: RecordId::new(),
            reason: RevisitReason::HomeVisit,
            subject_id: None,
            place: Place {
                estate_id: ESTATE_A.into(),
                unit_id: Some(format!("{ESTATE_A}-2-1-{}02", 1 + i % 6)),
                common_area_id: None,
                detail: String::new(),
            },
            assignee: staff_id(if i % 2 == 0 { "assistant" } else { "director" }),
            planned_method: Method::InPerson,
            due_at: at + 2 * DAY,
        };
        let mut r = RevisitDoc::plan(&plan, device, &who("supervisor", Role::Supervisor, at))
            .map_err(err)?;
        db.create(r.record_mut())?;
    }
    seed_checklists(db, &who, now - 31 * DAY)?;
    // The month's office business is written through the core's session,
    // which runs over the embedded store only for now.
    match db.embedded() {
        Some(embedded) => crate::demo_month::seed_month(&mut embedded.store, now)?,
        None => tracing::info!("demo: the office month is seeded on the embedded SQLite only"),
    }
    Ok(true)
}

/// The manuals' four checklists in each estate, published by the director,
/// so a phone can start an inspection on the demo.
fn seed_checklists(
    db: &mut Db,
    who: &impl Fn(&str, Role, i64) -> Who,
    at: i64,
) -> Result<(), AppError> {
    let device = db.device_id();
    for estate_id in [ESTATE_A, ESTATE_B] {
        for draft in default_templates() {
            let mut doc = TemplateDoc::create(
                RecordId::new(),
                estate_id,
                &draft,
                device,
                &who("director", Role::Director, at),
            )
            .map_err(err)?;
            db.create(doc.record_mut())?;
        }
    }
    Ok(())
}

/// Moves the i-th demo order along its life so the lists show every stage.
fn advance_order(
    o: &mut WorkOrderDoc,
    i: i64,
    at: i64,
    who: &impl Fn(&str, Role, i64) -> Who,
) -> Result<(), rounds_core::RecordError> {
    let stage = i % 5;
    if stage >= 1 {
        o.dispatch(
            &staff_id("tech"),
            &who("reception", Role::Receptionist, at + HOUR),
        )?;
    }
    if stage >= 2 {
        o.accept(&who("tech", Role::Technician, at + 2 * HOUR))?;
    }
    if stage >= 3 {
        o.start(&who("tech", Role::Technician, at + 3 * HOUR))?;
    }
    if stage == 4 {
        o.return_order(
            "需业主自行联系厂家 / needs the manufacturer",
            &who("supervisor", Role::Supervisor, at + 4 * HOUR),
        )?;
    }
    Ok(())
}
