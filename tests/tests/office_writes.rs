//! The office's write API, in process: what reception and a supervisor see
//! when they register, dispatch and decide, and what they are refused, on
//! the embedded SQLite and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names
//! one; `scripts/test.d/30-postgres.sh` does).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rounds_core::documents::complaint::{ComplaintDoc, ComplaintDraft};
use rounds_core::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason};
use rounds_core::documents::work_order::Contact;
use rounds_core::documents::{Record, Who};
use rounds_core::places::Personal;
use rounds_core::places::Place;
use rounds_core::store::Created;
use rounds_core::{DeviceId, RecordId, Role};
use rounds_server::demo::{seed_state, staff_id, ESTATE_A, ESTATE_B};
use rounds_server::{routes, AppState, Limits};
use rounds_tests::Backend;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Office {
    app: axum::Router,
    state: AppState,
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
        seed_state(&state).unwrap();
        Office {
            app: routes::router(state.clone()),
            state,
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
    the_monthly_report_does_not_owe_a_cancelled_revisit,
    every_code_the_office_is_sent_has_words,
    a_complaint_goes_from_the_desk_to_closed_with_its_revisit_before_the_report_back,
    a_returned_order_says_why_and_is_closed,
    an_extension_is_asked_for_at_the_desk_and_waits_for_its_approver,
    an_emergency_is_told_escalated_reported_and_verified_and_the_page_offers_only_what_may_be_done,
    a_home_visit_planned_at_the_office_counts_against_what_is_left_to_plan,
    the_months_complaint_sample_is_drawn_once,
    a_differing_account_sends_an_administrator_and_a_promised_reply_is_given,
    a_head_sets_the_deadline_of_a_head_set_category_once,
    a_head_reviews_a_patrol_and_follows_its_notices_through_re_inspection,
    a_call_back_about_a_repaired_fault_is_registered_as_its_rework,
    a_complaints_repair_is_registered_for_it_at_its_place,
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
    refused_at(status, &err, "department");
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
    refused_at(status, &err, "password");
}

/// A home visit as a phone plans it (and, when `cancel`, as a head cancels
/// it), stored the way a sync stores it.
async fn phone_home_visit(office: &Office, due_at: i64, cancel: bool) {
    let device = DeviceId::new();
    let who = |role, staff: &str| Who {
        staff_id: staff_id(staff),
        role,
        device_id: device,
        at: due_at - 86_400_000,
    };
    let mut visit = RevisitDoc::plan(
        &RevisitPlan {
            id: RecordId::new(),
            reason: RevisitReason::HomeVisit,
            subject_id: None,
            place: Place {
                estate_id: ESTATE_A.into(),
                unit_id: Some(format!("{ESTATE_A}-2-1-102")),
                common_area_id: None,
                detail: String::new(),
            },
            assignee: staff_id("assistant"),
            planned_method: Method::InPerson,
            due_at,
        },
        device,
        &who(Role::Supervisor, "supervisor"),
    )
    .unwrap();
    if cancel {
        visit
            .cancel("业主已搬走", &who(Role::Supervisor, "supervisor"))
            .unwrap();
    }
    let mut doc = visit.into_record();
    let created = office
        .state
        .db(move |db| Ok(db.create_doc(&mut doc)?))
        .await
        .unwrap();
    assert_eq!(created, Created::New);
}

/// June 2030's revisits owed in estate A, and the share of them done.
async fn revisits_owed(office: &Office, token: &str) -> (Option<u64>, Option<f64>) {
    let path = format!("/v1/reports/monthly?estate={ESTATE_A}&month=2030-06");
    let (status, r) = office.call("GET", &path, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    (
        r["revisits_due"].as_u64(),
        r["revisit_handling_rate"].as_f64(),
    )
}

/// The office's monthly report counts revisits owed as the phone's does: a
/// cancelled one is not owed, so it cannot hold the handling rate down.
async fn the_monthly_report_does_not_owe_a_cancelled_revisit(office: Office) {
    let boss = office.login("supervisor").await;
    // 2030-06-10 09:00 in Shanghai: a month no demo record falls in.
    let june = 1_907_283_600_000;
    assert_eq!(revisits_owed(&office, &boss).await, (Some(0), None));
    phone_home_visit(&office, june, false).await;
    assert_eq!(revisits_owed(&office, &boss).await, (Some(1), Some(0.0)));
    phone_home_visit(&office, june, true).await;
    assert_eq!(revisits_owed(&office, &boss).await, (Some(1), Some(0.0)));
}

/// Every status, stage, clock, category and role the office is sent has
/// words in `GET /v1/labels`, so the console never shows a bare code.
async fn every_code_the_office_is_sent_has_words(office: Office) {
    let boss = office.login("director").await;
    let (status, labels) = office.call("GET", "/v1/labels", None, None).await;
    assert_eq!(status, StatusCode::OK, "{labels}");
    let has = |table: &Value, code: &str| {
        table
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == code && e["zh"].as_str().is_some_and(|z| !z.is_empty()))
    };
    let statuses_of = |kind: &str| {
        labels["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == kind)
            .unwrap_or_else(|| panic!("no statuses for {kind}"))["statuses"]
            .clone()
    };
    let mut checked = 0;
    for (path, kind) in [
        ("/v1/orders", "work_order"),
        ("/v1/complaints", "complaint"),
        ("/v1/revisits", "revisit"),
    ] {
        let (_, rows) = office.call("GET", path, Some(&boss), None).await;
        for r in rows.as_array().unwrap() {
            let code = r["status"].as_str().unwrap();
            assert!(
                code == "conflict" || has(&statuses_of(kind), code),
                "{kind} status {code}"
            );
            if kind == "work_order" {
                let category = r["category"].as_str().unwrap();
                assert!(has(&labels["categories"], category), "category {category}");
            }
            checked += 1;
        }
    }
    let (_, board) = office
        .call("GET", "/v1/complaints/board", Some(&boss), None)
        .await;
    for c in board.as_array().unwrap() {
        assert!(has(&labels["stages"], c["stage"].as_str().unwrap()), "{c}");
        for k in c["clocks"].as_array().unwrap() {
            assert!(has(&labels["clocks"], k["kind"].as_str().unwrap()), "{k}");
        }
        checked += 1;
    }
    let (_, staff) = office
        .call(
            "GET",
            &format!("/v1/staff?estate={ESTATE_A}"),
            Some(&boss),
            None,
        )
        .await;
    for p in staff.as_array().unwrap() {
        assert!(has(&labels["roles"], p["role"].as_str().unwrap()), "{p}");
    }
    assert!(checked > 10, "the demo has records to check ({checked})");
}

/// A 422 that names `field`, as the console shows it beside the field.
#[track_caller]
fn refused_at(status: StatusCode, err: &Value, field: &str) {
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
        "{err}"
    );
}

async fn post(office: &Office, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    office.call("POST", path, Some(token), Some(body)).await
}

async fn a_complaint_goes_from_the_desk_to_closed_with_its_revisit_before_the_report_back(
    office: Office,
) {
    let desk = office.login("reception").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["subject"] = json!("楼道漏水");
    let (status, saved) = post(&office, &desk, "/v1/complaints", body).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap().to_owned();
    let at = |step: &str| format!("/v1/complaints/{id}/{step}");

    let (status, _) = post(
        &office,
        &desk,
        &at("dispatch"),
        json!({"department": "engineering"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // An empty answer is refused beside its field; nothing moves.
    let (status, err) = post(&office, &desk, &at("answer"), json!({"text": "  "})).await;
    refused_at(status, &err, "text");
    let (status, done) = post(
        &office,
        &desk,
        &at("answer"),
        json!({"text": "工程部今日上门"}),
    )
    .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("dispatched")),
        "{done}"
    );
    // Closing before the work is done is refused as a conflict.
    let (status, err) = post(&office, &desk, &at("close"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(
        err["message_zh"].as_str().is_some_and(|m| !m.is_empty()),
        "{err}"
    );

    let (status, done) = post(
        &office,
        &desk,
        &at("resolve"),
        json!({"text": "已更换楼道水管"}),
    )
    .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("resolved")),
        "{done}"
    );
    // The desk calls the resident before the department's report-back is logged.
    let revisit = RecordId::derived(&RecordId::parse(&id).unwrap(), "revisit");
    let (status, err) = post(
        &office,
        &desk,
        &format!("/v1/revisits/{revisit}/phone"),
        json!({"satisfaction": "fine"}),
    )
    .await;
    refused_at(status, &err, "satisfaction");
    let (status, done) = post(
        &office,
        &desk,
        &format!("/v1/revisits/{revisit}/phone"),
        json!({"satisfaction": "satisfied", "comments": "已修好"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "done");
    assert_eq!(done["subject_id"], id.as_str());

    let (status, done) = post(&office, &desk, &at("report-back"), json!({})).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("revisited")),
        "{done}"
    );
    let (status, done) = post(&office, &desk, &at("close"), json!({})).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{done}"
    );
}

async fn a_returned_order_says_why_and_is_closed(office: Office) {
    let desk = office.login("reception").await;
    let head = office.login("supervisor").await;
    let (_, saved) = post(&office, &desk, "/v1/orders", request(ESTATE_A, UNIT_A)).await;
    let id = saved["id"].as_str().unwrap().to_owned();

    // Reception may not return an order; a head must give the reason.
    let (status, _) = post(
        &office,
        &desk,
        &format!("/v1/orders/{id}/return"),
        json!({"reason": "非物业维修范围"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = post(
        &office,
        &head,
        &format!("/v1/orders/{id}/return"),
        json!({"reason": ""}),
    )
    .await;
    refused_at(status, &err, "reason");
    let (status, done) = post(
        &office,
        &head,
        &format!("/v1/orders/{id}/return"),
        json!({"reason": "非物业维修范围,已告知住户联系厂家"}),
    )
    .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{done}"
    );

    let (_, view) = office
        .call("GET", &format!("/v1/orders/{id}"), Some(&desk), None)
        .await;
    let events = view["order"]["events"].as_array().unwrap();
    assert_eq!(
        events.last().unwrap()["reason"],
        "非物业维修范围,已告知住户联系厂家"
    );
    let (status, done) = post(&office, &desk, &format!("/v1/orders/{id}/close"), json!({})).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{done}"
    );
}

async fn an_extension_is_asked_for_at_the_desk_and_waits_for_its_approver(office: Office) {
    let desk = office.login("reception").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["category"] = json!("general");
    let (_, saved) = post(&office, &desk, "/v1/orders", body).await;
    let id = saved["id"].as_str().unwrap().to_owned();
    let due = saved["due_at"].as_i64().unwrap();

    let path = format!("/v1/orders/{id}/extensions");
    let (status, err) = post(&office, &desk, &path, json!({"reason": "等配件"})).await;
    refused_at(status, &err, "requested_due_at");
    let ext = RecordId::new().to_string();
    let ask = json!({"id": ext, "requested_due_at": due + 2 * 86_400_000, "reason": "等配件到货"});
    let (status, done) = post(&office, &desk, &path, ask.clone()).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    // A retried submit asks once.
    let (status, _) = post(&office, &desk, &path, ask).await;
    assert!(
        status.is_success() || status == StatusCode::CONFLICT,
        "{status}"
    );

    let head = office.login("supervisor").await;
    let (_, pending) = office
        .call("GET", "/v1/extensions", Some(&head), None)
        .await;
    let mine: Vec<&Value> = pending
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["order_id"] == id.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{pending}");
    let (_, view) = office
        .call("GET", &format!("/v1/orders/{id}"), Some(&desk), None)
        .await;
    assert_eq!(
        view["order"]["deadline"]["due_at"].as_i64(),
        Some(due),
        "the deadline waits for the approval"
    );
}

async fn an_emergency_is_told_escalated_reported_and_verified_and_the_page_offers_only_what_may_be_done(
    office: Office,
) {
    let desk = office.login("reception").await;
    let head = office.login("supervisor").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["subject"] = json!("地下室水管爆裂");
    body["emergency"] = json!(true);
    let (status, saved) = post(&office, &desk, "/v1/complaints", body).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap().to_owned();
    let at = |step: &str| format!("/v1/complaints/{id}/{step}");
    let view = |token: String| {
        let path = format!("/v1/complaints/{id}");
        let office = &office;
        async move {
            let (status, v) = office.call("GET", &path, Some(&token), None).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            v
        }
    };
    let steps = |v: &Value| -> Vec<String> {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };

    let v = view(desk.clone()).await;
    assert_eq!(steps(&v), ["notify_departments", "dispatch"], "{v}");
    let (status, _) = post(&office, &desk, &at("notify-departments"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let v = view(desk.clone()).await;
    assert!(v["complaint"]["departments_notified_at"].is_i64(), "{v}");
    let told = v["board"]["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "notify_departments")
        .cloned()
        .unwrap();
    assert_eq!(told["state"], "met", "{v}");
    assert!(!steps(&v).contains(&"notify_departments".to_owned()));

    // The front desk does not escalate; the level must be one there is.
    let (status, _) = post(&office, &desk, &at("escalate"), json!({"level": "site"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = post(&office, &head, &at("escalate"), json!({"level": "city"})).await;
    refused_at(status, &err, "level");
    let (status, _) = post(&office, &head, &at("escalate"), json!({"level": "site"})).await;
    assert_eq!(status, StatusCode::OK);
    let v = view(head.clone()).await;
    assert!(steps(&v).contains(&"site_report".to_owned()), "{v}");
    assert!(steps(&v).contains(&"escalate_company".to_owned()), "{v}");
    let (status, err) = post(
        &office,
        &head,
        &at("written-report"),
        json!({"level": "site", "text": ""}),
    )
    .await;
    refused_at(status, &err, "text");
    let (status, _) = post(
        &office,
        &head,
        &at("written-report"),
        json!({"level": "site", "text": "主阀门老化爆裂,已关阀抢修"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Verification waits for the work to be done.
    let (status, err) = post(&office, &desk, &at("verify"), json!({"text": "现场已恢复"})).await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("verification")),
        "{err}"
    );
    post(
        &office,
        &desk,
        &at("dispatch"),
        json!({"department": "engineering"}),
    )
    .await;
    let (status, _) = post(
        &office,
        &desk,
        &at("resolve"),
        json!({"text": "更换主阀门"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post(&office, &desk, &at("verify"), json!({"text": "现场已恢复"})).await;
    assert_eq!(status, StatusCode::OK);
    let v = view(desk.clone()).await;
    assert_eq!(v["complaint"]["verification"], "现场已恢复");
    assert_eq!(v["complaint"]["site_report"], "主阀门老化爆裂,已关阀抢修");
    assert!(steps(&v).contains(&"report_back".to_owned()), "{v}");
    assert!(!steps(&v).contains(&"verify".to_owned()), "{v}");

    // Another estate's desk cannot read it.
    let desk_b = office.login("reception-b").await;
    let (status, _) = office
        .call("GET", &format!("/v1/complaints/{id}"), Some(&desk_b), None)
        .await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
}

async fn a_home_visit_planned_at_the_office_counts_against_what_is_left_to_plan(office: Office) {
    let boss = office.login("supervisor").await;
    // 2030-06-10 09:00 in Shanghai: a month no demo record falls in.
    let june = 1_907_283_600_000_i64;
    let assistant = staff_id("assistant");
    let visit = |assignee: &str, unit: Option<&str>| {
        json!({
            "id": RecordId::new().to_string(),
            "estate_id": ESTATE_A,
            "unit_id": unit,
            "assignee": assignee,
            "due_at": june,
        })
    };
    let unit = format!("{ESTATE_A}-2-1-102");
    let (status, err) = post(
        &office,
        &boss,
        "/v1/revisits/home-visits",
        visit(&assistant, None),
    )
    .await;
    refused_at(status, &err, "unit_id");
    // A technician has no home-visit quota.
    let tech = staff_id("tech");
    let (status, err) = post(
        &office,
        &boss,
        "/v1/revisits/home-visits",
        visit(&tech, Some(&unit)),
    )
    .await;
    refused_at(status, &err, "assignee");
    let (status, saved) = post(
        &office,
        &boss,
        "/v1/revisits/home-visits",
        visit(&assistant, Some(&unit)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");

    let path = format!("/v1/reports/monthly?estate={ESTATE_A}&month=2030-06");
    let (_, r) = office.call("GET", &path, Some(&boss), None).await;
    let mine = r["quota"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["staff_id"] == assistant.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (
            mine["done"].as_u64(),
            mine["planned"].as_u64(),
            mine["to_plan"].as_u64()
        ),
        (Some(0), Some(1), Some(14)),
        "{mine}"
    );
    let (_, bad) = office
        .call(
            "GET",
            &format!("/v1/reports/monthly?estate={ESTATE_A}&month=2030-13"),
            Some(&boss),
            None,
        )
        .await;
    assert_eq!(bad["field"], "month", "{bad}");
}

async fn the_months_complaint_sample_is_drawn_once(office: Office) {
    let boss = office.login("supervisor").await;
    // 2025-03-10 09:00 in Shanghai: a month no demo record falls in.
    let march = 1_741_568_400_000_i64;
    // Taken down on a phone back then, and synced.
    for n in 0..12 {
        let at = march + n * 3_600_000;
        let who = Who {
            staff_id: staff_id("reception"),
            role: Role::Receptionist,
            device_id: DeviceId::new(),
            at,
        };
        let draft = ComplaintDraft {
            id: RecordId::new(),
            received_at: at,
            resident: Contact {
                name: Personal("王女士".into()),
                phone: Personal("13800138000".into()),
            },
            place: Place {
                estate_id: ESTATE_A.into(),
                unit_id: Some(UNIT_A.into()),
                common_area_id: None,
                detail: String::new(),
            },
            subject: "噪音".into(),
            content: "夜间施工".into(),
            emergency: false,
            at_front_desk: true,
            due_at: at + 86_400_000,
        };
        let mut doc = ComplaintDoc::receive(&draft, who.device_id, &who)
            .unwrap()
            .into_record();
        office
            .state
            .db(move |db| Ok(db.create_doc(&mut doc)?))
            .await
            .unwrap();
    }
    let draw = |month: &str| json!({"estate_id": ESTATE_A, "month": month});
    let (status, err) = post(
        &office,
        &boss,
        "/v1/revisits/complaint-sample",
        draw("March"),
    )
    .await;
    refused_at(status, &err, "month");
    let (status, first) = post(
        &office,
        &boss,
        "/v1/revisits/complaint-sample",
        draw("2025-03"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // 10 % of 12, rounded up.
    assert_eq!(first["ids"].as_array().unwrap().len(), 2, "{first}");
    let (_, again) = post(
        &office,
        &boss,
        "/v1/revisits/complaint-sample",
        draw("2025-03"),
    )
    .await;
    assert_eq!(again, first);
    let (_, april) = post(
        &office,
        &boss,
        "/v1/revisits/complaint-sample",
        draw("2025-04"),
    )
    .await;
    assert_eq!(april["ids"], json!([]));
}

async fn a_differing_account_sends_an_administrator_and_a_promised_reply_is_given(office: Office) {
    let desk = office.login("reception").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["subject"] = json!("渗水");
    let (_, saved) = post(&office, &desk, "/v1/complaints", body).await;
    let id = saved["id"].as_str().unwrap().to_owned();
    let at = |step: &str| format!("/v1/complaints/{id}/{step}");
    post(
        &office,
        &desk,
        &at("dispatch"),
        json!({"department": "engineering"}),
    )
    .await;
    post(&office, &desk, &at("resolve"), json!({"text": "已处理"})).await;
    let revisit = RecordId::derived(&RecordId::parse(&id).unwrap(), "revisit").to_string();
    let promised = rounds_core::time::now_millis() + 86_400_000;
    let (status, done) = post(
        &office,
        &desk,
        &format!("/v1/revisits/{revisit}/phone"),
        json!({"satisfaction": "dissatisfied", "comments": "没人来过", "discrepancy": true,
               "promised_reply_at": promised}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");

    let needs = || async {
        let (status, list) = office
            .call(
                "GET",
                &format!("/v1/revisits/follow-ups?estate={ESTATE_A}"),
                Some(&desk),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        list.as_array()
            .unwrap()
            .iter()
            .filter(|f| f["revisit"]["id"] == revisit.as_str())
            .map(|f| f["need"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(needs().await, ["send_administrator", "reply"]);

    let send = format!("/v1/revisits/{revisit}/send-administrator");
    let (status, err) = post(
        &office,
        &desk,
        &send,
        json!({"administrator": staff_id("tech")}),
    )
    .await;
    refused_at(status, &err, "administrator");
    let (status, sent) = post(
        &office,
        &desk,
        &send,
        json!({"administrator": staff_id("assistant")}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(needs().await, ["reply"]);

    let reply = format!("/v1/revisits/{revisit}/reply");
    let (status, err) = post(&office, &desk, &reply, json!({"text": ""})).await;
    refused_at(status, &err, "reply");
    let (status, _) = post(&office, &desk, &reply, json!({"text": "明早工程部复查"})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(needs().await.is_empty());
}

async fn a_head_sets_the_deadline_of_a_head_set_category_once(office: Office) {
    let desk = office.login("reception").await;
    let head = office.login("supervisor").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["category"] = json!("internal_equipment");
    body["content"] = json!("二号楼水泵异响");
    let (status, saved) = post(&office, &desk, "/v1/orders", body).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap().to_owned();
    let get = |token: String| {
        let office = &office;
        let path = format!("/v1/orders/{id}");
        async move { office.call("GET", &path, Some(&token), None).await.1 }
    };
    assert_eq!(get(desk.clone()).await["may_set_deadline"], false);
    assert_eq!(get(head.clone()).await["may_set_deadline"], true);

    let path = format!("/v1/orders/{id}/deadline");
    let due = rounds_core::time::now_millis() + 10 * 86_400_000;
    let (status, _) = post(&office, &desk, &path, json!({"due_at": due})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = post(&office, &head, &path, json!({})).await;
    refused_at(status, &err, "due_at");
    let (status, _) = post(&office, &head, &path, json!({"due_at": due})).await;
    assert_eq!(status, StatusCode::OK);
    let v = get(head.clone()).await;
    assert_eq!(v["order"]["deadline"]["due_at"], due);
    assert_eq!(
        v["order"]["deadline"]["set_by"],
        staff_id("supervisor").as_str()
    );
    assert_eq!(v["may_set_deadline"], false);
    let (status, err) = post(&office, &head, &path, json!({"due_at": due + 1})).await;
    refused_at(status, &err, "due_at");
}

async fn a_head_reviews_a_patrol_and_follows_its_notices_through_re_inspection(office: Office) {
    let desk = office.login("reception").await;
    let head = office.login("supervisor").await;
    let get = |path: String, token: String| {
        let office = &office;
        async move {
            let (status, v) = office.call("GET", &path, Some(&token), None).await;
            assert_eq!(status, StatusCode::OK, "{path}: {v}");
            v
        }
    };
    let submitted = get(
        format!("/v1/inspections?estate={ESTATE_A}&status=submitted"),
        head.clone(),
    )
    .await;
    let id = submitted[0]["id"]
        .as_str()
        .expect("a submitted demo patrol")
        .to_owned();
    let view = format!("/v1/inspections/{id}");
    let v = get(view.clone(), desk.clone()).await;
    assert_eq!(
        (&v["may_review"], &v["may_issue"]),
        (&json!(false), &json!(false)),
        "the desk neither reviews nor issues notices"
    );
    let v = get(view.clone(), head.clone()).await;
    assert_eq!(
        (&v["may_review"], &v["may_send_back"], &v["may_issue"]),
        (&json!(true), &json!(true), &json!(true)),
        "{v}"
    );
    let defect = v["inspection"]["items"]
        .as_object()
        .unwrap()
        .values()
        .find(|i| i["result"] == "defect")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let issue = format!("/v1/inspections/{id}/rectifications");
    let due = rounds_core::time::now_millis() + 3 * 86_400_000;
    let notice = |item: &str| {
        json!({"id": RecordId::new().to_string(), "item_id": item, "problem": "更换滑梯扶手",
               "responsible_party": "设施维保公司", "due_at": due})
    };
    let (status, err) = post(&office, &head, &issue, notice("")).await;
    refused_at(status, &err, "item_id");
    let (status, issued) = post(&office, &head, &issue, notice(&defect)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let notice_id = issued["id"].as_str().unwrap().to_owned();
    let v = get(view.clone(), head.clone()).await;
    assert_eq!(v["may_issue"], false, "its one defect is followed up");
    assert_eq!(
        v["rectifications"][0]["rectification"]["id"],
        notice_id.as_str()
    );

    let (status, err) = post(
        &office,
        &head,
        &format!("{view}/send-back"),
        json!({"text": ""}),
    )
    .await;
    refused_at(status, &err, "reason");
    let (status, v) = post(
        &office,
        &head,
        &format!("{view}/review"),
        json!({"text": "已发整改"}),
    )
    .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("reviewed")),
        "{v}"
    );
    assert_eq!(v["may_send_back"], false);

    // The new notice: reported done, then passed at re-inspection.
    let at = |step: &str| format!("/v1/rectifications/{notice_id}/{step}");
    let (status, _) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "passed"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing reported yet");
    let report = json!({"report_id": RecordId::new().to_string(), "note": "已更换扶手"});
    let (status, r) = post(&office, &desk, &at("report"), report).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("awaiting_reinspection")),
        "{r}"
    );
    let (status, _) = post(
        &office,
        &desk,
        &at("reinspect"),
        json!({"verdict": "passed"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the desk does not re-inspect"
    );
    let (status, err) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "maybe"}),
    )
    .await;
    refused_at(status, &err, "verdict");
    let (status, r) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "passed", "text": "复查合格"}),
    )
    .await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("rectified")),
        "{r}"
    );
    assert_eq!(r["may_reinspect"], false);

    // The demo's notice waiting for re-inspection: round two, then a penalty.
    let waiting = get(
        format!("/v1/rectifications?estate={ESTATE_A}&status=awaiting_reinspection"),
        head.clone(),
    )
    .await;
    let other = waiting[0]["id"]
        .as_str()
        .expect("the demo's notice")
        .to_owned();
    let at = |step: &str| format!("/v1/rectifications/{other}/{step}");
    let (status, err) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "again", "text": "仍有一株未补"}),
    )
    .await;
    refused_at(status, &err, "due_at");
    let (status, r) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "again", "text": "仍有一株未补", "due_at": due}),
    )
    .await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("second_rectification")),
        "{r}"
    );
    let report = json!({"report_id": RecordId::new().to_string(), "note": "已全部补种"});
    post(&office, &desk, &at("report"), report).await;
    let (status, err) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "penalty", "text": "仍未补种", "points": 0}),
    )
    .await;
    refused_at(status, &err, "points");
    let (status, r) = post(
        &office,
        &head,
        &at("reinspect"),
        json!({"verdict": "penalty", "text": "仍未补种", "points": 5}),
    )
    .await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("closed_with_penalty")),
        "{r}"
    );
    assert_eq!(r["rectification"]["penalty"]["points"], 5);
}

async fn a_call_back_about_a_repaired_fault_is_registered_as_its_rework(office: Office) {
    let desk = office.login("reception").await;
    let desk_b = office.login("reception-b").await;
    let (_, closed) = office
        .call("GET", "/v1/orders?status=closed", Some(&desk), None)
        .await;
    let repaired = closed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["done_at"].is_i64())
        .expect("a repaired order in the demo")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, unfinished) = post(&office, &desk, "/v1/orders", request(ESTATE_A, UNIT_A)).await;
    let (_, elsewhere) = post(
        &office,
        &desk_b,
        "/v1/orders",
        request(ESTATE_B, "e-cuihu-1-1-101"),
    )
    .await;
    let elsewhere = elsewhere["id"].as_str().unwrap().to_owned();
    for wrong in [
        unfinished["id"].as_str().unwrap(),
        elsewhere.as_str(),
        "not-an-order",
    ] {
        let mut body = request(ESTATE_A, UNIT_A);
        body["rework_of"] = json!(wrong);
        let (status, err) = post(&office, &desk, "/v1/orders", body).await;
        refused_at(status, &err, "rework_of");
        assert!(!err["message_zh"].as_str().unwrap().is_empty());
    }

    let mut body = request(ESTATE_A, UNIT_A);
    body["content"] = json!("上周修好的水管又漏了");
    body["rework_of"] = json!(repaired);
    let (status, saved) = post(&office, &desk, "/v1/orders", body).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let (_, view) = office
        .call(
            "GET",
            &format!("/v1/orders/{}", saved["id"].as_str().unwrap()),
            Some(&desk),
            None,
        )
        .await;
    assert_eq!(view["order"]["links"]["rework_of"], repaired.as_str());
}

async fn a_complaints_repair_is_registered_for_it_at_its_place(office: Office) {
    let desk = office.login("reception").await;
    let desk_b = office.login("reception-b").await;
    let mut body = request(ESTATE_A, UNIT_A);
    body["subject"] = json!("楼上漏水到我家");
    let (_, saved) = post(&office, &desk, "/v1/complaints", body).await;
    let complaint = saved["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/complaints/{complaint}/orders");
    let repair = json!({"category": "pipe_leak", "content": "楼上卫生间漏水"});

    let (status, err) = post(&office, &desk, &path, json!({"content": "漏水"})).await;
    refused_at(status, &err, "category");
    let (status, _) = post(&office, &desk_b, &path, repair.clone()).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
        "another estate's complaint: {status}"
    );

    let (status, saved) = post(&office, &desk, &path, repair).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let order = saved["id"].as_str().unwrap();
    let (_, view) = office
        .call("GET", &format!("/v1/orders/{order}"), Some(&desk), None)
        .await;
    assert_eq!(view["order"]["place"]["unit_id"], UNIT_A);
    assert_eq!(view["order"]["resident"]["name"], "王女士");
    assert_eq!(view["order"]["links"]["complaint_id"], complaint.as_str());
    assert_eq!(view["order"]["deadline"]["due_at"], saved["due_at"]);
    let (_, c) = office
        .call(
            "GET",
            &format!("/v1/complaints/{complaint}"),
            Some(&desk),
            None,
        )
        .await;
    assert_eq!(c["complaint"]["order_ids"], json!([order]));
}
