//! A complaint past "dispatched": an emergency's minute steps and written
//! reports, the answer that stops the 24-hour clock, the prompt and effect
//! revisits its resolution plans, and the month's sample drawn for revisits.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{hand_over, session, TestClock};
use rounds_core::documents::complaint::{ComplaintStatus, EscalationLevel};
use rounds_core::documents::revisit::Method;
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::rules::{
    complaint_clocks, escalation_stage, ClockKind, ClockState, EscalationStage, RulesConfig,
    WorkCalendar,
};
use rounds_core::session::{ComplaintRequest, Session};
use rounds_core::{RecordId, RecordKind, Role};

fn clock() -> TestClock {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 23, 20, 0);
    clock
}

fn complaint(emergency: bool) -> ComplaintRequest {
    let subject = if emergency {
        "水管爆裂"
    } else {
        "楼道噪音"
    };
    common::complaint(subject, "地下车库水管爆裂,水漫到电梯口", emergency)
}

fn stage(s: &Session, id: &RecordId) -> EscalationStage {
    let c = s.complaint(id).unwrap();
    let cfg = RulesConfig::default();
    let clocks = complaint_clocks(&c.clock_times(), s.now(), &cfg, &WorkCalendar::china());
    escalation_stage(&clocks, c.emergency, s.now(), &cfg)
}

fn clock_state(s: &Session, id: &RecordId, kind: ClockKind) -> ClockState {
    let c = s.complaint(id).unwrap();
    let clocks = complaint_clocks(
        &c.clock_times(),
        s.now(),
        &RulesConfig::default(),
        &WorkCalendar::china(),
    );
    clocks
        .into_iter()
        .find(|k| k.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} clock"))
        .state
}

#[test]
fn an_emergency_is_told_escalated_reported_verified_and_its_clocks_are_met() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk.receive_complaint(&complaint(true)).unwrap();

    clock.set(2026, 11, 23, 20, 2);
    desk.notify_departments(&id).unwrap();
    assert_eq!(
        clock_state(&desk, &id, ClockKind::NotifyDepartments),
        ClockState::Met
    );

    // Escalating is the site manager's call, not the front desk's.
    let refused = desk
        .escalate_complaint(&id, EscalationLevel::Site)
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::RoleMayNot, "{refused}");

    // The supervisor works on the same record (one store in this test).
    let mut head = hand_over(desk, "s1", Role::Supervisor, &clock);
    let too_soon = head
        .escalate_complaint(&id, EscalationLevel::Company)
        .unwrap_err();
    assert_eq!(too_soon.field().as_deref(), Some("level"), "{too_soon}");
    let unowed = head
        .escalation_report(&id, EscalationLevel::Site, "现场情况说明")
        .unwrap_err();
    assert_eq!(unowed.field().as_deref(), Some("level"), "{unowed}");

    clock.set(2026, 11, 23, 20, 4);
    head.escalate_complaint(&id, EscalationLevel::Site).unwrap();
    clock.set(2026, 11, 23, 20, 9);
    head.escalate_complaint(&id, EscalationLevel::Company)
        .unwrap();
    let blank = head
        .escalation_report(&id, EscalationLevel::Site, "  ")
        .unwrap_err();
    assert_eq!(blank.field().as_deref(), Some("report"), "{blank}");
    clock.set(2026, 11, 24, 10, 0);
    head.escalation_report(&id, EscalationLevel::Site, "主阀门老化爆裂,已关阀抢修")
        .unwrap();
    head.escalation_report(&id, EscalationLevel::Company, "已通知保险公司定损")
        .unwrap();

    let early = head.verify_complaint(&id, "现场已恢复").unwrap_err();
    assert_eq!(early.field().as_deref(), Some("verification"), "{early}");
    head.dispatch_complaint(&id, "engineering").unwrap();
    head.resolve_complaint(&id, "更换主阀门").unwrap();
    clock.set(2026, 11, 24, 11, 0);
    head.report_back(&id).unwrap();
    clock.set(2026, 11, 24, 15, 0);
    head.verify_complaint(&id, "现场已恢复,无渗漏").unwrap();

    let c = head.complaint(&id).unwrap();
    let steps = &c.emergency_steps;
    assert!(steps.site_escalated_at.is_some() && steps.company_escalated_at.is_some());
    assert_eq!(steps.site_report, "主阀门老化爆裂,已关阀抢修");
    assert_eq!(steps.verification, "现场已恢复,无渗漏");
    for kind in [
        ClockKind::SiteEscalation,
        ClockKind::CompanyEscalation,
        ClockKind::SiteWrittenReport,
        ClockKind::CompanyWrittenReport,
        ClockKind::Verification,
        ClockKind::ReportBack,
        ClockKind::Resolve,
    ] {
        assert_eq!(clock_state(&head, &id, kind), ClockState::Met, "{kind:?}");
    }
    // Nothing it owes is late: what is left is the revisit, days away.
    assert_eq!(stage(&head, &id), EscalationStage::Normal);
}

#[test]
fn steps_of_an_emergency_are_refused_on_an_ordinary_complaint() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk.receive_complaint(&complaint(false)).unwrap();
    let refused = desk.notify_departments(&id).unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("emergency"), "{refused}");
    assert!(refused.to_string().contains("紧急"), "{refused}");
}

#[test]
fn an_answer_within_a_day_meets_the_resolve_clock() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk.receive_complaint(&complaint(false)).unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    clock.set(2026, 11, 24, 10, 0);
    desk.answer_complaint(&id, "需订购配件,预计周五完成")
        .unwrap();
    clock.set(2026, 11, 25, 10, 0);
    assert_eq!(clock_state(&desk, &id, ClockKind::Resolve), ClockState::Met);
}

#[test]
fn resolving_plans_the_prompt_revisit_and_the_effect_revisit_a_month_on() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk.receive_complaint(&complaint(false)).unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    clock.set(2026, 11, 24, 15, 0);
    let prompt = desk.resolve_complaint(&id, "已更换").unwrap();
    let effect = RecordId::derived(&id, "effect-revisit");
    let (prompt, effect) = (
        desk.revisit(&prompt).unwrap(),
        desk.revisit(&effect).unwrap(),
    );
    assert_eq!(prompt.due_at, common::shanghai(2026, 11, 27, 0));
    assert_eq!(effect.due_at, common::shanghai(2026, 12, 24, 15));
    assert_eq!(effect.subject_id.as_deref(), Some(id.as_str()));
    assert_eq!(effect.assignee, "r1", "the first contact follows it up");
    assert_eq!(
        desk.complaint(&id).unwrap().status(),
        Some(ComplaintStatus::Resolved)
    );
}

#[test]
fn the_months_sample_is_a_tenth_with_a_third_in_person_and_drawing_it_again_plans_nothing_new() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    for _ in 0..20 {
        desk.receive_complaint(&complaint(false)).unwrap();
    }
    let from = common::shanghai(2026, 11, 1, 0);
    let until = common::shanghai(2026, 12, 1, 0);
    let due = common::shanghai(2026, 12, 10, 0);
    let planned = desk.plan_complaint_sample("e1", from, until, due).unwrap();
    assert_eq!(planned.len(), 2, "10 % of 20");
    let methods: Vec<Method> = planned
        .iter()
        .map(|id| desk.revisit(id).unwrap().planned_method)
        .collect();
    assert_eq!(
        methods.iter().filter(|m| **m == Method::InPerson).count(),
        1,
        "30 % of the sample, rounded up, in person: {methods:?}"
    );
    let revisits = desk.records(RecordKind::Revisit).unwrap().len();
    assert_eq!(
        desk.plan_complaint_sample("e1", from, until, due).unwrap(),
        planned
    );
    assert_eq!(desk.records(RecordKind::Revisit).unwrap().len(), revisits);

    // A month with no complaints draws no sample.
    let december = desk
        .plan_complaint_sample("e1", until, common::shanghai(2027, 1, 1, 0), due)
        .unwrap();
    assert!(december.is_empty());
}

#[test]
fn the_steps_offered_are_the_ones_the_record_and_the_policy_would_take() {
    use rounds_core::documents::complaint::ComplaintStep as Step;
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let id = desk.receive_complaint(&complaint(true)).unwrap();
    assert_eq!(
        desk.complaint_steps(&id).unwrap(),
        vec![Step::NotifyDepartments, Step::Dispatch]
    );
    desk.notify_departments(&id).unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    let before = desk.complaint(&id).unwrap();
    let steps = desk.complaint_steps(&id).unwrap();
    assert!(
        !steps.contains(&Step::NotifyDepartments),
        "told once: {steps:?}"
    );
    assert!(
        !steps.contains(&Step::EscalateSite),
        "a head's step: {steps:?}"
    );
    assert!(
        steps.contains(&Step::Answer) && steps.contains(&Step::Resolve),
        "{steps:?}"
    );
    assert!(
        !steps.contains(&Step::Close) && !steps.contains(&Step::Verify),
        "{steps:?}"
    );

    // Offering a step keeps nothing: the record is as it was.
    assert_eq!(desk.complaint(&id).unwrap(), before);

    let head = hand_over(desk, "s1", Role::Supervisor, &clock);
    let steps = head.complaint_steps(&id).unwrap();
    assert!(
        steps.contains(&Step::EscalateSite) && steps.contains(&Step::Classify),
        "{steps:?}"
    );
    assert!(
        !steps.contains(&Step::EscalateCompany),
        "the site first: {steps:?}"
    );
    assert_eq!(head.complaint(&id).unwrap(), before);
}
