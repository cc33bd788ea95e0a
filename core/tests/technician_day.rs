//! A technician's day through the session: the same story, step for step, as
//! the Kotlin test in android/. Deadlines come from the rules and the calendar.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{request, session, shanghai, TestClock};
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::work_order::*;
use rounds_core::places::Place;
use rounds_core::session::Session;
use rounds_core::signoff::SignOffValidity;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, RecordKind, Role};

#[test]
fn deadlines_follow_the_working_day_calendar() {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    let mut desk = session("r1", Role::Receptionist, &clock);
    // Friday 2026-11-20 10:00: three working days skip the weekend: end of Wednesday.
    clock.set(2026, 11, 20, 10, 0);
    let id = desk.register_order(&request("general")).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().deadline.due_at,
        shanghai(2026, 11, 26, 0)
    );
    // Friday 2026-09-18: Sunday the 20th is a make-up working day (调休), so it counts.
    clock.set(2026, 9, 18, 10, 0);
    let id = desk.register_order(&request("general")).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().deadline.due_at,
        shanghai(2026, 9, 23, 0)
    );
    // Thursday 2026-09-24: the Mid-Autumn holiday (Fri 25 to Sun 27) does not count.
    clock.set(2026, 9, 24, 16, 0);
    let id = desk.register_order(&request("general")).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().deadline.due_at,
        shanghai(2026, 10, 1, 0)
    );
    // A broken lock on Saturday 2026-10-10 (a make-up working day): 24 working hours run that day.
    clock.set(2026, 10, 10, 9, 0);
    let id = desk.register_order(&request("door_lock")).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().deadline.due_at,
        shanghai(2026, 10, 12, 9)
    );
    // A leaking pipe: 24 clock hours whatever the day.
    clock.set(2026, 10, 3, 9, 0);
    let id = desk.register_order(&request("pipe_leak")).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().deadline.due_at,
        shanghai(2026, 10, 4, 9)
    );
}

#[test]
fn a_technicians_day_from_request_to_revisit() {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 23, 9, 0);
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut head = session("s1", Role::Supervisor, &clock);

    let id = desk.register_order(&request("door_lock")).unwrap();
    desk.dispatch(&id, "t1").unwrap();
    let sync = |from: &mut Session, to: &mut Session, id: &RecordId| {
        let bytes = from.store().load(id).unwrap().save();
        to.store_mut().apply_changes(id, &bytes).unwrap();
    };
    sync(&mut desk, &mut tech, &id);
    assert_eq!(tech.my_tasks().unwrap().len(), 1);

    clock.set(2026, 11, 23, 10, 0);
    tech.accept(&id).unwrap();
    tech.quote(&id, 8_000).unwrap();
    tech.start_work(&id).unwrap();
    tech.add_material(
        &id,
        &Material {
            id: "m1".into(),
            name: "锁芯".into(),
            quantity: 1.0,
            unit: "个".into(),
            unit_price_fen: 4_500,
        },
    )
    .unwrap();
    tech.add_order_photo(
        &id,
        "p1",
        b"jpeg bytes of the old lock",
        "image/jpeg",
        "旧锁芯",
    )
    .unwrap();
    clock.set(2026, 11, 23, 11, 0);
    let start = tech.order(&id).unwrap().work.started_at;
    tech.record_work(
        &id,
        &WorkRecord {
            work_done: "更换锁芯".into(),
            started_at: start,
            ended_at: Some(shanghai(2026, 11, 23, 11)),
            prep_minutes: 15,
        },
    )
    .unwrap();
    tech.charge(&id, 4_500, 3_500).unwrap();
    let revisit_id = tech.complete(&id).unwrap();
    tech.sign_off(&id, "李强", b"png strokes of the signature")
        .unwrap();
    assert_eq!(tech.signoff_validity(&id).unwrap(), SignOffValidity::Valid);
    assert_eq!(tech.order(&id).unwrap().work.total_minutes(), Some(75));

    sync(&mut tech, &mut head, &id);
    sync(&mut tech, &mut desk, &revisit_id);
    head.review(&id, "工料费用核对无误").unwrap();
    sync(&mut head, &mut desk, &id);
    // Due two working days after completion: end of Wednesday.
    assert_eq!(
        desk.revisit(&revisit_id).unwrap().due_at,
        shanghai(2026, 11, 26, 0)
    );
    assert_eq!(desk.due_revisits(7).unwrap().len(), 1);
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(Satisfaction::Satisfied),
        ..Outcome::default()
    };
    desk.record_revisit(&revisit_id, outcome, None).unwrap();
    desk.close_order(&id).unwrap();
    assert_eq!(desk.order(&id).unwrap().status(), Some(OrderStatus::Closed));
    assert!(desk.overdue(RecordKind::WorkOrder).unwrap().is_empty());

    // The chain ends in the month's report.
    let staff = vec![
        ("r1".to_string(), Role::Receptionist),
        ("t1".to_string(), Role::Technician),
    ];
    let report = desk.monthly_report("e1", (2026, 11), 400, staff).unwrap();
    assert_eq!(report.requests_total, 1);
    assert_eq!(report.requests_by_category.get("door_lock"), Some(&1));
    assert_eq!((report.completed, report.completed_on_time), (1, 1));
    assert_eq!(report.on_time_rate, Some(1.0));
    assert_eq!((report.revisits_due, report.revisits_done), (1, 1));
    assert_eq!(report.satisfaction_rate, Some(1.0));
    assert_eq!(report.rework_rate, Some(0.0));
}

#[test]
fn staff_see_nothing_of_an_estate_they_do_not_work_on() {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut other = request("general");
    other.place.estate_id = "e2".into();
    let err = desk.register_order(&other).unwrap_err();
    assert!(
        matches!(
            err,
            rounds_core::session::SessionError::NotYourEstate { .. }
        ),
        "{err}"
    );
    assert!(desk.store().record_ids().unwrap().is_empty());
}

#[test]
fn a_patrol_defect_becomes_a_work_order_linked_both_ways() {
    use rounds_core::documents::inspection::{FollowUpKind, ItemResult};
    use rounds_core::documents::template::{default_templates, TemplateDoc};
    use rounds_core::documents::{Record, Who};
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 24, 14, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let d = assistant.store().device_id();
    let head = Who {
        staff_id: "s1".into(),
        role: Role::Supervisor,
        device_id: d,
        at: 0,
    };
    let mut template =
        TemplateDoc::create(RecordId::new(), "e1", &default_templates()[0], d, &head).unwrap();
    assistant.store_mut().create(&mut template).unwrap();
    let template_id = template.record().id().clone();

    let place = Place {
        estate_id: "e1".into(),
        unit_id: None,
        common_area_id: Some("lift-3".into()),
        detail: "3栋电梯厅".into(),
    };
    let inspection_id = assistant
        .start_inspection(RecordId::new(), &template_id, place.clone(), None)
        .unwrap();
    let item = assistant.inspection(&inspection_id).unwrap().checklist()[0]
        .id
        .clone();
    assistant
        .record_item(&inspection_id, &item, ItemResult::Defect, "应急灯不亮")
        .unwrap();
    assistant
        .add_item_photo(
            &inspection_id,
            &item,
            b"jpeg of the dark lamp",
            "image/jpeg",
        )
        .unwrap();
    let mut req = request("lamp");
    req.place = place;
    req.content = "3栋电梯厅应急灯不亮".into();
    let order_id = assistant
        .open_order_from_defect(&inspection_id, &item, req)
        .unwrap();

    let order = assistant.order(&order_id).unwrap();
    assert_eq!(order.source.kind, SourceKind::PatrolFinding);
    assert_eq!(
        order.source.record_id.as_deref(),
        Some(inspection_id.as_str())
    );
    assert_eq!(order.source.item_id.as_deref(), Some(item.as_str()));
    assert_eq!(
        order.photos.len(),
        1,
        "the defect's photo travels with the order"
    );
    assert_eq!(order.notes[0].text, "应急灯不亮");
    let inspection = assistant.inspection(&inspection_id).unwrap();
    let follow_up = &inspection.follow_ups[0];
    assert_eq!(
        (follow_up.kind, follow_up.record_id.as_str()),
        (FollowUpKind::WorkOrder, order_id.as_str())
    );
}
