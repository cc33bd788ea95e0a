//! Internal equipment faults, internal repairs and leak sealing have the
//! deadline their department head sets (DOMAIN.md): the desk registers them
//! on the standard deadline, and a head sets the real one, once.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{hand_over, request, session, TestClock};
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::Role;

fn clock() -> TestClock {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    // A Monday.
    clock.set(2026, 11, 23, 9, 0);
    clock
}

#[test]
fn the_desk_registers_on_the_standard_deadline_and_a_head_sets_the_real_one_once() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut agreed = request("internal_equipment");
    agreed.agreed_due_at = Some(common::shanghai(2026, 12, 10, 18));
    let refused = desk.register_order(&agreed).unwrap_err();
    assert_eq!(
        refused.field().as_deref(),
        Some("agreed_due_at"),
        "{refused}"
    );

    let id = desk.register_order(&request("internal_equipment")).unwrap();
    let order = desk.order(&id).unwrap();
    assert_eq!(order.deadline.class, "head_set");
    assert_eq!(order.deadline.set_by, None);
    // Three working days from Monday morning: the end of Thursday.
    assert_eq!(order.deadline.due_at, common::shanghai(2026, 11, 27, 0));
    assert!(!desk.may_set_deadline(&id).unwrap());
    let refused = desk
        .set_deadline(&id, common::shanghai(2026, 12, 10, 18))
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::RoleMayNot, "{refused}");

    let ordinary = desk.register_order(&request("pipe_leak")).unwrap();
    let mut head = hand_over(desk, "s1", Role::Supervisor, &clock);
    assert!(head.may_set_deadline(&id).unwrap());
    assert!(
        !head.may_set_deadline(&ordinary).unwrap(),
        "the rules set a leak's"
    );
    let refused = head
        .set_deadline(&ordinary, common::shanghai(2026, 12, 10, 18))
        .unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("due_at"), "{refused}");
    let refused = head
        .set_deadline(&id, common::shanghai(2026, 11, 1, 9))
        .unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("due_at"), "{refused}");

    head.set_deadline(&id, common::shanghai(2026, 12, 10, 18))
        .unwrap();
    let order = head.order(&id).unwrap();
    assert_eq!(order.deadline.due_at, common::shanghai(2026, 12, 10, 18));
    assert_eq!(order.deadline.set_by.as_deref(), Some("s1"));
    assert!(!head.may_set_deadline(&id).unwrap());
    let again = head
        .set_deadline(&id, common::shanghai(2026, 12, 20, 18))
        .unwrap_err();
    assert_eq!(again.field().as_deref(), Some("due_at"), "{again}");
}

#[test]
fn a_head_registering_one_sets_its_deadline_there_and_then() {
    let clock = clock();
    let mut head = session("s1", Role::Supervisor, &clock);
    let mut req = request("leak_sealing");
    req.agreed_due_at = Some(common::shanghai(2026, 12, 31, 18));
    let id = head.register_order(&req).unwrap();
    let order = head.order(&id).unwrap();
    assert_eq!(order.deadline.due_at, common::shanghai(2026, 12, 31, 18));
    assert_eq!(order.deadline.set_by.as_deref(), Some("s1"));
}
