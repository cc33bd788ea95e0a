//! A unit's renovation (seed 003 第6篇), phone and office, on SQLite and
//! PostgreSQL: reception registers the application, the supervisor approves
//! it and issues the permit, reception takes the deposit and issues a
//! worker's pass. The assistant's phone, offline, patrols the works on the
//! renovation checklist and raises debris against the application while the
//! supervisor extends the period at the office; both merge. Reception
//! reports the works finished (acceptance due by the company rules); the
//! assistant fails the acceptance on site, then passes the rectified works;
//! only then is the deposit refunded and the unit's file free of the bar on
//! moving in. A technician's console never sees the worker's ID number.

use chrono::{TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::RecordKind;
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_renovation_runs_from_application_to_refund);

const UNIT: &str = "e-sunshine-1-1-101";
const DAY: i64 = 86_400_000;

fn synced(phone: &mut Device) {
    let summary = phone.sync().unwrap();
    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
}

fn step(console: &Console, path: &str, body: Value) -> Value {
    let (status, v) = console.send(reqwest::Method::POST, path, Some(body));
    assert_eq!(status, 200, "{v}");
    v
}

fn a_renovation_runs_from_application_to_refund(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, dir.path());
    let base = server.base();
    let reception = Console::sign_in(&base, "reception");
    let supervisor = Console::sign_in(&base, "supervisor");
    let now = now_millis();
    // The month's renovation figures: the demo's own applications count
    // too, so the story checks what it adds to them. Acceptance falls due
    // within this month or the next.
    let month_of = |at: i64| {
        Utc.timestamp_millis_opt(at)
            .unwrap()
            .with_timezone(&Shanghai)
            .format("%Y-%m")
            .to_string()
    };
    let report = |month: &str| {
        reception.get(&format!(
            "/v1/reports/monthly?estate={ESTATE_A}&month={month}"
        ))["renovations"]
            .clone()
    };
    let before: std::collections::HashMap<String, Value> = [now, now + 25 * DAY]
        .into_iter()
        .map(|at| (month_of(at), report(&month_of(at))))
        .collect();
    let added = |month: &str, field: &str| {
        report(month)[field].as_i64().unwrap() - before[month][field].as_i64().unwrap()
    };

    let id = RecordId::new();
    let (status, created) = reception.send(
        reqwest::Method::POST,
        "/v1/renovations",
        Some(json!({
            "id": id.to_string(), "estate_id": ESTATE_A, "unit_id": UNIT,
            "owner_name": "王女士", "owner_phone": "13800138000",
            "contractor": "安居装饰公司", "contractor_phone": "021-55501234",
            "work": "厨卫翻新、铺地板", "planned_start": now,
            "planned_end": now + 20 * DAY, "deposit_fen": 200_000,
        })),
    );
    assert_eq!(status, 201, "{created}");
    let path = format!("/v1/renovations/{id}");
    let steps = format!("{path}/steps");

    // Reception registers; the supervisor decides.
    let v = reception.get(&path);
    assert_eq!(v["status"], "applied");
    assert!(!v["may"].as_array().unwrap().contains(&json!("approve")));
    let (status, _) = reception.send(
        reqwest::Method::POST,
        &steps,
        Some(json!({"step": "approve"})),
    );
    assert_eq!(status, 403);
    step(&supervisor, &steps, json!({"step": "approve"}));
    step(
        &supervisor,
        &steps,
        json!({"step": "permit", "permit_no": "ZX-2026-031"}),
    );
    step(&reception, &steps, json!({"step": "take_deposit"}));
    let v = step(
        &reception,
        &steps,
        json!({"step": "pass", "pass_id": "p1", "name": "王建国",
               "id_number": "310101198001011234", "valid_until": now + 20 * DAY}),
    );
    assert_eq!(v["status"], "permitted");
    assert_eq!(v["move_in_barred"], true);
    assert_eq!(v["valid_passes"], 1);
    let file = reception.get(&format!("/v1/units/{UNIT}"));
    assert_eq!(file["move_in_barred"], true, "{file}");

    // A technician sees the pass, not whose ID it is.
    let tech = Console::sign_in(&base, "tech");
    let seen = tech.get(&path);
    assert_eq!(seen["personal_shown"], false);
    assert_eq!(seen["renovation"]["passes"][0]["id_number"], "");
    assert_eq!(seen["renovation"]["owner_phone"], "");

    // The assistant's phone, offline: a renovation patrol of the works.
    let mut phone = Device::login(&base, "assistant");
    synced(&mut phone);
    let patrol = RecordId::new();
    {
        let mut s = phone.session();
        let template = s
            .records(RecordKind::Template)
            .unwrap()
            .into_iter()
            .find(|r| r.category.as_deref() == Some("renovation_patrol"))
            .unwrap();
        let template = RecordId::parse(&template.id).unwrap();
        s.start_renovation_patrol(patrol.clone(), &template, &id, None)
            .unwrap();
        s.record_item(&patrol, "debris", ItemResult::Defect, "楼道堆放装修垃圾")
            .unwrap();
        s.raise_against_renovation(&patrol, RecordId::new(), "debris", now + 2 * DAY)
            .unwrap();
    }
    // Meanwhile the supervisor extends the period at the office.
    step(
        &supervisor,
        &steps,
        json!({"step": "extend", "extension_id": "x1", "until": now + 30 * DAY,
               "reason": "材料延迟到货"}),
    );
    synced(&mut phone);
    let v = reception.get(&path);
    assert_eq!(v["period_end"], now + 30 * DAY);
    assert_eq!(v["patrols"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["patrols"][0]["id"], patrol.to_string());
    assert_eq!(v["patrols"][0]["facts"]["follow_ups"], 1);

    // Finished: acceptance falls due by the rules; the list shows it.
    let v = step(
        &reception,
        &steps,
        json!({"step": "finished", "completion_id": "c1"}),
    );
    assert_eq!(v["status"], "awaiting_acceptance");
    let due = v["acceptance_due_at"].as_i64().unwrap();
    assert!(
        due > now + 7 * DAY,
        "seven working days are more than a week"
    );
    // The demo's own application awaiting acceptance is on the list too.
    let rows = reception.get(&format!("/v1/renovations?estate={ESTATE_A}"));
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.to_string())
        .expect("the application is listed");
    assert_eq!(row["due_at"], due);
    // The deposit waits for a passed acceptance.
    let (status, refused) = reception.send(
        reqwest::Method::POST,
        &steps,
        Some(json!({"step": "refund_deposit"})),
    );
    assert_eq!(status, 422, "{refused}");

    // Acceptance on site, on the phone: failed, then the rectified works pass.
    synced(&mut phone);
    phone
        .session()
        .accept_renovation(&id, "a1", false, "卫生间闭水试验渗漏")
        .unwrap();
    synced(&mut phone);
    assert_eq!(reception.get(&path)["status"], "rectifying");
    step(
        &reception,
        &steps,
        json!({"step": "finished", "completion_id": "c2"}),
    );
    synced(&mut phone);
    phone
        .session()
        .accept_renovation(&id, "a2", true, "")
        .unwrap();
    synced(&mut phone);
    let v = reception.get(&path);
    assert_eq!(
        (&v["status"], &v["move_in_barred"]),
        (&json!("accepted"), &json!(false))
    );
    let v = step(&reception, &steps, json!({"step": "refund_deposit"}));
    assert_eq!(v["status"], "closed");
    let file = reception.get(&format!("/v1/units/{UNIT}"));
    assert_eq!(file["move_in_barred"], false);

    // The monthly report: both acceptances in the month they fell due, on
    // time; the application, the two verdicts and the refund in this month.
    let due_month = month_of(due - 1);
    assert_eq!(
        (
            added(&due_month, "acceptances_due"),
            added(&due_month, "acceptances_on_time")
        ),
        (2, 2),
        "{}",
        report(&due_month)
    );
    let this_month = month_of(now_millis());
    assert_eq!(
        ["applied", "passed", "failed", "deposits_refunded"].map(|f| added(&this_month, f)),
        [1, 1, 1, 1],
        "{}",
        report(&this_month)
    );
}
