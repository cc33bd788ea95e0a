//! A director sets up a new estate from the office's spreadsheet: the
//! preview lists the bad rows and saves nothing, the apply skips them, a
//! second import of the same sheet changes nothing and an edited one updates
//! in place; the director's phone syncs the estate's units; the resident file
//! of a unit shows its residents and the order and complaint registered for
//! it. On the embedded SQLite and on PostgreSQL (`ROUNDS_TEST_POSTGRES`).

use std::net::SocketAddr;

use reqwest::blocking::Client;
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::{Record, RecordKind};
use rounds_core::store::{DocumentStore, Query};
use rounds_server::demo::seed_state;
use rounds_server::{routes, AppState, Limits};
use rounds_tests::{Backend, Device};
use serde_json::{json, Value};

/// The demo company's server in this process, on a loopback port, so a
/// simulated phone can sync with it.
struct Office {
    base: String,
    http: Client,
    _runtime: tokio::runtime::Runtime,
    // Dropped after the runtime: a PostgreSQL client must not be closed
    // from inside one.
    _state: AppState,
    _dir: tempfile::TempDir,
}

impl Office {
    fn start(backend: &Backend) -> Office {
        let dir = tempfile::tempdir().unwrap();
        let state = match backend {
            Backend::Sqlite => AppState::open(dir.path(), Limits::default()).unwrap(),
            Backend::Postgres { url } => {
                AppState::open_postgres(url, dir.path(), Limits::default()).unwrap()
            }
        };
        seed_state(&state).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app = routes::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        runtime.spawn(async move { axum::serve(listener, app).await });
        Office {
            base: format!("http://{addr}"),
            http: Client::new(),
            _runtime: runtime,
            _state: state,
            _dir: dir,
        }
    }

    fn login(&self, username: &str) -> String {
        let (status, body) = self.send(
            "POST",
            "/v1/console/login",
            None,
            Some(json!({"username": username, "password": "rounds-demo"})),
        );
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().unwrap())
    }

    /// Uploads a sheet's bytes as the console does.
    fn upload(&self, path: &str, token: &str, bytes: &[u8]) -> (u16, Value) {
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec());
        answer(req.send().unwrap())
    }
}

fn answer(resp: reqwest::blocking::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

const SHEET: &str = "楼栋,单元,房号,业主姓名,电话,是否空置,公共区域,区域类型
1栋,1单元,101,王芳,13800138000,否,,
1栋,1单元,101,李雷,13900139000,,,
1栋,1单元,102,赵六,1234,,,
1栋,2单元,201,,,是,,
,,,,,,地下车库,停车场
";

/// Every unit of the estate as "building entrance number".
fn units(places: &Value) -> Vec<String> {
    let mut out = vec![];
    for b in places["buildings"].as_array().unwrap() {
        for e in b["entrances"].as_array().unwrap() {
            for u in e["units"].as_array().unwrap() {
                out.push(format!("{} {} {}", b["name"], e["name"], u["number"]).replace('"', ""));
            }
        }
    }
    out
}

fn unit<'a>(places: &'a Value, number: &str) -> &'a Value {
    places["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["entrances"].as_array().unwrap())
        .flat_map(|e| e["units"].as_array().unwrap())
        .find(|u| u["number"] == number)
        .unwrap_or_else(|| panic!("no unit {number} in {places}"))
}

/// The edited sheet as the office saves it from its spreadsheet program:
/// 王芳's phone changed, 102 fixed, and a new unit.
fn edited_xlsx() -> Vec<u8> {
    let rows = [
        ["楼栋", "单元", "房号", "业主姓名", "电话", "是否空置"],
        ["1栋", "1单元", "101", "王芳", "13700137000", "否"],
        ["1栋", "1单元", "101", "李雷", "13900139000", ""],
        ["1栋", "1单元", "102", "赵六", "13600136000", ""],
        ["1栋", "2单元", "201", "", "", "是"],
        ["2栋", "1单元", "101", "孙七", "13500135000", ""],
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn an_estate_is_imported_synced_and_filed(backend: &Backend) {
    let office = Office::start(backend);
    let director = office.login("director");

    let (status, created) = office.send(
        "POST",
        "/v1/estates",
        Some(&director),
        Some(json!({"name": "新苑"})),
    );
    assert_eq!(status, 200, "{created}");
    let estate = created["id"].as_str().unwrap().to_owned();
    let (_, listed) = office.send("GET", "/v1/estates", Some(&director), None);
    assert!(
        listed.as_array().unwrap().iter().any(|e| e["id"] == estate),
        "the new estate is the director's: {listed}"
    );
    let places_path = format!("/v1/estates/{estate}/places");
    let places = || office.send("GET", &places_path, Some(&director), None).1;

    // The preview lists the bad row by column and saves nothing.
    let preview_path = format!("/v1/estates/{estate}/import/preview");
    let (status, preview) = office.upload(&preview_path, &director, SHEET.as_bytes());
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        (preview["created"].as_u64(), preview["bad"].as_u64()),
        (Some(4), Some(1)),
        "{preview}"
    );
    let bad = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "bad")
        .unwrap();
    assert_eq!(bad["row"], 4);
    assert_eq!(bad["errors"][0]["column"], "phone");
    assert!(bad["errors"][0]["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("1234"));
    assert_eq!(preview["saved"], false);
    assert!(units(&places()).is_empty());

    // Applying with a bad row, without saying to skip it, is refused whole.
    let apply_path = format!("/v1/estates/{estate}/import");
    let (status, refused) = office.upload(&apply_path, &director, SHEET.as_bytes());
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["field"], "skip_bad");
    assert!(units(&places()).is_empty());

    // Skipping it saves the good rows.
    let skip_path = format!("{apply_path}?skip_bad=true");
    let (status, applied) = office.upload(&skip_path, &director, SHEET.as_bytes());
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["saved"], true);
    let first = places();
    assert_eq!(units(&first), ["1栋 1单元 101", "1栋 2单元 201"], "{first}");
    assert_eq!(
        unit(&first, "101")["residents"].as_array().unwrap().len(),
        2
    );
    assert_eq!(unit(&first, "201")["vacant"], true);
    assert_eq!(first["common_areas"][0]["kind"], "car_park");

    // The same sheet again changes nothing.
    let (_, again) = office.upload(&skip_path, &director, SHEET.as_bytes());
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["unchanged"], 4);
    assert_eq!(places(), first);

    // The edited sheet, as .xlsx, updates in place and adds what is new.
    let (status, edited) = office.upload(&apply_path, &director, &edited_xlsx());
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        (edited["created"].as_u64(), edited["updated"].as_u64()),
        (Some(2), Some(1)),
        "{edited}"
    );
    let now = places();
    assert_eq!(
        units(&now),
        [
            "1栋 1单元 101",
            "1栋 1单元 102",
            "1栋 2单元 201",
            "2栋 1单元 101"
        ]
    );
    let was = &unit(&first, "101")["residents"][0];
    let is = &unit(&now, "101")["residents"][0];
    assert_eq!((&is["id"], &is["name"]), (&was["id"], &was["name"]));
    assert_eq!(is["phone"], "13700137000");
    assert_eq!(unit(&now, "101")["residents"].as_array().unwrap().len(), 2);
    let unit_id = unit(&now, "101")["id"].as_str().unwrap().to_owned();

    // Reception of another estate cannot import into this one.
    let reception = office.login("reception");
    let (status, _) = office.upload(&skip_path, &reception, SHEET.as_bytes());
    assert_eq!(status, 403);

    // The director's phone syncs the estate and sees its units.
    let base = office.base.clone();
    let phone_units = std::thread::spawn(move || {
        let mut phone = Device::login(&base, "director");
        phone.sync().expect("sync");
        let rows = phone
            .store
            .query(&Query {
                kind: Some(RecordKind::Estate),
                estates: Some(vec![estate.clone()]),
                ..Query::default()
            })
            .unwrap();
        let id = rounds_core::RecordId::parse(&rows[0].id).unwrap();
        let doc = EstateDoc::from_record(phone.store.load(&id).unwrap()).unwrap();
        let read = doc.read().unwrap();
        (estate, read.units().count())
    })
    .join()
    .unwrap();
    let (estate, count) = phone_units;
    assert_eq!(count, 4);

    // An order and a complaint registered at the unit are in its file.
    let call = |content: &str| {
        json!({
            "estate_id": estate,
            "unit_id": unit_id,
            "resident_name": "王芳",
            "phone": "13700137000",
            "content": content,
            "category": "pipe_leak",
            "subject": "维修太慢",
            "emergency": false,
        })
    };
    let (status, order) = office.send(
        "POST",
        "/v1/orders",
        Some(&director),
        Some(call("厨房水管漏水")),
    );
    assert_eq!(status, 201, "{order}");
    let (status, complaint) = office.send(
        "POST",
        "/v1/complaints",
        Some(&director),
        Some(call("维修一直没人来")),
    );
    assert_eq!(status, 201, "{complaint}");
    let file_path = format!("/v1/units/{unit_id}");
    let (status, file) = office.send("GET", &file_path, Some(&director), None);
    assert_eq!(status, 200, "{file}");
    assert_eq!(
        (
            &file["building"],
            &file["entrance"],
            &file["unit"]["number"]
        ),
        (&json!("1栋"), &json!("1单元"), &json!("101"))
    );
    assert_eq!(file["unit"]["residents"][0]["name"], "王芳");
    let kinds: Vec<&str> = file["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["complaint", "work_order"], "newest first: {file}");
    assert_eq!(file["history"][1]["id"], order["id"]);

    // Someone who does not work on the estate finds no such unit.
    let (status, _) = office.send("GET", &file_path, Some(&reception), None);
    assert_eq!(status, 404);
}

/// A technician sees that a unit has residents, not their names or phones.
fn the_resident_file_hides_personal_data_from_field_staff(backend: &Backend) {
    let office = Office::start(backend);
    let path = "/v1/units/e-sunshine-1-1-101";
    let (status, tech) = office.send("GET", path, Some(&office.login("tech")), None);
    assert_eq!(status, 200, "{tech}");
    assert_eq!(tech["personal_shown"], false);
    let resident = &tech["unit"]["residents"][0];
    assert!(resident["name"].is_null() && resident["phone"].is_null());
    assert_eq!(resident["owner"], true);
    let (_, desk) = office.send("GET", path, Some(&office.login("reception")), None);
    assert!(desk["unit"]["residents"][0]["phone"].is_string());
}

rounds_tests::on_both_backends!(
    an_estate_is_imported_synced_and_filed,
    the_resident_file_hides_personal_data_from_field_staff,
);
