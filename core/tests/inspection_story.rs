//! A property assistant's building patrol: a checklist from the default
//! template walked on two phones offline, a defect followed to a second
//! rectification and done, a new template version that leaves the started
//! inspection alone, and a night patrol run with its scans.

use rounds_core::documents::inspection::*;
use rounds_core::documents::patrol::*;
use rounds_core::documents::rectification::*;
use rounds_core::documents::template::*;
use rounds_core::documents::work_order::{
    Contact, Deadline, OrderDraft, Source, SourceKind, WorkOrderDoc,
};
use rounds_core::documents::{Record, RecordDoc, TransitionError, Who};
use rounds_core::places::{GeoPoint, Place};
use rounds_core::{blobs, DeviceId, RecordError, RecordId, Role};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const T0: i64 = 1_790_000_000_000;

fn who(staff: &str, role: Role, device: DeviceId, at: i64) -> Who {
    Who {
        staff_id: staff.into(),
        role,
        device_id: device,
        at,
    }
}

fn building(detail: &str) -> Place {
    Place {
        estate_id: "e1".into(),
        unit_id: None,
        common_area_id: Some("b3".into()),
        detail: detail.into(),
    }
}

fn building_template(desk: DeviceId) -> TemplateDoc {
    let draft = default_templates()
        .into_iter()
        .find(|d| d.checklist_kind == BUILDING_PATROL)
        .unwrap();
    let sup = who("s1", Role::Supervisor, desk, T0 - DAY);
    TemplateDoc::create(RecordId::new(), "e1", &draft, desk, &sup).unwrap()
}

fn start(template: &TemplateDoc, phone: DeviceId) -> InspectionDoc {
    let draft = InspectionDraft {
        id: RecordId::new(),
        place: building("3栋"),
        location: Some(GeoPoint {
            lat: 31.2304,
            lon: 121.4737,
            accuracy_m: Some(8.0),
        }),
        renovation_id: None,
    };
    let t = template.read().unwrap();
    let assistant = who("a1", Role::PropertyAssistant, phone, T0);
    InspectionDoc::start(&draft, &t, 1, phone, &assistant).unwrap()
}

fn replica<R: Record>(doc: &mut R, device: DeviceId) -> R {
    let bytes = doc.record_mut().save();
    R::from_record(RecordDoc::load(&bytes, device).unwrap()).unwrap()
}

fn merge<R: Record>(a: &mut R, b: &mut R) {
    a.record_mut().merge(b.record_mut()).unwrap();
    b.record_mut().merge(a.record_mut()).unwrap();
}

#[test]
fn a_building_patrol_on_two_phones_follows_its_defects_to_the_end() {
    let (desk, phone_a, phone_b) = (DeviceId::new(), DeviceId::new(), DeviceId::new());
    let mut template = building_template(desk);
    let mut a = start(&template, phone_a);
    let mut b = replica(&mut a, phone_b);
    let assistant = |at| who("a1", Role::PropertyAssistant, phone_a, at);
    let colleague = |at| who("a2", Role::PropertyAssistant, phone_b, at);

    // Offline, each phone checks different items of the same building.
    a.record_item("lobby", ItemResult::Ok, "", &assistant(T0 + 1))
        .unwrap();
    a.record_item(
        "lift",
        ItemResult::Defect,
        "轿厢按钮失灵",
        &assistant(T0 + 2),
    )
    .unwrap();
    let photo = blobs::hash_bytes(b"lift button photo");
    a.add_item_photo("lift", &photo, &assistant(T0 + 3))
        .unwrap();
    b.record_item("walls", ItemResult::Ok, "", &colleague(T0 + 1))
        .unwrap();
    b.record_item(
        "stair_lights",
        ItemResult::Defect,
        "5楼声控灯不亮",
        &colleague(T0 + 2),
    )
    .unwrap();
    let place = ItemPlace {
        point: None,
        detail: "5F 东侧楼梯间".into(),
    };
    b.locate_item("stair_lights", &place, &colleague(T0 + 2))
        .unwrap();
    merge(&mut a, &mut b);
    for i in [a.read().unwrap(), b.read().unwrap()] {
        assert_eq!(i.items["lobby"].result, ItemResult::Ok);
        assert_eq!(i.items["walls"].result, ItemResult::Ok);
        assert_eq!(i.items["lift"].photos, vec![photo.clone()]);
        assert_eq!(i.items["stair_lights"].checked_by.as_deref(), Some("a2"));
        assert_eq!(i.items["stair_lights"].place, place);
        assert_eq!(i.defects().len(), 2);
    }

    // The office publishes a new version; the started inspection keeps its own.
    let mut edited = template.read().unwrap().latest().unwrap().items.clone();
    edited.push(TemplateItem {
        id: "ev_charging".into(),
        title_zh: "电动车未在楼道充电".into(),
        title_en: "No e-bikes charging in corridors".into(),
    });
    let sup = who("s1", Role::Supervisor, desk, T0 + 10);
    assert_eq!(template.publish(&edited, &sup).unwrap(), 2);
    let before = a.read().unwrap();
    assert_eq!(before.template_version, 1);
    assert!(!before.items.contains_key("ev_charging"));

    for item in before.checklist() {
        if item.result == ItemResult::Unchecked {
            a.record_item(&item.id, ItemResult::Ok, "", &assistant(T0 + 20))
                .unwrap();
        }
    }
    a.submit(&assistant(T0 + HOUR)).unwrap();

    // The lights become a rectification notice for the cleaning-and-lighting
    // contractor; the lift becomes a work order. Both link back.
    let inspection = a.read().unwrap();
    let notice_draft = RectificationDraft {
        id: RecordId::new(),
        item_id: "stair_lights".into(),
        place: building("5F 东侧楼梯间"),
        problem: "5楼声控灯不亮".into(),
        responsible_party: "工程部".into(),
        due_at: T0 + 3 * DAY,
    };
    let mut notice =
        RectificationDoc::issue(&notice_draft, &inspection, phone_a, &assistant(T0 + HOUR))
            .unwrap();
    a.link_follow_up(
        "stair_lights",
        FollowUpKind::Rectification,
        &notice_draft.id,
        &assistant(T0 + HOUR),
    )
    .unwrap();
    let order_id = RecordId::new();
    let order = WorkOrderDoc::register(
        &OrderDraft {
            id: order_id.clone(),
            received_at: T0 + HOUR,
            source: Source {
                kind: SourceKind::PatrolFinding,
                record_id: Some(inspection.id.clone()),
                item_id: Some("lift".into()),
            },
            category: "lift".into(),
            place: building("1号电梯"),
            emergency: false,
            resident: Contact::default(),
            content: "轿厢按钮失灵".into(),
            deadline: Deadline {
                class: "standard".into(),
                due_at: T0 + 3 * DAY,
                set_by: None,
            },
            rework_of: None,
            paid_service: false,
        },
        desk,
        &who("r1", Role::Receptionist, desk, T0 + HOUR),
    )
    .unwrap();
    a.link_follow_up(
        "lift",
        FollowUpKind::WorkOrder,
        &order_id,
        &assistant(T0 + HOUR),
    )
    .unwrap();
    let n = notice.read().unwrap();
    assert_eq!(
        (n.inspection_id.as_str(), n.item_id.as_str()),
        (inspection.id.as_str(), "stair_lights")
    );
    assert_eq!(
        order.read().unwrap().source.item_id.as_deref(),
        Some("lift")
    );
    assert_eq!(a.read().unwrap().follow_ups.len(), 2);
    assert_eq!(a.index_row().unwrap().facts["defects_without_follow_up"], 0);

    // Rectified once, refused at re-inspection, rectified again and passed.
    let tech = |at| who("t1", Role::Technician, DeviceId::new(), at);
    notice
        .report_done("r1", "已更换灯泡", &[], &tech(T0 + DAY))
        .unwrap();
    notice
        .second_rectification("感应器仍失灵", T0 + 5 * DAY, &assistant(T0 + DAY + HOUR))
        .unwrap();
    let row = notice.index_row().unwrap();
    assert_eq!(
        (row.status.as_str(), row.done_at, row.due_at),
        ("second_rectification", None, Some(T0 + 5 * DAY))
    );
    notice
        .report_done("r2", "已更换感应器", &[], &tech(T0 + 2 * DAY))
        .unwrap();
    notice
        .rectified("复查合格", &assistant(T0 + 2 * DAY + HOUR))
        .unwrap();
    let row = notice.index_row().unwrap();
    assert_eq!(row.status, "rectified");
    assert!(!row.open);
    assert_eq!(row.done_at, Some(T0 + 2 * DAY));
    assert_eq!(row.facts["second_rectifications"], 1);

    a.review("已阅", &sup).unwrap();
    let row = a.index_row().unwrap();
    assert_eq!((row.status.as_str(), row.open), ("reviewed", false));
    assert_eq!(row.facts["defects"], 2);
}

#[test]
fn a_night_patrol_run_keeps_every_scan_and_its_route_copy() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let checkpoint = |code: &str, name: &str| Checkpoint {
        code: code.into(),
        name: name.into(),
        expected: None,
        radius_m: 30.0,
    };
    let mut route = PatrolRouteDoc::create(
        RecordId::new(),
        "e1",
        "夜间巡更",
        &[
            checkpoint("QR-GATE", "东门岗"),
            checkpoint("QR-B3", "3栋大堂"),
            checkpoint("QR-PUMP", "水泵房"),
        ],
        &Schedule {
            daily_starts: vec!["22:00".into(), "02:00".into()],
        },
        desk,
        &who("s1", Role::Supervisor, desk, T0),
    )
    .unwrap();
    let guard = |at| who("g1", Role::Security, phone, at);
    let mut run = PatrolRunDoc::start(
        RecordId::new(),
        &route.read().unwrap(),
        phone,
        &guard(T0 + HOUR),
    )
    .unwrap();
    route
        .set_checkpoints(
            &[checkpoint("QR-GATE", "东门岗")],
            &who("s1", Role::Supervisor, desk, T0 + HOUR),
        )
        .unwrap();
    for (i, code) in ["QR-GATE", "QR-B3", "QR-PUMP"].into_iter().enumerate() {
        let n = i as i64;
        run.scan(
            &format!("s{n}"),
            code,
            n * 300_000,
            None,
            &guard(T0 + HOUR + n * 300_000),
        )
        .unwrap();
    }
    run.scan("s2", "QR-PUMP", 600_000, None, &guard(T0 + HOUR + 600_000))
        .unwrap(); // a retry adds nothing
    assert_eq!(
        run.checkpoints().unwrap().len(),
        3,
        "the run keeps the route it started on"
    );
    let scans = run.scans().unwrap();
    assert_eq!(
        scans.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        ["QR-GATE", "QR-B3", "QR-PUMP"]
    );
    assert_eq!(run.index_row().unwrap().facts["scans"], 3);
    run.finish(&guard(T0 + 2 * HOUR)).unwrap();
    let row = run.index_row().unwrap();
    assert_eq!(
        (row.status.as_str(), row.open, row.done_at),
        ("finished", false, Some(T0 + 2 * HOUR))
    );
    assert!(run
        .scan("s9", "QR-GATE", 4_000_000, None, &guard(T0 + 3 * HOUR))
        .is_err());
}

#[test]
fn refusals_are_typed_errors_and_save_nothing() {
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let mut template = building_template(desk);
    let mut a = start(&template, phone);
    let assistant = |at| who("a1", Role::PropertyAssistant, phone, at);
    a.record_item("lift", ItemResult::Defect, "", &assistant(T0 + 1))
        .unwrap();
    let before = a.record_mut().save();

    let err = a.submit(&assistant(T0 + 2)).unwrap_err();
    assert!(
        matches!(err, RecordError::Transition(TransitionError::Incomplete { ref missing }) if missing.contains("lift 缺陷说明") && missing.contains("lobby 未检查")),
        "{err}"
    );
    let err = a
        .record_item("nope", ItemResult::Ok, "", &assistant(T0 + 2))
        .unwrap_err();
    assert!(matches!(err, RecordError::NoSuchItem { .. }), "{err}");
    let err = a
        .record_item("lobby", ItemResult::Unchecked, "", &assistant(T0 + 2))
        .unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Invalid {
                field: "result",
                ..
            }
        ),
        "{err}"
    );
    let err = a
        .add_item_photo("lift", "not-a-hash", &assistant(T0 + 2))
        .unwrap_err();
    assert!(
        matches!(err, RecordError::Invalid { field: "photo", .. }),
        "{err}"
    );
    let err = a.review("", &assistant(T0 + 2)).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Transition(TransitionError::NotAllowed { .. })
        ),
        "{err}"
    );
    let err = a
        .link_follow_up(
            "lobby",
            FollowUpKind::WorkOrder,
            &RecordId::new(),
            &assistant(T0 + 2),
        )
        .unwrap_err();
    assert!(
        matches!(err, RecordError::Invalid { field: "item", .. }),
        "{err}"
    );
    assert_eq!(a.record_mut().save(), before);

    let t_before = template.record_mut().save();
    let items = template.read().unwrap().latest().unwrap().items.clone();
    let err = template.publish(&items[1..], &assistant(T0)).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Transition(TransitionError::RoleMayNot { .. })
        ),
        "{err}"
    );
    assert_eq!(template.record_mut().save(), t_before);

    a.record_item("lift", ItemResult::Defect, "电梯异响", &assistant(T0 + 3))
        .unwrap();
    let draft = RectificationDraft {
        id: RecordId::new(),
        item_id: "lift".into(),
        place: building("1号电梯"),
        problem: "电梯异响".into(),
        responsible_party: "电梯维保公司".into(),
        due_at: T0 + DAY,
    };
    let inspection = a.read().unwrap();
    let tech = who("t1", Role::Technician, phone, T0 + 4);
    let err = RectificationDoc::issue(&draft, &inspection, phone, &tech)
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            RecordError::Transition(TransitionError::RoleMayNot { .. })
        ),
        "{err}"
    );
    let mut notice =
        RectificationDoc::issue(&draft, &inspection, phone, &assistant(T0 + 4)).unwrap();
    let before = notice.record_mut().save();
    let err = notice.rectified("", &assistant(T0 + 5)).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Transition(TransitionError::NotAllowed { .. })
        ),
        "{err}"
    );
    notice.report_done("r1", "已处理", &[], &tech).unwrap();
    let before_penalty = notice.record_mut().save();
    let err = notice
        .close_with_penalty(0, "逾期未整改", &assistant(T0 + 6))
        .unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Invalid {
                field: "points",
                ..
            }
        ),
        "{err}"
    );
    let err = notice.rectified("", &tech).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Transition(TransitionError::RoleMayNot { .. })
        ),
        "{err}"
    );
    assert_eq!(notice.record_mut().save(), before_penalty);
    assert_ne!(before, before_penalty);
}

#[test]
fn a_faked_scan_and_a_moved_clock_show_up_for_the_supervisor() {
    use rounds_core::rules::{PatrolFinding, RulesConfig};
    let (desk, phone) = (DeviceId::new(), DeviceId::new());
    let gate = GeoPoint {
        lat: 31.2304,
        lon: 121.4737,
        accuracy_m: None,
    };
    let lobby = GeoPoint {
        lat: 31.2310,
        lon: 121.4740,
        accuracy_m: None,
    };
    let at = |p: &GeoPoint| Checkpoint {
        code: String::new(),
        name: String::new(),
        expected: Some(*p),
        radius_m: 30.0,
    };
    let route = PatrolRouteDoc::create(
        RecordId::new(),
        "e1",
        "夜间巡更",
        &[
            Checkpoint {
                code: "QR-GATE".into(),
                name: "东门岗".into(),
                ..at(&gate)
            },
            Checkpoint {
                code: "QR-B3".into(),
                name: "3栋大堂".into(),
                ..at(&lobby)
            },
            Checkpoint {
                code: "QR-PUMP".into(),
                name: "水泵房".into(),
                expected: None,
                radius_m: 30.0,
            },
        ],
        &Schedule {
            daily_starts: vec!["22:00".into()],
        },
        desk,
        &who("s1", Role::Supervisor, desk, T0),
    )
    .unwrap();
    let guard = |at| who("g1", Role::Security, phone, at);
    let mut run =
        PatrolRunDoc::start(RecordId::new(), &route.read().unwrap(), phone, &guard(T0)).unwrap();
    run.scan("s1", "QR-GATE", 60_000, Some(gate), &guard(T0 + 60_000))
        .unwrap();
    // The lobby code scanned from a photo two kilometres away, after the
    // phone's clock was pushed an hour ahead.
    let far = GeoPoint {
        lat: 31.2490,
        lon: 121.4740,
        accuracy_m: Some(10.0),
    };
    run.scan(
        "s2",
        "QR-B3",
        300_000,
        Some(far),
        &guard(T0 + 300_000 + HOUR),
    )
    .unwrap();
    run.finish(&guard(T0 + 400_000 + HOUR)).unwrap();

    let findings = run.read().unwrap().findings(&RulesConfig::default());
    assert!(findings.iter().any(|f| matches!(f, PatrolFinding::TooFar { code, distance_m } if code == "QR-B3" && *distance_m > 1_900.0)), "{findings:?}");
    assert!(
        findings
            .iter()
            .any(|f| matches!(f, PatrolFinding::ClockMismatch { code, .. } if code == "QR-B3")),
        "{findings:?}"
    );
    assert!(
        findings.contains(&PatrolFinding::Missed("QR-PUMP".into())),
        "{findings:?}"
    );
    assert!(!findings
        .iter()
        .any(|f| matches!(f, PatrolFinding::TooFar { code, .. } if code == "QR-GATE")));
}
