//! Who may do what: staff see and change only their estates, a revoked phone
//! is shut out at once, and changes in someone else's name are refused, each
//! with a clear answer and nothing stored.

use rounds_core::documents::company::COMPANY_SCOPE;
use rounds_core::documents::work_order::{OrderStatus, WorkOrderDoc};
use rounds_core::documents::{Record, Who};
use rounds_core::store::DocumentStore;
use rounds_core::sync::{build_request, SyncError};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, Role};
use rounds_tests::*;

fn first_order(d: &Device, status: &str) -> RecordId {
    let rows = d
        .store
        .query(&rounds_core::store::Query {
            kind: Some(rounds_core::RecordKind::WorkOrder),
            status: Some(status.into()),
            ..Default::default()
        })
        .unwrap();
    RecordId::parse(&rows[0].id).unwrap()
}

fn refusals(answer: &serde_json::Value) -> Vec<(String, String)> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            Some((
                r["id"].as_str()?.to_owned(),
                r["error"]["code"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn a_technician_of_estate_b_can_neither_read_nor_write_estate_a(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech_a = Device::login(&base, "tech");
    let mut tech_b = Device::login(&base, "tech-b");
    tech_a.sync().unwrap();
    tech_b.sync().unwrap();

    // Reading: nothing of estate A reaches B's phone or B's lists (the
    // company-wide rules and price list reach everyone).
    for id in tech_b.ids() {
        let estate = tech_b.store.load(&id).unwrap().estate_id().to_owned();
        assert!(
            estate == ESTATE_B || estate == COMPANY_SCOPE,
            "{id} of {estate}"
        );
    }
    let order = first_order(&tech_a, "dispatched");
    let token_b = tech_b.http.token().unwrap().to_owned();
    assert_eq!(
        get_json(&base, &token_b, &format!("/v1/records/{order}")).0,
        404
    );
    assert_eq!(
        get_json(&base, &token_b, "/v1/orders?estate=e-sunshine").0,
        403
    );
    let (status, rows) = get_json(&base, &token_b, "/v1/orders");
    assert_eq!(status, 200);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["estate_id"] == ESTATE_B));

    // Writing: a record of A that found its way onto B's phone is refused.
    let bytes = tech_a.store.load(&order).unwrap().save();
    tech_b.store.apply_changes(&order, &bytes).unwrap();
    let who = tech_b.who(now_millis());
    tech_b
        .store
        .edit(&order, |o: &mut WorkOrderDoc, _| {
            o.add_note("b1", "越权 / not mine", &who)
        })
        .unwrap();
    let summary = tech_b.sync().unwrap();
    assert_eq!(summary.refused.len(), 1);
    assert_eq!(summary.refused[0].code, "forbidden_estate");

    tech_a.sync().unwrap();
    let o = tech_a
        .store
        .get::<WorkOrderDoc>(&order)
        .unwrap()
        .read()
        .unwrap();
    assert!(
        o.notes.iter().all(|n| n.id != "b1"),
        "nothing of B's edit reached A"
    );
}

fn a_revoked_device_is_refused_at_once_and_cannot_sign_in_again(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let tech2 = Device::login(&base, "tech2");
    let head = Device::login(&base, "supervisor");
    tech.sync().unwrap();

    let revoke = |by: &Device, device: String| {
        reqwest::blocking::Client::new()
            .post(format!("{base}/v1/devices/{device}/revoke"))
            .bearer_auth(by.http.token().unwrap())
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(
        revoke(&tech2, tech.store.device_id().to_string()),
        403,
        "a technician may not revoke"
    );
    tech.sync().unwrap();
    // The phone is listening for pokes when it is revoked: the stream ends.
    let events = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
        .get(format!("{base}/v1/events"))
        .bearer_auth(tech.http.token().unwrap())
        .send()
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    let (ended_tx, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut sink = vec![];
        let _ = std::io::BufReader::new(events).read_to_end(&mut sink);
        let _ = ended_tx.send(());
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(revoke(&head, tech.store.device_id().to_string()), 200);
    ended
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("the revoked phone's event stream is closed");

    match tech.sync() {
        Err(SyncError::Server {
            status: 401, code, ..
        }) => assert_eq!(code, "device_revoked"),
        other => panic!("a revoked device must be refused, got {other:?}"),
    }
    let mut again = rounds_core::sync::http::HttpSync::new(&base).unwrap();
    match again.login(&tech.store, "tech", PASSWORD, "same phone") {
        Err(SyncError::Server { code, .. }) => assert_eq!(code, "device_revoked"),
        other => panic!("a revoked device must not sign in again, got {other:?}"),
    }
}

fn changes_from_another_device_or_in_someone_elses_name_are_refused_and_the_rest_stored(
    backend: &Backend,
) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut desk = Device::login(&base, "reception");
    tech.sync().unwrap();
    desk.sync().unwrap();

    // Forged actor: the desk's offline edit, sent with the technician's token.
    let order = first_order(&desk, "registered");
    let who = desk.who(now_millis());
    desk.store
        .edit(&order, |o: &mut WorkOrderDoc, _| {
            o.add_note("desk", "前台备注", &who)
        })
        .unwrap();
    let forged = build_request(&desk.store, 10).unwrap();
    let token = tech.http.token().unwrap().to_owned();
    let (status, answer) = post_sync(&base, &token, &serde_json::to_value(&forged).unwrap());
    assert_eq!(status, 200);
    assert_eq!(
        refusals(&answer),
        vec![(order.to_string(), "foreign_actor".to_string())]
    );

    // A transition in a role the user does not have: the technician's phone
    // claims to be a supervisor returning an order. In the same sync a plain
    // note on another order goes through.
    let mine = tech.store.open_orders_for("s-tech").unwrap();
    let (a, b) = (
        RecordId::parse(&mine[0].id).unwrap(),
        RecordId::parse(&mine[1].id).unwrap(),
    );
    let posing = Who {
        role: Role::Supervisor,
        ..tech.who(now_millis())
    };
    tech.store
        .edit(&a, |o: &mut WorkOrderDoc, _| {
            o.return_order("冒充主管 / posing", &posing)
        })
        .unwrap();
    let who = tech.who(now_millis());
    tech.store
        .edit(&b, |o: &mut WorkOrderDoc, _| {
            o.add_note("ok", "正常备注", &who)
        })
        .unwrap();
    let summary = tech.sync().unwrap();
    assert_eq!(
        summary
            .refused
            .iter()
            .map(|r| (r.id.clone(), r.code.as_str()))
            .collect::<Vec<_>>(),
        vec![(a.to_string(), "not_author")]
    );

    // The desk's own sync of its note is fine, and the server holds nothing refused.
    let summary = desk.sync().unwrap();
    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
    let mut office = Device::login(&base, "supervisor");
    office.sync().unwrap();
    let a_now = office
        .store
        .get::<WorkOrderDoc>(&a)
        .unwrap()
        .read()
        .unwrap();
    assert_ne!(a_now.status(), Some(OrderStatus::Returned));
    let b_now = office
        .store
        .get::<WorkOrderDoc>(&b)
        .unwrap()
        .read()
        .unwrap();
    assert!(b_now.notes.iter().any(|n| n.id == "ok"));
    let o = office.store.get::<WorkOrderDoc>(&order).unwrap();
    assert!(o.read().unwrap().notes.iter().any(|n| n.id == "desk"));
    let _ = o.record().id();
}

/// Signs in by hand, as someone who read a device id off a record's history.
fn sign_in_as(
    base: &str,
    username: &str,
    device: rounds_core::DeviceId,
    key: &str,
) -> (u16, serde_json::Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/login"))
        .json(
            &serde_json::json!({"username": username, "password": PASSWORD,
            "device_id": device, "device_name": "not my phone", "device_public_key": key}),
        )
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(serde_json::Value::Null))
}

fn a_device_id_belongs_to_the_staff_member_who_first_signed_in_with_it(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    tech.sync().unwrap();
    let device = tech.store.device_id();
    let key = tech.store.device_key().public_hex();

    // A colleague signing in with the phone's id (and its public key, which
    // is no secret either) is refused, and the phone keeps working.
    let (status, answer) = sign_in_as(&base, "tech2", device, &key);
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("device_taken"))
    );
    assert!(answer["message"].as_str().unwrap().contains(" / "));
    tech.sync().expect("the phone's token still works");

    // The same user with another key: a reinstalled app is a new device.
    let other_key = "00".repeat(32);
    let (status, answer) = sign_in_as(&base, "tech", device, &other_key);
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("device_key_changed"))
    );
    tech.sync().expect("the phone's token still works");

    // The phone itself signing in again works and replaces its token.
    let old = tech.http.token().unwrap().to_owned();
    tech.http
        .login(&tech.store, "tech", PASSWORD, "tech's phone")
        .unwrap();
    assert_eq!(get_json(&base, &old, "/v1/orders").0, 401);
    tech.sync().unwrap();

    // The server keeps the key the phone registered with, for what it signs.
    server.kill();
    let (registered, unknown) = backend.with_storage(data.path(), |db| {
        (
            db.device_key(device).unwrap(),
            db.device_key(rounds_core::DeviceId::new()).unwrap(),
        )
    });
    assert_eq!(registered, Some(key));
    assert_eq!(unknown, None);
}

on_both_backends!(
    a_device_id_belongs_to_the_staff_member_who_first_signed_in_with_it,
    a_technician_of_estate_b_can_neither_read_nor_write_estate_a,
    a_revoked_device_is_refused_at_once_and_cannot_sign_in_again,
    changes_from_another_device_or_in_someone_elses_name_are_refused_and_the_rest_stored,
);
