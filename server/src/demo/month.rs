//! The demo's month of finished and unfinished business, written through the
//! core's session at the times it pretends (a stopped clock per step), so the
//! office pages and the monthly report show real figures: orders completed,
//! signed off, reviewed, revisited and closed, some late; extensions waiting
//! for approval; a conflict two phones left; complaints at every escalation
//! stage; home visits done in person against the monthly quotas; patrols
//! submitted, reviewed and waiting on a rectification's re-inspection.

use chrono::{Datelike, TimeZone, Utc};
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::rectification::RectificationDraft;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::work_order::{Contact, Source, SourceKind, WorkRecord};
use rounds_core::documents::Who;
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{ComplaintRequest, OrderRequest, Session};
use rounds_core::store::{DocumentStore, Store};
use rounds_core::time::{from_millis, Millis};
use rounds_core::{RecordId, Role, Staff};

use crate::demo::signature_png::signature_png;
use crate::demo::{checklist_id, demo_id, demo_staff, staff_id, ESTATE_A};
use crate::error::AppError;
use crate::office::acting::session;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The demo's people, by username.
fn person(username: &str) -> Staff {
    let (u, name, role, estates) = demo_staff()
        .into_iter()
        .find(|s| s.0 == username)
        .expect("a demo username");
    Staff {
        id: staff_id(u),
        name: name.into(),
        role,
        estates: estates.iter().map(|e| e.to_string()).collect(),
    }
}

/// The scratch store the month is written in, with the company's rules and
/// calendar every step of it is judged by (those the server runs with).
pub struct Desk<'r> {
    store: Store,
    rules: &'r RulesConfig,
    calendar: &'r WorkCalendar,
}

impl<'r> Desk<'r> {
    pub fn new(store: Store, rules: &'r RulesConfig, calendar: &'r WorkCalendar) -> Self {
        Desk {
            store,
            rules,
            calendar,
        }
    }

    pub fn into_store(self) -> Store {
        self.store
    }

    /// Another device's store under the same rules (a phone offline).
    fn phone(&self) -> Result<Desk<'r>, AppError> {
        Ok(Desk::new(
            Store::open_in_memory()?,
            self.rules,
            self.calendar,
        ))
    }
}

impl std::ops::Deref for Desk<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl std::ops::DerefMut for Desk<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

/// Acts as `who` at `at`.
fn at<'a>(desk: &'a mut Desk<'_>, who: &str, at: Millis) -> Session<&'a mut Store> {
    let (rules, calendar) = (desk.rules, desk.calendar);
    session(
        &mut desk.store,
        person(who),
        rules,
        calendar,
        Some(from_millis(at)),
    )
}

fn unit(n: i64) -> Place {
    Place {
        estate_id: ESTATE_A.into(),
        unit_id: Some(format!(
            "{ESTATE_A}-{}-{}-{}0{}",
            1 + n % 3,
            1 + n % 2,
            1 + n % 6,
            1 + n % 2
        )),
        common_area_id: None,
        detail: String::new(),
    }
}

fn resident(n: i64) -> Contact {
    Contact {
        name: Personal(["王女士", "李先生", "张阿姨", "陈先生"][n as usize % 4].into()),
        phone: Personal(format!("1390013{:04}", 1000 + n)),
    }
}

fn request(n: i64, category: &str, content: &str) -> OrderRequest {
    OrderRequest {
        // Fixed ids, so a seed run again finds these instead of doubling them.
        id: demo_id(&format!("month/order/{n}/{content}")),
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: category.into(),
        place: unit(n),
        emergency: false,
        resident: resident(n),
        content: content.into(),
        agreed_due_at: None,
        rework_of: None,
        paid_service: false,
    }
}

fn work(done: &str, start: Millis, end: Millis) -> WorkRecord {
    WorkRecord {
        work_done: done.into(),
        started_at: Some(start),
        ended_at: Some(end),
        prep_minutes: 15,
    }
}

/// How far a finished order goes along its life.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Reach {
    Completed,
    SignedOff,
    Reviewed,
    Revisited,
    Closed,
}

/// Registers an order at `t0`, dispatches it and lets the technician take
/// `hours_to_finish` to complete it; then as far along as `reach`.
fn finished_order(
    store: &mut Desk,
    req: &OrderRequest,
    t0: Millis,
    hours_to_finish: i64,
    reach: Reach,
    seed: u32,
) -> Result<RecordId, AppError> {
    let id = at(store, "reception", t0).register_order(req)?;
    at(store, "reception", t0 + 20 * MINUTE).dispatch(&id, &staff_id("tech"))?;
    let done = t0 + hours_to_finish * HOUR;
    at(store, "tech", t0 + HOUR).accept(&id)?;
    at(store, "tech", done - 2 * HOUR).start_work(&id)?;
    let mut tech = at(store, "tech", done);
    tech.record_work(
        &id,
        &work("已修复并试用正常 / fixed and tested", done - 2 * HOUR, done),
    )?;
    let revisit = tech.complete(&id)?;
    if reach >= Reach::SignedOff {
        tech.sign_off(&id, &req.resident.name.0, &signature_png(seed))?;
    }
    if reach >= Reach::Reviewed {
        at(store, "supervisor", done + 3 * HOUR)
            .review(&id, "人工材料核对无误 / labour and materials checked")?;
    }
    if reach >= Reach::Revisited {
        let outcome = Outcome {
            method: Some(Method::Phone),
            satisfaction: Some(if seed.is_multiple_of(5) {
                Satisfaction::Neutral
            } else {
                Satisfaction::Satisfied
            }),
            comments: "业主表示满意 / the resident is satisfied".into(),
            ..Outcome::default()
        };
        at(store, "reception", done + DAY).record_revisit(&revisit, outcome, None)?;
    }
    if reach >= Reach::Closed {
        at(store, "reception", done + DAY + HOUR).close_order(&id)?;
    }
    Ok(id)
}

fn finished_orders(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    let jobs = [
        ("pipe_leak", "厨房水管漏水", 6, Reach::Closed),
        ("general", "卧室窗户关不严", 30, Reach::Closed),
        ("lamp", "楼道灯不亮", 5, Reach::Closed),
        ("general", "阳台晾衣架损坏", 180, Reach::Closed), // late: past 3 working days
        ("door_lock", "入户门锁损坏", 90, Reach::Revisited), // late: past 24 h
        ("general", "墙面渗水", 20, Reach::Reviewed),
        ("drain_blocked", "卫生间下水道堵塞", 4, Reach::SignedOff),
        ("general", "空调不制冷", 26, Reach::Completed),
    ];
    for (n, (category, content, hours, reach)) in jobs.into_iter().enumerate() {
        let t0 = now - (20 - 2 * n as i64) * DAY - 5 * HOUR;
        finished_order(
            store,
            &request(n as i64 + 40, category, content),
            t0,
            hours,
            reach,
            n as u32,
        )?;
    }
    // A re-repair (返修) of the first leak, done again.
    let mut again = request(40, "pipe_leak", "厨房水管再次漏水(返修)");
    let first = store
        .query(&rounds_core::store::Query {
            kind: Some(rounds_core::RecordKind::WorkOrder),
            status: Some("closed".into()),
            ..Default::default()
        })?
        .into_iter()
        .find(|r| r.title == "厨房水管漏水")
        .map(|r| r.id);
    again.rework_of = first;
    finished_order(store, &again, now - 4 * DAY, 8, Reach::Reviewed, 9)?;
    Ok(())
}

/// Two extensions asked from the field: one the supervisor may approve, one
/// on a 24-hour repair that needs the resident's consent too.
fn extensions_waiting(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    for (n, category, content, days) in [
        (50, "general", "外墙瓷砖脱落,需定制瓷砖", 6),
        (51, "pipe_leak", "主水管漏水,需停水更换阀门", 2),
    ] {
        let t0 = now - DAY - n * HOUR / 10;
        let id = at(store, "reception", t0).register_order(&request(n, category, content))?;
        at(store, "reception", t0 + 10 * MINUTE).dispatch(&id, &staff_id("tech"))?;
        at(store, "tech", t0 + HOUR).accept(&id)?;
        let mut tech = at(store, "tech", t0 + 2 * HOUR);
        let due = tech.order(&id)?.deadline.due_at;
        tech.request_extension(
            &id,
            &format!("ext-{n}"),
            due + days * DAY,
            "等待配件到货 / waiting for a part",
        )?;
    }
    Ok(())
}

/// A technician completed the order on a phone offline while the supervisor
/// returned it at the office: both moves merge, and a head must choose.
fn conflict(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    let t0 = now - 3 * DAY;
    let id = at(store, "reception", t0).register_order(&request(60, "general", "单元门禁失灵"))?;
    at(store, "reception", t0 + 10 * MINUTE).dispatch(&id, &staff_id("tech2"))?;
    at(store, "tech2", t0 + HOUR).accept(&id)?;
    at(store, "tech2", t0 + 2 * HOUR).start_work(&id)?;

    let mut phone = store.phone()?;
    phone.apply_changes(&id, &store.load(&id)?.save())?;
    let mut tech = at(&mut phone, "tech2", t0 + 5 * HOUR);
    tech.record_work(
        &id,
        &work(
            "更换门禁读卡器 / replaced the card reader",
            t0 + 3 * HOUR,
            t0 + 5 * HOUR,
        ),
    )?;
    tech.complete(&id)?;

    at(store, "supervisor", t0 + 4 * HOUR)
        .return_order(&id, "需厂家上门维修 / the manufacturer must come")?;
    store.apply_changes(&id, &phone.load(&id)?.save())?;
    Ok(())
}

fn complaint(n: i64, subject: &str, content: &str) -> ComplaintRequest {
    ComplaintRequest {
        id: demo_id(&format!("month/complaint/{n}")),
        resident: resident(n),
        place: unit(n),
        subject: subject.into(),
        content: content.into(),
        emergency: false,
        at_front_desk: true,
    }
}

/// Complaints at every stage: one settled and closed, one answered on time,
/// one about to run out, one overdue, one escalated to the director.
fn complaints(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    // Settled: dispatched, resolved, reported back, revisited, closed; valid.
    let t0 = now - 12 * DAY;
    let id = at(store, "reception", t0).receive_complaint(&complaint(
        70,
        "维修不及时",
        "报修三天无人上门",
    ))?;
    at(store, "reception", t0 + HOUR).dispatch_complaint(&id, "engineering")?;
    let revisit = at(store, "supervisor", t0 + 6 * HOUR)
        .resolve_complaint(&id, "已安排维修并致歉 / repaired and apologised")?;
    at(store, "supervisor", t0 + 7 * HOUR).report_back(&id)?;
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(Satisfaction::Satisfied),
        comments: "业主接受处理结果 / the resident accepts".into(),
        ..Outcome::default()
    };
    at(store, "reception", t0 + DAY).record_revisit(&revisit, outcome, None)?;
    at(store, "reception", t0 + DAY + HOUR).close_complaint(&id)?;
    at(store, "supervisor", t0 + DAY + HOUR).classify_complaint(&id, true)?;

    // Not valid (renovation within permitted hours), but still settled and closed.
    let t0 = now - 8 * DAY;
    let id =
        at(store, "reception", t0).receive_complaint(&complaint(71, "噪音", "楼上装修噪音"))?;
    at(store, "reception", t0 + HOUR).dispatch_complaint(&id, "security")?;
    let revisit = at(store, "security", t0 + 3 * HOUR)
        .resolve_complaint(&id, "已提醒装修户 / the renovator was reminded")?;
    at(store, "security", t0 + 4 * HOUR).report_back(&id)?;
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(Satisfaction::Neutral),
        comments: "装修在允许时间内 / within permitted hours".into(),
        ..Outcome::default()
    };
    at(store, "reception", t0 + DAY).record_revisit(&revisit, outcome, None)?;
    at(store, "reception", t0 + DAY + HOUR).close_complaint(&id)?;
    at(store, "supervisor", t0 + DAY + 2 * HOUR).classify_complaint(&id, false)?;

    // Normal: just received.
    at(store, "reception", now - 30 * MINUTE).receive_complaint(&complaint(
        72,
        "卫生",
        "垃圾桶未及时清运",
    ))?;

    // Due soon: dispatched; the department's two hours to answer run out
    // in twenty minutes.
    let t0 = now - 110 * MINUTE;
    let id = at(store, "reception", t0).receive_complaint(&complaint(73, "停车", "车位被占用"))?;
    at(store, "reception", t0 + 10 * MINUTE).dispatch_complaint(&id, "security")?;

    // Overdue: dispatched, and the department has not answered seven hours
    // past its two. (An answer would have met the 24 h clock: 解决或答复.)
    let t0 = now - 10 * HOUR;
    let id =
        at(store, "reception", t0).receive_complaint(&complaint(74, "绿化", "树枝遮挡窗户"))?;
    at(store, "reception", t0 + HOUR).dispatch_complaint(&id, "landscaping")?;

    // Escalated: never dispatched, days late.
    at(store, "reception", now - 3 * DAY).receive_complaint(&complaint(
        75,
        "漏水",
        "楼上漏水至我家天花板",
    ))?;
    Ok(())
}

/// Home visits done in person this month (director 10, each assistant 15
/// by default), some short of quota, spread from the month's start to now.
fn home_visits(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    let tz = store.rules.time_zone;
    let local = from_millis(now).with_timezone(&tz);
    let month_start = tz
        .with_ymd_and_hms(local.year(), local.month(), 1, 8, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
        .unwrap_or(now - 20 * DAY);
    for (who, done) in [("assistant", 11i64), ("director", 7)] {
        for k in 0..done {
            let when = month_start + (now - HOUR - month_start) * (k + 1) / (done + 1);
            let place = unit(k + if who == "director" { 3 } else { 0 });
            let id = at(store, "supervisor", when - HOUR).plan_home_visit(
                demo_id(&format!("month/visit/{who}/{k}")),
                place,
                &staff_id(who),
                when + DAY,
            )?;
            let outcome = Outcome {
                method: Some(Method::InPerson),
                satisfaction: Some(if k % 6 == 5 {
                    Satisfaction::Dissatisfied
                } else {
                    Satisfaction::VerySatisfied
                }),
                comments: if k % 6 == 5 {
                    "希望加强夜间巡逻 / asks for more night patrols".into()
                } else {
                    String::new()
                },
                resident_name: resident(k).name,
                ..Outcome::default()
            };
            at(store, who, when).record_revisit(
                &id,
                outcome,
                Some(&signature_png(100 + k as u32)),
            )?;
        }
    }
    Ok(())
}

/// The estate's weekly patrols: one submitted with a defect for a head to
/// review, one reviewed whose defect went to the landscaping contractor on
/// a rectification notice now reported done and waiting for re-inspection,
/// and one still being walked.
fn patrols(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    // The weekly-estate checklist, as the seed publishes it afterwards (the
    // same id: the seed keeps this one).
    let template_id = checklist_id(ESTATE_A, 1);
    let draft = &default_templates()[1];
    let published = now - 31 * DAY;
    let director = Who {
        staff_id: staff_id("director"),
        role: Role::Director,
        device_id: store.device_id(),
        at: published,
    };
    let mut template = TemplateDoc::create(
        template_id.clone(),
        ESTATE_A,
        draft,
        store.device_id(),
        &director,
    )?;
    store.create(&mut template)?;
    let garden = Place {
        estate_id: ESTATE_A.into(),
        unit_id: None,
        common_area_id: Some(format!("{ESTATE_A}-garden")),
        detail: String::new(),
    };
    let walk =
        |store: &mut Desk, n: i64, t0: Millis, defect: Option<(&str, &str)>, submit: bool| {
            let id = demo_id(&format!("month/patrol/{n}"));
            let mut s = at(store, "assistant", t0);
            s.start_inspection(id.clone(), &template_id, garden.clone(), None)?;
            let items: Vec<String> = s
                .inspection(&id)?
                .checklist()
                .iter()
                .map(|i| i.id.clone())
                .collect();
            for item in items {
                match defect {
                    Some((bad, note)) if bad == item => {
                        s.record_item(&id, &item, ItemResult::Defect, note)?
                    }
                    _ => s.record_item(&id, &item, ItemResult::Ok, "")?,
                }
            }
            if submit {
                at(store, "assistant", t0 + HOUR).submit_inspection(&id)?;
            }
            Ok::<_, AppError>(id)
        };

    // Submitted this morning: a broken play frame for a head to review.
    walk(
        store,
        1,
        now - 3 * HOUR,
        Some(("play_equipment", "儿童滑梯扶手松动 / slide handrail loose")),
        true,
    )?;

    // Last week's, reviewed; the dead shrubs went to the contractor.
    let t0 = now - 6 * DAY;
    let id = walk(
        store,
        2,
        t0,
        Some(("greenery", "中心花园灌木枯死三株 / three shrubs dead")),
        true,
    )?;
    at(store, "supervisor", t0 + 2 * HOUR)
        .review_inspection(&id, "已通知绿化外包 / contractor told")?;
    let notice = demo_id("month/patrol/2/rectification");
    at(store, "supervisor", t0 + 2 * HOUR).issue_rectification(
        &id,
        &RectificationDraft {
            id: notice.clone(),
            item_id: "greenery".into(),
            place: garden.clone(),
            problem: "补种枯死灌木三株 / replant three dead shrubs".into(),
            responsible_party: "绿化外包公司 / landscaping contractor".into(),
            due_at: t0 + 5 * DAY,
        },
    )?;
    at(store, "landscaping", t0 + 4 * DAY).report_rectified(
        &notice,
        &format!("{notice}-report-1"),
        "已补种 / replanted",
        &[],
    )?;

    // Being walked now.
    walk(store, 3, now - 20 * MINUTE, None, false)?;
    Ok(())
}

/// Seeds the month described at the top of this file.
pub fn seed_month(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    finished_orders(store, now)?;
    extensions_waiting(store, now)?;
    conflict(store, now)?;
    complaints(store, now)?;
    home_visits(store, now)?;
    patrols(store, now)?;
    Ok(())
}
