//! A director administers the company's accounts through the office API, on
//! SQLite and PostgreSQL: a new technician is made, sets their own password
//! at the first sign-in and syncs on a phone; disabled, their phone and
//! console are refused at once and their event streams end; re-enabled,
//! they work again; a reset password forces a new one at the next sign-in;
//! the last director cannot be disabled or demoted; and the audit log has
//! every change, newest first, without a password in it.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use rounds_core::store::Store;
use rounds_core::sync::http::HttpSync;
use rounds_core::sync::{Cancel, NoProgress, SyncError};
use rounds_tests::*;
use serde_json::{json, Value};

/// How long a stream may take to end before the story fails.
const PATIENCE: Duration = Duration::from_secs(10);

struct Api {
    base: String,
    client: reqwest::blocking::Client,
}

impl Api {
    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        } else if method == "POST" {
            req = req.json(&json!({}));
        }
        let resp = req.send().expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(Value::Null))
    }

    fn console_login(&self, username: &str, password: &str) -> (u16, Value) {
        self.call(
            "POST",
            "/v1/console/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
    }

    fn console_token(&self, username: &str, password: &str) -> String {
        let (status, body) = self.console_login(username, password);
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    fn account(&self, director: &str, username: &str) -> Value {
        let (status, list) = self.call("GET", "/v1/admin/staff", Some(director), None);
        assert_eq!(status, 200, "{list}");
        list["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["username"] == username)
            .cloned()
            .unwrap_or_else(|| panic!("{username} is listed"))
    }
}

/// A phone of its own: a store and a sync client, signed in or not.
struct Phone {
    store: Store,
    http: HttpSync,
    _dir: tempfile::TempDir,
}

impl Phone {
    fn new(base: &str) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        Phone {
            store: Store::open(dir.path().join("phone.db")).unwrap(),
            http: HttpSync::new(base).unwrap(),
            _dir: dir,
        }
    }

    fn login(&mut self, username: &str, password: &str) -> Result<(), SyncError> {
        self.http
            .login(&self.store, username, password, "钱多的手机")
            .map(|_| ())
    }

    fn sync(&mut self) -> Result<(), SyncError> {
        self.http
            .sync(&mut self.store, &NoProgress, &Cancel::new())
            .map(|_| ())
    }
}

fn refused_with(result: Result<(), SyncError>, code: &str, what: &str) {
    match result {
        Err(SyncError::Server {
            status, code: got, ..
        }) => {
            assert_eq!((status, got.as_str()), (401, code), "{what}");
        }
        other => panic!("{what}: expected {code}, got {other:?}"),
    }
}

/// An open `GET /v1/events`; `ended` hears when it closes.
fn listen(base: &str, token: &str) -> mpsc::Receiver<()> {
    let resp = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap()
        .get(format!("{base}/v1/events"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (tx, ended) = mpsc::channel();
    std::thread::spawn(move || {
        for _ in BufReader::new(resp).lines().map_while(Result::ok) {}
        let _ = tx.send(());
    });
    ended
}

fn a_director_administers_staff_and_every_change_is_recorded(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let api = Api {
        base: server.base(),
        client: reqwest::blocking::Client::new(),
    };
    let director = api.console_token("director", PASSWORD);
    let supervisor = api.console_token("supervisor", PASSWORD);

    // Bad input is refused beside its field, and nothing is made.
    let new_tech = json!({"username": "tech", "name": "钱多", "role": "technician",
        "estates": [ESTATE_A]});
    let (status, body) = api.call("POST", "/v1/admin/staff", Some(&director), Some(new_tech));
    assert_eq!(
        (status, &body["field"]),
        (422, &json!("username")),
        "{body}"
    );
    let short = json!({"username": "qianduo", "name": "钱多", "role": "technician",
        "estates": [ESTATE_A], "password": "short"});
    let (status, body) = api.call("POST", "/v1/admin/staff", Some(&director), Some(short));
    assert_eq!(
        (status, &body["field"]),
        (422, &json!("password")),
        "{body}"
    );
    let (status, _) = api.call(
        "POST",
        "/v1/admin/staff",
        Some(&supervisor),
        Some(json!({"username": "qianduo", "name": "钱多", "role": "technician", "estates": [ESTATE_A]})),
    );
    assert_eq!(status, 403, "a supervisor does not make accounts");

    // Made with a temporary password, shown once.
    let (status, made) = api.call(
        "POST",
        "/v1/admin/staff",
        Some(&director),
        Some(json!({"username": "qianduo", "name": "钱多", "role": "technician", "estates": [ESTATE_A]})),
    );
    assert_eq!(status, 200, "{made}");
    let temporary = made["temporary_password"].as_str().unwrap().to_owned();
    let id = made["account"]["id"].as_str().unwrap().to_owned();
    assert_eq!(made["account"]["state"], "must_change_password");

    // The phone is told to set a new password first; then it signs in and syncs.
    let mut phone = Phone::new(&server.base());
    refused_with(
        phone.login("qianduo", &temporary),
        "password_change_required",
        "a temporary password",
    );
    let (status, body) = api.call(
        "POST",
        "/v1/password",
        None,
        Some(
            json!({"username": "qianduo", "current_password": temporary, "new_password": "short"}),
        ),
    );
    assert_eq!((status, &body["field"]), (422, &json!("new_password")));
    let (status, body) = api.call(
        "POST",
        "/v1/password",
        None,
        Some(json!({"username": "qianduo", "current_password": temporary, "new_password": "qianduo-2026"})),
    );
    assert_eq!(status, 200, "{body}");
    phone
        .login("qianduo", "qianduo-2026")
        .expect("signs in with the new password");
    phone.sync().expect("syncs");
    assert!(
        !phone.store.record_ids().unwrap().is_empty(),
        "the estate's records arrived"
    );
    let account = api.account(&director, "qianduo");
    assert_eq!(account["state"], "active");
    let phone_device = account["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["console"] == false)
        .expect("the phone is listed")
        .clone();
    assert!(
        phone_device["last_sync_at"].as_i64().is_some(),
        "{phone_device}"
    );
    assert!(phone_device["revoked_at"].is_null());
    // A supervisor of the estate sees them; one of another estate does not.
    let (_, seen) = api.call("GET", "/v1/admin/staff", Some(&supervisor), None);
    assert!(seen["staff"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == id.as_str()));
    assert_eq!(seen["may_manage"], false);
    let other = api.console_token("supervisor-b", PASSWORD);
    let (_, seen) = api.call("GET", "/v1/admin/staff", Some(&other), None);
    assert!(!seen["staff"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == id.as_str()));

    // Disabled: phone and console refused at once, their streams end.
    let console = api.console_token("qianduo", "qianduo-2026");
    let phone_events = listen(&server.base(), phone.http.token().unwrap());
    let console_events = listen(&server.base(), &console);
    let (status, _) = api.call(
        "POST",
        &format!("/v1/admin/staff/{id}/disable"),
        Some(&supervisor),
        None,
    );
    assert_eq!(status, 403, "a supervisor does not disable");
    let (status, body) = api.call(
        "POST",
        &format!("/v1/admin/staff/{id}/disable"),
        Some(&director),
        None,
    );
    assert_eq!(
        (status, &body["state"]),
        (200, &json!("disabled")),
        "{body}"
    );
    phone_events
        .recv_timeout(PATIENCE)
        .expect("the phone's event stream ended");
    console_events
        .recv_timeout(PATIENCE)
        .expect("the console's event stream ended");
    refused_with(
        phone.sync(),
        "account_disabled",
        "a disabled account's phone syncs",
    );
    let (status, body) = api.call("GET", "/v1/me", Some(&console), None);
    assert_eq!((status, &body["code"]), (401, &json!("account_disabled")));
    let (status, body) = api.console_login("qianduo", "qianduo-2026");
    assert_eq!((status, &body["code"]), (401, &json!("account_disabled")));
    refused_with(
        Phone::new(&server.base()).login("qianduo", "qianduo-2026"),
        "account_disabled",
        "a disabled account signs in on another phone",
    );

    // Re-enabled: the same phone works again.
    let (status, body) = api.call(
        "POST",
        &format!("/v1/admin/staff/{id}/enable"),
        Some(&director),
        None,
    );
    assert_eq!((status, &body["state"]), (200, &json!("active")), "{body}");
    phone.sync().expect("syncs again once re-enabled");

    // A reset ends their sessions and forces a new password at sign-in.
    let (status, reset) = api.call(
        "POST",
        &format!("/v1/admin/staff/{id}/reset-password"),
        Some(&director),
        None,
    );
    assert_eq!(status, 200, "{reset}");
    let reset_to = reset["temporary_password"].as_str().unwrap().to_owned();
    refused_with(
        phone.sync(),
        "unauthenticated",
        "a reset ends the phone's session",
    );
    refused_with(
        phone.login("qianduo", &reset_to),
        "password_change_required",
        "after a reset",
    );
    let (status, body) = api.console_login("qianduo", &reset_to);
    assert_eq!(
        (status, &body["code"]),
        (401, &json!("password_change_required"))
    );
    let (status, _) = api.call(
        "POST",
        "/v1/password",
        None,
        Some(json!({"username": "qianduo", "current_password": reset_to, "new_password": "qianduo-2027"})),
    );
    assert_eq!(status, 200);
    phone
        .login("qianduo", "qianduo-2027")
        .expect("signs in after setting their own");
    phone.sync().expect("syncs");

    // Their own change needs the current password, beside the field when wrong.
    let mine = api.console_token("qianduo", "qianduo-2027");
    let (status, body) = api.call(
        "POST",
        "/v1/me/password",
        Some(&mine),
        Some(json!({"current_password": "wrong-one", "new_password": "qianduo-2028"})),
    );
    assert_eq!(
        (status, &body["field"]),
        (422, &json!("current_password")),
        "{body}"
    );

    // The last active director stays one.
    let director_id = rounds_server::demo::staff_id("director");
    let (status, body) = api.call(
        "POST",
        &format!("/v1/admin/staff/{director_id}/disable"),
        Some(&director),
        None,
    );
    assert_eq!((status, &body["code"]), (409, &json!("conflict")), "{body}");
    let (status, _) = api.call(
        "POST",
        &format!("/v1/admin/staff/{director_id}"),
        Some(&director),
        Some(json!({"role": "supervisor"})),
    );
    assert_eq!(status, 409);
    let (status, body) = api.call(
        "POST",
        &format!("/v1/admin/staff/{id}"),
        Some(&director),
        Some(json!({"name": "钱多多", "estates": [ESTATE_A, ESTATE_B]})),
    );
    assert_eq!((status, &body["name"]), (200, &json!("钱多多")), "{body}");

    // Revoked from the office: the phone is refused.
    let device = phone_device["id"].as_str().unwrap();
    let (status, _) = api.call(
        "POST",
        &format!("/v1/devices/{device}/revoke"),
        Some(&director),
        None,
    );
    assert_eq!(status, 200);
    refused_with(phone.sync(), "device_revoked", "a revoked phone");

    // The audit log: newest first, who did what to whom, no password.
    let (status, log) = api.call("GET", "/v1/admin/audit", Some(&director), None);
    assert_eq!(status, 200, "{log}");
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("device_revoked", device),
            ("staff_changed", id.as_str()),
            ("password_changed", id.as_str()),
            ("password_reset", id.as_str()),
            ("staff_enabled", id.as_str()),
            ("staff_disabled", id.as_str()),
            ("password_changed", id.as_str()),
            ("staff_created", id.as_str()),
        ]
    );
    let director_id = director_id.as_str();
    let actors: Vec<&str> = entries
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        actors,
        [
            director_id,
            director_id,
            id.as_str(),
            director_id,
            director_id,
            director_id,
            id.as_str(),
            director_id
        ]
    );
    assert_eq!(entries[7]["actor_name"], "刘洋");
    assert_eq!(entries[7]["detail"]["username"], "qianduo");
    assert_eq!(entries[1]["detail"]["before"]["name"], "钱多");
    assert_eq!(entries[1]["detail"]["after"]["name"], "钱多多");
    let text = log.to_string();
    for secret in [
        temporary.as_str(),
        reset_to.as_str(),
        "qianduo-2026",
        "qianduo-2027",
        "argon2",
    ] {
        assert!(!text.contains(secret), "the audit log holds no password");
    }
    // A page at a time, the next continuing where the last ended.
    let (_, first) = api.call("GET", "/v1/admin/audit?limit=3", Some(&director), None);
    assert_eq!(first["entries"].as_array().unwrap().len(), 3);
    let next = first["next_before"].as_i64().expect("another page");
    let (_, second) = api.call(
        "GET",
        &format!("/v1/admin/audit?limit=3&before={next}"),
        Some(&director),
        None,
    );
    assert_eq!(second["entries"][0]["id"], entries[3]["id"]);
    let (status, _) = api.call("GET", "/v1/admin/audit", Some(&supervisor), None);
    assert_eq!(status, 403, "the audit log is the director's");
}

on_both_backends!(a_director_administers_staff_and_every_change_is_recorded);
