//! What a done revisit still asks of the office: where the resident's
//! account differs from the department's, an administrator goes to site at
//! once; where a reply was promised, it is given by the time promised.

use crate::common;

use std::sync::{Arc, Mutex};

use chrono::Utc;
use common::{session, TestClock};
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::message::Explain;
use rounds_core::session::{FollowUpNeed, Session};
use rounds_core::{RecordId, Role};

fn clock() -> TestClock {
    let clock = TestClock(Arc::new(Mutex::new(Utc::now())));
    clock.set(2026, 11, 24, 10, 0);
    clock
}

/// A complaint resolved at the desk: its prompt revisit.
fn resolved_complaint(desk: &mut Session) -> (RecordId, RecordId) {
    let id = desk
        .receive_complaint(&common::complaint("渗水", "卫生间顶部渗水", false))
        .unwrap();
    desk.dispatch_complaint(&id, "engineering").unwrap();
    let revisit = desk.resolve_complaint(&id, "已处理楼上防水").unwrap();
    (id, revisit)
}

fn needs(desk: &Session) -> Vec<FollowUpNeed> {
    desk.revisit_follow_ups()
        .unwrap()
        .into_iter()
        .map(|f| f.need)
        .collect()
}

#[test]
fn a_differing_account_sends_an_administrator_today_and_a_promised_reply_waits_until_given() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let (complaint, revisit) = resolved_complaint(&mut desk);
    assert!(needs(&desk).is_empty());

    let promised = common::shanghai(2026, 11, 25, 17);
    desk.record_revisit(
        &revisit,
        Outcome {
            method: Some(Method::Phone),
            satisfaction: Some(Satisfaction::Dissatisfied),
            comments: "业主说楼上根本没人来过".into(),
            discrepancy: true,
            promised_reply_at: Some(promised),
            ..Outcome::default()
        },
        None,
    )
    .unwrap();
    // At once comes before tomorrow's promise.
    assert_eq!(
        needs(&desk),
        [FollowUpNeed::SendAdministrator, FollowUpNeed::Reply]
    );

    let visit = desk.send_administrator(&revisit, "a1").unwrap();
    let planned = desk.revisit(&visit).unwrap();
    assert_eq!(planned.assignee, "a1");
    assert_eq!(planned.planned_method, Method::InPerson);
    assert_eq!(planned.subject_id.as_deref(), Some(complaint.as_str()));
    assert_eq!(
        planned.due_at,
        common::shanghai(2026, 11, 25, 0),
        "before today ends"
    );
    assert_eq!(
        desk.send_administrator(&revisit, "a1").unwrap(),
        visit,
        "sent once"
    );
    assert_eq!(needs(&desk), [FollowUpNeed::Reply]);

    let blank = desk.reply_to_revisit(&revisit, " ").unwrap_err();
    assert_eq!(blank.field().as_deref(), Some("reply"), "{blank}");
    desk.reply_to_revisit(&revisit, "已约工程部明早上门复查")
        .unwrap();
    assert!(needs(&desk).is_empty());
    let again = desk.reply_to_revisit(&revisit, "再次回复").unwrap_err();
    assert_eq!(again.field().as_deref(), Some("reply"), "{again}");
    assert_eq!(
        desk.revisit(&revisit).unwrap().outcome.reply,
        "已约工程部明早上门复查"
    );

    // The administrator's visit is recorded in person with the signature.
    clock.set(2026, 11, 24, 15, 0);
    desk.record_revisit(
        &visit,
        Outcome {
            method: Some(Method::InPerson),
            satisfaction: Some(Satisfaction::Satisfied),
            comments: "现场确认已修好".into(),
            ..Outcome::default()
        },
        Some(b"\x89PNG signature strokes"),
    )
    .unwrap();
    let linked = desk.complaint(&complaint).unwrap().revisit_ids;
    assert!(linked.contains(&visit.to_string()), "{linked:?}");
}

#[test]
fn nobody_is_sent_where_the_accounts_agree_and_no_reply_is_owed_unpromised() {
    let clock = clock();
    let mut desk = session("r1", Role::Receptionist, &clock);
    let (_, revisit) = resolved_complaint(&mut desk);
    desk.record_revisit(
        &revisit,
        Outcome {
            method: Some(Method::Phone),
            satisfaction: Some(Satisfaction::Satisfied),
            ..Outcome::default()
        },
        None,
    )
    .unwrap();
    let refused = desk.send_administrator(&revisit, "a1").unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("discrepancy"), "{refused}");
    let refused = desk.reply_to_revisit(&revisit, "回复").unwrap_err();
    assert_eq!(refused.field().as_deref(), Some("reply"), "{refused}");
    assert!(needs(&desk).is_empty());
}
