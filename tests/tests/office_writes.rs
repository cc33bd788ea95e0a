//! The office's write API, in process: what reception and a supervisor see
//! when they register, dispatch and decide, and what they are refused, on
//! the embedded SQLite and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names
//! one; `scripts/test.d/30-postgres.sh` does).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rounds_server::demo::{seed, ESTATE_A, ESTATE_B};
use rounds_server::{routes, AppState, Limits};
use rounds_tests::Backend;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Office {
    app: axum::Router,
    _dir: tempfile::TempDir,
}

impl Office {
    /// The demo company on `backend`, seeded before any runtime starts (the
    /// PostgreSQL client blocks).
    fn demo(backend: &Backend) -> Office {
        let dir = tempfile::tempdir().unwrap();
        let state = match backend {
            Backend::Sqlite => AppState::open(dir.path(), Limits::default()).unwrap(),
            Backend::Postgres { url } => {
                AppState::open_postgres(url, dir.path(), Limits::default()).unwrap()
            }
        };
        state.with_db(seed).unwrap();
        Office {
            app: routes::router(state),
            _dir: dir,
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/v1/console/login",
                None,
                Some(json!({"username": username, "password": "rounds-demo"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }
}

/// Runs a story on `backend`, in its own runtime.
fn run<F: std::future::Future<Output = ()>>(backend: &Backend, story: fn(Office) -> F) {
    let office = Office::demo(backend);
    // The storage outlives the runtime: a PostgreSQL client must not be
    // closed from inside one.
    let keep = office.app.clone();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(story(office));
    drop(keep);
}

rounds_tests::on_both_backends!(
    run = run;
    a_registered_request_can_be_dispatched_and_shows_in_the_list,
    bad_input_is_422_naming_the_field_and_nothing_is_saved,
    another_estate_is_refused_for_writes_and_reads,
    only_a_head_classifies_a_complaint_and_departments_are_checked,
    a_signed_out_console_token_stops_working,
);

fn request(estate: &str, unit: &str) -> Value {
    json!({
        "estate_id": estate,
        "unit_id": unit,
        "resident_name": "王女士",
        "phone": "13800138000",
        "content": "厨房水管漏水",
        "category": "pipe_leak",
        "emergency": false,
    })
}

const UNIT_A: &str = "e-sunshine-1-1-101";

async fn a_registered_request_can_be_dispatched_and_shows_in_the_list(office: Office) {
    let desk = office.login("reception").await;
    let (status, saved) = office
        .call(
            "POST",
            "/v1/orders",
            Some(&desk),
            Some(request(ESTATE_A, UNIT_A)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap();

    let (status, done) = office
        .call(
            "POST",
            &format!("/v1/orders/{id}/dispatch"),
            Some(&desk),
            Some(json!({"assignee": "s-tech"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "dispatched");

    let (_, view) = office
        .call("GET", &format!("/v1/orders/{id}"), Some(&desk), None)
        .await;
    assert_eq!(view["assignee"], "s-tech");
    assert_eq!(view["order"]["content"], "厨房水管漏水");
    let whats: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["create", "dispatched"]);
}

async fn bad_input_is_422_naming_the_field_and_nothing_is_saved(office: Office) {
    let desk = office.login("reception").await;
    let (_, before) = office.call("GET", "/v1/orders", Some(&desk), None).await;
    let cases = [
        ("phone", json!({"phone": "not-a-phone"})),
        ("phone", json!({"phone": ""})),
        ("resident_name", json!({"resident_name": "  "})),
        ("content", json!({"content": ""})),
        ("category", json!({"category": ""})),
        ("unit_id", json!({"unit_id": "e-sunshine-9-9-999"})),
        ("unit_id", json!({"unit_id": null})),
        ("emergency", json!({"emergency": "yes"})),
        ("received_at", json!({"received_at": 4_102_444_800_000i64})),
    ];
    for (field, change) in cases {
        let mut body = request(ESTATE_A, UNIT_A);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = office
            .call("POST", "/v1/orders", Some(&desk), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {err}");
        assert_eq!(err["field"], field, "{err}");
        assert!(!err["message_zh"].as_str().unwrap().is_empty());
        assert!(!err["message_en"].as_str().unwrap().is_empty());
    }
    let (_, after) = office.call("GET", "/v1/orders", Some(&desk), None).await;
    assert_eq!(
        before.as_array().unwrap().len(),
        after.as_array().unwrap().len()
    );

    // Dispatch to someone who does no field work, or to no one.
    let (_, saved) = office
        .call(
            "POST",
            "/v1/orders",
            Some(&desk),
            Some(request(ESTATE_A, UNIT_A)),
        )
        .await;
    let id = saved["id"].as_str().unwrap();
    for assignee in ["s-supervisor", "", "s-tech-b"] {
        let (status, err) = office
            .call(
                "POST",
                &format!("/v1/orders/{id}/dispatch"),
                Some(&desk),
                Some(json!({"assignee": assignee})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], "assignee");
    }
    let (_, view) = office
        .call("GET", &format!("/v1/orders/{id}"), Some(&desk), None)
        .await;
    assert_eq!(
        view["status"], "registered",
        "the refused dispatches left it as it was"
    );
}

async fn another_estate_is_refused_for_writes_and_reads(office: Office) {
    let desk_b = office.login("reception-b").await;
    let (status, err) = office
        .call(
            "POST",
            "/v1/orders",
            Some(&desk_b),
            Some(request(ESTATE_A, UNIT_A)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");

    let desk_a = office.login("reception").await;
    let (_, saved) = office
        .call(
            "POST",
            "/v1/orders",
            Some(&desk_a),
            Some(request(ESTATE_A, UNIT_A)),
        )
        .await;
    let id = saved["id"].as_str().unwrap();
    let (status, _) = office
        .call(
            "POST",
            &format!("/v1/orders/{id}/dispatch"),
            Some(&desk_b),
            Some(json!({"assignee": "s-tech-b"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = office
        .call("GET", &format!("/v1/orders/{id}"), Some(&desk_b), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, board) = office
        .call("GET", "/v1/complaints/board", Some(&desk_b), None)
        .await;
    assert!(board
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["estate_id"] == ESTATE_B));
    let (status, _) = office
        .call(
            "GET",
            &format!("/v1/staff?estate={ESTATE_A}"),
            Some(&desk_b),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn only_a_head_classifies_a_complaint_and_departments_are_checked(office: Office) {
    let desk = office.login("reception").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["subject"] = json!("噪音");
    let (status, saved) = office
        .call("POST", "/v1/complaints", Some(&desk), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap();

    let (status, err) = office
        .call(
            "POST",
            &format!("/v1/complaints/{id}/dispatch"),
            Some(&desk),
            Some(json!({"department": "kitchen"})),
        )
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("department"))
    );
    let (status, done) = office
        .call(
            "POST",
            &format!("/v1/complaints/{id}/dispatch"),
            Some(&desk),
            Some(json!({"department": "security"})),
        )
        .await;
    assert_eq!(
        (status, done["department"].as_str()),
        (StatusCode::OK, Some("security"))
    );

    let (status, _) = office
        .call(
            "POST",
            &format!("/v1/complaints/{id}/classify"),
            Some(&desk),
            Some(json!({"valid": true})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reception may not classify");
    let boss = office.login("supervisor").await;
    let (status, done) = office
        .call(
            "POST",
            &format!("/v1/complaints/{id}/classify"),
            Some(&boss),
            Some(json!({"valid": false})),
        )
        .await;
    assert_eq!(
        (status, done["valid"].as_bool()),
        (StatusCode::OK, Some(false))
    );
}

async fn a_signed_out_console_token_stops_working(office: Office) {
    let desk = office.login("reception").await;
    let (status, _) = office
        .call("POST", "/v1/console/logout", Some(&desk), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = office.call("GET", "/v1/me", Some(&desk), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, err) = office
        .call(
            "POST",
            "/v1/console/login",
            None,
            Some(json!({"username": "reception", "password": ""})),
        )
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("password"))
    );
}
