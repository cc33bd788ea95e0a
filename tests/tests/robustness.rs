//! A server killed mid-sync or stopped, requests sent twice or out of order,
//! and bad input: each gets a clear answer, and everyone still converges.

use automerge::transaction::Transactable;
use rounds_core::documents::work_order::{OrderDraft, WorkOrderDoc};
use rounds_core::store::DocumentStore;
use rounds_core::sync::{apply_response, build_request, to_base64, SyncResponse};
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::*;
use serde_json::json;

fn register(d: &mut Device, content: &str) -> RecordId {
    let draft = order_draft(ESTATE_A, "e-sunshine-2-1-301", content);
    let mut order =
        WorkOrderDoc::register(&draft, d.store.device_id(), &d.who(now_millis())).unwrap();
    d.store.create(&mut order).unwrap();
    draft.id
}

fn a_server_killed_mid_sync_and_restarted_loses_nothing(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    let mut tech = Device::login(&base, "tech");
    desk.sync().unwrap();
    for i in 0..250 {
        register(&mut desk, &format!("离线登记 {i}"));
    }
    // Sync on another thread and kill the server while it runs.
    let syncing = std::thread::spawn(move || {
        let result = desk.sync();
        (desk, result)
    });
    std::thread::sleep(std::time::Duration::from_millis(150));
    server.kill();
    let (mut desk, first) = syncing.join().unwrap();
    server.restart();
    let second = desk.sync().unwrap();
    assert!(
        second.refused.is_empty(),
        "{:?} then {:?}",
        first.err(),
        second.refused
    );
    tech.sync().unwrap();
    desk.sync().unwrap();
    server.kill();
    assert_converged(&server, &[&desk, &tech]);
}

fn repeated_and_reordered_requests_and_answers_do_no_harm(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    let mut tech = Device::login(&base, "tech");
    desk.sync().unwrap();
    tech.sync().unwrap();
    let token = desk.http.token().unwrap().to_owned();

    let a = register(&mut desk, "第一单");
    let first = serde_json::to_value(build_request(&desk.store, 100).unwrap()).unwrap();
    let (s1, r1) = post_sync(&base, &token, &first);
    let (s2, r2) = post_sync(&base, &token, &first);
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(
        r1["results"], r2["results"],
        "the same request twice gets the same verdicts"
    );

    let b = register(&mut desk, "第二单");
    let second = serde_json::to_value(build_request(&desk.store, 100).unwrap()).unwrap();
    let (_, r3) = post_sync(&base, &token, &second);
    // The older request arrives late, and the answers are taken in reverse order.
    let (_, r4) = post_sync(&base, &token, &first);
    for answer in [r4, r3, r2, r1] {
        let answer: SyncResponse = serde_json::from_value(answer).unwrap();
        apply_response(&mut desk.store, answer).unwrap();
    }
    desk.sync().unwrap();
    tech.sync().unwrap();
    assert!(tech.store.load(&a).is_ok() && tech.store.load(&b).is_ok());
    drop(server);
}

fn bad_input_gets_a_clear_answer_and_disturbs_nothing_else(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(backend, data.path(), &["--max-body-bytes", "200000"]);
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    desk.sync().unwrap();
    let token = desk.http.token().unwrap().to_owned();
    let good = register(&mut desk, "正常报修");
    let mut req = serde_json::to_value(build_request(&desk.store, 100).unwrap()).unwrap();

    // A record written by a newer app: schema 99.
    let future_id = RecordId::new();
    let mut doc = automerge::AutoCommit::new().with_actor(desk.store.device_id().actor());
    for (k, v) in [
        ("id", future_id.to_string()),
        ("kind", "work_order".into()),
        ("estate_id", ESTATE_A.into()),
    ] {
        doc.put(automerge::ROOT, k, v).unwrap();
    }
    doc.put(automerge::ROOT, "schema", 99i64).unwrap();
    doc.commit();
    // What phones send: change chunks (`save_after`), here whole or cut short.
    let future = doc.save_after(&[]);
    let truncated = &desk.store.load(&good).unwrap().changes_since(&[])[..40];
    let docs = req["docs"].as_array_mut().unwrap();
    docs.push(json!({"id": RecordId::new().to_string(), "kind": "work_order", "heads": [], "changes": "!!not base64!!"}));
    docs.push(
        json!({"id": RecordId::new().to_string(), "kind": "spaceship", "heads": [], "changes": ""}),
    );
    docs.push(json!({"id": future_id.to_string(), "kind": "work_order", "heads": [], "changes": to_base64(&future)}));
    docs.push(json!({"id": RecordId::new().to_string(), "kind": "work_order", "heads": [], "changes": to_base64(truncated)}));
    let (status, answer) = post_sync(&base, &token, &req);
    assert_eq!(status, 200);
    let codes: Vec<String> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].as_str().unwrap_or("ok").to_owned())
        .collect();
    assert_eq!(
        codes,
        ["ok", "corrupt", "unknown_kind", "future_schema", "corrupt"]
    );

    // Truncated JSON, an oversized body, no token: each a clear answer.
    let client = reqwest::blocking::Client::new();
    let cut = client
        .post(format!("{base}/v1/sync"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"cursor\": 0, \"do")
        .send()
        .unwrap();
    assert_eq!(cut.status().as_u16(), 400);
    assert_eq!(
        cut.json::<serde_json::Value>().unwrap()["code"],
        "bad_request"
    );
    let huge = json!({"cursor": 0, "docs": [{"id": "x", "kind": "work_order", "heads": [], "changes": "A".repeat(300_000)}]});
    assert_eq!(post_sync(&base, &token, &huge).0, 413);
    assert_eq!(
        post_sync(&base, "not-a-token", &json!({"cursor": 0, "docs": []})).0,
        401
    );

    // The server still works for everyone, and took the good record.
    let mut tech = Device::login(&base, "tech");
    tech.sync().unwrap();
    assert!(tech.store.load(&good).is_ok());
    assert!(tech.store.load(&future_id).is_err());
}

fn a_phone_clock_hours_ahead_is_flagged_and_its_work_kept(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(backend, data.path(), &["--clock-skew-minutes", "30"]);
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    desk.sync().unwrap();
    let token = desk.http.token().unwrap().to_owned();
    let on_time = register(&mut desk, "时间正常");
    // The same phone, its clock set five hours ahead.
    let ahead = RecordId::new();
    let mut draft_ahead = OrderDraft {
        id: ahead.clone(),
        ..order_draft(ESTATE_A, "e-sunshine-2-1-301", "手机时间快了五小时")
    };
    draft_ahead.received_at += 5 * 3_600_000;
    let mut order = WorkOrderDoc::register(
        &draft_ahead,
        desk.store.device_id(),
        &desk.who(now_millis() + 5 * 3_600_000),
    )
    .unwrap();
    desk.store.create(&mut order).unwrap();

    let req = serde_json::to_value(build_request(&desk.store, 100).unwrap()).unwrap();
    let (status, answer) = post_sync(&base, &token, &req);
    assert_eq!(status, 200);
    let warning = |id: &RecordId| {
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.to_string())
            .map(|r| (r["error"].is_null(), r["warning"]["code"].clone()))
            .unwrap()
    };
    assert_eq!(warning(&ahead), (true, json!("clock_skew")));
    // Each half in its own language ("ahead" is not split off as Chinese).
    let said = &answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ahead.to_string())
        .unwrap()["warning"];
    let (zh, en) = (
        said["message_zh"].as_str().unwrap(),
        said["message_en"].as_str().unwrap(),
    );
    assert!(zh.contains("快了") && !zh.contains("ahead"), "{said}");
    assert!(en.contains("ahead") && en.is_ascii(), "{said}");
    assert_eq!(warning(&on_time), (true, serde_json::Value::Null));
    apply_response(&mut desk.store, serde_json::from_value(answer).unwrap()).unwrap();

    let mut tech = Device::login(&base, "tech");
    tech.sync().unwrap();
    assert!(tech.store.load(&ahead).is_ok(), "the work is kept");
}

fn a_stopped_server_ends_its_event_streams_finishes_and_exits(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    let id = register(&mut desk, "停机前登记 / registered before the stop");
    desk.sync().unwrap();
    // An open event stream, as every connected phone keeps one.
    let events = reqwest::blocking::Client::new()
        .get(format!("{base}/v1/events"))
        .bearer_auth(desk.http.token().unwrap())
        .send()
        .unwrap();
    assert_eq!(events.status(), 200);
    let reading = std::thread::spawn(move || {
        let mut events = events;
        let mut seen = vec![];
        // Returns once the server closes the stream.
        let _ = std::io::Read::read_to_end(&mut events, &mut seen);
    });

    let status = server
        .stop(std::time::Duration::from_secs(30))
        .expect("the server exits on SIGTERM, open streams and all");
    assert!(status.success(), "a clean stop: {status}");
    reading.join().unwrap();

    server.restart();
    let mut tech = Device::login(&base, "tech");
    tech.sync().unwrap();
    assert!(tech.store.load(&id).is_ok(), "what was stored is kept");
}

#[test]
fn an_unknown_database_url_is_refused_clearly() {
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(server_binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "mysql://localhost/rounds",
            "--data-dir",
        ])
        .arg(data.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown database"));
}

on_both_backends!(
    a_server_killed_mid_sync_and_restarted_loses_nothing,
    repeated_and_reordered_requests_and_answers_do_no_harm,
    bad_input_gets_a_clear_answer_and_disturbs_nothing_else,
    a_phone_clock_hours_ahead_is_flagged_and_its_work_kept,
    a_stopped_server_ends_its_event_streams_finishes_and_exits,
);
