//! Guessing passwords: after five wrong ones a username is locked for a
//! while (429 with Retry-After, even for the right password), doubling with
//! each further failure; other people elsewhere sign in as usual; and an
//! unknown username costs the same argon2 verification as a known one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use rounds_core::DeviceId;
use rounds_server::demo::seed_state;
use rounds_server::phone::login_throttle::ManualClock;
use rounds_server::{routes, AppState, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

struct App {
    state: AppState,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: Value,
}

const PHONE_A: &str = "10.1.0.7:50000";
const PHONE_B: &str = "10.2.0.9:50000";

impl App {
    fn demo() -> App {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::default());
        let state = AppState::open(dir.path(), Limits::default())
            .unwrap()
            .with_login_clock(clock.clone());
        seed_state(&state).unwrap();
        App {
            state,
            clock,
            _dir: dir,
        }
    }

    async fn post(&self, path: &str, from: &str, body: Value) -> Answer {
        let mut req = Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        // As `into_make_service_with_connect_info` gives it.
        let addr: SocketAddr = from.parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        let resp = routes::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().parse().unwrap());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            retry_after,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// A phone's sign-in.
    async fn phone(&self, from: &str, username: &str, password: &str) -> Answer {
        let device = DeviceId::new();
        self.post(
            "/v1/login",
            from,
            json!({"username": username, "password": password, "device_id": device,
                   "device_name": "phone", "device_public_key": "ab"}),
        )
        .await
    }

    async fn console(&self, from: &str, username: &str, password: &str) -> Answer {
        self.post(
            "/v1/console/login",
            from,
            json!({"username": username, "password": password}),
        )
        .await
    }
}

#[tokio::test]
async fn the_sixth_wrong_password_locks_the_username_even_for_the_right_one() {
    let app = App::demo();
    for _ in 0..5 {
        let a = app.phone(PHONE_A, "tech", "guess").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.body["code"], "bad_login");
    }
    let locked = app.phone(PHONE_A, "tech", "rounds-demo").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.body["code"], "too_many_attempts");
    assert_eq!(locked.retry_after, Some(60));
    assert!(locked.body["message"].as_str().unwrap().contains(" / "));
    // The console is the same door: the same username is locked there too,
    // from anywhere.
    let console = app.console(PHONE_B, "tech", "rounds-demo").await;
    assert_eq!(console.status, StatusCode::TOO_MANY_REQUESTS);

    // Someone else, from another address, signs in as usual.
    let other = app.phone(PHONE_B, "supervisor", "rounds-demo").await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);

    // Once the lock is over the right password works, and clears the count.
    app.clock.advance(Duration::from_secs(61));
    let back = app.console(PHONE_A, "tech", "rounds-demo").await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    for _ in 0..4 {
        assert_eq!(
            app.phone(PHONE_A, "tech", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.phone(PHONE_A, "tech", "rounds-demo").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn each_failure_after_a_lock_doubles_it() {
    let app = App::demo();
    for _ in 0..5 {
        app.console(PHONE_A, "reception", "guess").await;
    }
    assert_eq!(
        app.console(PHONE_A, "reception", "guess").await.retry_after,
        Some(60)
    );
    app.clock.advance(Duration::from_secs(61));
    assert_eq!(
        app.console(PHONE_A, "reception", "guess").await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.console(PHONE_A, "reception", "rounds-demo").await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.retry_after, Some(120));
}

#[tokio::test]
async fn one_address_guessing_many_usernames_is_locked_too() {
    let app = App::demo();
    for i in 0..20 {
        let a = app.console(PHONE_A, &format!("nobody{i}"), "guess").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app.console(PHONE_A, "director", "rounds-demo").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = app.console(PHONE_B, "director", "rounds-demo").await;
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_username_is_checked_against_a_password_hash_like_a_known_one() {
    let app = App::demo();
    let logins = app.state.logins.clone();
    let before = logins.verifications();
    let wrong = app.console(PHONE_A, "tech", "guess").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(logins.verifications(), before + 1);

    let unknown = app.console(PHONE_A, "no-such-user", "guess").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.body["code"], wrong.body["code"],
        "the same answer as a wrong password"
    );
    assert_eq!(
        logins.verifications(),
        before + 2,
        "an argon2 verification ran for the unknown username too"
    );
    let phone = app.phone(PHONE_A, "no-such-user-either", "guess").await;
    assert_eq!(phone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(logins.verifications(), before + 3);
}
