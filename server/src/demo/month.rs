//! The demo's business, anchored to the day it is seeded and written through
//! the core's session at the times it pretends (a stopped clock per step), so
//! the office opens on a live estate: last calendar month complete (every
//! request of it finished and closed, most on time and some late, its
//! complaints settled, its home visits done against the quotas, its patrols
//! reviewed), so its monthly report is full; and this month in progress up
//! to today: requests finished or on their way, a few of them late, and
//! waiting at every stage, extensions waiting for approval, a conflict two
//! phones left, complaints at every escalation stage, home visits as far as
//! the month has gone, and patrols submitted, reviewed and waiting on a
//! rectification's re-inspection; residents' keys in custody, checked,
//! used and lent; the front desk's log of last week and today. The same day
//! seeds the same records.

use chrono::Datelike;
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::patrol::{Checkpoint, PatrolRouteDoc, PatrolRunDoc, Schedule};
use rounds_core::documents::rectification::RectificationDraft;
use rounds_core::documents::renovation::{PassRequest, RenovationApplication};
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::template::{default_templates, TemplateDoc};
use rounds_core::documents::work_order::{
    Contact, FeeCollection, PaymentMethod, Source, SourceKind, WorkRecord,
};
use rounds_core::documents::Who;
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{local_date, start_of_day, RulesConfig, WorkCalendar};
use rounds_core::session::{ComplaintRequest, OrderRequest, Session};
use rounds_core::store::{DocumentStore, Store};
use rounds_core::time::{from_millis, to_millis, Millis};
use rounds_core::{RecordId, Role, Staff};

use crate::demo::price_list::{negotiated, pick};
use crate::demo::signature_png::signature_png;
use crate::demo::{checklist_id, demo_id, demo_staff, staff_id, ESTATE_A, ESTATE_B, SET_UP_DAYS};
use crate::error::AppError;
use crate::office::acting::session;

mod desk_log;
mod keys;

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

    pub(super) fn rules(&self) -> &RulesConfig {
        self.rules
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
pub(super) fn at<'a>(desk: &'a mut Desk<'_>, who: &str, at: Millis) -> Session<&'a mut Store> {
    let (rules, calendar) = (desk.rules, desk.calendar);
    session(
        &mut desk.store,
        person(who),
        rules,
        calendar,
        Some(from_millis(at)),
    )
}

/// Who answers an estate's requests: its front desk, technician and
/// supervisor, and at most how many requests come in on a working day.
struct Team {
    estate: &'static str,
    reception: &'static str,
    tech: &'static str,
    supervisor: &'static str,
    per_day: i64,
}

const SUNSHINE: Team = Team {
    estate: ESTATE_A,
    reception: "reception",
    tech: "tech",
    supervisor: "supervisor",
    per_day: 2,
};

/// The smaller estate: a request a working day.
const CUIHU: Team = Team {
    estate: ESTATE_B,
    reception: "reception-b",
    tech: "tech-b",
    supervisor: "supervisor-b",
    per_day: 1,
};

fn unit(n: i64) -> Place {
    unit_in(ESTATE_A, n)
}

fn unit_in(estate: &str, n: i64) -> Place {
    Place {
        estate_id: estate.into(),
        unit_id: Some(format!(
            "{estate}-{}-{}-{}0{}",
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
    // Fixed ids, so a seed run again finds these instead of doubling them.
    request_as(
        demo_id(&format!("month/order/{n}/{content}")),
        n,
        category,
        content,
    )
}

fn request_as(id: RecordId, n: i64, category: &str, content: &str) -> OrderRequest {
    OrderRequest {
        id,
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
    team: &Team,
    req: &OrderRequest,
    t0: Millis,
    hours_to_finish: i64,
    reach: Reach,
    seed: u32,
) -> Result<RecordId, AppError> {
    let id = at(store, team.reception, t0).register_order(req)?;
    at(store, team.reception, t0 + 20 * MINUTE).dispatch(&id, &staff_id(team.tech))?;
    let done = t0 + hours_to_finish * HOUR;
    at(store, team.tech, t0 + HOUR).accept(&id)?;
    at(store, team.tech, done - 2 * HOUR).start_work(&id)?;
    let mut tech = at(store, team.tech, done);
    tech.record_work(
        &id,
        &work("已修复并试用正常 / fixed and tested", done - 2 * HOUR, done),
    )?;
    let revisit = tech.complete(&id)?;
    if reach >= Reach::SignedOff {
        tech.sign_off(&id, &req.resident.name.0, &signature_png(seed))?;
    }
    if reach >= Reach::Reviewed {
        at(store, team.supervisor, done + 3 * HOUR)
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
        at(store, team.reception, done + DAY).record_revisit(&revisit, outcome, None)?;
    }
    if reach >= Reach::Closed {
        at(store, team.reception, done + DAY + HOUR).close_order(&id)?;
    }
    Ok(id)
}

/// The demo's two months in the company's time zone: last month whole, and
/// this one from its first day.
struct Months {
    last: (Millis, Millis),
    this: (Millis, Millis),
}

impl Months {
    fn around(now: Millis, rules: &RulesConfig) -> Months {
        let tz = rules.time_zone;
        let today = local_date(from_millis(now), tz);
        let this = today.with_day(1).expect("every month has a first day");
        let last = this - chrono::Months::new(1);
        let next = this + chrono::Months::new(1);
        let at = |d| to_millis(start_of_day(d, tz));
        Months {
            last: (at(last), at(this)),
            this: (at(this), at(next)),
        }
    }

    /// How much of this month has gone by at `now`, from 0 to 1.
    fn gone(&self, now: Millis) -> f64 {
        let (from, until) = self.this;
        ((now - from) as f64 / (until - from) as f64).clamp(0.0, 1.0)
    }
}

/// 08:00 local of each working day from `from` until before `until`.
fn working_mornings(desk: &Desk, from: Millis, until: Millis) -> Vec<Millis> {
    let tz = desk.rules.time_zone;
    let mut out = vec![];
    let mut day = local_date(from_millis(from), tz);
    loop {
        let morning = to_millis(start_of_day(day, tz)) + 8 * HOUR;
        if morning >= until {
            return out;
        }
        if morning >= from && desk.calendar.is_working_day(day) {
            out.push(morning);
        }
        day = day.succ_opt().expect("dates stay far from chrono's limits");
    }
}

/// The requests of a working day: (category, content, hours to finish on
/// time, hours when late).
const DAILY_JOBS: [(&str, &str, i64, i64); 8] = [
    ("pipe_leak", "厨房水管漏水", 6, 40),
    ("general", "卧室窗户关不严", 30, 200),
    ("lamp", "楼道灯不亮", 5, 120),
    ("general", "阳台晾衣架损坏", 50, 200),
    ("door_lock", "入户门锁损坏", 8, 120),
    ("general", "墙面渗水", 20, 200),
    ("drain_blocked", "卫生间下水道堵塞", 4, 36),
    ("general", "空调不制冷", 26, 200),
];

/// One or two requests each working day from `from` until `until`, each
/// finished (one in six late) and taken as far as the time since allows:
/// closed after its revisit, else reviewed, signed off or just completed.
fn daily_orders(
    desk: &mut Desk,
    team: &Team,
    from: Millis,
    until: Millis,
    now: Millis,
) -> Result<Vec<RecordId>, AppError> {
    let mut closed = vec![];
    let mut count = 0;
    for morning in working_mornings(desk, from, until) {
        let day = (morning - from) / DAY;
        for k in 0..1 + day % team.per_day {
            count += 1;
            // The id from the day, so this month's and last month's differ.
            let n = 100 + (morning / DAY) % 10_000 * 2 + k;
            let (category, content, on_time, late) = DAILY_JOBS[count % DAILY_JOBS.len()];
            let hours = if count % 6 == 4 { late } else { on_time };
            let t0 = morning + 90 * MINUTE + (n % 5) * 100 * MINUTE;
            let done = t0 + hours * HOUR;
            let reach = match now - done {
                age if age >= DAY + 2 * HOUR => Reach::Closed,
                age if age >= 4 * HOUR => Reach::Reviewed,
                age if age >= 0 && n % 2 == 0 => Reach::SignedOff,
                age if age >= 0 => Reach::Completed,
                // Still being worked on: the open orders show those.
                _ => continue,
            };
            let mut req = request_as(
                demo_id(&format!("month/{}/order/{n}/{content}", team.estate)),
                n,
                category,
                content,
            );
            req.place = unit_in(team.estate, n);
            let id = finished_order(desk, team, &req, t0, hours, reach, n as u32)?;
            if reach == Reach::Closed {
                closed.push(id);
            }
        }
    }
    Ok(closed)
}

fn finished_orders(desk: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    let (from, until) = months.last;
    let closed = daily_orders(desk, &SUNSHINE, from, until, now)?;
    daily_orders(desk, &CUIHU, from, until, now)?;
    // A re-repair (返修) of last month's first job, done again.
    if let Some(first) = closed.first() {
        let first_order = at(desk, "reception", now).order(first)?;
        let mut again = request(99, "pipe_leak", "厨房水管再次漏水(返修)");
        again.place = first_order.place.clone();
        again.rework_of = Some(first.to_string());
        let t0 = first_order.received_at + 6 * DAY;
        finished_order(desk, &SUNSHINE, &again, t0, 8, Reach::Closed, 99)?;
    }
    let (from, _) = months.this;
    daily_orders(desk, &SUNSHINE, from, now, now)?;
    daily_orders(desk, &CUIHU, from, now, now)?;
    Ok(())
}

/// Last month's paid jobs (有偿服务), so the settlement to finance has lines:
/// each quoted before work and charged, then paid to the technician at
/// completion, at the desk at the revisit, or still owed.
fn paid_jobs(desk: &mut Desk, months: &Months) -> Result<(), AppError> {
    let (from, _) = months.last;
    let jobs = [
        (
            &SUNSHINE,
            3,
            "更换厨房水龙头(有偿)",
            6_000,
            4_000,
            vec![pick("P-01", 1), pick("P-02", 1)],
            Some(SUNSHINE.tech),
        ),
        (
            &SUNSHINE,
            10,
            "疏通下水道(有偿)",
            0,
            8_000,
            vec![pick("P-03", 1)],
            Some(SUNSHINE.reception),
        ),
        (
            &SUNSHINE,
            17,
            "安装晾衣架(有偿)",
            12_000,
            5_000,
            vec![negotiated("P-04", 17_000)],
            None,
        ),
        (
            &CUIHU,
            12,
            "更换灯具(有偿)",
            9_000,
            3_000,
            vec![pick("P-05", 1), pick("P-06", 1)],
            Some(CUIHU.reception),
        ),
    ];
    for (n, (team, day, content, materials, labour, picks, collector)) in (200..).zip(jobs) {
        let mut req = request(n, "general", content);
        req.place = unit_in(team.estate, n);
        req.paid_service = true;
        let t0 = from + day * DAY + 9 * HOUR;
        let done = t0 + 6 * HOUR;
        let id = at(desk, team.reception, t0).register_order(&req)?;
        at(desk, team.reception, t0 + 20 * MINUTE).dispatch(&id, &staff_id(team.tech))?;
        let mut tech = at(desk, team.tech, t0 + HOUR);
        tech.accept(&id)?;
        // From the company's price list; a company without one (a test's
        // bare rules) quotes the amount.
        if tech.price_list().is_empty() {
            tech.quote(&id, materials + labour)?;
        } else {
            tech.quote_from_list(&id, &picks)?;
        }
        at(desk, team.tech, done - 2 * HOUR).start_work(&id)?;
        let mut tech = at(desk, team.tech, done);
        tech.record_work(
            &id,
            &work("已完成有偿服务 / paid job done", done - 2 * HOUR, done),
        )?;
        tech.charge(&id, materials, labour)?;
        let revisit = tech.complete(&id)?;
        tech.sign_off(&id, &req.resident.name.0, &signature_png(n as u32))?;
        at(desk, team.supervisor, done + 3 * HOUR).review(
            &id,
            "人工材料费用核对无误 / labour, materials and fees checked",
        )?;
        // The revisit the completion owed, the next day at the desk (where
        // a fee not yet paid is taken); the order is closed, paid or not.
        let outcome = Outcome {
            method: Some(Method::Phone),
            satisfaction: Some(Satisfaction::Satisfied),
            comments: "业主表示满意 / the resident is satisfied".into(),
            ..Outcome::default()
        };
        at(desk, team.reception, done + DAY).record_revisit(&revisit, outcome, None)?;
        if let Some(who) = collector {
            let when = if who == team.tech {
                done
            } else {
                done + DAY + HOUR
            };
            let fee = FeeCollection {
                amount_fen: materials + labour,
                method: if who == team.tech {
                    PaymentMethod::Wechat
                } else {
                    PaymentMethod::Cash
                },
                receipt_no: format!("SJ-{n:04}"),
            };
            at(desk, who, when).collect_fee(&id, &fee)?;
        }
        at(desk, team.reception, done + DAY + 2 * HOUR).close_order(&id)?;
    }
    Ok(())
}

/// Requests of the last two days at every stage before completion, their
/// deadlines given by the company's rules: most still in time, last night's
/// emergency and a 24-hour repair from yesterday late.
fn open_orders(desk: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    // 24-hour repairs only among the younger ones, but for one.
    let recent = [
        ("pipe_leak", "厨房水管漏水"),
        ("drain_blocked", "卫生间下水道堵塞"),
        ("lamp", "楼道灯不亮"),
        ("door_lock", "入户门锁损坏"),
        ("general", "空调不制冷"),
        ("general", "阳台地漏返水"),
    ];
    let older = [
        ("general", "卧室窗户关不严"),
        ("general", "墙面渗水"),
        ("general", "阳台晾衣架损坏"),
        ("general", "空调不制冷"),
    ];
    for i in 0..30i64 {
        let (category, content) = match i {
            16 => ("pipe_leak", "厨房水管漏水"),
            0..14 => recent[i as usize % recent.len()],
            _ => older[i as usize % older.len()],
        };
        // Never in last month, which is complete (on a month's first day
        // they crowd into its first hours).
        let t0 = (now - (i + 1) * 90 * MINUTE).max(months.this.0);
        let step = |hours: i64| (t0 + hours * HOUR).min(now);
        let mut req = request_as(demo_id(&format!("order/{i}")), i, category, content);
        // One just in, one from last night still not fixed.
        req.emergency = i == 0 || i == 11;
        let id = at(desk, "reception", t0).register_order(&req)?;
        let stage = i % 5;
        if stage >= 1 {
            at(desk, "reception", step(1)).dispatch(&id, &staff_id("tech"))?;
        }
        if stage >= 2 {
            at(desk, "tech", step(2)).accept(&id)?;
        }
        if stage >= 3 {
            at(desk, "tech", step(3)).start_work(&id)?;
        }
        if stage == 4 {
            at(desk, "supervisor", step(4))
                .return_order(&id, "需业主自行联系厂家 / needs the manufacturer")?;
        }
    }
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

/// A complaint received at `t0`, dispatched to `department`, settled by
/// `handler`, reported back, revisited by phone, closed and classified.
fn settled_complaint(
    desk: &mut Desk,
    c: &ComplaintRequest,
    t0: Millis,
    (department, handler): (&str, &str),
    (answer, comments): (&str, &str),
    valid: bool,
) -> Result<(), AppError> {
    let id = at(desk, "reception", t0).receive_complaint(c)?;
    at(desk, "reception", t0 + HOUR).dispatch_complaint(&id, department)?;
    let revisit = at(desk, handler, t0 + 3 * HOUR).resolve_complaint(&id, answer)?;
    at(desk, handler, t0 + 4 * HOUR).report_back(&id)?;
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(if valid {
            Satisfaction::Satisfied
        } else {
            Satisfaction::Neutral
        }),
        comments: comments.into(),
        ..Outcome::default()
    };
    at(desk, "reception", t0 + DAY).record_revisit(&revisit, outcome, None)?;
    at(desk, "reception", t0 + DAY + HOUR).close_complaint(&id)?;
    at(desk, "supervisor", t0 + DAY + 2 * HOUR).classify_complaint(&id, valid)?;
    Ok(())
}

/// Last month's complaints, every one settled and closed; one was valid.
fn last_months_complaints(desk: &mut Desk, months: &Months) -> Result<(), AppError> {
    let cases = [
        (
            "维修不及时",
            "报修三天无人上门",
            "engineering",
            "supervisor",
            true,
        ),
        ("噪音", "楼上装修噪音", "security", "security", false),
        (
            "停车",
            "访客车辆占用消防通道",
            "security",
            "security",
            false,
        ),
        (
            "卫生",
            "楼道垃圾未及时清运",
            "cleaning",
            "supervisor",
            false,
        ),
        (
            "绿化",
            "草坪喷灌水溅到车上",
            "landscaping",
            "supervisor",
            false,
        ),
        (
            "服务态度",
            "前台接电话不耐烦",
            "engineering",
            "supervisor",
            false,
        ),
    ];
    for (k, (subject, content, department, handler, valid)) in cases.into_iter().enumerate() {
        let k = k as i64;
        let t0 = months.last.0 + (3 + 4 * k) * DAY + 10 * HOUR;
        let (answer, comments) = if valid {
            (
                "已安排维修并致歉 / repaired and apologised",
                "业主接受处理结果 / the resident accepts",
            )
        } else {
            (
                "已核实并向业主说明 / checked and explained to the resident",
                "业主表示理解 / the resident understands",
            )
        };
        settled_complaint(
            desk,
            &complaint(80 + k, subject, content),
            t0,
            (department, handler),
            (answer, comments),
            valid,
        )?;
    }
    Ok(())
}

/// Complaints at every stage: one settled and closed this week, one
/// answered on time, one about to run out, one overdue, one escalated to the
/// director.
fn complaints(store: &mut Desk, now: Millis) -> Result<(), AppError> {
    // Not valid (renovation within permitted hours), but still settled and closed.
    settled_complaint(
        store,
        &complaint(71, "噪音", "楼上装修噪音"),
        now - 3 * DAY - 5 * HOUR,
        ("security", "security"),
        (
            "已提醒装修户 / the renovator was reminded",
            "装修在允许时间内 / within permitted hours",
        ),
        false,
    )?;

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

/// Home visits done in person between `from` and `until`, `done` of them
/// for each person, evenly spread, each with the resident's signature.
fn visits_done(
    desk: &mut Desk,
    (from, until): (Millis, Millis),
    month: &str,
    people: [(&str, i64); 2],
) -> Result<(), AppError> {
    for (who, done) in people {
        for k in 0..done {
            let when = from + 9 * HOUR + (until - from - 10 * HOUR) * (k + 1) / (done + 1);
            let place = unit(k + if who == "director" { 3 } else { 0 });
            let id = at(desk, "supervisor", when - HOUR).plan_home_visit(
                demo_id(&format!("month/visit/{month}{who}/{k}")),
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
            at(desk, who, when).record_revisit(
                &id,
                outcome,
                Some(&signature_png(100 + k as u32)),
            )?;
        }
    }
    Ok(())
}

/// Home visits against the monthly quotas (director 10, each assistant 15
/// by default): last month's done, the assistant's one short; this month's
/// as far as the month has gone, the assistant a little behind; and eight
/// planned for the days ahead, one of them a day late.
fn home_visits(desk: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    let quota = |role| i64::from(desk.rules.quota_for(role));
    let (director, assistant) = (quota(Role::Director), quota(Role::PropertyAssistant));
    visits_done(
        desk,
        months.last,
        "last/",
        [
            ("assistant", (assistant - 1).max(0)),
            ("director", director),
        ],
    )?;
    let gone = months.gone(now);
    visits_done(
        desk,
        (months.this.0, now - HOUR),
        "",
        [
            ("assistant", (assistant as f64 * gone * 0.85) as i64),
            ("director", (director as f64 * gone) as i64),
        ],
    )?;
    for i in 0..8i64 {
        let who = if i % 2 == 0 { "assistant" } else { "director" };
        let place = Place {
            estate_id: ESTATE_A.into(),
            unit_id: Some(format!("{ESTATE_A}-2-1-{}02", 1 + i % 6)),
            common_area_id: None,
            detail: String::new(),
        };
        at(desk, "supervisor", now - 2 * DAY).plan_home_visit(
            demo_id(&format!("revisit/{i}")),
            place,
            &staff_id(who),
            now + (i - 1) * DAY + 2 * HOUR,
        )?;
    }
    Ok(())
}

/// The estate's weekly patrols: last month's, all in order and reviewed;
/// this week's submitted with a defect for a head to review; last week's,
/// reviewed, whose defect went to the landscaping contractor on a
/// rectification notice now reported done and waiting for re-inspection;
/// and one still being walked.
fn patrols(store: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    // The weekly-estate checklist, as the seed publishes it afterwards (the
    // same id: the seed keeps this one).
    let template_id = checklist_id(ESTATE_A, 1);
    let draft = &default_templates()[1];
    let published = now - SET_UP_DAYS * DAY;
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

    for w in 0..4 {
        let t0 = months.last.0 + (2 + 7 * w) * DAY + 10 * HOUR;
        let id = walk(store, 10 + w, t0, None, true)?;
        at(store, "supervisor", t0 + 3 * HOUR).review_inspection(&id, "巡查正常 / all in order")?;
    }

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

/// The security guards' night round (巡更): the route the director set up
/// with its four checkpoints, walked on last month's Mondays, each of the
/// last three nights, and being walked now.
fn guard_rounds(desk: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    let who = |desk: &Desk, user: &str, role, at| Who {
        staff_id: staff_id(user),
        role,
        device_id: desk.device_id(),
        at,
    };
    let checkpoints: Vec<Checkpoint> = [
        ("A-GATE", "东门岗亭"),
        ("A-B1", "1栋大堂"),
        ("A-GARAGE", "地下车库入口"),
        ("A-GARDEN", "中心花园"),
    ]
    .into_iter()
    .map(|(code, name)| Checkpoint {
        code: code.into(),
        name: name.into(),
        expected: None,
        radius_m: 30.0,
    })
    .collect();
    let route_id = demo_id("month/route/night");
    let set_up = who(desk, "director", Role::Director, now - SET_UP_DAYS * DAY);
    let mut route = PatrolRouteDoc::create(
        route_id.clone(),
        ESTATE_A,
        "夜间巡更 / night round",
        &checkpoints,
        &Schedule {
            daily_starts: vec!["22:00".into(), "02:00".into()],
        },
        desk.device_id(),
        &set_up,
    )?;
    desk.create(&mut route)?;
    let route = route.read()?;
    let mut starts: Vec<Millis> = (0..4)
        .map(|w| months.last.0 + (1 + 7 * w) * DAY + 14 * HOUR)
        .collect();
    starts.extend((1..=3).map(|d| now - d * DAY));
    starts.push(now - 20 * MINUTE);
    for (n, t0) in starts.into_iter().enumerate() {
        let mut run = PatrolRunDoc::start(
            demo_id(&format!("month/round/{n}")),
            &route,
            desk.device_id(),
            &who(desk, "security", Role::Security, t0),
        )?;
        let walking = t0 + HOUR > now;
        for (k, c) in checkpoints.iter().enumerate() {
            let elapsed = k as i64 * 8 * MINUTE;
            if walking && t0 + elapsed > now {
                break;
            }
            let by = who(desk, "security", Role::Security, t0 + elapsed);
            run.scan(&format!("scan-{n}-{k}"), &c.code, elapsed, None, &by)?;
        }
        if !walking {
            run.finish(&who(desk, "security", Role::Security, t0 + 40 * MINUTE))?;
        }
        desk.create(&mut run)?;
    }
    Ok(())
}

/// Seeds the business described at the top of this file, as of `now`.
pub fn seed_month(desk: &mut Desk, now: Millis) -> Result<(), AppError> {
    let months = Months::around(now, desk.rules);
    finished_orders(desk, &months, now)?;
    paid_jobs(desk, &months)?;
    open_orders(desk, &months, now)?;
    extensions_waiting(desk, now)?;
    conflict(desk, now)?;
    last_months_complaints(desk, &months)?;
    complaints(desk, now)?;
    home_visits(desk, &months, now)?;
    patrols(desk, &months, now)?;
    guard_rounds(desk, &months, now)?;
    keys::keys(desk, now)?;
    desk_log::desk_logs(desk, now)?;
    crate::demo::surveys::seed_surveys(desk, months.last.0)?;
    renovations(desk, &months, now)?;
    Ok(())
}

/// Two renovations in 阳光花园: last month's, accepted and its deposit
/// refunded; and one whose works were finished two days ago, awaiting
/// acceptance (nobody moves in yet).
fn renovations(desk: &mut Desk, months: &Months, now: Millis) -> Result<(), AppError> {
    let run = |desk: &mut Desk, n: i64, applied: Millis, finished: Millis| {
        let id = demo_id(&format!("month/renovation/{n}"));
        let draft = RenovationApplication {
            id: id.clone(),
            place: unit(20 + n),
            owner_name: resident(n).name.0,
            owner_phone: resident(n).phone.0,
            contractor: ["安居装饰公司", "美家装修队"][n as usize % 2].into(),
            contractor_phone: "021-5550 1234".into(),
            work: ["厨卫翻新、铺地板", "墙面刷漆、更换门窗"][n as usize % 2].into(),
            planned_start: applied + DAY,
            planned_end: applied + 25 * DAY,
            deposit_fen: 200_000,
        };
        at(desk, "reception", applied).apply_for_renovation(&draft)?;
        at(desk, "supervisor", applied + HOUR).approve_renovation(&id)?;
        let mut s = at(desk, "reception", applied + 2 * HOUR);
        s.issue_renovation_permit(&id, &format!("ZX-{n:03}"))?;
        s.take_renovation_deposit(&id)?;
        s.issue_worker_pass(
            &id,
            &PassRequest {
                id: "pass-1".into(),
                name: "王建国".into(),
                id_number: "310101198001011234".into(),
                valid_until: applied + 26 * DAY,
            },
        )?;
        at(desk, "reception", finished).report_renovation_finished(&id, "done-1")?;
        Ok::<RecordId, AppError>(id)
    };
    let last = run(
        desk,
        1,
        months.last.0 + DAY + 10 * HOUR,
        months.last.0 + 12 * DAY,
    )?;
    at(desk, "assistant", months.last.0 + 14 * DAY).accept_renovation(&last, "acc-1", true, "")?;
    at(desk, "reception", months.last.0 + 15 * DAY).refund_renovation_deposit(&last)?;
    run(desk, 2, now - 15 * DAY, now - 2 * DAY)?;
    Ok(())
}
