//! A satisfaction survey (第8篇) across the office and a phone, on the
//! embedded SQLite and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names
//! one): reception opens the half-yearly survey in the console, the server
//! draws its sample and sends the forms, due back a week later; the
//! technician's phone, offline, collects a household's form at the door
//! while the desk types in the same household's paper form; merged, the
//! household counts once; the survey turns valid when more than 85 % are
//! back, is counted, and the supervisor gives the worst item its owner.

use chrono::{TimeZone, Utc};
use rounds_core::documents::survey::{FormDraft, Rating, SurveyDoc, SurveyStatus, Via};
use rounds_core::rules::{forms_due, RulesConfig, Satisfaction};
use rounds_core::store::DocumentStore;
use rounds_core::RecordId;
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_survey_is_collected_at_the_door_and_the_desk_and_counted);

fn post(c: &Console, path: &str, body: Value) -> (u16, Value) {
    c.send(reqwest::Method::POST, path, Some(body))
}

/// A paper form rating every item `rating`, but the first item `first`.
fn paper(unit: &Value, items: &[Value], first: &str, rating: &str) -> Value {
    let ratings: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, i)| json!({"item": i["id"], "rating": if n == 0 { first } else { rating }}))
        .collect();
    json!({"id": RecordId::new().to_string(), "unit_id": unit, "ratings": ratings,
        "comments": "楼道灯经常不亮"})
}

fn a_survey_is_collected_at_the_door_and_the_desk_and_counted(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let desk = Console::sign_in(&base, "reception");

    let due = desk.get("/v1/surveys/due");
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|d| d["estate_id"] == ESTATE_A),
        "{due}"
    );
    let items = desk.get(&format!("/v1/surveys/items?estate={ESTATE_A}"));
    let items: Vec<Value> = items.as_array().unwrap().iter().take(3).cloned().collect();
    assert_eq!(items.len(), 3, "a survey starts from listed items");

    // A survey without a title is refused beside the field.
    let id = RecordId::new().to_string();
    let open = |title: &str| {
        json!({"id": id, "estate_id": ESTATE_A, "title": title, "occasion": "regular",
            "items": items, "sample_size": 3})
    };
    let (status, body) = post(&desk, "/v1/surveys", open(" "));
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("title")),
        "{body}"
    );
    let (status, body) = post(&desk, "/v1/surveys", open("2026年下半年满意度调查"));
    assert_eq!(status, 201, "{body}");
    let path = format!("/v1/surveys/{id}");
    let view = desk.get(&path);
    assert_eq!(view["status"], "draft");
    assert_eq!(view["may_send"], true);
    let sample: Vec<Value> = view["survey"]["sample"].as_array().unwrap().clone();
    assert_eq!(sample.len(), 3);

    let (status, view) = post(&desk, &format!("{path}/send"), json!({}));
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "collecting");
    let sent = Utc
        .timestamp_millis_opt(view["survey"]["sent_at"].as_i64().unwrap())
        .unwrap();
    let due_at = forms_due(sent, &RulesConfig::default()).timestamp_millis();
    assert_eq!(view["survey"]["due_at"], due_at, "a week, by the rules");

    // The technician's phone takes the survey, then collects the first
    // household's form at the door while offline.
    let mut phone = Device::login(&base, "tech");
    phone.sync().unwrap();
    let survey_id = RecordId::parse(&id).unwrap();
    let door = FormDraft {
        id: RecordId::new().to_string(),
        unit_id: sample[0].as_str().unwrap().into(),
        ratings: items
            .iter()
            .enumerate()
            .map(|(n, i)| Rating {
                item: i["id"].as_str().unwrap().into(),
                rating: if n == 0 {
                    Satisfaction::Dissatisfied
                } else {
                    Satisfaction::Satisfied
                },
            })
            .collect(),
        comments: "维修上门太慢".into(),
        via: Via::Door,
    };
    phone
        .session()
        .record_survey_form(&survey_id, &door)
        .unwrap();

    // Meanwhile the desk types in paper forms: the same household's, and
    // the second's; one from outside the sample is refused beside the field.
    for (unit, first) in [(&sample[0], "satisfied"), (&sample[1], "satisfied")] {
        let (status, body) = post(
            &desk,
            &format!("{path}/forms"),
            paper(unit, &items, first, "satisfied"),
        );
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = post(
        &desk,
        &format!("{path}/forms"),
        paper(
            &json!("not-a-sampled-unit"),
            &items,
            "satisfied",
            "satisfied",
        ),
    );
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("unit_id")),
        "{body}"
    );

    // The phone comes back: its form merges and counts, the paper copy of
    // the same household does not count twice.
    phone.sync().unwrap();
    let view = desk.get(&path);
    assert_eq!(view["survey"]["forms"].as_array().unwrap().len(), 3);
    assert_eq!(view["result"]["returned"], 2);
    assert_eq!(view["outstanding"], json!([sample[2]]));
    assert_eq!(
        view["result"]["valid"], false,
        "two of three is not more than 85 %"
    );
    let first = &view["result"]["items"][0];
    assert_eq!(
        (first["ratings"].as_u64(), first["satisfied"].as_u64()),
        (Some(2), Some(1))
    );

    let (status, view) = post(
        &desk,
        &format!("{path}/forms"),
        paper(&sample[2], &items, "fairly", "satisfied"),
    );
    assert_eq!(
        (status, view["field"].as_str()),
        (422, Some("ratings")),
        "a rating off the scale"
    );
    let (status, view) = post(
        &desk,
        &format!("{path}/forms"),
        paper(&sample[2], &items, "neutral", "very_satisfied"),
    );
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["result"]["valid"], true);

    let (status, view) = post(&desk, &format!("{path}/close"), json!({}));
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "closed");
    assert_eq!(
        view["may_assign"], false,
        "reception does not assign actions"
    );
    let worst = items[0]["id"].clone();
    assert_eq!(view["result"]["lowest"], json!([worst]));
    assert_eq!(view["without_action"], json!([worst]));
    let action = json!({"id": "act-1", "item": worst, "owner": "s-tech",
        "measure": "报修当日上门,完工后二日内回访"});
    let (status, _) = post(&desk, &format!("{path}/actions"), action.clone());
    assert!(status >= 400);

    // The month it was counted in reports it: one survey, valid, and its
    // satisfied share of all ratings.
    let closed = view["survey"]["closed_at"].as_i64().unwrap();
    let month = Utc
        .timestamp_millis_opt(closed)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m")
        .to_string();
    let report = desk.get(&format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={month}"
    ));
    assert_eq!(
        (
            report["surveys_counted"].as_u64(),
            report["surveys_valid"].as_u64()
        ),
        (Some(1), Some(1)),
        "{report}"
    );
    assert_eq!(
        report["survey_satisfaction_rate"],
        view["result"]["overall_rate"]
    );

    let head = Console::sign_in(&base, "supervisor");
    let (status, view) = post(&head, &format!("{path}/actions"), action);
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["without_action"], json!([]));
    let rows = head.get(&format!("/v1/surveys?estate={ESTATE_A}"));
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap();
    assert_eq!(
        (row["status"].as_str(), row["open"].as_bool()),
        (Some("closed"), Some(false))
    );

    // And the phone holds the counted survey beside its own form.
    phone.sync().unwrap();
    let merged = phone
        .store
        .get::<SurveyDoc>(&survey_id)
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(merged.status(), SurveyStatus::Closed);
    assert_eq!(merged.counted_forms().len(), 3);
    assert_eq!(merged.actions.len(), 1);
}
