//! The front desk's work log (§7.4) and the departments' status reports
//! (§5.3.2) across the office and a phone, on the embedded SQLite and on
//! PostgreSQL (when `ROUNDS_TEST_POSTGRES` names one): reception writes its
//! shift in the console and passes two matters on; the technician's phone,
//! offline, reports on the engineering one; reception hands over, the
//! supervisor takes over only part of it, and what was not accepted stays
//! open with the day shift; the phone's report merges and leaves only the
//! security matter waiting, on the desk's list and on security's.

use chrono::{TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::desk_log::{DeskLogDoc, DeskLogStatus};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::RecordId;
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_shift_is_handed_over_and_the_departments_report_back);

fn post(c: &Console, path: &str, body: Value) -> (u16, Value) {
    c.send(reqwest::Method::POST, path, Some(body))
}

fn entry(kind: &str, summary: &str, outcome: &str, department: Option<&str>) -> Value {
    json!({
        "id": RecordId::new().to_string(),
        "kind": kind,
        "party": "2-1-102 业主",
        "unit_id": format!("{ESTATE_A}-2-1-102"),
        "summary": summary,
        "outcome": outcome,
        "department": department,
    })
}

/// The rows of `rows` about the log `log` (the demo has logs of its own).
fn ours(rows: Value, log: &str) -> Value {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["log_id"] == log)
        .cloned()
        .collect()
}

fn a_shift_is_handed_over_and_the_departments_report_back(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let desk = Console::sign_in(&base, "reception");
    let today = Utc::now()
        .with_timezone(&Shanghai)
        .format("%Y-%m-%d")
        .to_string();

    let log = RecordId::new().to_string();
    let (status, body) = post(
        &desk,
        "/v1/desk-logs",
        json!({"id": log, "estate_id": ESTATE_A, "date": today, "shift": "day"}),
    );
    assert_eq!(status, 201, "{body}");
    let path = format!("/v1/desk-logs/{log}");

    let visit = entry("visitor", "咨询装修手续", "handled", None);
    let call = entry("call", "业主来电,要求回电说明物业费", "pending", None);
    let leak = entry("matter", "卫生间天花渗水", "passed_on", Some("engineering"));
    let noise = entry("matter", "夜间装修噪音", "passed_on", Some("security"));
    // The demo's own desk logs count in the month's report too: what this
    // story adds is measured against the report before it.
    let month_of = |t: i64| {
        Utc.timestamp_millis_opt(t - 1)
            .unwrap()
            .with_timezone(&Shanghai)
            .format("%Y-%m")
            .to_string()
    };
    let soon = WorkCalendar::china().add_working_days(Utc::now(), 3, Shanghai);
    let report_path = format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={}",
        month_of(soon.timestamp_millis())
    );
    let before = desk.get(&report_path);
    for e in [&visit, &call, &leak, &noise] {
        let (status, body) = post(&desk, &format!("{path}/entries"), e.clone());
        assert_eq!(status, 200, "{body}");
    }
    // A matter passed on without its department is refused beside the
    // field, and nothing of it is kept.
    let (status, body) = post(
        &desk,
        &format!("{path}/entries"),
        entry("matter", "无部门", "passed_on", None),
    );
    assert_eq!((status, body["field"].as_str()), (422, Some("department")));
    let view = desk.get(&path);
    assert_eq!(view["log"]["entries"].as_array().unwrap().len(), 4);
    let passed_at = view["log"]["entries"][2]["at"].as_i64().unwrap();
    let due = WorkCalendar::china()
        .add_working_days(Utc.timestamp_millis_opt(passed_at).unwrap(), 3, Shanghai)
        .timestamp_millis();
    assert_eq!(view["log"]["entries"][2]["report_due_at"], due);

    // The technician's phone takes the log, then reports while offline.
    let mut phone = Device::login(&base, "tech");
    phone.sync().unwrap();
    let log_id = RecordId::parse(&log).unwrap();
    let leak_id = leak["id"].as_str().unwrap().to_owned();
    {
        let mut s = Session::new(
            &mut phone.store,
            phone.staff.clone(),
            RulesConfig::default(),
            WorkCalendar::china(),
        );
        s.report_desk_status(
            &log_id,
            "tech-report-1",
            &leak_id,
            "楼上管道渗漏,已约明日维修",
            false,
        )
        .unwrap();
    }
    let engineering = Console::sign_in(&base, "tech");
    let waiting = ours(engineering.get("/v1/desk-reports"), &log);
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    assert_eq!(waiting[0]["entry"], leak["id"]);
    assert_eq!(waiting[0]["overdue"], false);

    // Reception hands over: every open item, listed by core.
    let (status, body) = post(
        &desk,
        &format!("{path}/hand-over"),
        json!({"note": "噪音请跟进"}),
    );
    assert_eq!(status, 200, "{body}");
    let outstanding: Vec<&Value> = body["log"]["outstanding"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(outstanding, [&call["id"], &leak["id"], &noise["id"]]);
    assert_eq!(body["may_take_over"], false, "not by the one handing over");
    let next = RecordId::new().to_string();
    let take = json!({"accepted": [], "next_id": next, "date": today, "shift": "night"});
    let (status, _) = post(&desk, &format!("{path}/take-over"), take);
    assert!(status >= 400);

    // The supervisor takes over the call and the leak, not the noise.
    let head = Console::sign_in(&base, "supervisor");
    let take = json!({
        "accepted": [call["id"], leak["id"]],
        "next_id": next, "date": today, "shift": "night",
    });
    let (status, body) = post(&head, &format!("{path}/take-over"), take);
    assert_eq!(status, 201, "{body}");
    let day = head.get(&path);
    assert_eq!(day["status"], "taken_over");
    assert_eq!(day["unaccepted"], json!([noise["id"]]));
    let night = head.get(&format!("/v1/desk-logs/{next}"));
    assert_eq!(night["open_items"], json!([call["id"], leak["id"]]));
    let rows = head.get(&format!("/v1/desk-logs?estate={ESTATE_A}"));
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == log.as_str())
        .unwrap();
    assert_eq!(
        row["open"], true,
        "what was not accepted keeps the day open"
    );

    // The phone comes back: its report merges with the handover.
    phone.sync().unwrap();
    let day = desk.get(&path);
    assert_eq!(day["log"]["reports"][0]["by"], "s-tech");
    assert_eq!(day["awaiting_reports"].as_array().unwrap().len(), 1);
    assert_eq!(day["awaiting_reports"][0]["entry"], noise["id"]);
    assert_eq!(ours(engineering.get("/v1/desk-reports"), &log), json!([]));
    let security = ours(
        Console::sign_in(&base, "security").get("/v1/desk-reports"),
        &log,
    );
    assert_eq!(security.as_array().unwrap().len(), 1);
    assert_eq!(security[0]["department"], "security");
    assert_eq!(
        ours(desk.get("/v1/desk-reports"), &log)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The month the reports fall due counts them; engineering's came in time.
    assert!(report_path.ends_with(&month_of(due)));
    let report = desk.get(&report_path);
    let grew = |figure: &str| report[figure].as_i64().unwrap() - before[figure].as_i64().unwrap();
    assert_eq!(grew("desk_reports_due"), 2, "{before} -> {report}");
    assert_eq!(grew("desk_reports_on_time"), 1, "{before} -> {report}");

    // And the phone holds the handover beside its own report.
    let merged = phone
        .store
        .get::<DeskLogDoc>(&log_id)
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(merged.status(), DeskLogStatus::TakenOver);
    assert_eq!(merged.reports.len(), 1);
}
