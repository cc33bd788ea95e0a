//! The demo's residents' keys in custody (客户托管钥匙): one checked every
//! week and used once, signed on the assistant's and the guard's own phones;
//! one whose weekly check is overdue; one lent against an ID and not back.

use rounds_core::documents::key_custody::{
    KeyDeposit, LoanRequest, SignStep, SiteStep, UseRequest,
};
use rounds_core::store::DocumentStore;
use rounds_core::time::Millis;
use rounds_core::RecordId;

use super::{at, unit, Desk, DAY, HOUR, MINUTE};
use crate::demo::demo_id;
use crate::error::AppError;

fn deposit(
    desk: &mut Desk,
    n: i64,
    received: Millis,
    resident: &str,
    what: &str,
) -> Result<RecordId, AppError> {
    Ok(at(desk, "assistant", received).deposit_key(&KeyDeposit {
        id: demo_id(&format!("month/key/{n}")),
        place: unit(n),
        resident_name: resident.into(),
        description: what.into(),
        seal_no: format!("F-{n:04}"),
    })?)
}

/// The weekly checks from a week after `from` until before `until`.
fn checks(desk: &mut Desk, id: &RecordId, from: Millis, until: Millis) -> Result<(), AppError> {
    let mut t = from + 7 * DAY - 2 * HOUR;
    let mut n = 0;
    while t < until {
        at(desk, "assistant", t).check_key(id, &format!("check-{n}"), true, true, "")?;
        t += 7 * DAY;
        n += 1;
    }
    Ok(())
}

/// A use signed by the assistant on the office's device and by the guard on
/// their own phone: approved, opened, entered, resealed by both.
fn used(desk: &mut Desk, id: &RecordId, t0: Millis, n: i64) -> Result<(), AppError> {
    let mut assistant = at(desk, "assistant", t0);
    assistant.request_key_use(
        id,
        &UseRequest {
            id: "use-1".into(),
            reason: "楼上漏水,业主外出,入室关闭阀门 / leak from above, resident away".into(),
            present: vec!["陈晨".into(), "孙强".into()],
            contractor: "张伟".into(),
        },
    )?;
    assistant.sign_key_use(id, "use-1", SignStep::Approve, "")?;
    let mut phone = desk.phone()?;
    phone.apply_changes(id, &desk.load(id)?.save())?;
    let mut guard = at(&mut phone, "security", t0 + 10 * MINUTE);
    guard.sign_key_use(id, "use-1", SignStep::Approve, "")?;
    guard.key_site_step(id, "step-1", "use-1", SiteStep::Opened, "")?;
    guard.key_site_step(
        id,
        "step-2",
        "use-1",
        SiteStep::Entered,
        "三人入室关闭总阀,未移动物品 / three went in, closed the main valve",
    )?;
    let seal = format!("F-{:04}", 100 + n);
    at(&mut phone, "security", t0 + HOUR).sign_key_use(id, "use-1", SignStep::Reseal, &seal)?;
    desk.apply_changes(id, &phone.load(id)?.save())?;
    at(desk, "assistant", t0 + HOUR + 5 * MINUTE).sign_key_use(
        id,
        "use-1",
        SignStep::Reseal,
        &seal,
    )?;
    Ok(())
}

pub(super) fn keys(desk: &mut Desk, now: Millis) -> Result<(), AppError> {
    let t = now - 40 * DAY;
    let kept = deposit(desk, 7, t, "王女士", "入户门钥匙 2 把 / front-door keys, 2")?;
    checks(desk, &kept, t, now - DAY)?;
    used(desk, &kept, t + 10 * DAY, 7)?;

    let t = now - 35 * DAY;
    let late = deposit(desk, 8, t, "李先生", "入户门钥匙 1 把 / front-door key")?;
    checks(desk, &late, t, now - 10 * DAY)?;

    let t = now - 20 * DAY;
    let lent = deposit(
        desk,
        9,
        t,
        "张阿姨",
        "入户门及信箱钥匙 / door and mailbox keys",
    )?;
    checks(desk, &lent, t, now - DAY)?;
    at(desk, "reception", now - 2 * DAY).lend_key(
        &lent,
        &LoanRequest {
            id: "loan-1".into(),
            borrower: "张阿姨之女".into(),
            id_document: "身份证".into(),
            id_number: "310101199203150026".into(),
        },
    )?;
    Ok(())
}
