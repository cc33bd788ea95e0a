//! The published OpenAPI document lists every JSON route of routes.rs with
//! each of its methods, so office tools built from it can reach them all.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use rounds_server::{routes, AppState, Limits};
use tower::ServiceExt;

const METHODS: [&str; 6] = ["get", "post", "put", "head", "delete", "patch"];

/// (path, method) for every `.route("/v1/…", get(…).post(…))` in routes.rs.
fn routes_in_source() -> Vec<(String, String)> {
    let source = include_str!("../src/routes.rs");
    let mut found = vec![];
    for call in source.split(".route(").skip(1) {
        let Some(path) = call.split('"').nth(1) else {
            continue;
        };
        if !path.starts_with("/v1/") {
            continue; // the console's static pages are not JSON API
        }
        // The handlers run to the close of this .route( call.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(call.len(), |(i, _)| i);
        let handlers = &call[..end];
        for m in METHODS {
            let called = handlers.match_indices(&format!("{m}(")).any(|(i, _)| {
                !handlers[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if called {
                found.push((path.to_owned(), m.to_owned()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_spec_lists_every_route_and_method() {
    let dir = tempfile::tempdir().unwrap();
    let app = routes::router(AppState::open(dir.path(), Limits::default()).unwrap());
    let resp = app
        .oneshot(
            Request::get("/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let spec: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));

    let routes = routes_in_source();
    assert!(routes.len() > 30, "routes.rs was read: {routes:?}");
    let missing: Vec<_> = routes
        .iter()
        .filter(|(path, method)| spec["paths"][path][method].is_null())
        .collect();
    assert!(missing.is_empty(), "not in /v1/openapi.json: {missing:?}");

    // And nothing documented that the server does not route.
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            assert!(
                routes.iter().any(|(p, m)| p == path && m == method),
                "{method} {path} is documented but not routed"
            );
        }
    }
}
