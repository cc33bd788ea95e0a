//! A resident's key in custody (seed 003 第7篇), phone and office, on SQLite
//! and PostgreSQL: the property assistant registers the key and a use on
//! their phone offline and signs it; the security guard signs on theirs,
//! opens the seal, registers the entry and reseals; the assistant co-signs
//! the resealing. The office sees each use's signers from the merged record;
//! reception lends the key against an ID the guard's console never shows;
//! and the server refuses a signature made with a key its device never
//! registered.

use chrono::Utc;
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::key_custody::{
    KeyCustodyDoc, KeyDeposit, SignStep, SiteStep, UseRequest,
};
use rounds_core::places::Place;
use rounds_core::signoff::DeviceKey;
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Role};
use rounds_tests::{Backend, Console, Device, Server, ESTATE_A};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_key_use_is_signed_on_two_phones_and_seen_in_the_office);

fn synced(phone: &mut Device) {
    let summary = phone.sync().unwrap();
    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
}

fn a_key_use_is_signed_on_two_phones_and_seen_in_the_office(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, dir.path());
    let base = server.base();
    let mut assistant = Device::login(&base, "assistant");
    let mut guard = Device::login(&base, "security");
    synced(&mut assistant);
    synced(&mut guard);
    let reception = Console::sign_in(&base, "reception");
    let month = Utc::now().with_timezone(&Shanghai).format("%Y-%m");
    let report_path = format!("/v1/reports/monthly?estate={ESTATE_A}&month={month}");
    let before = reception.get(&report_path)["keys"].clone();

    // The assistant, offline: the key into custody, a use, their signature.
    let key = RecordId::new();
    {
        let mut s = assistant.session();
        s.deposit_key(&KeyDeposit {
            id: key.clone(),
            place: Place {
                estate_id: ESTATE_A.into(),
                unit_id: Some("e-sunshine-1-1-101".into()),
                common_area_id: None,
                detail: String::new(),
            },
            resident_name: "王女士".into(),
            description: "入户门钥匙 2 把".into(),
            seal_no: "F-0001".into(),
        })
        .unwrap();
        s.request_key_use(
            &key,
            &UseRequest {
                id: "use-1".into(),
                reason: "楼上漏水,业主外出,入室检查".into(),
                present: vec!["陈晨".into(), "孙强".into()],
                contractor: "张伟".into(),
            },
        )
        .unwrap();
        s.sign_key_use(&key, "use-1", SignStep::Approve, "")
            .unwrap();
    }
    synced(&mut assistant);

    // The guard signs on their own phone, opens, registers entry, reseals.
    synced(&mut guard);
    {
        let mut s = guard.session();
        s.sign_key_use(&key, "use-1", SignStep::Approve, "")
            .unwrap();
        s.key_site_step(&key, "s1", "use-1", SiteStep::Opened, "")
            .unwrap();
        s.key_site_step(
            &key,
            "s2",
            "use-1",
            SiteStep::Entered,
            "三人入室,未移动物品",
        )
        .unwrap();
        s.sign_key_use(&key, "use-1", SignStep::Reseal, "F-0002")
            .unwrap();
    }
    synced(&mut guard);

    let path = format!("/v1/keys/{key}");
    let v = reception.get(&path);
    assert_eq!(v["status"], "in_use", "{v}");
    assert_eq!(v["uses"][0]["status"], "opened");

    synced(&mut assistant);
    assistant
        .session()
        .sign_key_use(&key, "use-1", SignStep::Reseal, "F-0002")
        .unwrap();
    synced(&mut assistant);

    let v = reception.get(&path);
    let (a, g) = (&assistant.staff.id, &guard.staff.id);
    assert_eq!(
        (&v["status"], &v["current_seal"], &v["uses"][0]["status"]),
        (&json!("in_custody"), &json!("F-0002"), &json!("resealed")),
        "{v}"
    );
    assert_eq!(
        v["uses"][0]["signed_by"],
        json!({"approve": {"property": a, "security": g}, "reseal": {"property": a, "security": g}})
    );
    assert_eq!(v["key"]["resident_name"], "王女士");
    assert_eq!(v["personal_shown"], true);

    // Reception lends it against an ID; the guard's console does not see it.
    let (status, lent) = reception.send(
        reqwest::Method::POST,
        &format!("{path}/loans"),
        Some(
            json!({"loan_id": "loan-1", "borrower": "王女士之子", "id_document": "身份证",
                    "id_number": "110101199001011234"}),
        ),
    );
    assert_eq!(status, 200, "{lent}");
    assert_eq!(lent["status"], "lent");
    assert_eq!(lent["key"]["loans"][0]["id_number"], "110101199001011234");
    let guard_console = Console::sign_in(&base, "security");
    let seen: Value = guard_console.get(&path);
    assert_eq!(seen["personal_shown"], false);
    assert_eq!(seen["key"]["loans"][0]["id_number"], "");
    assert_eq!(seen["key"]["resident_name"], "");
    // Nor may the guard lend or deposit keys at the office.
    let (status, _) = guard_console.send(
        reqwest::Method::POST,
        &format!("{path}/loans/loan-1/return"),
        None,
    );
    assert_eq!(status, 403);
    let rows = reception.get(&format!("/v1/keys?estate={ESTATE_A}"));
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == key.as_str())
        .unwrap();
    assert_eq!(row["status"], "lent");

    // The month's report counts the key held, its use and the loan out.
    let after = reception.get(&report_path)["keys"].clone();
    let grew = |figure: &str| after[figure].as_i64().unwrap() - before[figure].as_i64().unwrap();
    assert_eq!(
        ["held", "uses", "loans_outstanding", "checks_done"].map(grew),
        [1, 1, 1, 0],
        "{before} -> {after}"
    );

    // A second use, signed by the guard's phone with a key it never
    // registered: the server refuses the change and keeps nothing of it.
    {
        let mut s = assistant.session();
        s.request_key_use(
            &key,
            &UseRequest {
                id: "use-2".into(),
                reason: "更换门锁".into(),
                present: vec!["陈晨".into(), "孙强".into()],
                contractor: String::new(),
            },
        )
        .unwrap();
    }
    synced(&mut assistant);
    synced(&mut guard);
    let forged_key = DeviceKey::generate().unwrap();
    let who = guard.who(rounds_core::time::now_millis());
    assert_eq!(who.role, Role::Security);
    guard
        .store
        .edit(&key, |k: &mut KeyCustodyDoc, _| {
            k.sign_use("use-2", SignStep::Approve, "", &forged_key, &who)
        })
        .unwrap();
    let summary = guard.sync().unwrap();
    assert_eq!(summary.refused.len(), 1, "{:?}", summary.refused);
    assert_eq!(summary.refused[0].code, "signature_refused");
    let v = reception.get(&path);
    assert_eq!(v["uses"][1]["status"], "requested");
    assert_eq!(v["uses"][1]["signed_by"]["approve"], json!({}));
}
