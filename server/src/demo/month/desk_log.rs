//! The demo's front desk log (前台工作日志): last week's shift, handed over
//! and waiting to be taken over, with a matter engineering never reported
//! on (overdue) and one security reported in time; and today's shift in
//! progress, with its visitors, a call to return and a matter passed on.

use rounds_core::departments::Department;
use rounds_core::documents::desk_log::{EntryDraft, EntryKind, Outcome, Shift};
use rounds_core::rules::local_date;
use rounds_core::time::{from_millis, Millis};

use super::{at, Desk, DAY, HOUR, MINUTE};
use crate::demo::{demo_id, ESTATE_A};
use crate::error::AppError;

fn entry(
    id: &str,
    kind: EntryKind,
    summary: &str,
    outcome: Outcome,
    department: Option<Department>,
) -> EntryDraft {
    EntryDraft {
        id: id.into(),
        kind,
        party: match kind {
            EntryKind::Visitor => "访客 / visitor".into(),
            EntryKind::Call => "业主来电 / resident's call".into(),
            EntryKind::Matter => String::new(),
        },
        unit_id: None,
        summary: summary.into(),
        outcome,
        department,
    }
}

pub(super) fn desk_logs(desk: &mut Desk, now: Millis) -> Result<(), AppError> {
    let date = |desk: &Desk, t: Millis| {
        local_date(from_millis(t), desk.rules.time_zone)
            .format("%Y-%m-%d")
            .to_string()
    };

    // Last week: a day shift handed over, not yet taken over.
    let t0 = now - 8 * DAY;
    let old = demo_id("month/desk/1");
    let day = date(desk, t0);
    at(desk, "reception", t0).open_desk_log(old.clone(), ESTATE_A, &day, Shift::Day)?;
    let log = |desk: &mut Desk, t: Millis, e: EntryDraft| {
        at(desk, "reception", t).log_desk_entry(&old, &e)
    };
    log(
        desk,
        t0 + 30 * MINUTE,
        entry(
            "v-1",
            EntryKind::Visitor,
            "咨询装修手续 / asked about renovation permits",
            Outcome::Handled,
            None,
        ),
    )?;
    log(
        desk,
        t0 + HOUR,
        entry(
            "m-1",
            EntryKind::Matter,
            "2栋电梯运行异响 / lift in block 2 noisy",
            Outcome::PassedOn,
            Some(Department::Engineering),
        ),
    )?;
    log(
        desk,
        t0 + 2 * HOUR,
        entry(
            "m-2",
            EntryKind::Matter,
            "东门道闸抬杆故障 / east gate barrier stuck",
            Outcome::PassedOn,
            Some(Department::Security),
        ),
    )?;
    at(desk, "security", t0 + DAY).report_desk_status(
        &old,
        "r-1",
        "m-2",
        "已复位道闸并通知厂家 / barrier reset, maker told",
        true,
    )?;
    at(desk, "reception", t0 + 9 * HOUR)
        .hand_over_desk(&old, "电梯异响待工程部回复 / lift: engineering to report")?;

    // Today's shift, under way.
    let t1 = now - 2 * HOUR;
    let today = demo_id("month/desk/2");
    let day = date(desk, t1);
    at(desk, "reception", t1).open_desk_log(today.clone(), ESTATE_A, &day, Shift::Day)?;
    let log = |desk: &mut Desk, t: Millis, e: EntryDraft| {
        at(desk, "reception", t).log_desk_entry(&today, &e)
    };
    log(
        desk,
        t1 + 20 * MINUTE,
        entry(
            "v-1",
            EntryKind::Visitor,
            "快递员送件至3栋 / courier for block 3",
            Outcome::Handled,
            None,
        ),
    )?;
    log(
        desk,
        t1 + 50 * MINUTE,
        entry(
            "c-1",
            EntryKind::Call,
            "业主来电询问物业费,需回电 / resident asks about fees, call back",
            Outcome::Pending,
            None,
        ),
    )?;
    log(
        desk,
        t1 + 80 * MINUTE,
        entry(
            "m-1",
            EntryKind::Matter,
            "中心花园垃圾未清 / garden litter",
            Outcome::PassedOn,
            Some(Department::Cleaning),
        ),
    )?;
    Ok(())
}
