//! Every refusal is JSON `{code, message, message_zh, message_en, field}`,
//! axum's own (bad JSON, wrong content type, bad path or query, a body over
//! the limit, an unknown route, a wrong method) included; and an id of a
//! record of another kind is "not found", not an internal error.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use rounds_server::demo::seed_state;
use rounds_server::{routes, AppState, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

struct App {
    app: axum::Router,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
    text: String,
}

impl App {
    fn demo(limits: Limits) -> App {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path(), limits).unwrap();
        seed_state(&state).unwrap();
        App {
            app: routes::router(state),
            _dir: dir,
        }
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    async fn login(&self, username: &str) -> String {
        let req = Request::post("/v1/console/login")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"username": username, "password": "rounds-demo"}).to_string(),
            ))
            .unwrap();
        let a = self.send(req).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.body["token"].as_str().unwrap().to_owned()
    }
}

/// The answer is the JSON every error is, with this status and code.
fn assert_error(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status.as_u16(), status, "{}", a.text);
    assert_eq!(
        a.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "{}",
        a.text
    );
    assert_eq!(a.body["code"], code, "{}", a.text);
    let (zh, en) = (
        a.body["message_zh"].as_str().unwrap(),
        a.body["message_en"].as_str().unwrap(),
    );
    assert!(!zh.is_empty() && !en.is_empty(), "{}", a.text);
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "a Chinese message: {}",
        a.text
    );
    assert!(
        a.body["message"].as_str().unwrap().contains(" / "),
        "中文 / English: {}",
        a.text
    );
    assert!(a.body.get("field").is_some(), "{}", a.text);
}

#[tokio::test]
async fn axums_own_rejections_are_answered_as_json_errors() {
    let app = App::demo(Limits {
        max_body_bytes: 10_000,
        ..Limits::default()
    });
    let token = app.login("reception").await;
    let bearer = format!("Bearer {token}");

    // No such route, and a route asked with a method it does not take.
    assert_error(
        &app.call("GET", "/v1/nowhere", Some(&token)).await,
        404,
        "not_found",
    );
    assert_error(
        &app.call("GET", "/no/such/page", None).await,
        404,
        "not_found",
    );
    assert_error(
        &app.call("GET", "/console/missing.js", None).await,
        404,
        "not_found",
    );
    let wrong = app.call("DELETE", "/v1/orders", Some(&token)).await;
    assert_error(&wrong, 405, "method_not_allowed");
    let allow = wrong.headers.get(header::ALLOW).unwrap().to_str().unwrap();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");

    // A JSON body that is not JSON, and one sent as something else.
    let cut = Request::post("/v1/login")
        .header("content-type", "application/json")
        .body(Body::from("{\"username\": \"tech\", \"pass"))
        .unwrap();
    assert_error(&app.send(cut).await, 400, "bad_request");
    let as_text = Request::post("/v1/login")
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    assert_error(&app.send(as_text).await, 415, "unsupported_media_type");

    // A bad query and a path that is not text.
    assert_error(
        &app.call("GET", "/v1/orders?overdue=perhaps", Some(&token))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.call("GET", "/v1/reports/monthly?month=2026-01", Some(&token))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.call("GET", "/v1/orders/%FF%FE", Some(&token)).await,
        400,
        "bad_request",
    );

    // Bodies over the limit: an office form, a blob chunk, a login.
    let big = "x".repeat(20_000);
    let form = Request::post("/v1/orders")
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(Body::from(json!({ "content": big }).to_string()))
        .unwrap();
    assert_error(&app.send(form).await, 413, "too_large");
    let hash = "a".repeat(64);
    let chunk = Request::put(format!("/v1/blobs/{hash}"))
        .header("authorization", &bearer)
        .body(Body::from(big.clone()))
        .unwrap();
    assert_error(&app.send(chunk).await, 413, "too_large");
    let login = Request::post("/v1/login")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "username": big }).to_string()))
        .unwrap();
    assert_error(&app.send(login).await, 413, "too_large");
}

#[tokio::test]
async fn an_id_of_another_kind_of_record_is_not_found() {
    let app = App::demo(Limits::default());
    let token = app.login("supervisor").await;
    let complaints = app.call("GET", "/v1/complaints", Some(&token)).await;
    let complaint = complaints.body[0]["id"].as_str().unwrap().to_owned();
    let orders = app.call("GET", "/v1/orders", Some(&token)).await;
    let order = orders.body[0]["id"].as_str().unwrap().to_owned();

    assert_error(
        &app.call("GET", &format!("/v1/orders/{complaint}"), Some(&token))
            .await,
        404,
        "not_found",
    );
    for path in [
        format!("/v1/orders/{complaint}/dispatch"),
        format!("/v1/orders/{complaint}/refuse"),
        format!("/v1/orders/{complaint}/review"),
        format!("/v1/orders/{complaint}/resolve-conflict"),
        format!("/v1/orders/{complaint}/extensions/ext-1/decision"),
        format!("/v1/orders/{complaint}/extensions/ext-1/consent"),
        format!("/v1/complaints/{order}/dispatch"),
        format!("/v1/complaints/{order}/classify"),
    ] {
        // A body each form accepts, so only the id is wrong.
        let form = json!({"to": "completed", "reason": "理由 / why", "comment": "好 / fine",
            "approve": true, "consent": true, "assignee": "s-tech",
            "department": "engineering", "valid": true});
        let req = Request::post(&path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(form.to_string()))
            .unwrap();
        assert_error(&app.send(req).await, 404, "not_found");
    }
    // The right kind is still found.
    let found = app
        .call("GET", &format!("/v1/orders/{order}"), Some(&token))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
}

#[tokio::test]
async fn a_fault_is_answered_with_a_fixed_message_and_nothing_of_the_database() {
    use axum::response::IntoResponse;
    let fault = rounds_server::AppError::Internal(
        "PostgreSQL: relation \"record_index\" violates unique constraint on 13800138000".into(),
    );
    let resp = fault.into_response();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["code"], "internal");
    assert!(body["message_zh"]
        .as_str()
        .unwrap()
        .contains("服务器内部错误"));
    for leak in ["PostgreSQL", "record_index", "13800138000"] {
        assert!(!text.contains(leak), "{leak} reached the client: {text}");
    }
}
