//! The demo as a new user meets it: seeded on a day in the middle of a month,
//! last month's report is full (every request finished, most on time, some
//! late, a re-repair, complaints settled, home visits done against the
//! quotas), this month is under way up to that day, and reception's list of
//! open orders is mostly in time, with a few late and none weeks late. The
//! same day seeds the same records.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{FixedOffset, TimeZone};
use http_body_util::BodyExt;
use rounds_core::store::Query;
use rounds_core::RecordKind;
use rounds_server::demo::{seed_as_of, ESTATE_A, ESTATE_B};
use rounds_server::{routes, AppState, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

const DAY: i64 = 86_400_000;

/// Wednesday 2026-11-18 15:00 in Shanghai: last month is October, with its
/// National Day week off.
fn today() -> i64 {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 18, 15, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn seeded(today: i64) -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(dir.path(), Limits::default()).unwrap();
    let company = state.company();
    state
        .with_db(|db| seed_as_of(db, &company.rules, &company.calendar, today, None))
        .unwrap();
    (state, dir)
}

fn record_ids(state: &AppState) -> Vec<(String, RecordKind)> {
    state
        .with_db(|db| Ok(db.query(&Query::default())?))
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.kind))
        .collect()
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Value {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn quota_of<'a>(report: &'a Value, staff: &str) -> &'a Value {
    report["quota"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["staff_id"] == staff)
        .unwrap_or_else(|| panic!("{staff} in {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_month_is_complete_this_month_is_under_way_and_little_is_late() {
    let (state, _dir) = seeded(today());
    let app = routes::router(state.clone());
    let login = call(
        &app,
        "POST",
        "/v1/console/login",
        None,
        json!({"username": "director", "password": "rounds-demo"}),
    )
    .await;
    let token = login["token"].as_str().unwrap().to_owned();
    let report_of = |estate: &'static str, month: &'static str| {
        let (app, token) = (app.clone(), token.clone());
        async move {
            let path = format!("/v1/reports/monthly?estate={estate}&month={month}");
            call(&app, "GET", &path, Some(&token), Value::Null).await
        }
    };
    let report = |month| report_of(ESTATE_A, month);

    // The director's other estate, first in the console's list, is not empty either.
    let cuihu = report_of(ESTATE_B, "2026-10").await;
    assert!(cuihu["requests_total"].as_u64().unwrap() >= 10, "{cuihu}");

    let october = report("2026-10").await;
    let total = october["requests_total"].as_u64().unwrap();
    assert!(total >= 15, "a month of requests: {october}");
    // The last days' late ones finished in November.
    let completed = october["completed"].as_u64().unwrap();
    assert!(
        completed * 10 >= total * 9,
        "nearly all finished in the month: {october}"
    );
    let on_time = october["on_time_rate"].as_f64().unwrap();
    assert!(
        (0.7..1.0).contains(&on_time),
        "most on time, some late: {october}"
    );
    assert!(october["rework_count"].as_u64().unwrap() >= 1, "{october}");
    assert!(
        october["complaints_total"].as_u64().unwrap() >= 6,
        "{october}"
    );
    assert_eq!(october["valid_complaints"], 1, "{october}");
    assert_eq!(
        october["revisits_due"], october["revisits_done"],
        "{october}"
    );
    assert!(october["revisits_done"].as_u64().unwrap() > 0, "{october}");
    assert!(october["satisfaction_rate"].as_f64().is_some(), "{october}");
    assert_eq!(quota_of(&october, "s-director")["short_by"], 0, "{october}");
    assert_eq!(
        quota_of(&october, "s-assistant")["short_by"],
        1,
        "{october}"
    );

    let november = report("2026-11").await;
    let (total, completed) = (
        november["requests_total"].as_u64().unwrap(),
        november["completed"].as_u64().unwrap(),
    );
    assert!(completed >= 8 && total > completed, "under way: {november}");
    let done = |staff| quota_of(&november, staff)["done"].as_u64().unwrap();
    // 17 of 30 days gone: about half of each quota.
    assert!((4..=7).contains(&done("s-director")), "{november}");
    assert!((5..=10).contains(&done("s-assistant")), "{november}");

    let open = state
        .with_db(|db| {
            Ok(db.query(&Query {
                kind: Some(RecordKind::WorkOrder),
                estates: Some(vec![ESTATE_A.into()]),
                open: Some(true),
                ..Query::default()
            })?)
        })
        .unwrap();
    let november_1st = FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .unwrap()
        .timestamp_millis();
    for r in &open {
        assert!(
            r.created_at >= november_1st,
            "last month's is all closed: {r:?}"
        );
    }
    let late: Vec<_> = open.iter().filter(|r| r.is_overdue(today())).collect();
    assert!(open.len() >= 20, "{} open", open.len());
    assert!(
        late.len() >= 2 && late.len() * 4 <= open.len(),
        "{} of {} open orders late",
        late.len(),
        open.len()
    );
    for r in &late {
        assert!(r.due_at.unwrap() > today() - 2 * DAY, "weeks late: {r:?}");
    }

    let kinds: Vec<RecordKind> = record_ids(&state).into_iter().map(|(_, k)| k).collect();
    for kind in [
        RecordKind::Estate,
        RecordKind::WorkOrder,
        RecordKind::Complaint,
        RecordKind::Revisit,
        RecordKind::Template,
        RecordKind::Inspection,
        RecordKind::Rectification,
        RecordKind::PatrolRoute,
        RecordKind::PatrolRun,
        RecordKind::KeyCustody,
        RecordKind::DeskLog,
    ] {
        assert!(kinds.contains(&kind), "the demo has a {kind:?}");
    }
}

#[test]
fn the_same_day_seeds_the_same_records() {
    let (a, _da) = seeded(today());
    let (b, _db) = seeded(today());
    assert_eq!(record_ids(&a), record_ids(&b));
    let (c, _dc) = seeded(today() + 40 * DAY);
    assert_ne!(record_ids(&a), record_ids(&c), "another day, another month");
}
