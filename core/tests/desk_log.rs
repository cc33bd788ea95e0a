//! The front desk's work log through a holiday: the day shift writes its
//! visitors, calls and matters, passes two matters to departments, and hands
//! over; the night shift accepts only part of it, and what it leaves stays
//! open with the day shift. Engineering reports from a phone offline; the
//! security report falls overdue, counted in working days across the
//! National Day holiday and its make-up Saturday.

use crate::common;

use common::*;
use rounds_core::departments::Department;
use rounds_core::documents::desk_log::*;
use rounds_core::documents::RecordKind;
use rounds_core::message::Explain;
use rounds_core::{RecordId, Role};

fn draft(
    kind: EntryKind,
    summary: &str,
    outcome: Outcome,
    department: Option<Department>,
) -> EntryDraft {
    EntryDraft {
        id: RecordId::new().to_string(),
        kind,
        party: "3-1-502 李强".into(),
        unit_id: Some("u-3-1-502".into()),
        summary: summary.into(),
        outcome,
        department,
    }
}

#[test]
fn a_shift_hands_over_and_nothing_outstanding_vanishes() {
    let clock = TestClock(Default::default());
    clock.set(2026, 9, 30, 10, 0);
    let mut desk = session("r1", Role::Receptionist, &clock);
    let log = desk
        .open_desk_log(RecordId::new(), "e1", "2026-09-30", Shift::Day)
        .unwrap();

    let visit = draft(
        EntryKind::Visitor,
        "询问停车月卡办理",
        Outcome::Handled,
        None,
    );
    let call = draft(
        EntryKind::Call,
        "业主来电要求回电说明物业费",
        Outcome::Pending,
        None,
    );
    let leak = draft(
        EntryKind::Matter,
        "502卫生间天花渗水",
        Outcome::PassedOn,
        Some(Department::Engineering),
    );
    let noise = draft(
        EntryKind::Matter,
        "夜间装修噪音",
        Outcome::PassedOn,
        Some(Department::Security),
    );
    for d in [&visit, &call, &leak, &noise] {
        desk.log_desk_entry(&log, d).unwrap();
    }
    // A matter passed on must name its department.
    let bad = draft(EntryKind::Matter, "无部门", Outcome::PassedOn, None);
    let err = desk.log_desk_entry(&log, &bad).unwrap_err();
    assert_eq!(err.field().as_deref(), Some("department"));

    let l = desk.desk_log(&log).unwrap();
    // Three working days from Wed 09-30: Thu 10-08, Fri 10-09 and the
    // make-up Saturday 10-10, so due at the end of 10-10.
    let due = shanghai(2026, 10, 11, 0);
    assert_eq!(l.entry(&leak.id).unwrap().report_due_at, Some(due));
    assert_eq!(l.entry(&visit.id).unwrap().report_due_at, None);
    assert_eq!(l.entry(&call.id).unwrap().by, "r1");

    // The day shift hands over: core lists every open item.
    clock.set(2026, 9, 30, 18, 0);
    let outstanding = desk.hand_over_desk(&log, "噪音事项请夜班跟进").unwrap();
    assert_eq!(
        outstanding,
        [call.id.clone(), leak.id.clone(), noise.id.clone()]
    );
    // Nothing more is written in a handed-over shift.
    let late = draft(EntryKind::Call, "迟到的来电", Outcome::Handled, None);
    assert!(desk.log_desk_entry(&log, &late).is_err());
    // The one handing over does not take over from themself.
    let next = RecordId::new();
    assert!(desk
        .take_over_desk(&log, &[], next.clone(), "2026-09-30", Shift::Night)
        .is_err());

    // The night shift, at the same desk, accepts the call and the leak but
    // not the noise complaint, which stays open with the day shift.
    let mut night = hand_over(desk, "r2", Role::Receptionist, &clock);
    let accepted = [call.id.clone(), leak.id.clone()];
    let next = night
        .take_over_desk(&log, &accepted, next, "2026-09-30", Shift::Night)
        .unwrap();
    let day = night.desk_log(&log).unwrap();
    assert_eq!(day.status(), DeskLogStatus::TakenOver);
    assert_eq!(day.unaccepted(), [noise.id.as_str()]);
    let row = night
        .desk_logs()
        .unwrap()
        .into_iter()
        .find(|r| r.id == log.as_str())
        .unwrap();
    assert!(row.open, "an item not accepted keeps the day's log open");
    assert_eq!(row.facts["unaccepted"][0], noise.id.as_str());
    let carried = night.desk_log(&next).unwrap().carried;
    let ids: Vec<_> = carried.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [call.id.as_str(), leak.id.as_str()]);
    assert_eq!(carried[1].department, Some(Department::Engineering));

    // The night shift returns the call and closes it in its own log.
    night
        .close_desk_item(&next, "c1", &call.id, "已回电解释")
        .unwrap();
    assert_eq!(
        night.desk_log(&next).unwrap().open_items(),
        [leak.id.as_str()]
    );

    // Engineering reports from a phone, offline; cleaning may not.
    let mut tech = session("t1", Role::Technician, &clock);
    carry(&night, &mut tech, &log);
    clock.set(2026, 10, 8, 9, 0);
    tech.report_desk_status(&log, "rep1", &leak.id, "已查明楼上管道渗漏,明日维修", false)
        .unwrap();
    let mut cleaner = session("k1", Role::Cleaning, &clock);
    carry(&night, &mut cleaner, &log);
    assert!(cleaner
        .report_desk_status(&log, "rep2", &leak.id, "不是我部门", false)
        .is_err());

    // Before the report arrives, both matters wait; after, only security.
    let waiting = night.desk_reports_due(None).unwrap();
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|w| !w.overdue));
    carry(&tech, &mut night, &log);
    let eng = night
        .desk_reports_due(Some(Department::Engineering))
        .unwrap();
    assert!(eng.is_empty());
    let l = night.desk_log(&log).unwrap();
    assert_eq!(l.first_report(&leak.id).unwrap().by, "t1");

    // Sunday 10-11: past the end of the make-up Saturday, the noise report is overdue.
    clock.set(2026, 10, 11, 9, 0);
    let sec = night.desk_reports_due(Some(Department::Security)).unwrap();
    assert_eq!(sec.len(), 1);
    assert!(sec[0].overdue);
    assert_eq!(sec[0].report.due_at, due);
    let overdue = night.overdue(RecordKind::DeskLog).unwrap();
    assert_eq!(overdue.len(), 1);

    // October's report counts both (due by the end of 10-10): engineering's
    // on time, security's overdue.
    let october = night.monthly_report("e1", (2026, 10), 0, vec![]).unwrap();
    assert_eq!(
        (
            october.desk_reports_due,
            october.desk_reports_on_time,
            october.desk_reports_overdue
        ),
        (2, 1, 1)
    );
}
