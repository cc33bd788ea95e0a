//! The day's documents written out for the automerge-repo harness
//! (`tests/automerge-repo/day.js`), so both servers sync the same bytes:
//!
//! - `morning/<id>`: the shared orders as the server holds them in the
//!   morning (read from the first phone of each estate once it has synced);
//! - `phones/<i>/<id>`: every document phone `i` holds at the end of its day;
//! - `manifest.json`: `{"morning": [id], "phones": [{"estate", "docs": [id]}]}`.

use std::path::{Path, PathBuf};

use rounds_core::store::DocumentStore;
use rounds_tests::Device;

use crate::day::PER_ESTATE;

pub struct Workload {
    dir: PathBuf,
    morning: Vec<String>,
}

/// Every document `d` holds, saved whole, into `dir`; returns their ids.
fn write_docs(d: &Device, dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("workload dir");
    d.store
        .record_ids()
        .expect("ids")
        .into_iter()
        .map(|(id, _)| {
            let bytes = d.store.load(&id).expect("load").save();
            std::fs::write(dir.join(id.as_str()), bytes).expect("write document");
            id.to_string()
        })
        .collect()
}

impl Workload {
    /// Writes the morning's shared orders, after the morning's sync.
    pub fn new(dir: &Path, devices: &[Device]) -> Workload {
        let morning = devices
            .iter()
            .step_by(PER_ESTATE)
            .flat_map(|d| write_docs(d, &dir.join("morning")))
            .collect();
        Workload {
            dir: dir.into(),
            morning,
        }
    }

    /// Writes each phone's documents at the end of the day, and the manifest.
    pub fn evening(&mut self, devices: &[Device]) {
        let phones: Vec<serde_json::Value> = devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let docs = write_docs(d, &self.dir.join("phones").join(i.to_string()));
                serde_json::json!({ "estate": d.staff.estates[0], "docs": docs })
            })
            .collect();
        let manifest = serde_json::json!({ "morning": self.morning, "phones": phones });
        std::fs::write(
            self.dir.join("manifest.json"),
            serde_json::to_vec(&manifest).expect("json"),
        )
        .expect("manifest");
    }
}
