//! Paid services (有偿服务) end to end, on the embedded SQLite and on
//! PostgreSQL (when `ROUNDS_TEST_POSTGRES` names one): reception marks a
//! request paid at intake; the technician's phone, offline, quotes it before
//! work, charges materials and labour and takes the fee at completion; a
//! second job's fee is taken at the desk at the revisit; neither may be
//! taken twice, after the phone's sync or at the desk; and the month's
//! settlement to finance (JSON and CSV) and the monthly report carry what was
//! quoted, collected and is outstanding.

use chrono::Datelike;
use chrono_tz::Asia::Shanghai;
use rounds_core::documents::work_order::{FeeCollection, PaymentMethod, WorkOrderDoc, WorkRecord};
use rounds_core::rules::price_list::{QuoteLine, QuotePick};
use rounds_core::session::Session;
use rounds_core::store::DocumentStore;
use rounds_core::time::from_millis;
use rounds_core::RecordId;
use rounds_server::demo::ESTATE_A;
use rounds_tests::{Backend, Console, Device, Server};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_paid_job_is_quoted_collected_once_and_settled_for_the_month);
rounds_tests::on_both_backends!(a_quote_is_priced_from_the_list_the_phone_had);

fn post(console: &Console, path: &str, body: Value) -> (u16, Value) {
    console.send(reqwest::Method::POST, path, Some(body))
}

/// A paid request registered and dispatched to the demo technician.
fn paid_request(desk: &Console, content: &str) -> RecordId {
    let (status, saved) = post(
        desk,
        "/v1/orders",
        json!({
            "estate_id": ESTATE_A,
            "unit_id": "e-sunshine-1-1-101",
            "resident_name": "王女士",
            "phone": "13800138000",
            "content": content,
            "category": "general",
            "paid_service": true,
        }),
    );
    assert_eq!(status, 201, "{saved}");
    let id = saved["id"].as_str().unwrap().to_owned();
    let (status, done) = post(
        desk,
        &format!("/v1/orders/{id}/dispatch"),
        json!({"assignee": "s-tech"}),
    );
    assert_eq!(status, 200, "{done}");
    RecordId::parse(&id).unwrap()
}

fn pick(item_id: &str, negotiated_fen: Option<i64>) -> QuotePick {
    QuotePick {
        item_id: item_id.into(),
        quantity: 1,
        negotiated_fen,
    }
}

/// The technician's visit, offline: quoted from the company's price list,
/// done, charged, completed.
fn paid_work(
    tech: &mut Session<&mut rounds_core::store::Store>,
    id: &RecordId,
    picks: &[QuotePick],
    fen: (i64, i64),
) {
    tech.accept(id).unwrap();
    let err = tech.start_work(id).unwrap_err();
    assert!(err.to_string().contains("报价"), "quoted first: {err}");
    // A free amount is refused while the company keeps a price list.
    let err = tech.quote(id, 1).unwrap_err();
    assert!(err.to_string().contains("价目表"), "{err}");
    assert_eq!(tech.quote_from_list(id, picks).unwrap(), fen.0 + fen.1);
    tech.start_work(id).unwrap();
    let start = tech.order(id).unwrap().work.started_at.unwrap();
    tech.record_work(
        id,
        &WorkRecord {
            work_done: "更换水龙头".into(),
            started_at: Some(start),
            ended_at: Some(start + 1_800_000),
            prep_minutes: 10,
        },
    )
    .unwrap();
    tech.charge(id, fen.0, fen.1).unwrap();
    tech.complete(id).unwrap();
}

fn settlement_line(view: &Value) -> (u64, i64, i64, i64) {
    let line = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["technician"] == "s-tech" && l["estate_id"] == ESTATE_A);
    line.map_or((0, 0, 0, 0), |l| {
        (
            l["orders"].as_u64().unwrap(),
            l["quoted_fen"].as_i64().unwrap(),
            l["collected_fen"].as_i64().unwrap(),
            l["outstanding_fen"].as_i64().unwrap(),
        )
    })
}

fn a_paid_job_is_quoted_collected_once_and_settled_for_the_month(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let desk = Console::sign_in(&base, "reception");

    let first = paid_request(&desk, "更换厨房水龙头(有偿)");
    let second = paid_request(&desk, "更换卫生间水龙头(有偿)");
    let mut phone = Device::login(&base, "tech");
    phone.sync().unwrap();

    // Offline on site: both jobs done; the first resident pays there and then.
    let mut tech = phone.session();
    // A tap's labour and a ceiling light; a light's labour and a wall
    // repair priced on site (面议).
    paid_work(
        &mut tech,
        &first,
        &[pick("P-01", None), pick("P-06", None)],
        (8_000, 5_000),
    );
    paid_work(
        &mut tech,
        &second,
        &[pick("P-05", None), pick("P-08", Some(2_000))],
        (2_000, 3_000),
    );
    tech.collect_fee(
        &first,
        &FeeCollection {
            amount_fen: 13_000,
            method: PaymentMethod::Wechat,
            receipt_no: "SJ-2026-0001".into(),
        },
    )
    .unwrap();
    let finished = tech.order(&first).unwrap().completed_at().unwrap();
    drop(tech);
    let month = from_millis(finished).with_timezone(&Shanghai);
    let month = format!("{}-{:02}", month.year(), month.month());
    let settlement = format!("/v1/settlement?month={month}&estate={ESTATE_A}");
    let before = settlement_line(&desk.get(&settlement));

    phone.sync().unwrap();
    let view = desk.get(&format!("/v1/orders/{first}"));
    assert_eq!(view["order"]["fees"]["quoted_fen"], 13_000);
    assert_eq!(view["order"]["fees"]["quote_lines"][1]["name_zh"], "吸顶灯");
    assert_eq!(view["order"]["fees"]["collected_fen"], 13_000);
    assert_eq!(view["order"]["fees"]["collected_by"], "s-tech");
    assert_eq!(view["order"]["fees"]["receipt_no"], "SJ-2026-0001");

    // At the desk: the first is paid already; the second is paid at the
    // revisit, once, and never more than charged.
    let fee = |amount: i64, receipt: &str| json!({"collected_fen": amount, "method": "cash", "receipt_no": receipt});
    let (status, err) = post(
        &desk,
        &format!("/v1/orders/{first}/fee"),
        fee(13_000, "SJ-9"),
    );
    assert_eq!(status, 422, "{err}");
    let (status, err) = post(
        &desk,
        &format!("/v1/orders/{second}/fee"),
        fee(5_001, "SJ-2"),
    );
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["field"], "collected_fen", "{err}");
    let (status, err) = post(&desk, &format!("/v1/orders/{second}/fee"), fee(-1, "SJ-2"));
    assert_eq!(status, 422, "{err}");
    let (status, done) = post(
        &desk,
        &format!("/v1/orders/{second}/fee"),
        fee(4_000, "SJ-2"),
    );
    assert_eq!(status, 200, "{done}");
    let (status, _) = post(
        &desk,
        &format!("/v1/orders/{second}/fee"),
        fee(1_000, "SJ-3"),
    );
    assert_eq!(status, 422, "never twice");

    // The phone hears of the desk's collection; it cannot take it again.
    phone.sync().unwrap();
    let mut tech = phone.session();
    assert_eq!(tech.order(&second).unwrap().fees.collected_fen, Some(4_000));
    assert!(tech
        .collect_fee(
            &second,
            &FeeCollection {
                amount_fen: 1_000,
                method: PaymentMethod::Cash,
                receipt_no: "SJ-4".into(),
            },
        )
        .is_err());
    drop(tech);

    // The month's settlement: the two jobs, once the phone's record reached
    // the server: 180 元 quoted, 170 collected, 10 owed.
    let after = settlement_line(&desk.get(&settlement));
    assert_eq!(
        (
            after.0 - before.0,
            after.1 - before.1,
            after.2 - before.2,
            after.3 - before.3
        ),
        (2, 18_000, 17_000, 1_000),
        "{before:?} {after:?}"
    );
    let view = desk.get(&settlement);
    let line = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["technician"] == "s-tech")
        .unwrap();
    assert_eq!(line["technician_name"], "张伟");
    assert_eq!(line["estate_name"], "阳光花园");

    let csv = reqwest::blocking::Client::new()
        .get(format!("{base}/v1/settlement.csv?month={month}"))
        .bearer_auth(token(&base, "supervisor"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    assert!(csv.contains("实收 collected"), "{csv}");
    assert!(csv.contains("张伟 (s-tech)"), "{csv}");
    assert!(csv.lines().last().unwrap().contains("合计 total"), "{csv}");

    let report = desk.get(&format!(
        "/v1/reports/monthly?estate={ESTATE_A}&month={month}"
    ));
    assert!(report["fees"]["collected_fen"].as_i64().unwrap() >= 17_000);

    // The technician does not see the office's settlement.
    let tech_console = Console::sign_in(&base, "tech");
    let (status, _) = tech_console.send(reqwest::Method::GET, &settlement, None);
    assert_eq!(status, 403);
}

/// A console token for `username`, to read a CSV as a browser downloads it.
fn token(base: &str, username: &str) -> String {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/console/login"))
        .json(&json!({"username": username, "password": "rounds-demo"}))
        .send()
        .unwrap();
    resp.json::<Value>().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The company's price list reaches the phone by sync; a quote the phone
/// made offline from an item the director has since retired still stands,
/// but a price the phone bent is refused by the server, and the list only
/// ever grows or retires items.
fn a_quote_is_priced_from_the_list_the_phone_had(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let desk = Console::sign_in(&base, "reception");
    let director = Console::sign_in(&base, "director");
    let offline = paid_request(&desk, "更换水龙头(有偿)");
    let bent = paid_request(&desk, "更换水龙头(有偿)");
    let mut phone = Device::login(&base, "tech");
    phone.sync().unwrap();

    let mut tech = phone.session();
    let offered: Vec<String> = tech.price_list().into_iter().map(|p| p.id).collect();
    assert!(offered.contains(&"P-01".to_string()), "{offered:?}");
    tech.accept(&offline).unwrap();
    tech.accept(&bent).unwrap();
    assert_eq!(
        tech.quote_from_list(&offline, &[pick("P-01", None)])
            .unwrap(),
        4_000
    );
    drop(tech);

    // Meanwhile the director raises the tap's labour: the old item retired,
    // a new one added. Removing or editing an item is refused.
    let mut list = desk.get("/v1/company/rules")["rules"]["price_list"].clone();
    let items = list.as_array_mut().unwrap();
    let mut edited = items.clone();
    edited[0]["price_fen"] = json!(4_500);
    let (status, err) = director.send(
        reqwest::Method::PUT,
        "/v1/company/rules",
        Some(json!({"rules": {"price_list": edited}})),
    );
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["field"], "price_list[0]", "{err}");
    items[0]["retired_at"] = json!(rounds_core::time::now_millis());
    items.push(json!({"id": "P-01b", "name_zh": "更换水龙头(人工)", "name_en": "Replace a tap (labour)", "unit": "次", "price_fen": 4_500}));
    let (status, saved) = director.send(
        reqwest::Method::PUT,
        "/v1/company/rules",
        Some(json!({"rules": {"price_list": list}})),
    );
    assert_eq!(status, 200, "{saved}");

    // The phone's own quote, made before, is taken; a bent price is not.
    let who = phone.who(rounds_core::time::now_millis());
    let forged = QuoteLine {
        item_id: "P-02".into(),
        name_zh: "水龙头(普通)".into(),
        unit: "个".into(),
        unit_price_fen: 100,
        quantity: 1,
    };
    phone
        .store
        .edit(&bent, |o: &mut WorkOrderDoc, _| {
            o.quote_lines(&[forged], &who)
        })
        .unwrap();
    let summary = phone.sync().unwrap();
    assert_eq!(summary.refused.len(), 1, "{:?}", summary.refused);
    assert_eq!(summary.refused[0].code, "bad_value");
    let view = desk.get(&format!("/v1/orders/{offline}"));
    assert_eq!(view["order"]["fees"]["quoted_fen"], 4_000);
    assert_eq!(view["order"]["fees"]["quote_lines"][0]["item_id"], "P-01");
    let view = desk.get(&format!("/v1/orders/{bent}"));
    assert_eq!(view["order"]["fees"]["quoted_fen"], Value::Null);

    // Synced, the phone offers the new price and no longer the old one.
    let tech = phone.session();
    let offered: Vec<String> = tech.price_list().into_iter().map(|p| p.id).collect();
    assert!(offered.contains(&"P-01b".to_string()), "{offered:?}");
    assert!(!offered.contains(&"P-01".to_string()), "{offered:?}");
}
