//! A company customer's revisits across the office and a phone, on the
//! embedded SQLite and on PostgreSQL (when `ROUNDS_TEST_POSTGRES` names
//! one): reception registers a large customer handed over a year ago, and
//! its on-site revisit is due today; the property assistant's phone, offline,
//! records the visit signed by the customer and writes its report, while
//! reception corrects the contact's title; the phone comes back, the visits
//! merge, the next phone revisit heads the list, and reception files the
//! papers, which the phone then holds too.

use chrono::{Months, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::customer::CustomerDoc;
use rounds_core::documents::revisit::{Method, Outcome, RevisitDoc, Satisfaction};
use rounds_core::places::Personal;
use rounds_core::store::DocumentStore;
use rounds_core::RecordId;
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_large_customer_is_visited_on_site_and_its_papers_filed);

fn post(c: &Console, path: &str, body: Value) -> (u16, Value) {
    c.send(reqwest::Method::POST, path, Some(body))
}

/// The customer's row on the list at `path`.
fn listed(desk: &Console, path: &str, id: &str) -> Value {
    let list = desk.get(path);
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} not on {list}"))
        .clone()
}

fn form(id: &str, handover: &str, title: &str) -> Value {
    json!({
        "id": id,
        "estate_id": ESTATE_A,
        "name": "阳光便利店",
        "tier": "large",
        "unit_ids": [format!("{ESTATE_A}-2-1-102")],
        "premises": "2号楼底商",
        "handover_date": handover,
        "contact_name": "王店长",
        "contact_title": title,
        "contact_phone": "13700137000",
        "manager": "s-assistant",
    })
}

fn a_large_customer_is_visited_on_site_and_its_papers_filed(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let desk = Console::sign_in(&base, "reception");
    let today = Utc::now().with_timezone(&Shanghai).date_naive();
    let handover = (today - Months::new(12)).to_string();

    // Only the office registers customers; a bad date is refused beside it.
    let id = RecordId::new().to_string();
    let tech = Console::sign_in(&base, "tech");
    let (status, _) = post(&tech, "/v1/customers", form(&id, &handover, "店长"));
    assert!(status >= 400, "a technician registered a customer");
    let (status, body) = post(&desk, "/v1/customers", form(&id, "去年", "店长"));
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("handover_date"))
    );
    let (status, body) = post(&desk, "/v1/customers", form(&id, &handover, "店长"));
    assert_eq!(status, 201, "{body}");
    let path = format!("/v1/customers/{id}");

    // A year after the handover: on site today; the next phone call in a month.
    let view = desk.get(&path);
    let visits = view["visits"].as_array().unwrap();
    assert_eq!(visits.len(), 2, "{view}");
    assert_eq!(visits[0]["revisit"]["facts"]["planned_method"], "in_person");
    assert_eq!(visits[1]["revisit"]["facts"]["planned_method"], "phone");
    assert_eq!(visits[0]["overdue"], false);
    let on_site_id = visits[0]["revisit"]["id"].as_str().unwrap().to_owned();
    let row = listed(
        &desk,
        &format!("/v1/customers?estate={ESTATE_A}&tier=large"),
        &id,
    );
    assert_eq!(row["next"]["id"], on_site_id.as_str());
    assert_eq!(row["customer"]["title"], "阳光便利店");

    // The assistant's phone takes it, then visits while offline: signed by
    // the customer, and the report written that evening.
    let mut phone = Device::login(&base, "assistant");
    phone.sync().unwrap();
    let on_site = RecordId::parse(&on_site_id).unwrap();
    {
        let mut s = phone.session();
        assert_eq!(
            s.customer(&RecordId::parse(&id).unwrap())
                .unwrap()
                .contact_phone,
            Personal("13700137000".to_owned())
        );
        let outcome = Outcome {
            method: Some(Method::InPerson),
            satisfaction: Some(Satisfaction::VerySatisfied),
            comments: "门头灯箱需要检修".into(),
            resident_name: Personal("王店长".into()),
            ..Outcome::default()
        };
        s.record_revisit(&on_site, outcome, Some(b"\x89PNG customer signature"))
            .unwrap();
        s.write_customer_report(&on_site, "客户满意,提出门头灯箱检修需求")
            .unwrap();
    }
    // Meanwhile the office corrects the contact's title.
    let (status, body) = post(&desk, &path, form(&id, &handover, "店长兼区域经理"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customer"]["contact_title"], "店长兼区域经理");

    // The phone comes back: its visit merges; the yearly visit a year on
    // was planned on the phone, and the next phone call heads the list.
    phone.sync().unwrap();
    let view = desk.get(&path);
    let done = view["visits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["revisit"]["id"] == on_site_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(done["revisit"]["status"], "done", "{view}");
    assert_eq!(done["paperwork"]["reported"], true);
    assert_eq!(done["paperwork"]["filed"], false);
    assert_eq!(view["visits"].as_array().unwrap().len(), 3, "{view}");
    assert_eq!(view["customer"]["contact_title"], "店长兼区域经理");
    let row = listed(&desk, "/v1/customers", &id);
    assert_eq!(row["next"]["facts"]["planned_method"], "phone");
    let owed = desk.get("/v1/customer-paperwork");
    assert_eq!(owed.as_array().unwrap().len(), 1, "{owed}");
    assert_eq!(owed[0]["overdue"], false);

    // Reception files the papers with the head; nothing is owed.
    let (status, body) = post(
        &desk,
        &format!("/v1/revisits/{on_site_id}/customer-file"),
        json!({}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["paperwork"]["filed"], true);
    assert_eq!(desk.get("/v1/customer-paperwork"), json!([]));

    // The month the visit was due counts it, on site and signed.
    let due_at = done["revisit"]["due_at"].as_i64().unwrap();
    let month = Utc
        .timestamp_millis_opt(due_at - 1)
        .unwrap()
        .with_timezone(&Shanghai)
        .format("%Y-%m")
        .to_string();
    let report = desk.get(&format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={month}"
    ));
    assert_eq!(report["customer_revisits_due"], 1, "{report}");
    assert_eq!(report["customer_on_site_done"], 1, "{report}");

    // And the phone holds the filing and the office's correction.
    phone.sync().unwrap();
    let merged = phone
        .store
        .get::<RevisitDoc>(&on_site)
        .unwrap()
        .read()
        .unwrap();
    assert!(merged.outcome.filed_at.is_some());
    assert!(merged.outcome.signature_image.is_some());
    let customer = phone
        .store
        .get::<CustomerDoc>(&RecordId::parse(&id).unwrap())
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(customer.contact_title, "店长兼区域经理");
}
