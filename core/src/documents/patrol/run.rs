//! A walk of a route: the checkpoints as they were when it began, and every
//! scan as the phone took it.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{check_checkpoints, Checkpoint, PatrolRoute};
use crate::documents::codec;
use crate::documents::lifecycle::Who;
use crate::documents::required;
use crate::documents::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::GeoPoint;
use crate::time::{from_millis, Millis};

/// One scan; never edited once taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub id: String,
    pub code: String,
    /// The phone's wall clock, which a user can change.
    pub wall_at: Millis,
    /// The phone's monotonic clock since the run began, which they cannot.
    pub elapsed_ms: i64,
    pub location: Option<GeoPoint>,
    pub by: String,
}

/// A run as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatrolRun {
    pub id: String,
    pub estate_id: String,
    pub route_id: String,
    pub route_name: String,
    /// The route's checkpoints when the run began.
    pub checkpoints: Vec<Checkpoint>,
    pub started_by: String,
    pub started_at: Millis,
    pub scans: Vec<Scan>,
    pub finished_at: Option<Millis>,
}

pub struct PatrolRunDoc {
    doc: RecordDoc,
}

record_view!(PatrolRunDoc, RecordKind::PatrolRun, run_index_row);

impl PatrolRunDoc {
    pub fn start(
        id: RecordId,
        route: &PatrolRoute,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        check_checkpoints(&route.checkpoints)?;
        let skeleton = json!({
            "route_id": route.id,
            "route_name": route.name,
            "checkpoints": route.checkpoints,
            "started_by": who.staff_id,
            "started_at": who.at,
            "scans": [],
            "finished_at": null,
        });
        let doc = RecordDoc::create(
            RecordKind::PatrolRun,
            id,
            &route.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(PatrolRunDoc { doc })
    }

    pub fn read(&self) -> Result<PatrolRun, RecordError> {
        self.doc.read()
    }

    /// Records a scan as the phone saw it. Codes not on the route are kept
    /// too: judging them is the patrol check's work, not the recorder's.
    pub fn scan(
        &mut self,
        scan_id: &str,
        code: &str,
        elapsed_ms: i64,
        location: Option<GeoPoint>,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("scan id", scan_id)?;
        required("code", code)?;
        if elapsed_ms < 0 {
            return Err(RecordError::invalid(
                "elapsed_ms",
                "不能为负",
                "must not be negative",
            ));
        }
        let run = self.read()?;
        if run.finished_at.is_some() {
            return Err(RecordError::invalid(
                "scan",
                "巡更已结束",
                "the patrol has finished",
            ));
        }
        if run.scans.iter().any(|s| s.id == scan_id) {
            return Ok(()); // a retry of the same scan
        }
        let scan = Scan {
            id: scan_id.into(),
            code: code.into(),
            wall_at: who.at,
            elapsed_ms,
            location,
            by: who.staff_id.clone(),
        };
        self.doc
            .change(who, "scan", |d| codec::append(d, &["scans"], &scan))
    }

    pub fn finish(&mut self, who: &Who) -> Result<(), RecordError> {
        if self.read()?.finished_at.is_some() {
            return Err(RecordError::invalid(
                "finish",
                "巡更已结束",
                "the patrol has finished",
            ));
        }
        self.doc.change(who, "finish", |d| {
            codec::put_fields(d, &[], &json!({ "finished_at": who.at }))
        })
    }

    /// The checkpoints the run was started with, for the patrol check.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, RecordError> {
        Ok(self.read()?.checkpoints)
    }

    /// The scans in the order the document holds them.
    pub fn scans(&self) -> Result<Vec<Scan>, RecordError> {
        Ok(self.read()?.scans)
    }
}

impl PatrolRun {
    /// What the supervisor should look at: missed, out-of-order or unknown
    /// checkpoints, scans far from their spot, and a wall clock that ran
    /// differently from the phone's monotonic clock (a moved clock).
    pub fn findings(&self, cfg: &crate::rules::RulesConfig) -> Vec<crate::rules::PatrolFinding> {
        use crate::rules::patrol_check as pc;
        let at = |p: &GeoPoint| (p.lat, p.lon);
        let route: Vec<pc::Checkpoint> = self
            .checkpoints
            .iter()
            .map(|c| pc::Checkpoint {
                code: c.code.clone(),
                name: c.name.clone(),
                expected: c.expected.as_ref().map(at),
                radius_m: c.radius_m,
            })
            .collect();
        let scans: Vec<pc::Scan> = self
            .scans
            .iter()
            .map(|s| pc::Scan {
                code: s.code.clone(),
                wall_at: from_millis(s.wall_at),
                elapsed_ms: s.elapsed_ms,
                location: s.location.as_ref().map(at),
            })
            .collect();
        pc::check_patrol(&route, from_millis(self.started_at), &scans, cfg)
    }
}

pub(crate) fn run_index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let r: PatrolRun = doc.read()?;
    Ok(IndexRow {
        id: r.id.clone(),
        kind: RecordKind::PatrolRun,
        estate_id: r.estate_id.clone(),
        status: if r.finished_at.is_some() {
            "finished"
        } else {
            "in_progress"
        }
        .into(),
        open: r.finished_at.is_none(),
        conflicted: false,
        assignee: Some(r.started_by.clone()),
        unit_id: None,
        category: None,
        emergency: false,
        created_at: r.started_at,
        due_at: None,
        done_at: r.finished_at,
        title: r.route_name.clone(),
        facts: json!({
            "route_id": r.route_id,
            "scans": r.scans.len(),
            "checkpoints": r.checkpoints.len(),
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Record;
    use crate::Role;

    #[test]
    fn saved_bytes_load_back_with_their_scans() {
        let guard = Who {
            staff_id: "g1".into(),
            role: Role::Security,
            device_id: DeviceId::new(),
            at: 10,
        };
        let route = PatrolRoute {
            id: RecordId::new().to_string(),
            estate_id: "e1".into(),
            name: "夜间巡更".into(),
            created_by: "s1".into(),
            created_at: 1,
            checkpoints: vec![Checkpoint {
                code: "QR-1".into(),
                name: "东门".into(),
                expected: None,
                radius_m: 20.0,
            }],
            schedule: Default::default(),
        };
        let mut run =
            PatrolRunDoc::start(RecordId::new(), &route, guard.device_id, &guard).unwrap();
        run.scan("s1", "QR-UNKNOWN", 1_000, None, &guard).unwrap();
        assert!(run.scan("s2", "QR-1", -1, None, &guard).is_err());
        let bytes = run.record_mut().save();
        let loaded = RecordDoc::load(&bytes, DeviceId::new()).unwrap();
        let row = crate::documents::index_row(&loaded).unwrap();
        assert_eq!((row.status.as_str(), row.open), ("in_progress", true));
        let scans = PatrolRunDoc::from_record(loaded).unwrap().scans().unwrap();
        assert_eq!(
            scans[0].code, "QR-UNKNOWN",
            "codes off the route are kept for the check"
        );
    }
}
