//! The rectification notice (整改通知单) issued for an inspection defect: the
//! responsible party rectifies by a deadline, staff re-inspect, and the notice
//! ends rectified, goes round again (二次整改), or closes with a penalty.

mod model;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::inspection::{Inspection, ItemResult};
use super::lifecycle::{self, role_in, Status, Who};
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::Explain;
use crate::places::Place;
use crate::time::Millis;
use model::INSPECTORS;
pub use model::{Penalty, Rectification, RectificationStatus, Report};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectificationDraft {
    pub id: RecordId,
    pub item_id: String,
    pub place: Place,
    pub problem: String,
    pub responsible_party: String,
    pub due_at: Millis,
}

pub struct RectificationDoc {
    doc: RecordDoc,
}

record_view!(RectificationDoc, RecordKind::Rectification, index_row);

fn due_after(due_at: Millis, now: Millis) -> Result<(), RecordError> {
    if due_at > now {
        Ok(())
    } else {
        Err(RecordError::invalid(
            "due_at",
            "整改期限必须晚于现在",
            "the deadline must be in the future",
        ))
    }
}

impl RectificationDoc {
    /// Whether someone of `role` issues notices (and re-inspects them).
    pub fn may_issue(role: crate::people::Role) -> bool {
        INSPECTORS.contains(&role)
    }

    /// Issues a notice for a defect of `inspection`; the caller links it
    /// back with `InspectionDoc::link_follow_up`.
    pub fn issue(
        draft: &RectificationDraft,
        inspection: &Inspection,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        role_in(RectificationStatus::INITIAL, who.role, &INSPECTORS)?;
        required("item_id", &draft.item_id)?;
        required("problem", &draft.problem)?;
        required("responsible_party", &draft.responsible_party)?;
        due_after(draft.due_at, who.at)?;
        if draft.place.estate_id != inspection.estate_id {
            return Err(RecordError::invalid(
                "place",
                "不在该巡查的小区",
                "not in the inspection's estate",
            ));
        }
        match inspection.items.get(&draft.item_id) {
            Some(item) if item.result == ItemResult::Defect => {}
            Some(_) => {
                return Err(RecordError::invalid(
                    "item_id",
                    "该项不是缺陷",
                    "that item is not a defect",
                ))
            }
            None => {
                return Err(RecordError::NoSuchItem {
                    what: "inspection item",
                    id: draft.item_id.clone(),
                })
            }
        }
        let skeleton = json!({
            "inspection_id": inspection.id,
            "item_id": draft.item_id,
            "place": draft.place,
            "problem": draft.problem,
            "responsible_party": draft.responsible_party,
            "issued_by": who.staff_id,
            "issued_at": who.at,
            "due_at": draft.due_at,
            "events": [],
            "reports": [],
            "penalty": Penalty::default(),
        });
        let doc = RecordDoc::create(
            RecordKind::Rectification,
            draft.id.clone(),
            &inspection.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(RectificationDoc { doc })
    }

    pub fn read(&self) -> Result<Rectification, RecordError> {
        self.doc.read()
    }

    /// The responsible party reports the work done; it waits for re-inspection.
    pub fn report_done(
        &mut self,
        report_id: &str,
        note: &str,
        photos: &[String],
        who: &Who,
    ) -> Result<(), RecordError> {
        required("note", note)?;
        for hash in photos {
            crate::blobs::check_hash(hash).map_err(|e| RecordError::Invalid {
                field: "photo",
                reason: e.message(),
            })?;
        }
        let r = self.read()?;
        if r.reports.iter().any(|x| x.id == report_id) {
            return Ok(()); // a retry of the same report
        }
        let t = lifecycle::next(
            &r.events,
            RectificationStatus::AwaitingReinspection,
            who,
            None,
            None,
        )?;
        let report = Report {
            id: report_id.into(),
            by: who.staff_id.clone(),
            at: who.at,
            note: note.into(),
            photos: photos.to_vec(),
        };
        self.doc.change(who, "report rectified", |d| {
            codec::append(d, &["reports"], &report)?;
            codec::append(d, &["events"], &t)
        })
    }

    /// Re-inspection passed.
    pub fn rectified(&mut self, note: &str, who: &Who) -> Result<(), RecordError> {
        let r = self.read()?;
        let reason = (!note.trim().is_empty()).then(|| note.to_owned());
        let t = lifecycle::next(&r.events, RectificationStatus::Rectified, who, reason, None)?;
        self.doc
            .change(who, "rectified", |d| codec::append(d, &["events"], &t))
    }

    /// Re-inspection failed: the party rectifies again by a new deadline.
    pub fn second_rectification(
        &mut self,
        reason: &str,
        due_at: Millis,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("reason", reason)?;
        due_after(due_at, who.at)?;
        let r = self.read()?;
        let to = RectificationStatus::SecondRectification;
        let t = lifecycle::next(&r.events, to, who, Some(reason.into()), None)?;
        self.doc.change(who, "second rectification", |d| {
            codec::put_fields(d, &[], &json!({ "due_at": due_at }))?;
            codec::append(d, &["events"], &t)
        })
    }

    /// Re-inspection failed and the party is penalised; points are required.
    pub fn close_with_penalty(
        &mut self,
        points: i64,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        if points <= 0 {
            return Err(RecordError::invalid(
                "points",
                "处罚分必须大于0",
                "penalty points must be more than zero",
            ));
        }
        required("reason", reason)?;
        let r = self.read()?;
        let to = RectificationStatus::ClosedWithPenalty;
        let t = lifecycle::next(&r.events, to, who, Some(reason.into()), None)?;
        let penalty = Penalty {
            points,
            reason: reason.into(),
            by: Some(who.staff_id.clone()),
            at: Some(who.at),
        };
        self.doc.change(who, "closed with penalty", |d| {
            codec::put_fields(d, &["penalty"], &penalty)?;
            codec::append(d, &["events"], &t)
        })
    }

    /// A head chooses between conflicting re-inspections made offline.
    pub fn resolve_conflict(
        &mut self,
        to: RectificationStatus,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let r = self.read()?;
        let t = lifecycle::resolve(&r.events, to, who, Some(reason.into()))?;
        self.doc.change(who, "resolve conflict", |d| {
            codec::append(d, &["events"], &t)
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let r: Rectification = doc.read()?;
    let status = r.status();
    Ok(IndexRow {
        id: r.id.clone(),
        kind: RecordKind::Rectification,
        estate_id: r.estate_id.clone(),
        status: status.map_or("conflict", |s| s.name()).into(),
        open: status.is_none_or(|s| s.is_open()),
        conflicted: status.is_none(),
        assignee: None,
        unit_id: r.place.unit_id.clone(),
        category: None,
        emergency: false,
        created_at: r.issued_at,
        due_at: Some(r.due_at),
        done_at: r.done_at(),
        title: r.problem.chars().take(60).collect(),
        facts: json!({
            "inspection_id": r.inspection_id,
            "item_id": r.item_id,
            "responsible_party": r.responsible_party,
            "second_rectifications": r.second_rectifications(),
            "penalty_points": r.penalty.points,
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::inspection::{InspectionDoc, InspectionDraft};
    use crate::documents::template::{default_templates, TemplateDoc};
    use crate::documents::Record;
    use crate::Role;

    fn who(role: Role, at: Millis) -> Who {
        Who {
            staff_id: format!("{role:?}"),
            role,
            device_id: DeviceId::new(),
            at,
        }
    }

    /// A renovation patrol that found debris in the stairwell, and its notice.
    fn notice() -> RectificationDoc {
        let sup = who(Role::Supervisor, 1);
        let reno = &default_templates()[3];
        let t = TemplateDoc::create(RecordId::new(), "e1", reno, sup.device_id, &sup).unwrap();
        let place = Place {
            estate_id: "e1".into(),
            unit_id: Some("u-7-1-1201".into()),
            ..Place::default()
        };
        let draft = InspectionDraft {
            id: RecordId::new(),
            place: place.clone(),
            location: None,
            renovation_id: None,
        };
        let a = who(Role::PropertyAssistant, 2);
        let mut i = InspectionDoc::start(&draft, &t.read().unwrap(), 1, a.device_id, &a).unwrap();
        i.record_item("debris", ItemResult::Defect, "楼道堆放装修垃圾", &a)
            .unwrap();
        let draft = RectificationDraft {
            id: RecordId::new(),
            item_id: "debris".into(),
            place,
            problem: "楼道堆放装修垃圾".into(),
            responsible_party: "1201装修公司".into(),
            due_at: 100,
        };
        RectificationDoc::issue(&draft, &i.read().unwrap(), a.device_id, &a).unwrap()
    }

    #[test]
    fn a_penalty_needs_points_and_is_recorded() {
        let mut n = notice();
        n.report_done("r1", "已清理", &[], &who(Role::Cleaning, 10))
            .unwrap();
        n.close_with_penalty(5, "清理不彻底且逾期", &who(Role::Supervisor, 20))
            .unwrap();
        let r = n.read().unwrap();
        assert_eq!(r.status(), Some(RectificationStatus::ClosedWithPenalty));
        assert_eq!((r.penalty.points, r.penalty.at), (5, Some(20)));
        let row = n.index_row().unwrap();
        assert_eq!((row.open, row.done_at), (false, Some(20)));
        assert_eq!(row.facts["penalty_points"], 5);
    }

    #[test]
    fn two_offline_reinspections_that_disagree_wait_for_a_head() {
        let mut n = notice();
        n.report_done("r1", "已清理", &[], &who(Role::Cleaning, 10))
            .unwrap();
        let bytes = n.record_mut().save();
        let mut other =
            RectificationDoc::from_record(RecordDoc::load(&bytes, DeviceId::new()).unwrap())
                .unwrap();
        n.rectified("", &who(Role::PropertyAssistant, 20)).unwrap();
        other
            .second_rectification("仍有垃圾", 200, &who(Role::PropertyAssistant, 21))
            .unwrap();
        n.record_mut().merge(other.record_mut()).unwrap();
        assert!(n.index_row().unwrap().conflicted);
        n.resolve_conflict(
            RectificationStatus::SecondRectification,
            "以复查照片为准",
            &who(Role::Director, 30),
        )
        .unwrap();
        let r = n.read().unwrap();
        assert_eq!(
            (r.status(), r.due_at),
            (Some(RectificationStatus::SecondRectification), 200)
        );
    }
}
