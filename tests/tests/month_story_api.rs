//! November 2025 at the demo's estate, played through the server's API (the
//! office console's JSON routes) and the phones that sync to it, each step
//! by the person whose step it is, at the day and hour it happens: the
//! server's clock and the phones' clocks move together through the month.
//!
//! Orders on the happy path and in the orders real life takes (revisited
//! before the head's monthly review, refused and redone, refused and then
//! returned, a head-set deadline, an extension, a revisit whose account
//! differs), complaints to closed (one revisited before its report-back, an
//! emergency with its minute steps), their effect revisits and the month's
//! sample, home visits against the quota, and a patrol whose notice goes
//! round twice. At the month's end nothing the month opened is open, and
//! the month's report counts what was done.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::template::WEEKLY_ESTATE_PATROL;
use rounds_core::documents::work_order::{OrderStatus, WorkRecord};
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, Reinspection, Session, SessionError};
use rounds_core::store::{DocumentStore, Query, Store};
use rounds_core::time::{to_millis, Millis};
use rounds_core::{RecordId, RecordKind};
use rounds_server::demo::{seed, staff_id, ESTATE_A};
use rounds_server::signature_png::signature_png;
use rounds_server::{routes, AppState, Limits};
use rounds_tests::{Backend, Device, PASSWORD};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_month_of_one_estate_through_the_api_and_phones);

const YEAR: i32 = 2025;
const MONTH: u32 = 11;

/// A wall clock in the estate's town, moved by the story.
#[derive(Clone)]
struct Wall(Arc<Mutex<DateTime<Utc>>>);

impl Clock for Wall {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// `day` of November (or `day - 30` of December) at `h:m` in Shanghai.
fn nov(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    let (month, day) = if day > 30 {
        (MONTH + 1, day - 30)
    } else {
        (MONTH, day)
    };
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(YEAR, month, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn ms(day: u32, h: u32, m: u32) -> Millis {
    to_millis(nov(day, h, m))
}

impl Wall {
    fn set(&self, day: u32, h: u32, m: u32) {
        *self.0.lock().unwrap() = nov(day, h, m);
    }
}

/// The demo company's server, in this process, on loopback: phones sync to
/// it over HTTP and the office calls its JSON routes.
struct Estate {
    wall: Wall,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<std::thread::JoinHandle<()>>,
    // Dropped last, outside the runtime (a PostgreSQL client must not be
    // closed from inside one).
    _state: AppState,
    _dir: tempfile::TempDir,
}

impl Estate {
    fn open(backend: &Backend) -> Estate {
        let dir = tempfile::tempdir().unwrap();
        let wall = Wall(Arc::new(Mutex::new(nov(1, 8, 0))));
        let state = match backend {
            Backend::Sqlite => AppState::open(dir.path(), Limits::default()).unwrap(),
            Backend::Postgres { url } => {
                AppState::open_postgres(url, dir.path(), Limits::default()).unwrap()
            }
        }
        .with_clock(Arc::new(wall.clone()));
        state.with_db(seed).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = routes::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = std::thread::spawn(move || {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
                .block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await
                        .unwrap();
                });
        });
        Estate {
            wall,
            base,
            stop: Some(stop),
            serving: Some(serving),
            _state: state,
            _dir: dir,
        }
    }

    /// Someone at the office, signed in to the console.
    fn office(&self, username: &str) -> Office {
        let http = reqwest::blocking::Client::new();
        let resp = http
            .post(format!("{}/v1/console/login", self.base))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{username} signs in");
        let token = resp.json::<Value>().unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Office {
            http,
            base: self.base.clone(),
            token,
            wall: self.wall.clone(),
        }
    }

    /// Someone's phone, signed in and synced.
    fn phone(&self, username: &str) -> Phone {
        let mut device = Device::login(&self.base, username);
        device.sync().unwrap();
        Phone {
            device,
            wall: self.wall.clone(),
        }
    }
}

impl Drop for Estate {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.join();
        }
    }
}

struct Office {
    http: reqwest::blocking::Client,
    base: String,
    token: String,
    wall: Wall,
}

impl Office {
    /// The office at `day` `h:m`.
    fn at(&self, day: u32, h: u32, m: u32) -> &Office {
        self.wall.set(day, h, m);
        self
    }

    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(Value::Null))
    }

    fn get(&self, path: &str) -> Value {
        let (status, body) = self.send(reqwest::Method::GET, path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// A step that must succeed.
    fn post(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.send(reqwest::Method::POST, path, Some(body));
        assert!(
            (200..300).contains(&status),
            "POST {path}: {status} {answer}"
        );
        answer
    }

    fn order(&self, id: &str) -> Value {
        self.get(&format!("/v1/orders/{id}"))
    }

    fn complaint(&self, id: &str) -> Value {
        self.get(&format!("/v1/complaints/{id}"))
    }

    /// The revisits of `subject` (an order or a complaint) on the desk's list.
    fn revisits_of(&self, subject: &str) -> Vec<Value> {
        self.get("/v1/revisits")
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["facts"]["subject_id"] == subject)
            .cloned()
            .collect()
    }

    /// The desk's phone revisit.
    fn phone_revisit(&self, revisit: &str, satisfaction: &str) -> Value {
        self.post(
            &format!("/v1/revisits/{revisit}/phone"),
            json!({"satisfaction": satisfaction, "comments": "已修好"}),
        )
    }

    fn register(&self, unit: &str, category: &str, content: &str) -> (String, Millis) {
        let saved = self.post(
            "/v1/orders",
            json!({
                "estate_id": ESTATE_A,
                "unit_id": unit,
                "resident_name": "王女士",
                "phone": "13800138000",
                "content": content,
                "category": category,
            }),
        );
        (
            saved["id"].as_str().unwrap().to_owned(),
            saved["due_at"].as_i64().unwrap(),
        )
    }

    /// A call-back about a fault `earlier` repaired.
    fn register_rework(
        &self,
        unit: &str,
        category: &str,
        content: &str,
        earlier: &str,
    ) -> (String, Millis) {
        let saved = self.post(
            "/v1/orders",
            json!({
                "estate_id": ESTATE_A,
                "unit_id": unit,
                "resident_name": "王女士",
                "phone": "13800138000",
                "content": content,
                "category": category,
                "rework_of": earlier,
            }),
        );
        (
            saved["id"].as_str().unwrap().to_owned(),
            saved["due_at"].as_i64().unwrap(),
        )
    }

    fn receive_complaint(&self, unit: &str, subject: &str, emergency: bool) -> String {
        let saved = self.post(
            "/v1/complaints",
            json!({
                "estate_id": ESTATE_A,
                "unit_id": unit,
                "resident_name": "赵先生",
                "phone": "13900139000",
                "subject": subject,
                "content": subject,
                "emergency": emergency,
            }),
        );
        saved["id"].as_str().unwrap().to_owned()
    }
}

/// A phone: its own store, synced to the server over HTTP; each step goes
/// through core's session as the app's do, at the story's time.
struct Phone {
    device: Device,
    wall: Wall,
}

type PhoneSession<'a> = Session<&'a mut Store>;

impl Phone {
    /// The phone's holder acts at `day` `h:m`, offline.
    fn at<T>(
        &mut self,
        day: u32,
        h: u32,
        m: u32,
        step: impl FnOnce(&mut PhoneSession<'_>) -> Result<T, SessionError>,
    ) -> T {
        self.wall.set(day, h, m);
        let mut s = Session::with_clock(
            &mut self.device.store,
            self.device.staff.clone(),
            RulesConfig::default(),
            WorkCalendar::china(),
            Box::new(self.wall.clone()),
        );
        step(&mut s).unwrap_or_else(|e| panic!("{} on the phone: {e}", self.device.staff.id))
    }

    /// Syncs; the server takes everything the phone sends.
    fn sync(&mut self) {
        let summary = self.device.sync().unwrap();
        assert!(
            summary.refused.is_empty() && summary.missing_attachments.is_empty(),
            "{} synced: {summary:?}",
            self.device.staff.id
        );
    }
}

fn id(s: &str) -> RecordId {
    RecordId::parse(s).unwrap()
}

/// A unit of building 1 (none of them vacant), told apart by `n`.
fn unit(n: u32) -> String {
    format!("{ESTATE_A}-1-{}-{}0{}", 1 + n % 2, 1 + n % 5, 1 + n / 5 % 2)
}

/// What the month did, counted as it is done, to hold the report to.
#[derive(Default)]
struct Done {
    orders: Vec<(String, Millis)>,
    /// Orders finished and kept (not returned): completion time and deadline.
    completed: Vec<(Millis, Millis)>,
    /// Completed orders that repair an earlier one again (返修).
    reworks: u32,
    complaints: Vec<String>,
    valid_complaints: u32,
    /// Revisits due in November, all of which are done.
    revisits_due: Vec<String>,
    /// Revisits done in November (some due later), with their satisfaction.
    satisfaction: Vec<Satisfaction>,
    /// In-person visits the assistant made.
    assistant_in_person: u32,
}

impl Done {
    fn revisit(&mut self, satisfaction: Satisfaction) {
        self.satisfaction.push(satisfaction);
    }
}

/// Registered at the desk at 9:00 on `day`, dispatched at 9:10, and worked on
/// the technician's phone: the order's id and deadline.
fn registered_and_dispatched(
    desk: &Office,
    day: u32,
    category: &str,
    content: &str,
) -> (String, Millis) {
    let (order, due) = desk.at(day, 9, 0).register(&unit(day), category, content);
    let done = desk.at(day, 9, 10).post(
        &format!("/v1/orders/{order}/dispatch"),
        json!({"assignee": staff_id("tech")}),
    );
    assert_eq!(done["status"], "dispatched");
    (order, due)
}

/// The technician's part on the phone, synced at the end: accept and start
/// if not yet, record the work, complete at `day` 11:30 and, when `signed`,
/// the resident's signature. The completion time.
fn worked(tech: &mut Phone, day: u32, order: &str, signed: bool) -> Millis {
    tech.sync();
    let order = id(order);
    tech.at(day, 10, 0, |s| {
        if s.order(&order)?.status() == Some(OrderStatus::Dispatched) {
            s.accept(&order)?;
            s.start_work(&order)?;
        }
        let started = s.order(&order)?.work.started_at;
        s.record_work(
            &order,
            &WorkRecord {
                work_done: "更换配件".into(),
                started_at: started,
                ended_at: Some(ms(day, 11, 20)),
                prep_minutes: 10,
            },
        )
    });
    tech.at(day, 11, 30, |s| s.complete(&order));
    if signed {
        tech.at(day, 11, 40, |s| {
            s.sign_off(&order, "王女士", &signature_png(day))
        });
    }
    tech.sync();
    ms(day, 11, 30)
}

/// The one repair revisit the order's completion planned, from the desk's list.
fn repair_revisit(desk: &Office, order: &str) -> String {
    let list = desk.revisits_of(order);
    assert_eq!(list.len(), 1, "one revisit for {order}: {list:?}");
    list[0]["id"].as_str().unwrap().to_owned()
}

/// A resolved complaint's revisits: the prompt one, due within days, and the
/// effect revisit a month on (seed 002). The prompt one's id.
fn prompt_revisit(desk: &Office, complaint: &str) -> String {
    let mut list = desk.revisits_of(complaint);
    list.sort_by_key(|r| r["due_at"].as_i64());
    assert_eq!(list.len(), 2, "{list:?}");
    let (prompt, effect) = (list[0]["due_at"].as_i64(), list[1]["due_at"].as_i64());
    assert!(
        effect.unwrap() - prompt.unwrap() > 20 * 86_400_000,
        "the effect revisit falls a month on: {list:?}"
    );
    list[0]["id"].as_str().unwrap().to_owned()
}

fn assert_status(view: &Value, status: &str) {
    assert_eq!(view["status"], status, "{view}");
}

fn a_month_of_one_estate_through_the_api_and_phones(backend: &Backend) {
    let estate = Estate::open(backend);
    let desk = estate.office("reception");
    let head = estate.office("supervisor");
    let mut tech = estate.phone("tech");
    let mut assistant = estate.phone("assistant");
    let mut done = Done::default();

    // 1. The happy path: registered, dispatched, worked and signed on the
    //    phone, reviewed, revisited by phone at the desk, closed.
    let (a, a_due) = registered_and_dispatched(&desk, 3, "door_lock", "入户门锁坏了");
    let a_done = worked(&mut tech, 3, &a, true);
    assert_status(&desk.order(&a), "signed_off");
    assert_eq!(desk.order(&a)["signoff"]["state"], "valid");
    assert_status(
        &head.at(4, 9, 0).post(
            &format!("/v1/orders/{a}/review"),
            json!({"comment": "工料无误"}),
        ),
        "reviewed",
    );
    // The resident asks on the call whether the lock is under warranty;
    // the desk promises an answer by the afternoon, and gives it.
    let a_visit = repair_revisit(&desk, &a);
    desk.at(4, 10, 0).post(
        &format!("/v1/revisits/{a_visit}/phone"),
        json!({"satisfaction": "satisfied", "comments": "问锁芯是否保修",
               "promised_reply_at": ms(4, 17, 0)}),
    );
    done.revisit(Satisfaction::Satisfied);
    assert_status(&desk.order(&a), "revisited");
    let reply_owed = |desk: &Office| {
        desk.get(&format!("/v1/revisits/follow-ups?estate={ESTATE_A}"))
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["need"] == "reply" && u["revisit"]["id"] == a_visit.as_str())
    };
    assert!(reply_owed(&desk), "the promised reply waits on the desk");
    desk.at(4, 15, 0).post(
        &format!("/v1/revisits/{a_visit}/reply"),
        json!({"text": "锁芯保修一年,已电话告知"}),
    );
    assert!(!reply_owed(&desk));
    assert_status(
        &desk
            .at(4, 11, 0)
            .post(&format!("/v1/orders/{a}/close"), json!({})),
        "closed",
    );
    done.orders.push((a.clone(), a_due));
    done.completed.push((a_done, a_due));
    done.revisits_due.push(a_visit);

    // 2. Revisited the next day, reviewed at the head's monthly review: the
    //    review finds the revisit done, and the order can be closed.
    let (b, b_due) = registered_and_dispatched(&desk, 5, "lamp", "楼道灯不亮");
    let b_done = worked(&mut tech, 5, &b, true);
    // The desk's list of revisits due today has it on the day it falls
    // due (two working days on), not the day before.
    let b_visit = repair_revisit(&desk, &b);
    let due_today = |desk: &Office| {
        desk.get("/v1/revisits?due=true")
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == b_visit.as_str())
    };
    assert!(!due_today(desk.at(6, 9, 0)), "not due on Thursday");
    assert!(due_today(desk.at(7, 9, 0)), "due on Friday");
    desk.at(7, 10, 0).phone_revisit(&b_visit, "very_satisfied");
    done.revisit(Satisfaction::VerySatisfied);
    assert_status(&desk.order(&b), "signed_off");
    head.at(28, 16, 0).post(
        &format!("/v1/orders/{b}/review"),
        json!({"comment": "月底审核"}),
    );
    assert_status(&desk.order(&b), "revisited");
    assert_status(
        &desk
            .at(28, 17, 0)
            .post(&format!("/v1/orders/{b}/close"), json!({})),
        "closed",
    );
    done.orders.push((b.clone(), b_due));
    done.completed.push((b_done, b_due));
    done.revisits_due.push(b_visit);

    // 3. Completed without the resident's signature, refused at the desk;
    //    the technician's phone says why, and the work is done again with
    //    the signature the next morning.
    let (c, c_due) = registered_and_dispatched(&desk, 10, "pipe_leak", "厨房水管漏水");
    worked(&mut tech, 10, &c, false);
    assert_status(
        &desk.at(10, 14, 0).post(
            &format!("/v1/orders/{c}/refuse"),
            json!({"reason": "缺少业主签字"}),
        ),
        "in_progress",
    );
    tech.sync();
    let on_phone = tech.at(10, 15, 0, |s| s.order(&id(&c)));
    let refusal = on_phone.events.last().unwrap();
    assert_eq!(
        (refusal.to, refusal.reason.as_deref()),
        (OrderStatus::InProgress, Some("缺少业主签字")),
        "the technician sees why the record came back"
    );
    // Past its 24 hours the next morning: late on the office's list.
    let late = desk.at(11, 9, 30).get("/v1/orders?overdue=true");
    assert!(
        late.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == c.as_str()),
        "{late}"
    );
    assert_eq!(desk.order(&c)["overdue"], true);
    let c_done = worked(&mut tech, 11, &c, true);
    assert_eq!(desk.order(&c)["overdue"], false, "finished, even if late");
    head.at(12, 9, 0).post(
        &format!("/v1/orders/{c}/review"),
        json!({"comment": "已补签字"}),
    );
    let c_visit = repair_revisit(&desk, &c);
    desk.at(12, 10, 0).phone_revisit(&c_visit, "satisfied");
    done.revisit(Satisfaction::Satisfied);
    desk.at(12, 11, 0)
        .post(&format!("/v1/orders/{c}/close"), json!({}));
    done.orders.push((c.clone(), c_due));
    done.completed.push((c_done, c_due));
    done.revisits_due.push(c_visit);

    // 4. Refused, then returned (退单) by the head: the resident's own brand
    //    of lock, the maker repairs it. Reception sees the reason to tell
    //    the resident, the revisit is no longer owed, and the desk closes it.
    let (d, d_due) = registered_and_dispatched(&desk, 12, "door_lock", "智能门锁失灵");
    worked(&mut tech, 12, &d, false);
    desk.at(12, 14, 0).post(
        &format!("/v1/orders/{d}/refuse"),
        json!({"reason": "业主拒绝签字"}),
    );
    let reason = "业主自购品牌,已告知联系厂家";
    assert_status(
        &head
            .at(12, 15, 0)
            .post(&format!("/v1/orders/{d}/return"), json!({"reason": reason})),
        "returned",
    );
    let row = desk
        .get("/v1/orders?status=returned")
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == d.as_str())
        .cloned()
        .expect("the returned order on reception's list");
    assert_eq!(row["facts"]["returned_reason"], reason);
    let d_visits = desk.revisits_of(&d);
    assert_eq!(d_visits.len(), 1);
    assert_eq!(d_visits[0]["status"], "cancelled");
    desk.at(12, 16, 0)
        .post(&format!("/v1/orders/{d}/close"), json!({}));
    done.orders.push((d.clone(), d_due));

    // 4b. The resident of the first order calls back: the lock jams again.
    //     Reception registers it as that order's rework (返修).
    let (g, g_due) = desk
        .at(13, 9, 0)
        .register_rework(&unit(3), "door_lock", "门锁又卡住了", &a);
    desk.at(13, 9, 10).post(
        &format!("/v1/orders/{g}/dispatch"),
        json!({"assignee": staff_id("tech")}),
    );
    let g_done = worked(&mut tech, 13, &g, true);
    head.at(14, 9, 0).post(
        &format!("/v1/orders/{g}/review"),
        json!({"comment": "返修完成"}),
    );
    let g_visit = repair_revisit(&desk, &g);
    desk.at(14, 10, 0).phone_revisit(&g_visit, "satisfied");
    done.revisit(Satisfaction::Satisfied);
    desk.at(14, 11, 0)
        .post(&format!("/v1/orders/{g}/close"), json!({}));
    assert_eq!(desk.order(&g)["order"]["links"]["rework_of"], a.as_str());
    done.orders.push((g.clone(), g_due));
    done.completed.push((g_done, g_due));
    done.reworks += 1;
    done.revisits_due.push(g_visit);

    // 5. A head-set category: the head sets the deadline, then the work.
    let (e, _) = desk
        .at(17, 9, 0)
        .register(&unit(17), "internal_equipment", "水泵异响");
    assert_eq!(head.order(&e)["may_set_deadline"], true);
    let e_due = ms(26, 18, 0);
    head.at(17, 9, 30).post(
        &format!("/v1/orders/{e}/deadline"),
        json!({"due_at": e_due}),
    );
    desk.at(17, 9, 40).post(
        &format!("/v1/orders/{e}/dispatch"),
        json!({"assignee": staff_id("tech")}),
    );
    let e_done = worked(&mut tech, 18, &e, true);
    head.at(19, 9, 0).post(
        &format!("/v1/orders/{e}/review"),
        json!({"comment": "按期完成"}),
    );
    let e_visit = repair_revisit(&desk, &e);
    desk.at(19, 10, 0).phone_revisit(&e_visit, "neutral");
    done.revisit(Satisfaction::Neutral);
    desk.at(19, 11, 0)
        .post(&format!("/v1/orders/{e}/close"), json!({}));
    assert_eq!(desk.order(&e)["order"]["deadline"]["due_at"], e_due);
    done.orders.push((e.clone(), e_due));
    done.completed.push((e_done, e_due));
    done.revisits_due.push(e_visit);

    // 6. Waiting for parts: the desk asks for more time, the head approves,
    //    the work is done by the new deadline. The resident's account on the
    //    revisit differs from the technician's, so the assistant goes round
    //    that day before the order is closed.
    let (f, _) = registered_and_dispatched(&desk, 18, "general", "卫生间水龙头滴水");
    tech.sync();
    tech.at(18, 10, 0, |s| {
        s.accept(&id(&f))?;
        s.start_work(&id(&f))
    });
    tech.sync();
    let ext = RecordId::new().to_string();
    let f_due = ms(26, 18, 0);
    desk.at(19, 9, 0).post(
        &format!("/v1/orders/{f}/extensions"),
        json!({"id": ext, "requested_due_at": f_due, "reason": "等配件到货"}),
    );
    let pending = head.get("/v1/extensions");
    let asked = pending
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["order_id"] == f.as_str())
        .expect("the extension waits for the head");
    assert_eq!(asked["may_decide"], true);
    head.at(19, 11, 0).post(
        &format!("/v1/orders/{f}/extensions/{ext}/decision"),
        json!({"approve": true}),
    );
    assert_eq!(desk.order(&f)["order"]["deadline"]["due_at"], f_due);
    assert!(!head
        .get("/v1/extensions")
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["order_id"] == f.as_str()));
    let f_done = worked(&mut tech, 25, &f, true);
    head.at(26, 9, 0).post(
        &format!("/v1/orders/{f}/review"),
        json!({"comment": "已更换阀芯"}),
    );
    let f_visit = repair_revisit(&desk, &f);
    desk.at(26, 10, 0).post(
        &format!("/v1/revisits/{f_visit}/phone"),
        json!({"satisfaction": "dissatisfied", "comments": "住户说仍在滴水", "discrepancy": true}),
    );
    done.revisit(Satisfaction::Dissatisfied);
    let follow_ups = desk.get(&format!("/v1/revisits/follow-ups?estate={ESTATE_A}"));
    assert!(
        follow_ups
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["need"] == "send_administrator" && u["revisit"]["id"] == f_visit.as_str()),
        "{follow_ups}"
    );
    let sent = desk.at(26, 10, 30).post(
        &format!("/v1/revisits/{f_visit}/send-administrator"),
        json!({"administrator": staff_id("assistant")}),
    );
    let site_visit = sent["ids"][0].as_str().unwrap().to_owned();
    assistant.sync();
    assistant.at(26, 15, 0, |s| {
        s.record_revisit(
            &id(&site_visit),
            Outcome {
                method: Some(Method::InPerson),
                satisfaction: Some(Satisfaction::Satisfied),
                comments: "现场查看,阀芯已换,滴水系热水器泄压".into(),
                resident_name: Personal("王女士".into()),
                ..Outcome::default()
            },
            Some(&signature_png(26)),
        )
    });
    assistant.sync();
    done.revisit(Satisfaction::Satisfied);
    done.assistant_in_person += 1;
    assert!(!desk
        .get(&format!("/v1/revisits/follow-ups?estate={ESTATE_A}"))
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["revisit"]["id"] == f_visit.as_str()));
    desk.at(27, 9, 0)
        .post(&format!("/v1/orders/{f}/close"), json!({}));
    done.orders.push((f.clone(), f_due));
    done.completed.push((f_done, f_due));
    done.revisits_due.push(f_visit);
    done.revisits_due.push(site_visit);

    // 7. Complaints: one on the usual path, one revisited before its
    //    report-back. Each is answered, resolved, reported back, revisited
    //    and closed; the head classifies them.
    for (day, revisit_first, valid) in [(19, false, true), (20, true, false)] {
        let c = desk
            .at(day, 9, 0)
            .receive_complaint(&unit(day), "夜间装修噪音", false);
        desk.at(day, 9, 30).post(
            &format!("/v1/complaints/{c}/dispatch"),
            json!({"department": "security"}),
        );
        desk.at(day, 10, 0).post(
            &format!("/v1/complaints/{c}/answer"),
            json!({"text": "今晚上门劝阻"}),
        );
        assert_status(
            &desk.at(day, 20, 0).post(
                &format!("/v1/complaints/{c}/resolve"),
                json!({"text": "已劝阻"}),
            ),
            "resolved",
        );
        let visit = prompt_revisit(&desk, &c);
        if revisit_first {
            // The desk calls the resident before security's report reaches
            // it (within its two hours).
            desk.at(day, 21, 0).phone_revisit(&visit, "satisfied");
            assert_status(&desk.complaint(&c)["board"], "resolved");
            assert_status(
                &desk
                    .at(day, 21, 45)
                    .post(&format!("/v1/complaints/{c}/report-back"), json!({})),
                "revisited",
            );
        } else {
            desk.at(day, 21, 0)
                .post(&format!("/v1/complaints/{c}/report-back"), json!({}));
            desk.at(day + 1, 9, 0).phone_revisit(&visit, "satisfied");
        }
        done.revisit(Satisfaction::Satisfied);
        head.at(day + 1, 9, 40).post(
            &format!("/v1/complaints/{c}/classify"),
            json!({"valid": valid}),
        );
        assert_status(
            &desk
                .at(day + 1, 10, 0)
                .post(&format!("/v1/complaints/{c}/close"), json!({})),
            "closed",
        );
        done.valid_complaints += u32::from(valid);
        done.complaints.push(c);
        done.revisits_due.push(visit);
    }

    // 8. An emergency: a burst main at night. The departments are told
    //    within three minutes, the head escalates to the site within five,
    //    the work is done, reported back and verified, the written report
    //    follows the next morning; the board shows it escalated only until
    //    its steps are taken.
    let em = desk
        .at(24, 20, 0)
        .receive_complaint(&unit(24), "地下室水管爆裂", true);
    desk.at(24, 20, 2).post(
        &format!("/v1/complaints/{em}/notify-departments"),
        json!({}),
    );
    head.at(24, 20, 4).post(
        &format!("/v1/complaints/{em}/escalate"),
        json!({"level": "site"}),
    );
    desk.at(24, 20, 5).post(
        &format!("/v1/complaints/{em}/dispatch"),
        json!({"department": "engineering"}),
    );
    let on_board = desk.at(24, 20, 20).complaint(&em);
    assert_ne!(on_board["board"]["stage"], "overdue", "{on_board}");
    desk.at(24, 23, 0).post(
        &format!("/v1/complaints/{em}/resolve"),
        json!({"text": "关阀更换主管"}),
    );
    desk.at(25, 0, 30)
        .post(&format!("/v1/complaints/{em}/report-back"), json!({}));
    desk.at(25, 6, 0).post(
        &format!("/v1/complaints/{em}/verify"),
        json!({"text": "现场无渗漏"}),
    );
    head.at(25, 9, 0).post(
        &format!("/v1/complaints/{em}/written-report"),
        json!({"level": "site", "text": "主阀门老化爆裂"}),
    );
    let board = desk.at(25, 9, 30).get("/v1/complaints/board");
    let em_on_board = board
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == em.as_str())
        .cloned();
    assert!(
        em_on_board
            .as_ref()
            .is_none_or(|c| c["stage"] != "escalated" && c["stage"] != "overdue"),
        "its steps are taken: {em_on_board:?}"
    );
    let em_visit = prompt_revisit(&desk, &em);
    desk.at(25, 10, 0).phone_revisit(&em_visit, "satisfied");
    done.revisit(Satisfaction::Satisfied);
    head.at(25, 10, 30).post(
        &format!("/v1/complaints/{em}/classify"),
        json!({"valid": true}),
    );
    desk.at(25, 11, 0)
        .post(&format!("/v1/complaints/{em}/close"), json!({}));
    done.valid_complaints += 1;
    done.complaints.push(em.clone());
    done.revisits_due.push(em_visit);

    // 9. The month's complaint sample (10 %, a third of it in person), drawn
    //    once; its visit and the effect revisits the complaints' closing
    //    planned fall due next month, and are made now.
    let sample = head.at(28, 14, 0).post(
        "/v1/revisits/complaint-sample",
        json!({"estate_id": ESTATE_A, "month": format!("{YEAR}-{MONTH}")}),
    );
    let sample: Vec<String> = sample["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sample.len(),
        done.complaints.len().div_ceil(10),
        "{sample:?}"
    );
    let again = head.post(
        "/v1/revisits/complaint-sample",
        json!({"estate_id": ESTATE_A, "month": format!("{YEAR}-{MONTH}")}),
    );
    assert_eq!(again["ids"], json!(sample), "drawn once");
    let mut reception_phone = estate.phone("reception");
    for visit in &sample {
        // One sample of three: in person, with the resident's signature.
        reception_phone.at(28, 16, 0, |s| {
            assert_eq!(s.revisit(&id(visit))?.planned_method, Method::InPerson);
            s.record_revisit(
                &id(visit),
                Outcome {
                    method: Some(Method::InPerson),
                    satisfaction: Some(Satisfaction::VerySatisfied),
                    resident_name: Personal("赵先生".into()),
                    ..Outcome::default()
                },
                Some(&signature_png(28)),
            )
        });
        done.revisit(Satisfaction::VerySatisfied);
    }
    reception_phone.sync();
    for c in done.complaints.clone() {
        for effect in desk
            .revisits_of(&c)
            .iter()
            .filter(|r| r["status"] == "planned")
        {
            assert!(
                effect["due_at"].as_i64().unwrap() >= ms(31, 0, 0),
                "only next month's revisits are left: {effect}"
            );
            desk.at(28, 15, 0)
                .phone_revisit(effect["id"].as_str().unwrap(), "very_satisfied");
            done.revisit(Satisfaction::VerySatisfied);
        }
    }

    // 10. Home visits against the assistant's quota: planned at the office,
    //     made in person on the phone the same day.
    for day in [10, 24] {
        let visit = RecordId::new().to_string();
        head.at(day, 8, 0).post(
            "/v1/revisits/home-visits",
            json!({"id": visit, "estate_id": ESTATE_A, "unit_id": unit(day + 1),
                   "assignee": staff_id("assistant"), "due_at": ms(day, 18, 0)}),
        );
        assistant.sync();
        assistant.at(day, 15, 0, |s| {
            s.record_revisit(
                &id(&visit),
                Outcome {
                    method: Some(Method::InPerson),
                    satisfaction: Some(Satisfaction::VerySatisfied),
                    resident_name: Personal("业主".into()),
                    ..Outcome::default()
                },
                Some(&signature_png(day)),
            )
        });
        assistant.sync();
        done.revisit(Satisfaction::VerySatisfied);
        done.assistant_in_person += 1;
        done.revisits_due.push(visit);
    }

    // 11. The weekly patrol on the assistant's phone finds dead shrubs; the
    //     head reads it at the office, issues a notice and reviews it; the
    //     re-inspection on the phone sends the notice round again, then
    //     passes it.
    let template = assistant.at(6, 9, 0, |s| {
        let rows = s.store().query(&Query {
            kind: Some(RecordKind::Template),
            estates: Some(vec![ESTATE_A.into()]),
            ..Query::default()
        })?;
        Ok(rows
            .into_iter()
            .find(|r| r.category.as_deref() == Some(WEEKLY_ESTATE_PATROL))
            .map(|r| id(&r.id))
            .expect("the weekly patrol checklist on the phone"))
    });
    let garden = Place {
        estate_id: ESTATE_A.into(),
        unit_id: None,
        common_area_id: Some(format!("{ESTATE_A}-garden")),
        detail: "中心花园".into(),
    };
    let patrol = RecordId::new();
    assistant.at(6, 9, 10, |s| {
        s.start_inspection(patrol.clone(), &template, garden.clone(), None)?;
        let items: Vec<String> = s
            .inspection(&patrol)?
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
            s.record_item(&patrol, item, result, note)?;
        }
        s.submit_inspection(&patrol)
    });
    assistant.sync();
    let seen = head.at(6, 14, 0).get(&format!("/v1/inspections/{patrol}"));
    assert_status(&seen, "submitted");
    assert_eq!(seen["may_issue"], true, "{seen}");
    let notice = RecordId::new().to_string();
    head.post(
        &format!("/v1/inspections/{patrol}/rectifications"),
        json!({"id": notice, "item_id": "greenery", "problem": "补种枯死灌木",
               "responsible_party": "绿化外包公司", "due_at": ms(13, 18, 0)}),
    );
    head.at(6, 15, 0).post(
        &format!("/v1/inspections/{patrol}/review"),
        json!({"comment": "已发整改"}),
    );
    assistant.sync();
    assistant.at(12, 9, 0, |s| {
        s.report_rectified(
            &id(&notice),
            "r1",
            "已补种",
            &[(&b"jpeg of the new shrubs"[..], "image/jpeg")],
        )
    });
    assistant.at(13, 9, 0, |s| {
        s.reinspect(
            &id(&notice),
            &Reinspection::Again {
                reason: "仍缺一株".into(),
                due_at: ms(20, 18, 0),
            },
        )
    });
    assistant.sync();
    assert_status(
        &head
            .at(13, 10, 0)
            .get(&format!("/v1/rectifications/{notice}")),
        "second_rectification",
    );
    assistant.at(19, 9, 0, |s| {
        s.report_rectified(&id(&notice), "r2", "已全部补种", &[])
    });
    assistant.at(20, 9, 0, |s| {
        s.reinspect(
            &id(&notice),
            &Reinspection::Passed {
                note: "复查合格".into(),
            },
        )
    });
    assistant.sync();

    // The month's end: every record of the estate the month opened has
    // reached its end, as the office reads each one.
    let office = head.at(31, 9, 0);
    for a_done in &done.orders {
        assert_status(&office.order(&a_done.0), "closed");
    }
    for c in &done.complaints {
        let board = &office.complaint(c)["board"];
        assert_status(board, "closed");
        let late: Vec<_> = board["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["state"] == "breached")
            .collect();
        assert!(late.is_empty(), "every clock met: {board}");
    }
    assert_status(
        &office.get(&format!("/v1/inspections/{patrol}")),
        "reviewed",
    );
    assert_status(
        &office.get(&format!("/v1/rectifications/{notice}")),
        "rectified",
    );
    let (from, until) = (ms(1, 0, 0), ms(31, 0, 0));
    for list in [
        "orders",
        "complaints",
        "revisits",
        "inspections",
        "rectifications",
    ] {
        let open: Vec<Value> = office
            .get(&format!("/v1/{list}?estate={ESTATE_A}"))
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let created = r["created_at"].as_i64().unwrap();
                (from..until).contains(&created) && r["open"] == true
            })
            .cloned()
            .collect();
        assert!(open.is_empty(), "{list} the month left open: {open:?}");
    }
    for visit in &done.revisits_due {
        let row = office
            .get("/v1/revisits")
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == visit.as_str())
            .cloned()
            .unwrap();
        assert_eq!(row["status"], "done", "{row}");
        let due = row["due_at"].as_i64().unwrap();
        assert!((from..until).contains(&due), "owed in November: {row}");
    }

    // And the month's report counts what was done.
    let r = office.get(&format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={YEAR}-{MONTH}"
    ));
    assert_eq!(r["requests_total"], done.orders.len(), "{r}");
    let on_time = done.completed.iter().filter(|(at, due)| at <= due).count();
    assert_eq!(
        (&r["completed"], &r["completed_on_time"]),
        (&json!(done.completed.len()), &json!(on_time)),
        "{r}"
    );
    assert_eq!(r["rework_count"], done.reworks, "{r}");
    let mut by_category = std::collections::BTreeMap::<String, u32>::new();
    for o in &done.orders {
        let category = office.order(&o.0)["order"]["category"]
            .as_str()
            .unwrap()
            .to_owned();
        *by_category.entry(category).or_default() += 1;
    }
    assert_eq!(r["requests_by_category"], json!(by_category), "{r}");
    assert_eq!(r["complaints_total"], done.complaints.len(), "{r}");
    assert_eq!(r["valid_complaints"], done.valid_complaints, "{r}");
    assert_eq!(
        (&r["revisits_due"], &r["revisits_done"]),
        (
            &json!(done.revisits_due.len()),
            &json!(done.revisits_due.len())
        ),
        "{r}"
    );
    assert_eq!(r["revisit_handling_on_target"], true, "{r}");
    let satisfied = done
        .satisfaction
        .iter()
        .filter(|s| s.is_satisfied())
        .count();
    let rate = r["satisfaction_rate"].as_f64().unwrap();
    assert!(
        (rate - satisfied as f64 / done.satisfaction.len() as f64).abs() < 1e-9,
        "{r}"
    );
    let quota = r["quota"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["staff_id"] == staff_id("assistant").as_str())
        .cloned()
        .unwrap();
    let owed = RulesConfig::default().quota_for(rounds_core::Role::PropertyAssistant);
    assert_eq!(quota["done"], done.assistant_in_person, "{quota}");
    assert_eq!(
        quota["short_by"],
        owed - done.assistant_in_person,
        "{quota}"
    );
}
