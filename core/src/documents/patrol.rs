//! Patrol routes (巡更路线) and their runs: a route lists checkpoints in
//! order with a daily schedule; a run records each checkpoint's QR/NFC scan
//! with the wall clock and the phone's monotonic clock, so a later check
//! (`rules::patrol_check`) can spot scans too fast, out of order or far away.

mod run;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::template::heads_only;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::GeoPoint;
use crate::time::Millis;
pub(crate) use run::run_index_row;
pub use run::{PatrolRun, PatrolRunDoc, Scan};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The value of the QR code or NFC tag fixed at the spot.
    pub code: String,
    pub name: String,
    pub expected: Option<GeoPoint>,
    /// How far from `expected` a scan may be and still count.
    pub radius_m: f64,
}

/// When the route is walked each day: local start times "HH:MM".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Schedule {
    pub daily_starts: Vec<String>,
}

/// A route as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatrolRoute {
    pub id: String,
    pub estate_id: String,
    pub name: String,
    pub created_by: String,
    pub created_at: Millis,
    pub checkpoints: Vec<Checkpoint>,
    pub schedule: Schedule,
}

pub struct PatrolRouteDoc {
    doc: RecordDoc,
}

record_view!(PatrolRouteDoc, RecordKind::PatrolRoute, route_index_row);

fn check_checkpoints(checkpoints: &[Checkpoint]) -> Result<(), RecordError> {
    if checkpoints.is_empty() {
        return Err(RecordError::invalid(
            "checkpoints",
            "路线至少需要一个巡更点",
            "a route needs at least one checkpoint",
        ));
    }
    for (i, c) in checkpoints.iter().enumerate() {
        required("code", &c.code)?;
        required("name", &c.name)?;
        if !(c.radius_m > 0.0 && c.radius_m.is_finite()) {
            return Err(RecordError::invalid(
                "radius_m",
                "必须大于0",
                "must be more than zero",
            ));
        }
        if checkpoints[..i].iter().any(|o| o.code == c.code) {
            return Err(RecordError::invalid(
                "code",
                format!("巡更点编码“{}”重复", c.code),
                format!("the code “{}” is used twice", c.code),
            ));
        }
    }
    Ok(())
}

fn check_schedule(schedule: &Schedule) -> Result<(), RecordError> {
    for (i, s) in schedule.daily_starts.iter().enumerate() {
        let ok = matches!(s.split_once(':'), Some((h, m))
            if h.len() == 2 && m.len() == 2
                && h.parse::<u8>().is_ok_and(|h| h < 24)
                && m.parse::<u8>().is_ok_and(|m| m < 60));
        if !ok || schedule.daily_starts[..i].contains(s) {
            return Err(RecordError::invalid(
                "daily_starts",
                format!("“{s}”不是有效时间或重复"),
                format!("“{s}” is not an HH:MM time or is repeated"),
            ));
        }
    }
    Ok(())
}

impl PatrolRouteDoc {
    pub fn create(
        id: RecordId,
        estate_id: &str,
        name: &str,
        checkpoints: &[Checkpoint],
        schedule: &Schedule,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        heads_only(who, "patrol route edited")?;
        required("estate_id", estate_id)?;
        required("name", name)?;
        check_checkpoints(checkpoints)?;
        check_schedule(schedule)?;
        let skeleton = json!({
            "name": name,
            "created_by": who.staff_id,
            "created_at": who.at,
            "checkpoints": checkpoints,
            "schedule": schedule,
        });
        let doc = RecordDoc::create(
            RecordKind::PatrolRoute,
            id,
            estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(PatrolRouteDoc { doc })
    }

    pub fn read(&self) -> Result<PatrolRoute, RecordError> {
        self.doc.read()
    }

    /// Replaces the checkpoints as a whole: an order is only meaningful in
    /// one piece, so two heads' offline edits do not interleave (the later
    /// write wins). Runs already started keep the copy they began with.
    pub fn set_checkpoints(
        &mut self,
        checkpoints: &[Checkpoint],
        who: &Who,
    ) -> Result<(), RecordError> {
        heads_only(who, "patrol route edited")?;
        check_checkpoints(checkpoints)?;
        if self.read()?.checkpoints == checkpoints {
            return Ok(());
        }
        self.doc.change(who, "set checkpoints", |d| {
            codec::put_fields(d, &[], &json!({ "checkpoints": checkpoints }))
        })
    }

    pub fn set_schedule(&mut self, schedule: &Schedule, who: &Who) -> Result<(), RecordError> {
        heads_only(who, "patrol route edited")?;
        check_schedule(schedule)?;
        if self.read()?.schedule == *schedule {
            return Ok(());
        }
        self.doc.change(who, "set schedule", |d| {
            codec::put_fields(d, &["schedule"], schedule)
        })
    }
}

pub(crate) fn route_index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let r: PatrolRoute = doc.read()?;
    Ok(IndexRow {
        id: r.id.clone(),
        kind: RecordKind::PatrolRoute,
        estate_id: r.estate_id.clone(),
        status: "active".into(),
        open: false,
        conflicted: false,
        assignee: None,
        unit_id: None,
        category: None,
        emergency: false,
        created_at: r.created_at,
        due_at: None,
        done_at: None,
        title: r.name.clone(),
        facts: json!({
            "checkpoints": r.checkpoints.len(),
            "daily_starts": r.schedule.daily_starts,
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Record;
    use crate::Role;

    fn head(at: Millis) -> Who {
        Who {
            staff_id: "s1".into(),
            role: Role::Supervisor,
            device_id: DeviceId::new(),
            at,
        }
    }

    fn point(code: &str) -> Checkpoint {
        Checkpoint {
            code: code.into(),
            name: code.into(),
            expected: Some(GeoPoint {
                lat: 31.0,
                lon: 121.0,
                accuracy_m: None,
            }),
            radius_m: 25.0,
        }
    }

    #[test]
    fn schedules_are_distinct_hh_mm_times() {
        let s = |t: &[&str]| Schedule {
            daily_starts: t.iter().map(|x| x.to_string()).collect(),
        };
        assert!(check_schedule(&s(&["08:00", "20:30"])).is_ok());
        for bad in [&["8:00"][..], &["24:00"], &["08:60"], &["08:00", "08:00"]] {
            assert!(check_schedule(&s(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn offline_route_edits_do_not_interleave_checkpoints() {
        let sched = Schedule::default();
        let mut a = PatrolRouteDoc::create(
            RecordId::new(),
            "e1",
            "车库巡更",
            &[point("A")],
            &sched,
            DeviceId::new(),
            &head(1),
        )
        .unwrap();
        let bytes = a.record_mut().save();
        let mut b =
            PatrolRouteDoc::from_record(RecordDoc::load(&bytes, DeviceId::new()).unwrap()).unwrap();
        a.set_checkpoints(&[point("A"), point("B")], &head(2))
            .unwrap();
        b.set_checkpoints(&[point("C"), point("A")], &head(3))
            .unwrap();
        a.record_mut().merge(b.record_mut()).unwrap();
        let codes: Vec<String> = a
            .read()
            .unwrap()
            .checkpoints
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert!(codes == ["A", "B"] || codes == ["C", "A"], "{codes:?}");
        let mut guard = head(4);
        guard.role = Role::Security;
        assert!(a.set_checkpoints(&[point("Z")], &guard).is_err());
    }
}
