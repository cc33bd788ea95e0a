//! Records reach their end when real life takes another order than the happy
//! path: the revisit before the head's review, the revisit before the
//! report-back, a revisit and a review made on two devices offline, a
//! complaint whose repair is still being worked, and a paid service known at
//! intake.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{carry, request, session, TestClock};
use rounds_core::documents::complaint::ComplaintStatus;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::work_order::*;
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};

fn clock() -> TestClock {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 23, 9, 0);
    clock
}

fn satisfied() -> Outcome {
    Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(Satisfaction::Satisfied),
        ..Outcome::default()
    }
}

/// Registered by `desk`, done and signed by `tech`: returns the order and the
/// revisit its completion planned, both on the technician's phone.
fn finished_order(desk: &mut Session, tech: &mut Session) -> (RecordId, RecordId) {
    let id = desk.register_order(&request("door_lock")).unwrap();
    desk.dispatch(&id, "t1").unwrap();
    carry(desk, tech, &id);
    tech.accept(&id).unwrap();
    tech.start_work(&id).unwrap();
    let start = tech.order(&id).unwrap().work.started_at;
    tech.record_work(
        &id,
        &WorkRecord {
            work_done: "更换锁芯".into(),
            started_at: start,
            ended_at: start.map(|s| s + 3_600_000),
            prep_minutes: 5,
        },
    )
    .unwrap();
    let revisit = tech.complete(&id).unwrap();
    tech.sign_off(&id, "李强", b"png strokes").unwrap();
    (id, revisit)
}

#[test]
fn a_revisit_before_the_review_lets_the_review_move_the_order_on_and_the_desk_close_it() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut head = session("s1", Role::Supervisor, &clock);
    let (id, revisit) = finished_order(&mut desk, &mut tech);
    carry(&tech, &mut desk, &id);
    carry(&tech, &mut desk, &revisit);

    // The desk calls the resident the next day; the head reviews at month end.
    clock.set(2026, 11, 24, 10, 0);
    desk.record_revisit(&revisit, satisfied(), None).unwrap();
    assert_eq!(
        desk.order(&id).unwrap().status(),
        Some(OrderStatus::SignedOff)
    );
    carry(&desk, &mut head, &id);
    carry(&desk, &mut head, &revisit);
    clock.set(2026, 11, 30, 16, 0);
    head.review(&id, "工料核对无误").unwrap();
    let order = head.order(&id).unwrap();
    assert_eq!(order.status(), Some(OrderStatus::Revisited));
    assert_eq!(order.links.revisit_ids, vec![revisit.to_string()]);

    carry(&head, &mut desk, &id);
    desk.close_order(&id).unwrap();
    assert_eq!(desk.order(&id).unwrap().status(), Some(OrderStatus::Closed));
}

#[test]
fn a_revisit_and_a_review_made_offline_on_two_devices_still_close() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut head = session("s1", Role::Supervisor, &clock);
    let (id, revisit) = finished_order(&mut desk, &mut tech);
    carry(&tech, &mut desk, &id);
    carry(&tech, &mut desk, &revisit);
    carry(&tech, &mut head, &id);

    // Neither knows of the other's step.
    clock.set(2026, 11, 24, 10, 0);
    desk.record_revisit(&revisit, satisfied(), None).unwrap();
    head.review(&id, "工料核对无误").unwrap();
    assert_eq!(
        head.order(&id).unwrap().status(),
        Some(OrderStatus::Reviewed)
    );

    // Merged at the desk: reviewed, and the revisit is done, so closing it
    // records the revisit's move first.
    carry(&head, &mut desk, &id);
    assert_eq!(
        desk.order(&id).unwrap().status(),
        Some(OrderStatus::Reviewed)
    );
    desk.close_order(&id).unwrap();
    let order = desk.order(&id).unwrap();
    assert_eq!(order.status(), Some(OrderStatus::Closed));
    let path: Vec<_> = order.events.iter().map(|e| e.to).collect();
    assert!(
        path.ends_with(&[OrderStatus::Revisited, OrderStatus::Closed]),
        "{path:?}"
    );
}

#[test]
fn a_reviewed_order_whose_revisit_is_not_done_does_not_close() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut head = session("s1", Role::Supervisor, &clock);
    let (id, revisit) = finished_order(&mut desk, &mut tech);
    carry(&tech, &mut head, &id);
    head.review(&id, "").unwrap();
    carry(&head, &mut desk, &id);
    carry(&tech, &mut desk, &revisit);
    let err = desk.close_order(&id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert_eq!(
        desk.order(&id).unwrap().status(),
        Some(OrderStatus::Reviewed)
    );
}

#[test]
fn a_complaint_revisited_before_its_report_back_reaches_closed() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk
        .receive_complaint(&common::complaint("楼道噪音", "夜间装修噪音", false))
        .unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    let revisit = desk.resolve_complaint(&id, "已要求停止夜间施工").unwrap();
    // The revisit call happens before the department's report-back is logged.
    desk.record_revisit(&revisit, satisfied(), None).unwrap();
    let complaint = desk.complaint(&id).unwrap();
    assert_eq!(complaint.status(), Some(ComplaintStatus::Resolved));
    assert_eq!(complaint.revisit_ids, vec![revisit.to_string()]);

    desk.report_back(&id).unwrap();
    assert_eq!(
        desk.complaint(&id).unwrap().status(),
        Some(ComplaintStatus::Revisited)
    );
    desk.close_complaint(&id).unwrap();
    assert_eq!(
        desk.complaint(&id).unwrap().status(),
        Some(ComplaintStatus::Closed)
    );
}

#[test]
fn a_complaint_is_resolved_only_once_the_repair_opened_for_it_is_done() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let id = desk
        .receive_complaint(&common::complaint(
            "楼上漏水",
            "楼上卫生间漏水到我家",
            false,
        ))
        .unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    let order = desk
        .open_order_for_complaint(&id, request("pipe_leak"))
        .unwrap();
    desk.dispatch(&order, "t1").unwrap();

    // The desk answers meanwhile (that meets the 24-hour clock) but cannot
    // call it resolved while the repair is open: nothing is planned.
    desk.answer_complaint(&id, "已派维修,明天上门").unwrap();
    let err = desk.resolve_complaint(&id, "已修好").unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert!(
        err.message().zh.contains("尚未完工"),
        "{}",
        err.message().zh
    );
    assert!(
        err.message().en.contains(order.as_str()),
        "{}",
        err.message().en
    );
    let complaint = desk.complaint(&id).unwrap();
    assert_eq!(complaint.status(), Some(ComplaintStatus::Dispatched));
    assert!(complaint.revisit_ids.is_empty(), "no revisit planned yet");

    carry(&desk, &mut tech, &order);
    tech.accept(&order).unwrap();
    tech.start_work(&order).unwrap();
    let start = tech.order(&order).unwrap().work.started_at.unwrap();
    tech.record_work(&order, &common::work_done(start)).unwrap();
    tech.complete(&order).unwrap();
    carry(&tech, &mut desk, &order);

    desk.resolve_complaint(&id, "已修好楼上防水").unwrap();
    assert_eq!(
        desk.complaint(&id).unwrap().status(),
        Some(ComplaintStatus::Resolved)
    );
}

#[test]
fn a_paid_service_marked_at_intake_cannot_start_before_its_quote() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut req = request("general");
    req.paid_service = true;
    let id = desk.register_order(&req).unwrap();
    assert!(desk.order(&id).unwrap().fees.paid_service);
    desk.dispatch(&id, "t1").unwrap();
    carry(&desk, &mut tech, &id);
    tech.accept(&id).unwrap();

    let err = tech.start_work(&id).unwrap_err();
    assert!(err.to_string().contains("报价"), "{err}");
    assert_eq!(
        tech.order(&id).unwrap().status(),
        Some(OrderStatus::Accepted)
    );
    tech.quote(&id, 12_000).unwrap();
    tech.start_work(&id).unwrap();
    assert_eq!(
        tech.order(&id).unwrap().status(),
        Some(OrderStatus::InProgress)
    );
}

#[test]
fn a_refused_record_is_not_finished_until_it_is_completed_again() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    // Completed without the resident's signature on the day (a door lock:
    // due within 24 hours), refused at the desk that afternoon.
    let id = desk.register_order(&request("door_lock")).unwrap();
    let due = desk.order(&id).unwrap().deadline.due_at;
    desk.dispatch(&id, "t1").unwrap();
    carry(&desk, &mut tech, &id);
    tech.accept(&id).unwrap();
    tech.start_work(&id).unwrap();
    let start = tech.order(&id).unwrap().work.started_at.unwrap();
    tech.record_work(&id, &common::work_done(start)).unwrap();
    clock.set(2026, 11, 23, 11, 0);
    tech.complete(&id).unwrap();
    carry(&tech, &mut desk, &id);
    clock.set(2026, 11, 23, 14, 0);
    desk.refuse(&id, "缺少业主签字").unwrap();

    // The next morning, past its deadline, the work is back with the
    // technician: the lists call it late, and it has no completion time.
    clock.set(2026, 11, 24, 10, 0);
    let now = common::shanghai(2026, 11, 24, 10);
    let order = desk.order(&id).unwrap();
    assert_eq!(order.completed_at(), None);
    assert!(
        order.is_overdue(now),
        "refused and past its deadline is late"
    );
    let row = rounds_core::store::DocumentStore::index_row(desk.store(), id.as_str())
        .unwrap()
        .unwrap();
    assert_eq!(
        row.done_at, None,
        "the month's report does not count it done"
    );

    // The technician's list says why it came back.
    carry(&desk, &mut tech, &id);
    let mine = tech.my_tasks().unwrap();
    let row = mine
        .iter()
        .find(|r| r.id == id.as_str())
        .expect("back on the technician's list");
    assert_eq!(row.facts["status_reason"], "缺少业主签字");

    // Done again: finished when it was finished, after its deadline, and the
    // refusal no longer stands beside it.
    tech.complete(&id).unwrap();
    let order = tech.order(&id).unwrap();
    let finished = order.completed_at().unwrap();
    assert!(finished > due && !order.is_overdue(finished + 1));
    assert_eq!(order.status_reason(), None);
}

/// The server stores a phone's new order as its sync checked it (built from
/// the phone's changes), then the desk edits it there: that edit is the
/// server's own change, not one more of the phone's, so the phone's own
/// next change still merges on the server and each side takes the other's.
#[test]
fn an_order_first_stored_from_a_phone_is_edited_at_the_desk_and_the_phone_keeps_editing() {
    let clock = clock();
    let mut phone = session("r1", Role::Receptionist, &clock);
    let mut desk = session("r2", Role::Receptionist, &clock);
    let id = phone.register_order(&request("door_lock")).unwrap();
    let mut sent = phone.store().load(&id).unwrap();
    desk.store_mut().store_merged(&mut sent).unwrap();

    desk.add_order_note(&id, "n-desk", "住户下午在家").unwrap();
    phone
        .add_order_note(&id, "n-phone", "门锁型号 A-3")
        .unwrap();
    carry(&phone, &mut desk, &id);
    carry(&desk, &mut phone, &id);
    for side in [&desk, &phone] {
        let mut notes: Vec<_> = side
            .order(&id)
            .unwrap()
            .notes
            .into_iter()
            .map(|n| n.text)
            .collect();
        notes.sort();
        assert_eq!(notes, ["住户下午在家", "门锁型号 A-3"]);
    }
}
