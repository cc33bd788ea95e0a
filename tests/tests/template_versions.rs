//! A checklist template edited at the office while a patrol is under way:
//! the supervisor publishes version 2 through the office API while the
//! assistant's phone has an inspection in progress on version 1. After the
//! phone syncs, its inspection still asks version 1's items; the next one it
//! starts asks version 2's; and the office's inspection page says which
//! version each was made on. On SQLite and on PostgreSQL.

use rounds_core::documents::inspection::ItemResult;
use rounds_core::documents::template::BUILDING_PATROL;
use rounds_core::places::Place;
use rounds_core::store::Query;
use rounds_core::{RecordId, RecordKind};
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

/// The office, with the posts this story checks the refusals of.
struct Office(Console);

impl Office {
    fn sign_in(base: &str, username: &str) -> Office {
        Office(Console::sign_in(base, username))
    }

    fn get(&self, path: &str) -> Value {
        self.0.get(path)
    }

    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.0.send(reqwest::Method::POST, path, Some(body))
    }
}

/// The phone's building-patrol checklist.
fn building_checklist(phone: &mut Device) -> RecordId {
    let rows = phone
        .store
        .query(&Query {
            kind: Some(RecordKind::Template),
            estates: Some(vec![ESTATE_A.into()]),
            ..Query::default()
        })
        .unwrap();
    let row = rows
        .into_iter()
        .find(|r| r.category.as_deref() == Some(BUILDING_PATROL))
        .expect("the building checklist reached the phone");
    RecordId::parse(&row.id).unwrap()
}

fn lobby() -> Place {
    Place {
        estate_id: ESTATE_A.into(),
        unit_id: None,
        common_area_id: None,
        detail: "3号楼大堂".into(),
    }
}

fn titles(phone: &mut Device, inspection: &RecordId) -> Vec<String> {
    phone
        .session()
        .inspection(inspection)
        .unwrap()
        .checklist()
        .iter()
        .map(|i| i.title_zh.clone())
        .collect()
}

fn an_inspection_keeps_the_version_it_started_on(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, dir.path());
    let office = Office::sign_in(&server.base(), "supervisor");
    let mut phone = Device::login(&server.base(), "assistant");
    phone.sync().unwrap();

    // On the phone, offline from here: a patrol on version 1, half done.
    let template = building_checklist(&mut phone);
    let first = RecordId::new();
    let v1: Vec<String> = {
        let mut s = phone.session();
        s.start_inspection(first.clone(), &template, lobby(), None)
            .unwrap();
        let i = s.inspection(&first).unwrap();
        assert_eq!(i.template_version, 1);
        let lobby_item = i.checklist()[0].id.clone();
        s.record_item(&first, &lobby_item, ItemResult::Ok, "")
            .unwrap();
        i.checklist().iter().map(|i| i.title_zh.clone()).collect()
    };

    // Meanwhile the office drafts version 2: the lift first, the roof
    // dropped, one renamed, one added, and publishes it.
    let shown = office.get(&format!("/v1/templates/{template}"));
    assert_eq!(shown["latest_version"], 1);
    assert_eq!(shown["may_publish"], true, "a supervisor publishes");
    let mut items: Vec<Value> = shown["template"]["versions"][0]["items"]
        .as_array()
        .unwrap()
        .clone();
    let lift = items.iter().position(|i| i["id"] == "lift").unwrap();
    let lift = items.remove(lift);
    items.insert(0, lift);
    items.retain(|i| i["id"] != "roof");
    items[1]["title_zh"] = json!("大堂及门厅清洁、照明、消防指示正常");
    items.push(json!({"id": "bikes", "title_zh": "电动车未在楼道充电", "title_en": "No e-bikes charging in corridors"}));

    // A blank line is refused beside it, and nothing is published.
    let mut blank = items.clone();
    blank[3]["title_zh"] = json!(" ");
    let (status, refused) = office.post(
        &format!("/v1/templates/{template}/versions"),
        json!({ "items": blank }),
    );
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["field"], "items[3].title_zh");
    assert!(refused["message_zh"].as_str().unwrap().contains("第4项"));
    assert_eq!(
        office.get(&format!("/v1/templates/{template}"))["latest_version"],
        1
    );

    // Reception may read the checklist but not publish it.
    let reception = Office::sign_in(&server.base(), "reception");
    assert_eq!(
        reception.get(&format!("/v1/templates/{template}"))["may_publish"],
        false
    );
    let (status, _) = reception.post(
        &format!("/v1/templates/{template}/versions"),
        json!({ "items": items }),
    );
    assert_eq!(status, 403);

    let (status, published) = office.post(
        &format!("/v1/templates/{template}/versions"),
        json!({ "items": items }),
    );
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["latest_version"], 2);
    let listed = office.get(&format!("/v1/templates?estate={ESTATE_A}"));
    let row = listed["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == template.to_string())
        .unwrap();
    assert_eq!(row["facts"]["latest_version"], 2);
    let v1_read = office.get(&format!("/v1/templates/{template}/versions/1"));
    assert_eq!(v1_read["items"][0]["id"], "lobby", "version 1 is unchanged");

    // The phone syncs: its inspection under way is still on version 1.
    phone.sync().unwrap();
    assert_eq!(titles(&mut phone, &first), v1);
    {
        let mut s = phone.session();
        assert_eq!(s.inspection(&first).unwrap().template_version, 1);
        for item in s
            .inspection(&first)
            .unwrap()
            .checklist()
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
        {
            s.record_item(&first, &item, ItemResult::Ok, "").unwrap();
        }
        s.submit_inspection(&first).unwrap();
    }

    // The next patrol starts on version 2, with version 2's items in order.
    let second = RecordId::new();
    phone
        .session()
        .start_inspection(second.clone(), &template, lobby(), None)
        .unwrap();
    assert_eq!(
        phone
            .session()
            .inspection(&second)
            .unwrap()
            .template_version,
        2
    );
    let v2: Vec<String> = items
        .iter()
        .map(|i| i["title_zh"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles(&mut phone, &second), v2);
    phone.sync().unwrap();

    // The office reads each inspection on the version it was made on.
    let seen_first = office.get(&format!("/v1/inspections/{first}"));
    assert_eq!(seen_first["inspection"]["template_version"], 1);
    assert_eq!(seen_first["status"], "submitted");
    assert!(seen_first["inspection"]["items"].get("roof").is_some());
    let seen_second = office.get(&format!("/v1/inspections/{second}"));
    assert_eq!(seen_second["inspection"]["template_version"], 2);
    assert!(seen_second["inspection"]["items"].get("bikes").is_some());
    assert!(seen_second["inspection"]["items"].get("roof").is_none());
}

fn a_head_authors_a_template_from_the_manuals_and_others_are_refused(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, dir.path());
    let office = Office::sign_in(&server.base(), "supervisor");
    let defaults = office.get("/v1/templates/defaults");
    let vacant = defaults
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["checklist_kind"] == "vacant_unit_patrol")
        .unwrap()
        .clone();
    let id = RecordId::new().to_string();
    let mut form = json!({
        "id": id,
        "estate_id": ESTATE_A,
        "checklist_kind": "vacant_unit_patrol",
        "name_zh": "",
        "name_en": "Vacant units, block 5",
        "items": vacant["items"],
    });
    let (status, refused) = office.post("/v1/templates", form.clone());
    assert_eq!(status, 422);
    assert_eq!(refused["field"], "name_zh");

    form["name_zh"] = json!("5号楼空置房巡查");
    let (status, made) = office.post("/v1/templates", form.clone());
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["id"], id);
    // A retried submit creates nothing more.
    let (status, _) = office.post("/v1/templates", form.clone());
    assert_eq!(status, 201);
    let listed = office.get(&format!("/v1/templates?estate={ESTATE_A}"));
    assert_eq!(listed["may_author"], true);
    let mine: Vec<&Value> = listed["templates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["title"] == "5号楼空置房巡查")
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["facts"]["latest_version"], 1);

    // Another estate's is refused by name; reception may not author.
    form["id"] = json!(RecordId::new().to_string());
    form["estate_id"] = json!("e-cuihu");
    let (status, _) = office.post("/v1/templates", form.clone());
    assert_eq!(status, 403);
    let reception = Office::sign_in(&server.base(), "reception");
    form["estate_id"] = json!(ESTATE_A);
    let (status, _) = reception.post("/v1/templates", form);
    assert_eq!(status, 403);
    assert_eq!(
        reception.get(&format!("/v1/templates?estate={ESTATE_A}"))["may_author"],
        false
    );
}

rounds_tests::on_both_backends!(
    an_inspection_keeps_the_version_it_started_on,
    a_head_authors_a_template_from_the_manuals_and_others_are_refused,
);
