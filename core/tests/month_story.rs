//! A month of one estate, played on one store the way the server holds it,
//! each step by the person whose step it is: orders on the happy path and
//! in the orders real life takes (revisited before the review, refused and
//! redone, returned after a refusal, a head-set deadline), complaints to
//! closed (one revisited before its report-back, one emergency with its
//! minute steps), a patrol's notice through a second round, and home visits
//! against the quota. At the month's end nothing it opened is left open,
//! and the month's report counts what was done.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{hand_over, request, session, TestClock};
use rounds_core::documents::complaint::EscalationLevel;
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::rectification::RectificationDraft;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::work_order::{OrderStatus, WorkRecord};
use rounds_core::documents::Who;
use rounds_core::places::{Personal, Place};
use rounds_core::session::{ComplaintRequest, Reinspection, Session};
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, RecordKind, Role};

/// The people of the estate, by the id their records carry.
const DESK: (&str, Role) = ("r1", Role::Receptionist);
const TECH: (&str, Role) = ("t1", Role::Technician);
const HEAD: (&str, Role) = ("s1", Role::Supervisor);
const ASSISTANT: (&str, Role) = ("a1", Role::PropertyAssistant);

/// One store handed from person to person, at the story's time.
struct Month {
    clock: TestClock,
    s: Option<Session>,
}

impl Month {
    fn new() -> Month {
        let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
        clock.set(2026, 11, 2, 9, 0);
        let s = Some(session(DESK.0, DESK.1, &clock));
        Month { clock, s }
    }

    /// `who` acts on the store at `day` (of November) `h:min`.
    fn at(&mut self, day: u32, h: u32, min: u32, who: (&str, Role)) -> &mut Session {
        self.clock.set(2026, 11, day, h, min);
        let s = self.s.take().expect("the store");
        self.s = Some(hand_over(s, who.0, who.1, &self.clock));
        self.s.as_mut().unwrap()
    }
}

fn phone_call(satisfaction: Satisfaction) -> Outcome {
    Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(satisfaction),
        comments: "已修好".into(),
        ..Outcome::default()
    }
}

fn in_person() -> Outcome {
    Outcome {
        method: Some(Method::InPerson),
        satisfaction: Some(Satisfaction::VerySatisfied),
        resident_name: Personal("业主".into()),
        ..Outcome::default()
    }
}

/// Registered at the desk and done by the technician on `day` (and, when
/// `signed`, accepted by the resident): the order and the revisit its
/// completion planned.
fn repaired(m: &mut Month, day: u32, category: &str, signed: bool) -> (RecordId, RecordId) {
    let id = m
        .at(day, 9, 0, DESK)
        .register_order(&request(category))
        .unwrap();
    m.at(day, 9, 10, DESK).dispatch(&id, TECH.0).unwrap();
    let revisit = work(m, day, &id, signed);
    (id, revisit)
}

/// The technician's part: accept, work, complete, and when `signed` the
/// resident's signature.
fn work(m: &mut Month, day: u32, id: &RecordId, signed: bool) -> RecordId {
    let tech = m.at(day, 10, 0, TECH);
    if tech.order(id).unwrap().status() == Some(OrderStatus::Dispatched) {
        tech.accept(id).unwrap();
        tech.start_work(id).unwrap();
    }
    let start = tech.order(id).unwrap().work.started_at;
    tech.record_work(
        id,
        &WorkRecord {
            work_done: "更换配件".into(),
            started_at: start,
            ended_at: start.map(|s| s + 3_600_000),
            prep_minutes: 10,
        },
    )
    .unwrap();
    let revisit = m.at(day, 11, 30, TECH).complete(id).unwrap();
    if signed {
        m.at(day, 11, 40, TECH)
            .sign_off(id, "李强", b"png strokes")
            .unwrap();
    }
    revisit
}

fn complaint(emergency: bool) -> ComplaintRequest {
    let content = if emergency {
        "地下室水管爆裂"
    } else {
        "夜间装修噪音"
    };
    common::complaint("噪音", content, emergency)
}

#[test]
fn a_month_of_one_estate_leaves_nothing_open_and_its_report_counts_what_was_done() {
    let mut m = Month::new();

    // 1. The happy path.
    let (a, a_visit) = repaired(&mut m, 2, "door_lock", true);
    m.at(3, 9, 0, HEAD).review(&a, "工料无误").unwrap();
    m.at(3, 10, 0, DESK)
        .record_revisit(&a_visit, phone_call(Satisfaction::Satisfied), None)
        .unwrap();
    m.at(3, 11, 0, DESK).close_order(&a).unwrap();

    // 2. Revisited before the head's monthly review.
    let (b, b_visit) = repaired(&mut m, 4, "lamp", true);
    m.at(5, 10, 0, DESK)
        .record_revisit(&b_visit, phone_call(Satisfaction::VerySatisfied), None)
        .unwrap();
    m.at(27, 16, 0, HEAD).review(&b, "月底审核").unwrap();
    m.at(27, 17, 0, DESK).close_order(&b).unwrap();

    // 3. Refused at the desk for a missing detail, redone, and closed: the
    //    second completion finds the revisit the first one planned.
    let (c, c_visit) = repaired(&mut m, 9, "pipe_leak", false);
    m.at(9, 14, 0, DESK).refuse(&c, "缺少业主签字").unwrap();
    let again = work(&mut m, 10, &c, true);
    assert_eq!(again, c_visit, "one revisit for the order");
    m.at(11, 9, 0, HEAD).review(&c, "已补签字").unwrap();
    m.at(11, 10, 0, DESK)
        .record_revisit(&c_visit, phone_call(Satisfaction::Satisfied), None)
        .unwrap();
    m.at(11, 11, 0, DESK).close_order(&c).unwrap();

    // 4. Refused, then returned: the resident's own brand, the maker repairs it.
    //    The revisit its completion planned is no longer owed.
    let (d, d_visit) = repaired(&mut m, 12, "door_lock", false);
    m.at(12, 14, 0, DESK).refuse(&d, "业主拒绝签字").unwrap();
    m.at(12, 15, 0, HEAD)
        .return_order(&d, "业主自购品牌,已告知联系厂家")
        .unwrap();
    m.at(12, 16, 0, DESK).close_order(&d).unwrap();
    assert_eq!(
        m.at(12, 16, 0, DESK).revisit(&d_visit).unwrap().status(),
        Some(rounds_core::documents::revisit::RevisitStatus::Cancelled)
    );

    // 5. A head-set category: the head sets its deadline, the work is done.
    let e = m
        .at(16, 9, 0, DESK)
        .register_order(&request("internal_repair"))
        .unwrap();
    m.at(16, 9, 30, HEAD)
        .set_deadline(&e, common::shanghai(2026, 11, 25, 18))
        .unwrap();
    m.at(16, 9, 40, DESK).dispatch(&e, TECH.0).unwrap();
    let e_visit = work(&mut m, 17, &e, true);
    m.at(18, 9, 0, HEAD).review(&e, "按期完成").unwrap();
    m.at(18, 10, 0, DESK)
        .record_revisit(&e_visit, phone_call(Satisfaction::Neutral), None)
        .unwrap();
    m.at(18, 11, 0, DESK).close_order(&e).unwrap();

    // 6. A complaint on the usual path, and one revisited before its report-back.
    let mut complaint_revisits = vec![];
    for (n, revisit_first) in [(0, false), (1, true)] {
        let day = 19 + n;
        let id = m
            .at(day, 9, 0, DESK)
            .receive_complaint(&complaint(false))
            .unwrap();
        m.at(day, 9, 30, DESK)
            .dispatch_complaint(&id, "security")
            .unwrap();
        m.at(day, 10, 0, DESK)
            .answer_complaint(&id, "今晚上门劝阻")
            .unwrap();
        let visit = m
            .at(day, 20, 0, DESK)
            .resolve_complaint(&id, "已劝阻")
            .unwrap();
        if revisit_first {
            m.at(day + 1, 9, 0, DESK)
                .record_revisit(&visit, phone_call(Satisfaction::Satisfied), None)
                .unwrap();
            m.at(day + 1, 9, 30, DESK).report_back(&id).unwrap();
        } else {
            m.at(day, 21, 0, DESK).report_back(&id).unwrap();
            m.at(day + 1, 9, 0, DESK)
                .record_revisit(&visit, phone_call(Satisfaction::Satisfied), None)
                .unwrap();
        }
        m.at(day + 1, 10, 0, DESK).close_complaint(&id).unwrap();
        complaint_revisits.push(id);
    }

    // 7. An emergency: told, escalated with its report, resolved, verified.
    let em = m
        .at(23, 20, 0, DESK)
        .receive_complaint(&complaint(true))
        .unwrap();
    m.at(23, 20, 2, DESK).notify_departments(&em).unwrap();
    m.at(23, 20, 4, HEAD)
        .escalate_complaint(&em, EscalationLevel::Site)
        .unwrap();
    m.at(23, 20, 5, DESK)
        .dispatch_complaint(&em, "engineering")
        .unwrap();
    let em_visit = m
        .at(23, 23, 0, DESK)
        .resolve_complaint(&em, "关阀更换主管")
        .unwrap();
    m.at(24, 0, 30, DESK).report_back(&em).unwrap();
    m.at(24, 6, 0, DESK)
        .verify_complaint(&em, "现场无渗漏")
        .unwrap();
    m.at(24, 9, 0, HEAD)
        .escalation_report(&em, EscalationLevel::Site, "主阀门老化爆裂")
        .unwrap();
    m.at(24, 10, 0, DESK)
        .record_revisit(&em_visit, phone_call(Satisfaction::Satisfied), None)
        .unwrap();
    m.at(24, 11, 0, DESK).close_complaint(&em).unwrap();
    complaint_revisits.push(em);

    // The effect revisits fall due next month; the desk makes them early.
    for id in &complaint_revisits {
        let effect = RecordId::derived(id, "effect-revisit");
        m.at(30, 15, 0, DESK)
            .record_revisit(&effect, phone_call(Satisfaction::VerySatisfied), None)
            .unwrap();
    }

    // 8. A weekly patrol: one defect, its notice round twice, then passed.
    let template = RecordId::new();
    let director = Who {
        staff_id: "d1".into(),
        role: Role::Director,
        device_id: m.at(1, 9, 0, DESK).store().device_id(),
        at: common::shanghai(2026, 11, 1, 9),
    };
    let mut doc = TemplateDoc::create(
        template.clone(),
        "e1",
        &default_templates()[1],
        director.device_id,
        &director,
    )
    .unwrap();
    m.at(1, 9, 0, DESK).store_mut().create(&mut doc).unwrap();
    let garden = Place {
        estate_id: "e1".into(),
        unit_id: None,
        common_area_id: Some("garden".into()),
        detail: "中心花园".into(),
    };
    let patrol = RecordId::new();
    let walker = m.at(6, 9, 0, ASSISTANT);
    walker
        .start_inspection(patrol.clone(), &template, garden.clone(), None)
        .unwrap();
    let items: Vec<String> = walker
        .inspection(&patrol)
        .unwrap()
        .checklist()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    for item in &items {
        let (result, note) = if item == "greenery" {
            (ItemResult::Defect, "灌木枯死三株")
        } else {
            (ItemResult::Ok, "")
        };
        walker.record_item(&patrol, item, result, note).unwrap();
    }
    walker.submit_inspection(&patrol).unwrap();
    let notice = RecordId::new();
    m.at(6, 14, 0, HEAD)
        .issue_rectification(
            &patrol,
            &RectificationDraft {
                id: notice.clone(),
                item_id: "greenery".into(),
                place: garden,
                problem: "补种枯死灌木".into(),
                responsible_party: "绿化外包公司".into(),
                due_at: common::shanghai(2026, 11, 13, 18),
            },
        )
        .unwrap();
    m.at(6, 15, 0, HEAD)
        .review_inspection(&patrol, "已发整改")
        .unwrap();
    m.at(12, 9, 0, ASSISTANT)
        .report_rectified(
            &notice,
            "r1",
            "已补种",
            &[(&b"jpeg of the new shrubs"[..], "image/jpeg")],
        )
        .unwrap();
    m.at(13, 9, 0, ASSISTANT)
        .reinspect(
            &notice,
            &Reinspection::Again {
                reason: "仍缺一株".into(),
                due_at: common::shanghai(2026, 11, 20, 18),
            },
        )
        .unwrap();
    m.at(19, 9, 0, ASSISTANT)
        .report_rectified(&notice, "r2", "已全部补种", &[])
        .unwrap();
    m.at(20, 9, 0, ASSISTANT)
        .reinspect(
            &notice,
            &Reinspection::Passed {
                note: "复查合格".into(),
            },
        )
        .unwrap();

    // 9. Home visits against the assistant's quota of 15: two planned, done.
    for day in [10, 24] {
        let visit = RecordId::new();
        m.at(day, 8, 0, HEAD)
            .plan_home_visit(
                visit.clone(),
                request("general").place,
                ASSISTANT.0,
                common::shanghai(2026, 11, day, 18),
            )
            .unwrap();
        m.at(day, 15, 0, ASSISTANT)
            .record_revisit(
                &visit,
                in_person(),
                Some(b"png of the resident's signature"),
            )
            .unwrap();
    }

    // Nothing the month opened is left open.
    let s = m.at(30, 18, 0, HEAD);
    for kind in [
        RecordKind::WorkOrder,
        RecordKind::Complaint,
        RecordKind::Revisit,
        RecordKind::Inspection,
        RecordKind::Rectification,
    ] {
        let open: Vec<_> = s
            .records(kind)
            .unwrap()
            .into_iter()
            .filter(|r| r.open)
            .map(|r| (r.id, r.status))
            .collect();
        assert!(open.is_empty(), "{kind:?} left open: {open:?}");
    }

    // And the month's report counts what was done.
    let staff = vec![
        (DESK.0.to_owned(), DESK.1),
        (TECH.0.to_owned(), TECH.1),
        (HEAD.0.to_owned(), HEAD.1),
        (ASSISTANT.0.to_owned(), ASSISTANT.1),
    ];
    let r = s.monthly_report("e1", (2026, 11), 200, staff).unwrap();
    assert_eq!(r.requests_total, 5, "{r:?}");
    // The returned order was never finished; the other four were. The
    // leak refused for its missing signature was done for good the next
    // morning, past its 24 hours: three on time.
    assert_eq!((r.completed, r.completed_on_time), (4, 3), "{r:?}");
    assert_eq!(r.complaints_total, 3);
    // Owed this month: four repair revisits, three complaint revisits and
    // two home visits (the returned order's and the effect revisits are not
    // November's), every one done.
    assert_eq!((r.revisits_due, r.revisits_done), (9, 9), "{r:?}");
    assert_eq!(r.revisit_handling_on_target, Some(true));
    let assistant = r.quota.iter().find(|q| q.staff_id == ASSISTANT.0).unwrap();
    assert_eq!(
        (assistant.done, assistant.short_by, assistant.to_plan),
        (2, 13, 13)
    );
}
