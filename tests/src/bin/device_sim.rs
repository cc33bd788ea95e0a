//! A technician's phone, simulated for the console's end-to-end tests: signs
//! in, syncs, does the whole field job on one order (accept, start, record
//! the work, complete, the resident signs), uploads the signature image and
//! syncs back, so the office sees a phone-side completion arrive. With
//! `--unsigned` the job is completed without the resident's signature: the
//! record the front desk must refuse (拒收). Without `--order` it only signs
//! in, syncs and says what the phone then holds: a new company's first phone.
//!
//!     device_sim --base http://127.0.0.1:8080 --order ID [--user tech] [--unsigned]
//!     device_sim --base URL --user NAME --password PASSWORD

use std::process::ExitCode;

use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::work_order::WorkRecord;
use rounds_core::documents::{Record, RecordKind};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::Session;
use rounds_core::store::{DocumentStore, Query, Store};
use rounds_core::sync::http::HttpSync;
use rounds_core::sync::{Cancel, NoProgress};
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_server::demo::signature_png::signature_png;
use rounds_tests::PASSWORD;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn run() -> Result<String, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = arg(&args, "--base").ok_or("--base URL is required")?;
    let user = arg(&args, "--user").unwrap_or_else(|| "tech".into());
    let password = arg(&args, "--password").unwrap_or_else(|| PASSWORD.into());
    let unsigned = args.iter().any(|a| a == "--unsigned");

    let dir = tempfile::tempdir()?;
    let mut store = Store::open(dir.path().join("phone.db"))?;
    let mut http = HttpSync::new(&base)?;
    let staff = http
        .login(&store, &user, &password, "simulated phone")?
        .staff;
    http.sync(&mut store, &NoProgress, &Cancel::new())?;
    let Some(order) = arg(&args, "--order") else {
        return holdings(&store);
    };
    let order = RecordId::parse(&order)?;

    let signature = {
        let mut s = Session::new(
            &mut store,
            staff,
            RulesConfig::default(),
            WorkCalendar::china(),
        );
        // The company's rules and calendar, as the first sync brought them.
        s.follow_company_rules()?;
        s.accept(&order)?;
        s.start_work(&order)?;
        let now = now_millis();
        s.record_work(
            &order,
            &WorkRecord {
                work_done: "更换水管接头,试水无渗漏 / replaced the pipe joint, no leak on test"
                    .into(),
                started_at: Some(now - 40 * 60_000),
                ended_at: Some(now),
                prep_minutes: 10,
            },
        )?;
        s.complete(&order)?;
        if unsigned {
            None
        } else {
            Some(s.sign_off(&order, "王女士", &signature_png(7))?)
        }
    };
    if let Some(signature) = &signature {
        http.upload_blob(&store, &signature.signature_image)?;
    }
    let summary = http.sync(&mut store, &NoProgress, &Cancel::new())?;
    if !summary.refused.is_empty() {
        return Err(format!("the server refused: {:?}", summary.refused).into());
    }
    Ok(match signature {
        Some(signature) => format!(
            "completed and signed off {order}; signature {}",
            signature.signature_image
        ),
        None => format!("completed {order}, unsigned"),
    })
}

/// What a freshly synced phone holds: its estates' units and checklists.
fn holdings(store: &Store) -> Result<String, Box<dyn std::error::Error>> {
    let of = |kind| {
        store.query(&Query {
            kind: Some(kind),
            ..Query::default()
        })
    };
    let mut units = 0;
    for row in of(RecordKind::Estate)? {
        let estate = EstateDoc::from_record(store.load(&RecordId::parse(&row.id)?)?)?.read()?;
        units += estate.units().count();
    }
    let checklists = of(RecordKind::Template)?.len();
    Ok(format!("holds {units} units and {checklists} checklists"))
}

fn main() -> ExitCode {
    match run() {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("device_sim: {e}");
            ExitCode::FAILURE
        }
    }
}
