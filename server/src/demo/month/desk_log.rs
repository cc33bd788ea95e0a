//! The demo's front desk log (前台工作日志): last week's shift, handed over
//! and waiting to be taken over, with a matter engineering never reported
//! on (overdue) and one security reported in time; and today's shift in
//! progress, with its visitors, a call to return and a matter passed on.

use rounds_core::departments::Department;
use rounds_core::documents::desk_log::{EntryDraft, EntryKind, Outcome, Shift};
use rounds_core::rules::local_date;
use rounds_core::time::{from_millis, Millis};
use rounds_core::RecordId;

use super::{at, Desk, DAY, HOUR, MINUTE};
use crate::demo::{demo_id, ESTATE_A};
use crate::error::AppError;

/// An entry: minutes into the shift, its id, kind, summary, outcome, and
/// the department a matter was passed to.
type Line = (
    i64,
    &'static str,
    EntryKind,
    &'static str,
    Outcome,
    Option<Department>,
);

/// Reception's day shift opened at `t0` and its entries written.
fn shift(desk: &mut Desk, name: &str, t0: Millis, lines: &[Line]) -> Result<RecordId, AppError> {
    let id = demo_id(name);
    let day = local_date(from_millis(t0), desk.rules.time_zone)
        .format("%Y-%m-%d")
        .to_string();
    at(desk, "reception", t0).open_desk_log(id.clone(), ESTATE_A, &day, Shift::Day)?;
    for &(minutes, entry, kind, summary, outcome, department) in lines {
        let draft = EntryDraft {
            id: entry.into(),
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
        };
        at(desk, "reception", t0 + minutes * MINUTE).log_desk_entry(&id, &draft)?;
    }
    Ok(id)
}

pub(super) fn desk_logs(desk: &mut Desk, now: Millis) -> Result<(), AppError> {
    use EntryKind::{Call, Matter, Visitor};
    use Outcome::{Handled, PassedOn, Pending};

    // Last week: a day shift handed over, not yet taken over.
    let t0 = now - 8 * DAY;
    let old = shift(
        desk,
        "month/desk/1",
        t0,
        &[
            (
                30,
                "v-1",
                Visitor,
                "咨询装修手续 / asked about renovation permits",
                Handled,
                None,
            ),
            (
                60,
                "m-1",
                Matter,
                "2栋电梯运行异响 / lift in block 2 noisy",
                PassedOn,
                Some(Department::Engineering),
            ),
            (
                120,
                "m-2",
                Matter,
                "东门道闸抬杆故障 / east gate barrier stuck",
                PassedOn,
                Some(Department::Security),
            ),
        ],
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
    shift(
        desk,
        "month/desk/2",
        now - 2 * HOUR,
        &[
            (
                20,
                "v-1",
                Visitor,
                "快递员送件至3栋 / courier for block 3",
                Handled,
                None,
            ),
            (
                50,
                "c-1",
                Call,
                "业主来电询问物业费,需回电 / resident asks about fees, call back",
                Pending,
                None,
            ),
            (
                80,
                "m-1",
                Matter,
                "中心花园垃圾未清 / garden litter",
                PassedOn,
                Some(Department::Cleaning),
            ),
        ],
    )?;
    Ok(())
}
