//! Photo uploads: a malformed Content-Range is refused (not a crash), an
//! unfinished upload belongs to the device sending it and is dropped once
//! abandoned, and a blob is served as what its bytes are, never as the type
//! its uploader claimed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rounds_core::blobs::hash_bytes;
use rounds_server::demo::seed_state;
use rounds_server::demo::signature_png::signature_png;
use rounds_server::{routes, AppState, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

struct App {
    app: axum::Router,
    dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

impl App {
    fn demo(limits: Limits) -> App {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path(), limits).unwrap();
        seed_state(&state).unwrap();
        App {
            app: routes::router(state),
            dir,
        }
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A device signed in as `username` (each call is another device).
    async fn device(&self, username: &str) -> String {
        let req = Request::post("/v1/console/login")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"username": username, "password": "rounds-demo"}).to_string(),
            ))
            .unwrap();
        let a = self.send(req).await;
        assert_eq!(a.status, StatusCode::OK);
        a.json()["token"].as_str().unwrap().to_owned()
    }

    async fn put(&self, token: &str, hash: &str, range: &str, mime: &str, chunk: &[u8]) -> Answer {
        let req = Request::put(format!("/v1/blobs/{hash}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-range", range)
            .header("content-type", mime)
            .body(Body::from(chunk.to_vec()))
            .unwrap();
        self.send(req).await
    }

    async fn call(&self, method: &str, token: &str, hash: &str) -> Answer {
        let req = Request::builder()
            .method(method)
            .uri(format!("/v1/blobs/{hash}"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    async fn offset(&self, token: &str, hash: &str) -> u64 {
        let head = self.call("HEAD", token, hash).await;
        assert_eq!(head.status, StatusCode::NOT_FOUND);
        head.header("upload-offset").unwrap().parse().unwrap()
    }

    fn partials(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.dir.path().join("uploads"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    }
}

fn photo(n: usize) -> Vec<u8> {
    // A JPEG's first bytes, then anything.
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..n as u32).map(|i| (i * 7 % 251) as u8));
    bytes
}

fn age(path: &Path, by: Duration) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - by)
        .unwrap();
}

#[tokio::test]
async fn a_content_range_ending_before_it_starts_is_a_bad_range() {
    let app = App::demo(Limits::default());
    let token = app.device("tech").await;
    let bytes = photo(100);
    let hash = hash_bytes(&bytes);
    for range in [
        "bytes 10-5/104",
        "bytes 0-18446744073709551615/104",
        "bytes x-y/z",
    ] {
        let a = app
            .put(&token, &hash, range, "image/jpeg", &bytes[..6])
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{range}");
        assert_eq!(a.json()["code"], "bad_range", "{range}");
    }
    // The server is still there for a good upload.
    let ok = app
        .put(&token, &hash, "bytes 0-103/104", "image/jpeg", &bytes)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["stored"], true);
}

#[tokio::test]
async fn an_unfinished_upload_belongs_to_the_device_that_sent_it() {
    let app = App::demo(Limits::default());
    let (mine, theirs) = (app.device("tech").await, app.device("tech-b").await);
    let bytes = photo(296);
    let hash = hash_bytes(&bytes);
    let first = app
        .put(&mine, &hash, "bytes 0-99/300", "image/jpeg", &bytes[..100])
        .await;
    assert_eq!(first.json()["stored"], false);
    assert_eq!(app.offset(&mine, &hash).await, 100);

    // Another device sees no partial of its own and cannot add to mine.
    assert_eq!(app.offset(&theirs, &hash).await, 0);
    let onto_mine = app
        .put(
            &theirs,
            &hash,
            "bytes 100-299/300",
            "image/jpeg",
            &bytes[100..],
        )
        .await;
    assert_eq!(onto_mine.status, StatusCode::CONFLICT);
    assert_eq!(onto_mine.json()["code"], "wrong_offset");
    let whole = app
        .put(&theirs, &hash, "bytes 0-299/300", "image/jpeg", &bytes)
        .await;
    assert_eq!(whole.json()["stored"], true);

    // Mine is as I left it, and finishes.
    assert_eq!(app.offset(&mine, &hash).await, 100);
    let rest = app
        .put(
            &mine,
            &hash,
            "bytes 100-299/300",
            "image/jpeg",
            &bytes[100..],
        )
        .await;
    assert_eq!(rest.json()["stored"], true);
    assert_eq!(app.call("GET", &mine, &hash).await.body, bytes);
    assert!(app.partials().is_empty(), "{:?}", app.partials());
}

#[tokio::test]
async fn an_upload_abandoned_longer_than_the_limit_is_dropped_when_uploads_happen() {
    let app = App::demo(Limits {
        partial_upload_max_age: Duration::from_secs(3600),
        ..Limits::default()
    });
    let (tech, desk) = (app.device("tech").await, app.device("reception").await);
    let old = photo(196);
    let old_hash = hash_bytes(&old);
    app.put(
        &tech,
        &old_hash,
        "bytes 0-99/200",
        "image/jpeg",
        &old[..100],
    )
    .await;
    let recent = photo(197);
    let recent_hash = hash_bytes(&recent);
    app.put(
        &desk,
        &recent_hash,
        "bytes 0-99/201",
        "image/jpeg",
        &recent[..100],
    )
    .await;
    let partials = app.partials();
    assert_eq!(partials.len(), 2);
    for p in &partials {
        if p.to_string_lossy().contains(&old_hash) {
            age(p, Duration::from_secs(2 * 3600));
        } else {
            age(p, Duration::from_secs(30 * 60));
        }
    }

    // Someone uploads something: the abandoned partial goes, the recent stays.
    let other = photo(50);
    app.put(
        &desk,
        &hash_bytes(&other),
        "bytes 0-53/54",
        "image/jpeg",
        &other,
    )
    .await;
    assert_eq!(app.offset(&tech, &old_hash).await, 0);
    let resumed = app
        .put(
            &tech,
            &old_hash,
            "bytes 100-199/200",
            "image/jpeg",
            &old[100..],
        )
        .await;
    assert_eq!(resumed.status, StatusCode::CONFLICT);
    assert_eq!(resumed.json()["code"], "wrong_offset");
    assert_eq!(app.offset(&desk, &recent_hash).await, 100);
}

#[tokio::test]
async fn a_blob_is_served_as_what_its_bytes_are() {
    let app = App::demo(Limits::default());
    let token = app.device("tech").await;
    let png = signature_png(3);
    let page = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let jpeg = photo(40);
    for (bytes, claimed, served) in [
        (&png, "text/html", "image/png"),
        (&page, "text/html", "application/octet-stream"),
        (&jpeg, "image/svg+xml", "image/jpeg"),
    ] {
        let hash = hash_bytes(bytes);
        let range = format!("bytes 0-{}/{}", bytes.len() - 1, bytes.len());
        let up = app.put(&token, &hash, &range, claimed, bytes).await;
        assert_eq!(up.json()["stored"], true);
        let got = app.call("GET", &token, &hash).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(&got.body, bytes);
        assert_eq!(
            got.header("content-type"),
            Some(served),
            "claimed {claimed}"
        );
        assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    }
}
