//! A unit's renovation (seed 003 第6篇): applied for at the desk, approved by
//! a head, permitted, a worker's pass and the deposit; a renovation patrol on
//! the assistant's phone offline finds debris and raises it against the
//! application while the head extends the period at the desk; the works are
//! finished on the eve of the National Day holiday, so acceptance is due
//! seven working days later counted past the holiday and the make-up
//! Saturday; the first acceptance fails, the rectified works pass, and only
//! then is the deposit refunded and the unit free to move into.

use crate::common;

use common::{carry, hand_over, session, shanghai, TestClock};
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::renovation::*;
use rounds_core::documents::template::{default_templates, RENOVATION_PATROL};
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::places::Place;
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};

fn application() -> RenovationApplication {
    RenovationApplication {
        id: RecordId::new(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some("u-3-1-502".into()),
            common_area_id: None,
            detail: String::new(),
        },
        owner_name: "李强".into(),
        owner_phone: "13600136000".into(),
        contractor: "安居装饰公司".into(),
        contractor_phone: "021-55501234".into(),
        work: "厨卫翻新、铺地板、墙面刷漆".into(),
        planned_start: shanghai(2026, 9, 7, 8),
        planned_end: shanghai(2026, 9, 25, 18),
        deposit_fen: 200_000,
    }
}

/// A worker's pass, valid until the day after the planned end.
fn pass(id: &str, name: &str, id_number: &str) -> PassRequest {
    PassRequest {
        id: id.into(),
        name: name.into(),
        id_number: id_number.into(),
        valid_until: shanghai(2026, 9, 26, 0),
    }
}

fn renovation_template(head: &mut Session) -> RecordId {
    let draft = default_templates()
        .into_iter()
        .find(|t| t.checklist_kind == RENOVATION_PATROL)
        .unwrap();
    head.create_template(RecordId::new(), "e1", &draft).unwrap()
}

/// Registered at the desk, then approved, permitted and its deposit taken by
/// a head at the same desk: the head's session.
fn permitted(clock: &TestClock) -> (RecordId, Session) {
    let mut desk = session("r1", Role::Receptionist, clock);
    let id = desk.apply_for_renovation(&application()).unwrap();
    // The desk registers; a head decides.
    assert!(desk.approve_renovation(&id).is_err());
    let mut head = hand_over(desk, "s1", Role::Supervisor, clock);
    head.approve_renovation(&id).unwrap();
    head.issue_renovation_permit(&id, "ZX-2026-031").unwrap();
    head.take_renovation_deposit(&id).unwrap();
    (id, head)
}

#[test]
fn an_application_runs_from_permit_to_refund_across_the_holiday() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 4, 10, 0);
    let (id, mut head) = permitted(&clock);
    let template = renovation_template(&mut head);
    assert_eq!(
        head.renovation(&id).unwrap().status(),
        RenovationStatus::Permitted
    );

    clock.set(2026, 9, 7, 9, 0);
    head.issue_worker_pass(&id, &pass("pass-1", "王建国", "310101198001011234"))
        .unwrap();

    // The assistant's phone gets the application and the checklist, then
    // patrols offline.
    let mut phone = session("a1", Role::PropertyAssistant, &clock);
    carry(&head, &mut phone, &id);
    carry(&head, &mut phone, &template);
    clock.set(2026, 9, 22, 10, 0);
    let patrol = phone
        .start_renovation_patrol(RecordId::new(), &template, &id, None)
        .unwrap();
    let i = phone.inspection(&patrol).unwrap();
    assert_eq!(i.renovation_id.as_deref(), Some(id.as_str()));
    assert_eq!(i.place.unit_id.as_deref(), Some("u-3-1-502"));
    phone
        .record_item(&patrol, "debris", ItemResult::Defect, "楼道堆放装修垃圾")
        .unwrap();
    let notice = phone
        .raise_against_renovation(
            &patrol,
            RecordId::new(),
            "debris",
            shanghai(2026, 9, 23, 18),
        )
        .unwrap();
    let n = phone.rectification(&notice).unwrap();
    assert_eq!(n.responsible_party, "安居装饰公司");
    assert_eq!(n.problem, "楼道堆放装修垃圾");

    // Meanwhile at the desk: the period is extended past the holiday.
    assert!(head
        .extend_renovation(&id, "ext-1", shanghai(2026, 9, 20, 18), "工期延误")
        .is_err());
    head.extend_renovation(&id, "ext-1", shanghai(2026, 10, 20, 18), "国庆停工")
        .unwrap();

    // Merged: the desk sees the patrol against the application, the phone
    // the extended period.
    carry(&phone, &mut head, &patrol);
    carry(&phone, &mut head, &id);
    carry(&head, &mut phone, &id);
    let patrols = head.renovation_patrols(&id).unwrap();
    assert_eq!(patrols.len(), 1);
    assert_eq!(patrols[0].id, patrol.as_str());
    assert_eq!(
        phone.renovation(&id).unwrap().period_end(),
        shanghai(2026, 10, 20, 18)
    );

    // Finished on Wed 09-30: seven working days are Thu 10-08, Fri 10-09,
    // the make-up Saturday 10-10, Mon 10-12 … Thu 10-15.
    clock.set(2026, 9, 30, 16, 0);
    head.report_renovation_finished(&id, "done-1").unwrap();
    let due = shanghai(2026, 10, 16, 0);
    let row = head.store().index_row(id.as_str()).unwrap().unwrap();
    assert_eq!(
        (row.status.as_str(), row.due_at),
        ("awaiting_acceptance", Some(due))
    );
    assert_eq!(row.facts["move_in_barred"], true);
    clock.set(2026, 10, 16, 9, 0);
    assert_eq!(
        head.overdue(rounds_core::documents::RecordKind::Renovation)
            .unwrap()
            .len(),
        1
    );

    // The deposit waits for a passed acceptance.
    let early = head.refund_renovation_deposit(&id).unwrap_err();
    assert_eq!(early.field().as_deref(), Some("deposit_refunded_at"));

    // Acceptance on site, on the phone: failed, with its defects.
    carry(&head, &mut phone, &id);
    assert!(phone.accept_renovation(&id, "acc-1", false, " ").is_err());
    phone
        .accept_renovation(&id, "acc-1", false, "卫生间闭水试验渗漏")
        .unwrap();
    // A retried tap records once; another acceptance waits for the rectification.
    phone
        .accept_renovation(&id, "acc-1", false, "卫生间闭水试验渗漏")
        .unwrap();
    assert_eq!(phone.renovation(&id).unwrap().acceptances.len(), 1);
    assert!(phone.accept_renovation(&id, "acc-x", true, "").is_err());
    assert_eq!(
        phone.renovation(&id).unwrap().status(),
        RenovationStatus::Rectifying
    );
    carry(&phone, &mut head, &id);

    // The rectified works: due again seven working days on, then passed.
    clock.set(2026, 10, 19, 10, 0);
    head.report_renovation_finished(&id, "done-2").unwrap();
    head.report_renovation_finished(&id, "done-2").unwrap();
    assert_eq!(head.renovation(&id).unwrap().completions.len(), 2);
    carry(&head, &mut phone, &id);
    clock.set(2026, 10, 21, 10, 0);
    phone.accept_renovation(&id, "acc-2", true, "").unwrap();
    phone.accept_renovation(&id, "acc-2", true, "").unwrap();
    carry(&phone, &mut head, &id);
    let r = head.renovation(&id).unwrap();
    assert_eq!(r.status(), RenovationStatus::Accepted);
    assert!(!r.status().bars_move_in());
    head.refund_renovation_deposit(&id).unwrap();
    let row = head.store().index_row(id.as_str()).unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.open), ("closed", false));
    assert_eq!(row.facts["failed_acceptances"], 1);

    // October's report: the first acceptance came after it was due (10-16
    // 09:00), the rectified works' (due 10-29) on time; one passed, one
    // failed, the deposit refunded. The application counts in September.
    let october = head.monthly_report("e1", (2026, 10), 100, vec![]).unwrap();
    let t = october.renovations;
    assert_eq!(
        (
            t.applied,
            t.acceptances_due,
            t.acceptances_on_time,
            t.acceptances_overdue
        ),
        (0, 2, 1, 1)
    );
    assert_eq!((t.passed, t.failed, t.deposits_refunded), (1, 1, 1));
    let september = head.monthly_report("e1", (2026, 9), 100, vec![]).unwrap();
    assert_eq!(september.renovations.applied, 1);
}

#[test]
fn workers_and_owners_are_shown_only_to_who_sees_residents() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 4, 10, 0);
    let (id, mut head) = permitted(&clock);
    head.issue_worker_pass(&id, &pass("pass-1", "王建国", "310101198001011234"))
        .unwrap();
    let mut tech = session("t1", Role::Technician, &clock);
    carry(&head, &mut tech, &id);
    let seen = tech.renovation(&id).unwrap();
    assert_eq!(seen.passes.len(), 1);
    assert!(seen.passes[0].id_number.0.is_empty());
    assert!(seen.owner_phone.0.is_empty());
    assert_eq!(
        head.renovation(&id).unwrap().passes[0].id_number.0,
        "310101198001011234"
    );
    // A technician neither issues passes nor approves.
    let e = tech
        .issue_worker_pass(&id, &pass("pass-2", "赵六", "310101199001011234"))
        .unwrap_err();
    assert_eq!(
        e.code(),
        ErrorCode::from(rounds_core::policy::Code::RoleMayNot)
    );
}

#[test]
fn only_a_renovation_checklist_patrols_an_application() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 4, 10, 0);
    let (id, mut head) = permitted(&clock);
    let building = default_templates()
        .into_iter()
        .find(|t| t.checklist_kind != RENOVATION_PATROL)
        .unwrap();
    let t = head
        .create_template(RecordId::new(), "e1", &building)
        .unwrap();
    let e = head
        .start_renovation_patrol(RecordId::new(), &t, &id, None)
        .unwrap_err();
    assert_eq!(e.field().as_deref(), Some("renovation_id"));
}
