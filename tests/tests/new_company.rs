//! A new company, from an empty data directory to a phone that syncs its
//! estate, through nothing but the commands and the office API a company
//! would use, on SQLite and PostgreSQL: `rounds-server init` makes the first
//! director; `serve` starts with no demo; the director creates an estate,
//! imports its units from the office's .xlsx (a bad row listed, nothing
//! saved, until it is skipped), imports the staff from a .csv (each new
//! person gets a temporary password, and a re-import changes nothing),
//! publishes a checklist; a technician sets their own password and signs in
//! on a phone, which then holds the estate's units and the checklist.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::Method;
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::template::TemplateDoc;
use rounds_core::documents::{Record, RecordKind};
use rounds_core::store::{DocumentStore, Query};
use rounds_tests::{server_binary, Backend, Console, Device, Server};
use serde_json::{json, Value};

rounds_tests::on_both_backends!(a_company_sets_itself_up_and_a_phone_syncs);

const DIRECTOR_PASSWORD: &str = "Guan-li-2026";

fn init(backend: &Backend, data: &std::path::Path) {
    let mut cmd = Command::new(server_binary());
    cmd.args(["init", "--data-dir"])
        .arg(data)
        .args(["--username", "liuyang", "--name", "刘洋"])
        .env("ROUNDS_INIT_PASSWORD", DIRECTOR_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Backend::Postgres { url } = backend {
        cmd.args(["--database", url]);
    }
    let mut child = cmd.spawn().unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "init: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn ok(answer: (u16, Value), what: &str) -> Value {
    assert!(answer.0 < 300, "{what}: {} {}", answer.0, answer.1);
    answer.1
}

fn a_company_sets_itself_up_and_a_phone_syncs(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init(backend, &data);
    let server = Server::start_serving(backend, &data);
    let base = server.base();
    let director = Console::sign_in_with(&base, "liuyang", DIRECTOR_PASSWORD);
    assert_eq!(
        director.get("/v1/estates").as_array().map(Vec::len),
        Some(0),
        "a new company has no estate"
    );

    // The estate, and its units from the office's spreadsheet.
    let estate = ok(
        director.send(Method::POST, "/v1/estates", Some(json!({"name": "翠湖苑"}))),
        "create the estate",
    );
    let estate_id = estate["id"].as_str().unwrap().to_owned();
    let units = xlsx(&[
        &["楼栋", "单元", "房号", "业主姓名", "电话"],
        &["1栋", "1单元", "101", "张伟", "13800000001"],
        &["1栋", "1单元", "102", "李娜", "13800000002"],
        &["1栋", "2单元", "201", "王芳", "12ab"],
        &["2栋", "1单元", "101", "", ""],
    ]);
    let import = format!("/v1/estates/{estate_id}/import");
    let preview = ok(
        director.upload(&format!("{import}/preview"), units.clone()),
        "preview the units",
    );
    assert_eq!(
        (preview["created"].as_u64(), preview["bad"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(preview["saved"], false);
    let (status, refused) = director.upload(&import, units.clone());
    assert_eq!(status, 422, "bad rows and no skip: {refused}");
    let places = director.get(&format!("/v1/estates/{estate_id}/places"));
    assert_eq!(
        places["buildings"].as_array().map(Vec::len),
        Some(0),
        "nothing saved while a row is bad"
    );
    let applied = ok(
        director.upload(&format!("{import}?skip_bad=true"), units),
        "apply, skipping the bad row",
    );
    assert_eq!(applied["saved"], true);

    // The staff, from the office's staff list.
    let staff_sheet = "用户名,姓名,岗位,小区\n\
                       wangshifu,王师傅,维修工,翠湖苑\n\
                       chenjing,陈静,前台,翠湖苑\n\
                       zhouxin,周鑫,厨师,翠湖苑\n";
    let preview = ok(
        director.upload("/v1/admin/staff/import/preview", staff_sheet.into()),
        "preview the staff",
    );
    assert_eq!(
        (preview["created"].as_u64(), preview["bad"].as_u64()),
        (Some(2), Some(1))
    );
    let bad = &preview["rows"][2];
    assert_eq!(bad["errors"][0]["column"], "role", "{bad}");
    let (status, _) = director.upload("/v1/admin/staff/import", staff_sheet.into());
    assert_eq!(status, 422, "bad rows and no skip");
    let staff = ok(
        director.upload("/v1/admin/staff/import?skip_bad=true", staff_sheet.into()),
        "import the staff",
    );
    let passwords = staff["passwords"].as_array().unwrap();
    assert_eq!(passwords.len(), 2);
    let temporary = passwords
        .iter()
        .find(|p| p["username"] == "wangshifu")
        .unwrap()["temporary_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = ok(
        director.upload("/v1/admin/staff/import?skip_bad=true", staff_sheet.into()),
        "import the same staff again",
    );
    assert_eq!(
        (again["created"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2)),
        "a re-import makes no second account"
    );
    let list = director.get("/v1/admin/staff");
    let wang = list["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "wangshifu")
        .unwrap();
    assert_eq!(
        (
            wang["role"].as_str(),
            wang["department"].as_str(),
            wang["estates"][0].as_str()
        ),
        (
            Some("technician"),
            Some("engineering"),
            Some(estate_id.as_str())
        )
    );

    // A checklist for the estate, from the manuals' own.
    let defaults = director.get("/v1/templates/defaults");
    let mut draft = defaults[0].clone();
    draft["id"] = rounds_core::RecordId::new().to_string().into();
    draft["estate_id"] = estate_id.clone().into();
    let template = ok(
        director.send(Method::POST, "/v1/templates", Some(draft)),
        "publish a checklist",
    );

    // Every step of the set-up is in the audit log, by the director, oldest last.
    let audit = director.get("/v1/admin/audit");
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["actor"], audit["entries"][0]["actor"], "{e}");
            e["action"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        actions,
        [
            "template_created",
            "staff_created",
            "staff_created",
            "places_imported",
            "estate_created"
        ],
        "{audit}"
    );
    assert!(
        !audit.to_string().contains("13800000001"),
        "no resident's phone in the audit log"
    );

    // The technician sets their own password, then signs in on a phone.
    let password = "Wang-shifu-8";
    let http = reqwest::blocking::Client::new();
    let set = http
        .post(format!("{base}/v1/password"))
        .json(&json!({"username": "wangshifu", "current_password": temporary, "new_password": password}))
        .send()
        .unwrap();
    assert_eq!(set.status().as_u16(), 200, "the new password is set");
    let mut phone = Device::login_with(&base, "wangshifu", password);
    phone.sync().expect("the phone syncs");
    let estates = phone
        .store
        .query(&Query {
            kind: Some(RecordKind::Estate),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(estates.len(), 1);
    let id = rounds_core::RecordId::parse(&estates[0].id).unwrap();
    let held = EstateDoc::from_record(phone.store.load(&id).unwrap())
        .unwrap()
        .read()
        .unwrap();
    let numbers: Vec<&str> = held
        .buildings
        .iter()
        .flat_map(|b| &b.entrances)
        .flat_map(|e| &e.units)
        .map(|u| u.number.as_str())
        .collect();
    assert_eq!(
        numbers.len(),
        3,
        "the imported units, not the bad row: {numbers:?}"
    );
    let checklist = rounds_core::RecordId::parse(template["id"].as_str().unwrap()).unwrap();
    let held = TemplateDoc::from_record(phone.store.load(&checklist).unwrap())
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(held.estate_id, estate_id, "the checklist is on the phone");
    std::io::stderr().flush().ok();
}
