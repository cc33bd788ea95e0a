//! A company's own rules and holiday calendar, given to the server as
//! `--rules FILE`: the deadline reception is told for a new request follows
//! the company's working days and its number of them, on the embedded SQLite
//! and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names one); and a file that
//! cannot be used stops the server before it touches any data. The file
//! reaches every phone by sync, so a phone counts the office's deadline; a
//! director's change in the console reaches them the same way, and nobody
//! else, nor a director's phone with rules that do not hold, changes them.

use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Shanghai;
use clap::Parser;
use http_body_util::BodyExt;
use rounds_core::documents::company::{company_rules_id, COMPANY_SCOPE};
use rounds_core::documents::work_order::{Contact, Source, SourceKind, WorkOrderDoc};
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{OrderRequest, Session};
use rounds_core::RecordId;
use rounds_server::cli::{Cli, Command as ServerCommand};
use rounds_server::demo::{seed_state, ESTATE_A};
use rounds_server::office::acting::FixedClock;
use rounds_server::routes;
use rounds_tests::hostile::{outcome, Raw};
use rounds_tests::{get_json, server_binary, Backend, Device, Server};
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

rounds_tests::on_both_backends!(
    the_company_rules_reach_a_phone_which_counts_the_offices_deadlines,
    only_a_director_changes_the_company_rules_and_only_to_rules_that_hold
);

/// The request a phone's reception registers, for a unit of estate A.
fn phone_request() -> OrderRequest {
    OrderRequest {
        id: RecordId::new(),
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "general".into(),
        place: Place {
            estate_id: ESTATE_A.into(),
            unit_id: Some("e-sunshine-1-1-101".into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("王女士".into()),
            phone: Personal("13800138000".into()),
        },
        content: "卧室窗户关不严".into(),
        agreed_due_at: None,
        rework_of: None,
        paid_service: false,
    }
}

/// The deadline the phone sets on a general repair received at `at`, under
/// the rules it holds (the synced company document, or the manuals').
fn due_on_the_phone(phone: &mut Device, at: DateTime<Utc>) -> i64 {
    let staff = phone.staff.clone();
    let mut s = Session::with_clock(
        &mut phone.store,
        staff,
        RulesConfig::default(),
        WorkCalendar::china(),
        Box::new(FixedClock(at)),
    );
    s.follow_company_rules().unwrap();
    let id = s.register_order(&phone_request()).unwrap();
    let order = s.get::<WorkOrderDoc>(&id).unwrap().read().unwrap();
    order.deadline.due_at
}

/// The deadline the office is told for the same request registered at `at`.
fn due_in_the_office(base: &str, token: &str, at: i64) -> i64 {
    let (status, saved) = send_json(
        "POST",
        base,
        token,
        "/v1/orders",
        &json!({
            "estate_id": ESTATE_A, "unit_id": "e-sunshine-1-1-101", "resident_name": "王女士",
            "phone": "13800138000", "content": "卧室窗户关不严", "category": "general",
            "emergency": false, "received_at": at,
        }),
    );
    assert_eq!(status, 201, "{saved}");
    saved["due_at"].as_i64().unwrap()
}

fn send_json(method: &str, base: &str, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let client = reqwest::blocking::Client::new();
    let url = format!("{base}{path}");
    let req = match method {
        "PUT" => client.put(url),
        _ => client.post(url),
    };
    let resp = req.bearer_auth(token).json(body).send().unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

fn token(d: &Device) -> String {
    d.http.token().unwrap().to_owned()
}

fn the_company_rules_reach_a_phone_which_counts_the_offices_deadlines(backend: &Backend) {
    let received = Utc::now() - Duration::minutes(5);
    let at = received.timestamp_millis();
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
    let data = tempfile::tempdir().unwrap();
    let rules_arg = rules.display().to_string();
    let server = Server::start_with(backend, data.path(), &["--rules", &rules_arg]);
    let base = server.base();

    let mut phone = Device::login(&base, "reception");
    let manuals = WorkCalendar::china()
        .add_working_days(received, 3, Shanghai)
        .timestamp_millis();
    assert_eq!(
        due_on_the_phone(&mut phone, received),
        manuals,
        "before its first sync the phone applies the manuals' three working days"
    );

    phone.sync().unwrap();
    let company = end_of_nth_working_day(today, 2, &holidays);
    assert_eq!(
        due_on_the_phone(&mut phone, received),
        company,
        "after sync: two working days, skipping the company's holidays {holidays:?}"
    );
    assert_eq!(due_in_the_office(&base, &token(&phone), at), company);

    // The director changes the number of days in the console: the office
    // counts the new one at once, the phone after its next sync.
    let director = Device::login(&base, "director");
    let (status, answer) = send_json(
        "PUT",
        &base,
        &token(&director),
        "/v1/company/rules",
        &json!({"rules": {"repairs": {"standard_working_days": 4}}}),
    );
    assert_eq!(status, 200, "{answer}");
    let four = end_of_nth_working_day(today, 4, &holidays);
    assert_eq!(due_in_the_office(&base, &token(&phone), at), four);
    assert_eq!(
        due_on_the_phone(&mut phone, received),
        company,
        "not yet synced"
    );
    phone.sync().unwrap();
    assert_eq!(due_on_the_phone(&mut phone, received), four);
}

fn only_a_director_changes_the_company_rules_and_only_to_rules_that_hold(backend: &Backend) {
    let files = tempfile::tempdir().unwrap();
    let rules = files.path().join("rules.json");
    std::fs::write(&rules, r#"{"repairs":{"standard_working_days":2}}"#).unwrap();
    let data = tempfile::tempdir().unwrap();
    let rules_arg = rules.display().to_string();
    let server = Server::start_with(backend, data.path(), &["--rules", &rules_arg]);
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut director = Device::login(&base, "director");
    let mut supervisor = Device::login(&base, "supervisor");
    for d in [&mut tech, &mut director, &mut supervisor] {
        d.sync().unwrap();
    }
    let id = company_rules_id();
    assert!(
        tech.ids().contains(&id),
        "every phone receives the company's rules"
    );

    // A technician's and a supervisor's phones set a setting by hand.
    for (d, role) in [(&tech, "technician"), (&supervisor, "supervisor")] {
        let mut raw = Raw::of(d, &id);
        raw.put(&["rules", "repairs"], "standard_working_days", 9_i64)
            .commit_as(&d.staff.id, role, "set company rules");
        let (status, result) = raw.send(d);
        assert_eq!(status, 200);
        assert_eq!(outcome(&result), "role_may_not", "{role}: {result}");
    }
    // A second company document, made from scratch by a technician.
    let other = RecordId::new();
    let second = Raw::create(
        &other,
        "company_rules",
        &json!({"id": other.to_string(), "kind": "company_rules", "schema": 1, "estate_id": COMPANY_SCOPE,
            "rules": {}, "calendar": {}, "changed_by": tech.staff.id, "changed_at": 1}),
        tech.store.device_id(),
    );
    let mut second = second;
    assert_eq!(outcome(&second.send(&tech).1), "role_may_not");
    // A director's phone, with rules the company could not have loaded.
    let mut raw = Raw::of(&director, &id);
    raw.put(&["rules", "complaints"], "dispatch", "0h")
        .commit_as(&director.staff.id, "director", "set company rules");
    let (_, result) = raw.send(&director);
    assert_eq!(outcome(&result), "malformed", "{result}");
    assert!(
        result["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("complaints.dispatch must be greater than zero"),
        "{result}"
    );
    // Nothing of it reached anyone: the office still counts two days.
    tech.sync().unwrap();
    let s = Session::new(
        &mut tech.store,
        tech.staff.clone(),
        RulesConfig::default(),
        WorkCalendar::china(),
    );
    let held = s.stored_company_rules().unwrap().unwrap().read().unwrap();
    assert_eq!(held.rules.repairs.standard_working_days, 2);
    let (_, office) = get_json(&base, &token(&director), "/v1/company/rules");
    assert_eq!(office["rules"]["repairs"]["standard_working_days"], 2);

    // The console refuses a supervisor, and a director's invalid setting
    // beside its field.
    let change = json!({"rules": {"repairs": {"standard_working_days": 0}}});
    let (status, _) = send_json(
        "PUT",
        &base,
        &token(&supervisor),
        "/v1/company/rules",
        &change,
    );
    assert_eq!(status, 403);
    let (status, refused) = send_json(
        "PUT",
        &base,
        &token(&director),
        "/v1/company/rules",
        &change,
    );
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["field"], "repairs.standard_working_days");
    let typo = json!({"rules": {"repairs": {"standard_workng_days": 3}}});
    let (_, refused) = send_json("PUT", &base, &token(&director), "/v1/company/rules", &typo);
    assert_eq!(
        refused["field"], "repairs.standard_workng_days",
        "{refused}"
    );
}
