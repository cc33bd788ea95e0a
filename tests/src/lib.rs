//! Helpers for the cross-crate stories in `tests/tests/`: real `rounds-server`
//! processes on loopback, on the embedded SQLite or on PostgreSQL, and
//! simulated phones, each its own store in a temporary directory.
//!
//! Each story is a function of the [`Backend`]; [`on_both_backends!`] makes a
//! `sqlite` and a `postgres` test of it. The PostgreSQL one runs when
//! `ROUNDS_TEST_POSTGRES` holds a URL (`postgres://user@127.0.0.1:PORT/db`;
//! each server group gets a fresh database made there), and otherwise skips
//! with a note (`scripts/test.d/30-postgres.sh` starts one and sets it).

mod backend;
pub mod hostile;
mod seeded_demo;
pub use backend::{Backend, POSTGRES_ENV};

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use rounds_core::documents::Who;
use rounds_core::store::{DocumentStore, Store};
use rounds_core::sync::http::{HttpSync, SyncSummary};
use rounds_core::sync::{Cancel, NoProgress, SyncError};
use rounds_core::{RecordId, Staff};

pub const PASSWORD: &str = "rounds-demo";
pub const ESTATE_A: &str = "e-sunshine";
pub const ESTATE_B: &str = "e-cuihu";

/// A resident's request as reception would register it now: a general repair
/// due in three working days' worth of hours, at `unit` of `estate`.
pub fn order_draft(
    estate: &str,
    unit: &str,
    content: &str,
) -> rounds_core::documents::work_order::OrderDraft {
    use rounds_core::documents::work_order::{Contact, Deadline, OrderDraft, Source, SourceKind};
    use rounds_core::places::{Personal, Place};
    let now = rounds_core::time::now_millis();
    OrderDraft {
        id: RecordId::new(),
        received_at: now,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "general".into(),
        place: Place {
            estate_id: estate.into(),
            unit_id: Some(unit.into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: content.into(),
        deadline: Deadline {
            class: "standard_3_days".into(),
            due_at: now + 3 * 86_400_000,
            set_by: None,
        },
        rework_of: None,
        paid_service: false,
    }
}

/// The server binary beside this test's executable, built once if missing
/// (`ROUNDS_SERVER_BIN` names another, e.g. a release build for benchmarks).
pub fn server_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("ROUNDS_SERVER_BIN") {
        return bin.into();
    }
    static BUILD: Once = Once::new();
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/debug")
        .to_path_buf();
    let bin = dir.join(format!("rounds-server{}", std::env::consts::EXE_SUFFIX));
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // The whole workspace with the features `cargo test --workspace`
        // resolves (its test targets bring the dev-dependencies' in), so
        // this is a no-op after a test build; scripts/lib/cargo.sh builds
        // the same way.
        let status = Command::new(cargo)
            .args(["build", "--workspace", "--lib", "--bins", "--tests"])
            .status()
            .expect("cargo build rounds-server");
        assert!(status.success(), "building rounds-server failed");
    });
    assert!(bin.exists(), "no server binary at {}", bin.display());
    bin
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind loopback")
        .local_addr()
        .expect("addr")
        .port()
}

/// A `rounds-server demo` process on loopback, over a data directory that
/// outlives it (so it can be killed and started again).
pub struct Server {
    child: Option<Child>,
    pub port: u16,
    pub data_dir: PathBuf,
    pub backend: Backend,
    /// `demo`, or `serve` for a company's own server.
    command: &'static str,
    extra: Vec<String>,
}

impl Server {
    pub fn start_demo(backend: &Backend, data_dir: &Path) -> Server {
        Self::start_with(backend, data_dir, &[])
    }

    pub fn start_with(backend: &Backend, data_dir: &Path, extra: &[&str]) -> Server {
        Self::start("demo", backend, data_dir, extra)
    }

    /// `rounds-server serve`: a company's own data, no demo.
    pub fn start_serving(backend: &Backend, data_dir: &Path) -> Server {
        Self::start("serve", backend, data_dir, &[])
    }

    fn start(command: &'static str, backend: &Backend, data_dir: &Path, extra: &[&str]) -> Server {
        if command == "demo" && is_empty_dir(data_dir) {
            let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
            seeded_demo::copy_into(backend, data_dir, &extra);
        }
        Self::start_fresh(command, backend, data_dir, extra)
    }

    /// Starts `command` on `data_dir` as it is.
    fn start_fresh(
        command: &'static str,
        backend: &Backend,
        data_dir: &Path,
        extra: &[&str],
    ) -> Server {
        let mut extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        if let Backend::Postgres { url } = backend {
            extra.extend(["--database".to_string(), url.clone()]);
        }
        let mut server = Server {
            child: None,
            port: free_port(),
            data_dir: data_dir.into(),
            backend: backend.clone(),
            command,
            extra,
        };
        server.restart();
        server
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the process (again, on the same port and data) and waits until it answers.
    pub fn restart(&mut self) {
        let child = Command::new(server_binary())
            .args([self.command, "--data-dir"])
            .arg(&self.data_dir)
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(&self.extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rounds-server");
        self.child = Some(child);
        // Seeding the demo in a debug build on a loaded 2-core machine takes
        // a while; this bounds a hang, it measures nothing.
        let deadline = Instant::now() + Duration::from_secs(120);
        let client = reqwest::blocking::Client::new();
        while Instant::now() < deadline {
            if client
                .get(format!("{}/v1/orders", self.base()))
                .send()
                .is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("rounds-server did not start on port {}", self.port);
    }

    /// The server process's id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Asks the server to stop (SIGTERM, as a service manager does) and
    /// waits up to `within` for it to exit; its exit status, or None if it
    /// was still running (it is then killed).
    pub fn stop(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The heads of every record of `estate` the server holds, read from
    /// its database (after it has been stopped, for SQLite).
    pub fn records_of(&self, estate: &str) -> BTreeMap<RecordId, Vec<String>> {
        self.backend.records_of(&self.data_dir, estate)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A simulated phone: its own store, signed in as one member of staff.
pub struct Device {
    pub base: String,
    pub store: Store,
    pub http: HttpSync,
    pub staff: Staff,
    _dir: tempfile::TempDir,
}

impl Device {
    pub fn login(base: &str, username: &str) -> Device {
        Self::login_with(base, username, PASSWORD)
    }

    pub fn login_with(base: &str, username: &str, password: &str) -> Device {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path().join("phone.db")).expect("phone store");
        let mut http = HttpSync::new(base).expect("client");
        let staff = http
            .login(&store, username, password, &format!("{username}'s phone"))
            .expect("login")
            .staff;
        Device {
            base: base.to_owned(),
            store,
            http,
            staff,
            _dir: dir,
        }
    }

    /// A session on this phone's store as its signed-in person, under the
    /// company's rules it last synced, as the app opens one (before a first
    /// sync: the manuals' rules and the shipped calendar).
    pub fn session(&mut self) -> rounds_core::session::Session<&mut Store> {
        let mut session = rounds_core::session::Session::new(
            &mut self.store,
            self.staff.clone(),
            rounds_core::rules::RulesConfig::default(),
            rounds_core::rules::WorkCalendar::china(),
        );
        session
            .follow_company_rules()
            .expect("the synced company rules read");
        session
    }

    pub fn sync(&mut self) -> Result<SyncSummary, SyncError> {
        self.http.sync(&mut self.store, &NoProgress, &Cancel::new())
    }

    pub fn who(&self, at: i64) -> Who {
        Who {
            staff_id: self.staff.id.clone(),
            role: self.staff.role,
            device_id: self.store.device_id(),
            at,
        }
    }

    /// Every record id this phone holds, sorted.
    pub fn ids(&self) -> Vec<RecordId> {
        let mut ids: Vec<_> = self
            .store
            .record_ids()
            .expect("ids")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids
    }
}

/// Sorted heads of a record in a store, to compare replicas.
pub fn heads(store: &Store, id: &RecordId) -> Vec<String> {
    let mut h: Vec<String> = store
        .load(id)
        .expect("load")
        .heads()
        .iter()
        .map(ToString::to_string)
        .collect();
    h.sort();
    h
}

/// A small deterministic shuffle (xorshift), so a failing order can be replayed.
pub fn shuffled<T>(mut items: Vec<T>, seed: &mut u64) -> Vec<T> {
    for i in (1..items.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        items.swap(i, (*seed % (i as u64 + 1)) as usize);
    }
    items
}

/// Someone signed in to the office console, calling its JSON API as the
/// console does.
pub struct Console {
    pub base: String,
    token: String,
    http: reqwest::blocking::Client,
}

impl Console {
    pub fn sign_in(base: &str, username: &str) -> Console {
        Self::sign_in_with(base, username, PASSWORD)
    }

    pub fn sign_in_with(base: &str, username: &str, password: &str) -> Console {
        let http = reqwest::blocking::Client::new();
        let resp = http
            .post(format!("{base}/v1/console/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{username} signs in");
        let token = resp.json::<serde_json::Value>().unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Console {
            base: base.into(),
            token,
            http,
        }
    }

    /// The status and JSON answer of one call.
    pub fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(serde_json::Value::Null))
    }

    /// Posts a file as the request body (a sheet to import).
    pub fn upload(&self, path: &str, bytes: Vec<u8>) -> (u16, serde_json::Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(serde_json::Value::Null))
    }

    /// A read that must succeed.
    pub fn get(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.send(reqwest::Method::GET, path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }
}

/// Posts a hand-made sync request; returns the status and the JSON answer.
pub fn post_sync(base: &str, token: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/sync"))
        .bearer_auth(token)
        .json(body)
        .send()
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(serde_json::Value::Null))
}

/// GETs a JSON route as a device; returns the status and the answer.
pub fn get_json(base: &str, token: &str, path: &str) -> (u16, serde_json::Value) {
    let resp = reqwest::blocking::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(serde_json::Value::Null))
}

/// Everyone holds the same records of estate A, and the company-wide ones
/// (its rules and price list), at the same heads as the server.
pub fn assert_converged(server: &Server, devices: &[&Device]) {
    let mut on_server = server.records_of(ESTATE_A);
    on_server.extend(server.records_of(rounds_core::documents::company::COMPANY_SCOPE));
    let expected: Vec<RecordId> = on_server.keys().cloned().collect();
    for d in devices {
        assert_eq!(
            d.ids(),
            expected,
            "{} holds the estate's records",
            d.staff.id
        );
        for (id, server_heads) in &on_server {
            assert_eq!(
                &heads(&d.store, id),
                server_heads,
                "{} has {id} as the server does",
                d.staff.id
            );
        }
        assert_eq!(
            d.store.dirty_count().unwrap(),
            0,
            "{} has nothing left to send",
            d.staff.id
        );
    }
}
