//! A company's own rules and holiday calendar, given to the server as
//! `--rules FILE`: the deadline reception is told for a new request follows
//! the company's working days and its number of them, on the embedded SQLite
//! and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names one); and a file that
//! cannot be used stops the server before it touches any data.

use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Shanghai;
use clap::Parser;
use http_body_util::BodyExt;
use rounds_core::rules::WorkCalendar;
use rounds_server::cli::{Cli, Command as ServerCommand};
use rounds_server::demo::{seed_state, ESTATE_A};
use rounds_server::routes;
use rounds_tests::{server_binary, Backend};
use serde_json::{json, Value};
use tower::ServiceExt;

rounds_tests::on_both_backends!(a_companys_rules_file_sets_the_deadline_of_a_new_request);

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The company's calendar: the next three weekdays after `today` are its
/// holidays (as a company's own days off would be), for this year and next.
fn company_calendar(today: NaiveDate) -> (Value, Vec<NaiveDate>) {
    let holidays: Vec<NaiveDate> = today
        .iter_days()
        .skip(1)
        .filter(|d| !is_weekend(*d))
        .take(3)
        .collect();
    let calendar = json!({
        "name": "公司日历 / the company's calendar",
        "years": [today.year(), today.year() + 1],
        "holidays": holidays.iter().map(|d| json!({
            "date": d.format("%Y-%m-%d").to_string(),
            "name_zh": "公司假日",
            "name_en": "company holiday",
        })).collect::<Vec<_>>(),
    });
    (calendar, holidays)
}

/// The end of the `n`-th day after `from` that is neither a weekend nor one
/// of `holidays`, in Shanghai: counted here by hand, not by the core.
fn end_of_nth_working_day(from: NaiveDate, n: usize, holidays: &[NaiveDate]) -> i64 {
    let last = from
        .iter_days()
        .skip(1)
        .filter(|d| !is_weekend(*d) && !holidays.contains(d))
        .nth(n - 1)
        .unwrap();
    let next = last.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap();
    Shanghai
        .from_local_datetime(&next)
        .unwrap()
        .with_timezone(&Utc)
        .timestamp_millis()
}

fn serve_args(
    backend: &Backend,
    dir: &Path,
    rules: Option<&Path>,
) -> rounds_server::cli::ServeArgs {
    let mut argv = vec![
        "rounds-server".to_string(),
        "serve".into(),
        "--data-dir".into(),
        dir.display().to_string(),
    ];
    if let Some(rules) = rules {
        argv.extend(["--rules".into(), rules.display().to_string()]);
    }
    if let Backend::Postgres { url } = backend {
        argv.extend(["--database".into(), url.clone()]);
    }
    match Cli::try_parse_from(argv).unwrap().command {
        ServerCommand::Serve(args) => args,
        other => panic!("{other:?}"),
    }
}

/// What reception is told when it registers a general repair received at `at`.
fn due_at_for_a_new_request(backend: &Backend, rules: Option<&Path>, at: i64) -> i64 {
    let dir = tempfile::tempdir().unwrap();
    // Opened and seeded before any runtime starts (the PostgreSQL client blocks).
    let state = serve_args(backend, dir.path(), rules).open().unwrap();
    seed_state(&state).unwrap();
    let app = routes::router(state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let call = |path: &str, token: Option<&str>, body: Value| {
        let mut req = Request::post(path).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req.body(Body::from(body.to_string())).unwrap();
        let app = app.clone();
        runtime.block_on(async move {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            let bytes = resp.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        })
    };
    let (status, login) = call(
        "/v1/console/login",
        None,
        json!({"username": "reception", "password": "rounds-demo"}),
    );
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = login["token"].as_str().unwrap().to_owned();
    let (status, saved) = call(
        "/v1/orders",
        Some(&token),
        json!({
            "estate_id": ESTATE_A,
            "unit_id": "e-sunshine-1-1-101",
            "resident_name": "王女士",
            "phone": "13800138000",
            "content": "卧室窗户关不严",
            "category": "general",
            "emergency": false,
            "received_at": at,
        }),
    );
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let due = saved["due_at"].as_i64().unwrap();
    drop(runtime);
    due
}

fn a_companys_rules_file_sets_the_deadline_of_a_new_request(backend: &Backend) {
    let received = Utc::now() - Duration::minutes(5);
    let today = received.with_timezone(&Shanghai).date_naive();
    let (calendar, holidays) = company_calendar(today);
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("calendar.json"), calendar.to_string()).unwrap();
    let rules = files.path().join("rules.json");
    std::fs::write(
        &rules,
        json!({"repairs": {"standard_working_days": 2}, "calendar": "calendar.json"}).to_string(),
    )
    .unwrap();
    let at = received.timestamp_millis();

    let shipped = due_at_for_a_new_request(backend, None, at);
    let company = due_at_for_a_new_request(backend, Some(&rules), at);

    assert_eq!(
        shipped,
        WorkCalendar::china()
            .add_working_days(received, 3, Shanghai)
            .timestamp_millis(),
        "without a file: three working days of the shipped calendar"
    );
    assert_eq!(
        company,
        end_of_nth_working_day(today, 2, &holidays),
        "with the file: two working days, skipping the company's holidays {holidays:?}"
    );
    assert_ne!(company, shipped);
}

#[test]
fn a_rules_file_that_cannot_be_used_stops_the_server_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (text, zh, en) in [
        (
            r#"{"complaints":{"dispatch":"0h"}}"#,
            "complaints.dispatch 必须大于零",
            "complaints.dispatch must be greater than zero",
        ),
        (
            r#"{"repairs":{"standard_workng_days":2}}"#,
            "没有“repairs.standard_workng_days”这一项",
            "there is no setting “repairs.standard_workng_days”",
        ),
        (
            r#"{"calendar":{"name":"x","years":[2027],"makeup_workdays":[{"date":"2027-10-08","name_zh":"调休"}]}}"#,
            "2027-10-08 被列为调休工作日,但不是周六或周日",
            "2027-10-08 is listed as a make-up working day but is not a Saturday or Sunday",
        ),
    ] {
        let rules = dir.path().join("rules.json");
        std::fs::write(&rules, text).unwrap();
        let out = Command::new(server_binary())
            .arg("serve")
            .arg("--data-dir")
            .arg(&data)
            .arg("--rules")
            .arg(&rules)
            .args(["--listen", "127.0.0.1:0"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{text}: {stderr}");
        assert!(stderr.contains(zh), "{text}: {stderr}");
        assert!(stderr.contains(en), "{text}: {stderr}");
        assert!(!data.exists(), "no data directory was made for {text}");
    }
}
