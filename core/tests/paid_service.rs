//! A paid service (有偿服务) end to end on the phones: marked at intake,
//! quoted before work, charged, and its fee collected once, by the
//! technician at completion or by the service centre at the revisit
//! (seed 003 §5.2.1, §6.5).

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{carry, request, session, TestClock};
use rounds_core::documents::work_order::*;
use rounds_core::session::Session;
use rounds_core::{RecordId, Role};

fn clock() -> TestClock {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 23, 9, 0);
    clock
}

fn fee(amount_fen: i64, receipt_no: &str) -> FeeCollection {
    FeeCollection {
        amount_fen,
        method: PaymentMethod::Wechat,
        receipt_no: receipt_no.into(),
    }
}

/// A paid job registered at the desk, quoted, done and charged 80 元 of
/// materials and 50 元 of labour by t1, and completed: on t1's phone.
fn paid_job_done(desk: &mut Session, tech: &mut Session) -> RecordId {
    let mut req = request("general");
    req.paid_service = true;
    let id = desk.register_order(&req).unwrap();
    desk.dispatch(&id, "t1").unwrap();
    carry(desk, tech, &id);
    tech.accept(&id).unwrap();
    tech.quote(&id, 13_000).unwrap();
    tech.start_work(&id).unwrap();
    let start = tech.order(&id).unwrap().work.started_at.unwrap();
    tech.record_work(&id, &common::work_done(start)).unwrap();
    tech.charge(&id, 8_000, 5_000).unwrap();
    tech.complete(&id).unwrap();
    id
}

#[test]
fn the_technician_collects_the_fee_at_completion_once() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let id = paid_job_done(&mut desk, &mut tech);

    // More than charged, nothing, or without a receipt: refused, nothing written.
    let err = tech.collect_fee(&id, &fee(13_001, "SJ-1")).unwrap_err();
    assert!(err.to_string().contains("超过应收"), "{err}");
    assert!(tech.collect_fee(&id, &fee(-100, "SJ-1")).is_err());
    assert!(tech.collect_fee(&id, &fee(0, "SJ-1")).is_err());
    assert!(tech.collect_fee(&id, &fee(13_000, "  ")).is_err());
    assert_eq!(tech.order(&id).unwrap().fees.collected_fen, None);

    clock.set(2026, 11, 23, 11, 0);
    tech.collect_fee(&id, &fee(13_000, "SJ-0001")).unwrap();
    let fees = tech.order(&id).unwrap().fees;
    assert_eq!(fees.collected_fen, Some(13_000));
    assert_eq!(fees.payment_method, Some(PaymentMethod::Wechat));
    assert_eq!(fees.collected_by.as_deref(), Some("t1"));
    assert_eq!(fees.receipt_no.as_deref(), Some("SJ-0001"));
    assert_eq!(fees.outstanding_fen(), 0);

    // Never twice: not by the technician, not by the desk at the revisit.
    let err = tech.collect_fee(&id, &fee(13_000, "SJ-0002")).unwrap_err();
    assert!(err.to_string().contains("已收取"), "{err}");
    carry(&tech, &mut desk, &id);
    assert!(desk.collect_fee(&id, &fee(5_000, "SJ-0003")).is_err());
    // Nor may the charge drop below what was taken.
    assert!(tech.charge(&id, 1_000, 1_000).is_err());
    assert_eq!(tech.order(&id).unwrap().fees.charged_fen(), 13_000);
}

#[test]
fn the_service_centre_collects_at_the_revisit_and_only_the_right_people_may() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let mut other = session("t2", Role::Technician, &clock);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let id = paid_job_done(&mut desk, &mut tech);
    carry(&tech, &mut other, &id);
    carry(&tech, &mut assistant, &id);

    // Another technician, not assigned, may not take the money.
    assert!(other.collect_fee(&id, &fee(13_000, "SJ-9")).is_err());

    // The resident pays part at the visit: what is left stays outstanding.
    clock.set(2026, 11, 25, 15, 0);
    assistant.collect_fee(&id, &fee(10_000, "SJ-0100")).unwrap();
    let fees = assistant.order(&id).unwrap().fees;
    assert_eq!(fees.collected_by.as_deref(), Some("a1"));
    assert_eq!(fees.outstanding_fen(), 3_000);
}

#[test]
fn a_free_order_and_unfinished_work_collect_nothing() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let id = desk.register_order(&request("general")).unwrap();
    desk.dispatch(&id, "t1").unwrap();
    carry(&desk, &mut tech, &id);
    tech.accept(&id).unwrap();
    let err = tech.collect_fee(&id, &fee(100, "SJ-1")).unwrap_err();
    assert!(err.to_string().contains("完工"), "{err}");
    tech.start_work(&id).unwrap();
    let start = tech.order(&id).unwrap().work.started_at.unwrap();
    tech.record_work(&id, &common::work_done(start)).unwrap();
    tech.complete(&id).unwrap();
    let err = tech.collect_fee(&id, &fee(100, "SJ-1")).unwrap_err();
    assert!(err.to_string().contains("有偿服务"), "{err}");
}

/// The month's report carries the paid jobs' money, and a re-repair linked
/// at intake (返修) counts in the re-repair rate once it is finished.
#[test]
fn the_months_report_sums_the_fees_and_counts_the_re_repair() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let mut tech = session("t1", Role::Technician, &clock);
    let first = paid_job_done(&mut desk, &mut tech);
    tech.collect_fee(&first, &fee(10_000, "SJ-0001")).unwrap();

    clock.set(2026, 11, 26, 9, 0);
    let mut again = request("general");
    again.rework_of = Some(first.to_string());
    again.paid_service = true;
    let second = desk.register_order(&again).unwrap();
    assert_eq!(
        desk.order(&second).unwrap().links.rework_of.as_deref(),
        Some(first.as_str())
    );
    desk.dispatch(&second, "t1").unwrap();
    carry(&desk, &mut tech, &second);
    tech.accept(&second).unwrap();
    tech.quote(&second, 0).unwrap();
    tech.start_work(&second).unwrap();
    let start = tech.order(&second).unwrap().work.started_at.unwrap();
    tech.record_work(&second, &common::work_done(start))
        .unwrap();
    tech.complete(&second).unwrap();

    let report = tech
        .monthly_report("e1", (2026, 11), 100, vec![("t1".into(), Role::Technician)])
        .unwrap();
    assert_eq!((report.completed, report.rework_count), (2, 1));
    assert_eq!(report.rework_rate, Some(0.5));
    assert_eq!(report.fees.orders, 2);
    assert_eq!(report.fees.quoted_fen, 13_000);
    assert_eq!(report.fees.charged_fen, 13_000);
    assert_eq!(report.fees.collected_fen, 10_000);
    assert_eq!(report.fees.outstanding_fen, 3_000);
    let december = tech.monthly_report("e1", (2026, 12), 100, vec![]).unwrap();
    assert_eq!(december.fees.orders, 0);
}
