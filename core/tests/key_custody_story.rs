//! A resident's key in custody (seed 003 第7篇): deposited and sealed, used
//! for a repair with the property assistant's and the security guard's
//! signatures made on their own phones offline and merged, opened, the entry
//! registered, resealed jointly; checked weekly across the National Day
//! holiday; lent against an ID that only the front desk sees.

use crate::common;

use common::{carry, hand_over, session, shanghai, TestClock};
use rounds_core::documents::key_custody::*;
use rounds_core::documents::{Record, RecordDoc};
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::places::Place;
use rounds_core::policy::{judge_since, Author, Code, Context, DocLimits};
use rounds_core::rules::RulesConfig;
use rounds_core::session::Session;
use rounds_core::signoff::DeviceKey;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};

fn deposit(s: &mut Session) -> RecordId {
    let draft = KeyDeposit {
        id: RecordId::new(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some("u-3-1-502".into()),
            common_area_id: None,
            detail: String::new(),
        },
        resident_name: "李强".into(),
        description: "入户门钥匙 2 把".into(),
        seal_no: "F-0001".into(),
    };
    s.deposit_key(&draft).unwrap()
}

fn repair_use() -> UseRequest {
    UseRequest {
        id: "use-1".into(),
        reason: "卫生间漏水,业主出差,入室维修".into(),
        present: vec!["物业助理 周敏".into(), "保安 陈刚".into()],
        contractor: "维修班 王师傅".into(),
    }
}

fn refused_field(e: impl Explain) -> Option<String> {
    e.field()
}

#[test]
fn a_use_is_signed_on_two_phones_opened_registered_and_resealed_jointly() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 21, 9, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let mut guard = session("g1", Role::Security, &clock);
    let key = deposit(&mut assistant);
    assistant.request_key_use(&key, &repair_use()).unwrap();

    // Nobody opens the seal before both sides signed.
    let early = assistant
        .key_site_step(&key, "s1", "use-1", SiteStep::Opened, "")
        .unwrap_err();
    assert_eq!(refused_field(early).as_deref(), Some("use_steps"));

    // Each signs on their own phone, offline; the two merge.
    carry(&assistant, &mut guard, &key);
    assistant
        .sign_key_use(&key, "use-1", SignStep::Approve, "")
        .unwrap();
    guard
        .sign_key_use(&key, "use-1", SignStep::Approve, "")
        .unwrap();
    carry(&guard, &mut assistant, &key);
    carry(&assistant, &mut guard, &key);
    let k = guard.key_custody(&key).unwrap();
    assert_eq!(k.use_status("use-1"), UseStatus::Approved);
    let p = k
        .signature("use-1", SignStep::Approve, Side::Property)
        .unwrap();
    let s = k
        .signature("use-1", SignStep::Approve, Side::Security)
        .unwrap();
    assert_ne!(p.device_id, s.device_id);
    assert_eq!((p.staff_id.as_str(), s.staff_id.as_str()), ("a1", "g1"));

    clock.set(2026, 9, 21, 10, 0);
    guard
        .key_site_step(&key, "s1", "use-1", SiteStep::Opened, "")
        .unwrap();
    guard
        .key_site_step(
            &key,
            "s2",
            "use-1",
            SiteStep::Entered,
            "保安陈刚、物业周敏、王师傅入室;移动餐桌一张,完工后复位",
        )
        .unwrap();
    let k = guard.key_custody(&key).unwrap();
    assert_eq!(k.status(), KeyStatus::InUse);
    assert_eq!(
        guard
            .store()
            .index_row(key.as_str())
            .unwrap()
            .unwrap()
            .status,
        "in_use"
    );

    // One side's resealing is not enough: it stays open until both sign.
    guard
        .sign_key_use(&key, "use-1", SignStep::Reseal, "F-0002")
        .unwrap();
    assert_eq!(guard.key_custody(&key).unwrap().status(), KeyStatus::InUse);
    carry(&guard, &mut assistant, &key);
    assistant
        .sign_key_use(&key, "use-1", SignStep::Reseal, "F-0002")
        .unwrap();
    let k = assistant.key_custody(&key).unwrap();
    assert_eq!(k.use_status("use-1"), UseStatus::Resealed);
    assert_eq!(
        (k.status(), k.current_seal()),
        (KeyStatus::InCustody, "F-0002")
    );
}

#[test]
fn one_phone_cannot_sign_for_both_sides() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 21, 9, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let key = deposit(&mut assistant);
    assistant.request_key_use(&key, &repair_use()).unwrap();
    assistant
        .sign_key_use(&key, "use-1", SignStep::Approve, "")
        .unwrap();
    // The guard signs on the assistant's phone: refused, it is one device.
    let mut guard = hand_over(assistant, "g1", Role::Security, &clock);
    let e = guard
        .sign_key_use(&key, "use-1", SignStep::Approve, "")
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::from(Code::Signature));
    assert_eq!(
        guard.key_custody(&key).unwrap().use_status("use-1"),
        UseStatus::Requested
    );
    // A technician signs for neither side.
    let mut tech = hand_over(guard, "t1", Role::Technician, &clock);
    assert!(tech
        .sign_key_use(&key, "use-1", SignStep::Approve, "")
        .is_err());
}

/// What the server does with a signature a phone sends: it judges it as
/// made by the signed-in person on the device whose key it registered.
#[test]
fn the_server_refuses_a_signature_by_the_wrong_role_or_key() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 21, 9, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let key = deposit(&mut assistant);
    assistant.request_key_use(&key, &repair_use()).unwrap();
    let mut doc = assistant.store().load(&key).unwrap();
    let before = doc.heads();

    // A guard's phone signs, as the core does (its own key, its own device).
    let guard_key = DeviceKey::generate().unwrap();
    let phone = rounds_core::DeviceId::new();
    let mut guard_doc =
        KeyCustodyDoc::from_record(RecordDoc::load(&doc.save(), phone).unwrap()).unwrap();
    let g = common::who("g1", Role::Security, phone, common::T0);
    guard_doc
        .sign_use("use-1", SignStep::Approve, "", &guard_key, &g)
        .unwrap();
    let changes = guard_doc.record_mut().changes_since(&before);
    doc.apply(&changes).unwrap();

    let rules = RulesConfig::default();
    let limits = DocLimits::default();
    let ctx = Context {
        rules: &rules,
        limits: &limits,
    };
    let as_sent_by = |role, device_key: &str| Author {
        staff_id: "g1".into(),
        role,
        device: phone,
        device_key: Some(device_key.into()),
    };
    let judge = |doc: &mut RecordDoc, author: &Author| {
        let mut copy = doc.clone();
        judge_since(&mut copy, &before, author, &ctx)
    };
    judge(
        &mut doc,
        &as_sent_by(Role::Security, &guard_key.public_hex()),
    )
    .unwrap();
    let other = DeviceKey::generate().unwrap().public_hex();
    let bad_key = judge(&mut doc, &as_sent_by(Role::Security, &other)).unwrap_err();
    assert_eq!(bad_key.code, Code::Signature);
    // Signed as security by someone the server knows as a cleaner: the
    // change names a role that is not theirs.
    let wrong_role = judge(
        &mut doc,
        &as_sent_by(Role::Cleaning, &guard_key.public_hex()),
    )
    .unwrap_err();
    assert_eq!(wrong_role.code, Code::NotAuthor);
}

#[test]
fn the_weekly_check_counts_calendar_days_through_the_national_day_holiday() {
    let clock = TestClock(Default::default());
    // Friday 25 September 2026: the first week runs over a weekend into the
    // National Day holiday, the next to the make-up working day (Saturday
    // 10 October); calendar days either way.
    clock.set(2026, 9, 25, 16, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let key = deposit(&mut assistant);
    let due = assistant.key_custody(&key).unwrap().check_due_at();
    // Due by the end of Friday 2 October, a public holiday: a key is checked
    // weekly whatever the working calendar says.
    assert_eq!(due, shanghai(2026, 10, 3, 0));
    clock.set(2026, 10, 2, 23, 0);
    assert!(assistant
        .overdue(rounds_core::RecordKind::KeyCustody)
        .unwrap()
        .is_empty());
    clock.set(2026, 10, 3, 9, 0);
    let overdue = assistant
        .overdue(rounds_core::RecordKind::KeyCustody)
        .unwrap();
    assert_eq!(overdue.len(), 1);

    // A broken seal is noted; the next check is a week on, by the end of
    // the make-up Saturday.
    let e = assistant
        .check_key(&key, "c1", true, false, "")
        .unwrap_err();
    assert_eq!(refused_field(e).as_deref(), Some("note"));
    assistant
        .check_key(&key, "c1", true, false, "封条边缘破损,已报主管")
        .unwrap();
    let k = assistant.key_custody(&key).unwrap();
    assert_eq!(k.check_due_at(), shanghai(2026, 10, 11, 0));
    assert!(assistant
        .overdue(rounds_core::RecordKind::KeyCustody)
        .unwrap()
        .is_empty());
    let row = assistant.store().index_row(key.as_str()).unwrap().unwrap();
    assert_eq!(row.facts["faults"], 1);
    // October's report: the key held, one check made, and two missed their
    // due time (the holiday's, made a morning late, and the one now owed).
    let keys = assistant
        .monthly_report(&row.estate_id, (2026, 10), 0, vec![])
        .unwrap()
        .keys;
    assert_eq!((keys.held, keys.checks_done, keys.checks_late), (1, 1, 2));

    // A company that checks every three days.
    let mut rules = RulesConfig::default();
    rules.keys.check_every_days = 3;
    assert_eq!(
        rules
            .keys
            .next_check_due(shanghai(2026, 10, 3, 9), rules.time_zone),
        shanghai(2026, 10, 7, 0)
    );
}

#[test]
fn a_key_is_lent_against_an_id_only_the_front_desk_sees() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 21, 9, 0);
    let mut assistant = session("a1", Role::PropertyAssistant, &clock);
    let key = deposit(&mut assistant);
    let mut desk = session("r1", Role::Receptionist, &clock);
    carry(&assistant, &mut desk, &key);
    let loan = LoanRequest {
        id: "loan-1".into(),
        borrower: "李强之子 李明".into(),
        id_document: "身份证".into(),
        id_number: "110101199001011234".into(),
    };
    desk.lend_key(&key, &loan).unwrap();
    let k = desk.key_custody(&key).unwrap();
    assert_eq!(k.status(), KeyStatus::Lent);
    assert_eq!(k.loans[0].id_number.reveal(), "110101199001011234");

    let mut guard = session("g1", Role::Security, &clock);
    carry(&desk, &mut guard, &key);
    let seen = guard.key_custody(&key).unwrap();
    assert_eq!(seen.loans[0].id_number.reveal(), "");
    assert_eq!(seen.resident_name.reveal(), "");
    assert_eq!(seen.loans[0].id_document, "身份证");
    // A guard lends nothing: they would write an ID they may not read.
    let again = LoanRequest {
        id: "loan-2".into(),
        ..loan.clone()
    };
    assert!(guard.lend_key(&key, &again).is_err());

    // Lent keys are not lent twice, nor handed back while out.
    assert!(desk.lend_key(&key, &again).is_err());
    assert!(desk.hand_back_key(&key).is_err());
    clock.set(2026, 9, 21, 18, 0);
    desk.key_returned(&key, "loan-1").unwrap();
    let k = desk.key_custody(&key).unwrap();
    assert_eq!(k.status(), KeyStatus::InCustody);
    assert_eq!(k.loans[0].returned_to.as_deref(), Some("r1"));
    carry(&desk, &mut assistant, &key);
    assistant.hand_back_key(&key).unwrap();
    let row = assistant.store().index_row(key.as_str()).unwrap().unwrap();
    assert_eq!((row.open, row.due_at), (false, None));
    assert!(assistant.check_key(&key, "c9", true, true, "").is_err());
}
