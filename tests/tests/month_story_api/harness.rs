//! The month story's world: the demo company's server in this process on
//! loopback, with one wall clock for the server and the phones; the office
//! calling its JSON routes; phones acting through core's session offline
//! and syncing over HTTP.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, Session, SessionError};
use rounds_core::store::Store;
use rounds_core::time::{to_millis, Millis};
use rounds_core::RecordId;
use rounds_server::demo::{seed_as_of, ESTATE_A};
use rounds_server::{routes, AppState, Limits};
use rounds_tests::{Backend, Console, Device};
use serde_json::{json, Value};

pub const YEAR: i32 = 2025;
pub const MONTH: u32 = 11;

/// A wall clock in the estate's town, moved by the story.
#[derive(Clone)]
pub struct Wall(Arc<Mutex<DateTime<Utc>>>);

impl Clock for Wall {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// `day` of November (or `day - 30` of December) at `h:m` in Shanghai.
pub fn nov(day: u32, h: u32, m: u32) -> DateTime<Utc> {
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

pub fn ms(day: u32, h: u32, m: u32) -> Millis {
    to_millis(nov(day, h, m))
}

impl Wall {
    /// Moves the clock on to `day` `h:m`; the month is played in order, so
    /// time never runs back.
    pub fn set(&self, day: u32, h: u32, m: u32) {
        let mut now = self.0.lock().unwrap();
        let then = nov(day, h, m);
        assert!(
            then >= *now,
            "the story went back in time: {then} after {now}"
        );
        *now = then;
    }
}

/// The demo company's server, in this process, on loopback: phones sync to
/// it over HTTP and the office calls its JSON routes.
pub struct Estate {
    wall: Wall,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<std::thread::JoinHandle<()>>,
    // Dropped last, outside the runtime (a PostgreSQL client must not be
    // closed from inside one).
    state: AppState,
    _dir: tempfile::TempDir,
}

impl Estate {
    pub fn open(backend: &Backend) -> Estate {
        let dir = tempfile::tempdir().unwrap();
        let wall = Wall(Arc::new(Mutex::new(nov(1, 8, 0))));
        let state = match backend {
            Backend::Sqlite => AppState::open(dir.path(), Limits::default()).unwrap(),
            Backend::Postgres { url } => {
                AppState::open_postgres(url, dir.path(), Limits::default()).unwrap()
            }
        }
        .with_clock(Arc::new(wall.clone()));
        // The demo company as it stood six weeks before the story's month:
        // its people and places, and records that all lie before November.
        let company = state.company();
        let (rules, calendar) = (&company.rules, &company.calendar);
        let seeded = to_millis(nov(1, 8, 0)) - 45 * 24 * 3_600_000;
        state
            .with_db(|db| seed_as_of(db, rules, calendar, seeded, None))
            .unwrap();
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
            state,
            _dir: dir,
        }
    }

    /// Someone at the office, signed in to the console.
    pub fn office(&self, username: &str) -> Office {
        Office {
            console: Console::sign_in(&self.base, username),
            wall: self.wall.clone(),
        }
    }

    /// The company's rules, as the server applies them.
    pub fn rules(&self) -> RulesConfig {
        self.state.company().rules.clone()
    }

    /// Someone's phone, signed in and synced.
    pub fn phone(&self, username: &str) -> Phone {
        let mut device = Device::login(&self.base, username);
        device.sync().unwrap();
        Phone {
            device,
            wall: self.wall.clone(),
            rules: self.state.company().rules.clone(),
            calendar: self.state.company().calendar.clone(),
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

pub struct Office {
    console: Console,
    wall: Wall,
}

impl Office {
    /// The office at `day` `h:m`.
    pub fn at(&self, day: u32, h: u32, m: u32) -> &Office {
        self.wall.set(day, h, m);
        self
    }

    pub fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.console.send(method, path, body)
    }

    pub fn get(&self, path: &str) -> Value {
        self.console.get(path)
    }

    /// A step that must succeed.
    pub fn post(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.send(reqwest::Method::POST, path, Some(body));
        assert!(
            (200..300).contains(&status),
            "POST {path}: {status} {answer}"
        );
        answer
    }

    pub fn order(&self, id: &str) -> Value {
        self.get(&format!("/v1/orders/{id}"))
    }

    pub fn complaint(&self, id: &str) -> Value {
        self.get(&format!("/v1/complaints/{id}"))
    }

    /// The revisits of `subject` (an order or a complaint) on the desk's list.
    pub fn revisits_of(&self, subject: &str) -> Vec<Value> {
        self.get("/v1/revisits")
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["facts"]["subject_id"] == subject)
            .cloned()
            .collect()
    }

    /// The desk's phone revisit.
    pub fn phone_revisit(&self, revisit: &str, satisfaction: &str) -> Value {
        self.post(
            &format!("/v1/revisits/{revisit}/phone"),
            json!({"satisfaction": satisfaction, "comments": "已修好"}),
        )
    }

    /// A resident's request registered at the desk now, or the rework
    /// (返修) of `rework_of`: its id and the deadline the rules gave.
    pub fn register(
        &self,
        unit: &str,
        category: &str,
        content: &str,
        rework_of: Option<&str>,
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
                "rework_of": rework_of,
            }),
        );
        (
            saved["id"].as_str().unwrap().to_owned(),
            saved["due_at"].as_i64().unwrap(),
        )
    }

    pub fn receive_complaint(&self, unit: &str, subject: &str, emergency: bool) -> String {
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
pub struct Phone {
    device: Device,
    wall: Wall,
    /// The same rules and calendar as the office's.
    rules: RulesConfig,
    calendar: WorkCalendar,
}

pub type PhoneSession<'a> = Session<&'a mut Store>;

impl Phone {
    /// The phone's holder acts at `day` `h:m`, offline.
    pub fn at<T>(
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
            self.rules.clone(),
            self.calendar.clone(),
            Box::new(self.wall.clone()),
        );
        step(&mut s).unwrap_or_else(|e| panic!("{} on the phone: {e}", self.device.staff.id))
    }

    /// Syncs; the server takes everything the phone sends.
    pub fn sync(&mut self) {
        let summary = self.device.sync().unwrap();
        assert!(
            summary.refused.is_empty() && summary.missing_attachments.is_empty(),
            "{} synced: {summary:?}",
            self.device.staff.id
        );
    }
}

pub fn id(s: &str) -> RecordId {
    RecordId::parse(s).unwrap()
}

/// A unit of building 1 (none of them vacant), told apart by `n`.
pub fn unit(n: u32) -> String {
    format!("{ESTATE_A}-1-{}-{}0{}", 1 + n % 2, 1 + n % 5, 1 + n / 5 % 2)
}
