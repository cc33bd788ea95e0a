//! The inspection (巡查): a checklist walked on site, started from one template
//! version, each item ok / defect / not applicable with notes, photos, where
//! and when. Defects turn into rectification notices or work orders.

mod model;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{self, Current, Status, TransitionError, Who};
use super::template::Template;
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::Explain;
use crate::places::{GeoPoint, Place};
pub use model::{
    FollowUp, FollowUpKind, Inspection, InspectionItem, InspectionStatus, ItemPlace, ItemResult,
};

/// What the inspector gives when starting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub id: RecordId,
    pub place: Place,
    pub location: Option<GeoPoint>,
    /// The renovation application a renovation patrol checks, if any.
    #[serde(default)]
    pub renovation_id: Option<String>,
}

pub struct InspectionDoc {
    doc: RecordDoc,
}

record_view!(InspectionDoc, RecordKind::Inspection, index_row);

fn no_item(item_id: &str) -> RecordError {
    RecordError::NoSuchItem {
        what: "inspection item",
        id: item_id.into(),
    }
}

impl InspectionDoc {
    /// Starts an inspection on `version` of `template`, copying its items so
    /// later versions never change what this inspection asked.
    pub fn start(
        draft: &InspectionDraft,
        template: &Template,
        version: i64,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        required("estate_id", &draft.place.estate_id)?;
        if template.estate_id != draft.place.estate_id {
            return Err(RecordError::invalid(
                "template",
                "模板不属于该小区",
                "the template belongs to another estate",
            ));
        }
        let v = template.version(version).ok_or(RecordError::NoSuchItem {
            what: "template version",
            id: version.to_string(),
        })?;
        if draft.renovation_id.is_some()
            && template.checklist_kind != super::template::RENOVATION_PATROL
        {
            return Err(RecordError::invalid(
                "renovation_id",
                "只有装修巡查表才能关联装修申请",
                "only a renovation patrol checks a renovation application",
            ));
        }
        let items: serde_json::Map<String, serde_json::Value> = v
            .items
            .iter()
            .zip(0..)
            .map(|(t, position)| {
                let item = InspectionItem {
                    id: t.id.clone(),
                    position,
                    title_zh: t.title_zh.clone(),
                    title_en: t.title_en.clone(),
                    result: ItemResult::Unchecked,
                    note: String::new(),
                    photos: vec![],
                    place: ItemPlace::default(),
                    checked_by: None,
                    checked_at: None,
                };
                Ok((t.id.clone(), codec::to_json(&item)?))
            })
            .collect::<Result<_, RecordError>>()?;
        let mut skeleton = json!({
            "checklist_kind": template.checklist_kind,
            "title_zh": template.name_zh,
            "template_id": template.id,
            "template_version": v.version,
            "place": draft.place,
            "started_by": who.staff_id,
            "started_at": who.at,
            "location": draft.location,
            "finished_at": null,
            "items": items,
            "follow_ups": [],
            "events": [],
        });
        // Written only when there is one, so inspections of other kinds keep
        // the shape older releases read.
        if let Some(renovation) = &draft.renovation_id {
            skeleton["renovation_id"] = json!(renovation);
        }
        let doc = RecordDoc::create(
            RecordKind::Inspection,
            draft.id.clone(),
            &draft.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(InspectionDoc { doc })
    }

    pub fn read(&self) -> Result<Inspection, RecordError> {
        self.doc.read()
    }

    /// Reads the record, refusing unless it is still being walked and has `item_id`.
    fn editable(&self, item_id: &str) -> Result<Inspection, RecordError> {
        let inspection = self.read()?;
        match inspection.current() {
            Current::At(InspectionStatus::InProgress) => {}
            Current::Conflict(_) => return Err(TransitionError::InConflict.into()),
            Current::At(s) => {
                return Err(RecordError::invalid(
                    "status",
                    format!("{}的巡查不能再修改", s.label().zh),
                    format!("a {} inspection is closed to edits", s.name()),
                ))
            }
        }
        if !inspection.items.contains_key(item_id) {
            return Err(no_item(item_id));
        }
        Ok(inspection)
    }

    /// Records one item's result; a defect's note may follow, but must be
    /// there before submission.
    pub fn record_item(
        &mut self,
        item_id: &str,
        result: ItemResult,
        note: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        self.editable(item_id)?;
        if result == ItemResult::Unchecked {
            return Err(RecordError::invalid(
                "result",
                "请选择正常、缺陷或不适用",
                "choose ok, defect or not applicable",
            ));
        }
        self.doc.change(who, "record item", |d| {
            codec::put_fields(
                d,
                &["items", item_id],
                &json!({ "result": result, "note": note, "checked_by": who.staff_id, "checked_at": who.at }),
            )
        })
    }

    pub fn locate_item(
        &mut self,
        item_id: &str,
        place: &ItemPlace,
        who: &Who,
    ) -> Result<(), RecordError> {
        self.editable(item_id)?;
        self.doc.change(who, "locate item", |d| {
            codec::put_fields(d, &["items", item_id, "place"], place)
        })
    }

    /// Links a photo already stored as a blob.
    pub fn add_item_photo(
        &mut self,
        item_id: &str,
        hash: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        crate::blobs::check_hash(hash).map_err(|e| RecordError::Invalid {
            field: "photo",
            reason: e.message(),
        })?;
        let inspection = self.editable(item_id)?;
        if inspection.items[item_id].photos.iter().any(|p| p == hash) {
            return Ok(());
        }
        self.doc.change(who, "add item photo", |d| {
            codec::append(d, &["items", item_id, "photos"], &hash)
        })
    }

    /// Notes the rectification notice or work order opened for a defect.
    /// Allowed after review too: follow-ups are often opened from the office.
    pub fn link_follow_up(
        &mut self,
        item_id: &str,
        kind: FollowUpKind,
        record_id: &RecordId,
        who: &Who,
    ) -> Result<(), RecordError> {
        let inspection = self.read()?;
        let item = inspection
            .items
            .get(item_id)
            .ok_or_else(|| no_item(item_id))?;
        if item.result != ItemResult::Defect {
            return Err(RecordError::invalid(
                "item",
                "只有缺陷项需要跟进",
                "only a defect gets a follow-up",
            ));
        }
        let follow_up = FollowUp {
            item_id: item_id.into(),
            kind,
            record_id: record_id.to_string(),
        };
        if inspection.follow_ups.contains(&follow_up) {
            return Ok(());
        }
        self.doc.change(who, "link follow-up", |d| {
            codec::append(d, &["follow_ups"], &follow_up)
        })
    }

    pub fn submit(&mut self, who: &Who) -> Result<(), RecordError> {
        let inspection = self.read()?;
        let t = lifecycle::next(
            &inspection.events,
            InspectionStatus::Submitted,
            who,
            None,
            None,
        )?;
        let missing = inspection.missing_for_submission();
        if !missing.is_empty() {
            return Err(TransitionError::Incomplete {
                missing: missing.join(", "),
            }
            .into());
        }
        self.doc.change(who, "submitted", |d| {
            codec::put_fields(d, &[], &json!({ "finished_at": who.at }))?;
            codec::append(d, &["events"], &t)
        })
    }

    pub fn review(&mut self, comment: &str, who: &Who) -> Result<(), RecordError> {
        let reason = (!comment.trim().is_empty()).then(|| comment.to_owned());
        self.transition(InspectionStatus::Reviewed, reason, who)
    }

    /// A supervisor sends a submitted inspection back to be completed.
    pub fn send_back(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        required("reason", reason)?;
        let inspection = self.read()?;
        let to = InspectionStatus::InProgress;
        let t = lifecycle::next(&inspection.events, to, who, Some(reason.into()), None)?;
        // Not finished any more: the office's lists must not count it done.
        self.doc.change(who, "sent back", |d| {
            codec::put_fields(d, &[], &json!({ "finished_at": null }))?;
            codec::append(d, &["events"], &t)
        })
    }

    fn transition(
        &mut self,
        to: InspectionStatus,
        reason: Option<String>,
        who: &Who,
    ) -> Result<(), RecordError> {
        let inspection = self.read()?;
        let t = lifecycle::next(&inspection.events, to, who, reason, None)?;
        self.doc
            .change(who, to.name(), |d| codec::append(d, &["events"], &t))
    }

    /// A head chooses between conflicting transitions made offline.
    pub fn resolve_conflict(
        &mut self,
        to: InspectionStatus,
        reason: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        let inspection = self.read()?;
        let t = lifecycle::resolve(&inspection.events, to, who, Some(reason.into()))?;
        self.doc.change(who, "resolve conflict", |d| {
            codec::append(d, &["events"], &t)
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let i: Inspection = doc.read()?;
    let status = i.status();
    let defects = i.defects();
    Ok(IndexRow {
        id: i.id.clone(),
        kind: RecordKind::Inspection,
        estate_id: i.estate_id.clone(),
        status: status.map_or("conflict", |s| s.name()).into(),
        open: status != Some(InspectionStatus::Reviewed),
        conflicted: status.is_none(),
        assignee: None,
        unit_id: i.place.unit_id.clone(),
        category: Some(i.checklist_kind.clone()),
        emergency: false,
        created_at: i.started_at,
        due_at: None,
        done_at: i.finished_at,
        title: i.title_zh.clone(),
        facts: json!({
            "template_id": i.template_id,
            "template_version": i.template_version,
            "items": i.items.len(),
            "defects": defects.len(),
            "defects_without_follow_up": i.defects_to_follow_up().len(),
            "follow_ups": i.follow_ups.len(),
            "renovation_id": i.renovation_id,
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::template::{default_templates, TemplateDoc};
    use crate::documents::Record;
    use crate::Role;

    fn who(staff: &str, role: Role, at: i64) -> Who {
        Who {
            staff_id: staff.into(),
            role,
            device_id: DeviceId::new(),
            at,
        }
    }

    fn started() -> InspectionDoc {
        let sup = who("s1", Role::Supervisor, 1);
        let vacant = &default_templates()[2];
        let t = TemplateDoc::create(RecordId::new(), "e1", vacant, sup.device_id, &sup).unwrap();
        let draft = InspectionDraft {
            id: RecordId::new(),
            place: Place {
                estate_id: "e1".into(),
                unit_id: Some("u-2-1-501".into()),
                ..Place::default()
            },
            renovation_id: None,
            location: None,
        };
        let a = who("a1", Role::PropertyAssistant, 2);
        InspectionDoc::start(&draft, &t.read().unwrap(), 1, a.device_id, &a).unwrap()
    }

    #[test]
    fn saved_bytes_load_back_as_the_same_inspection_and_row() {
        let mut i = started();
        let bytes = i.record_mut().save();
        let loaded = RecordDoc::load(&bytes, DeviceId::new()).unwrap();
        let row = crate::documents::index_row(&loaded).unwrap();
        assert_eq!(row, i.index_row().unwrap());
        assert_eq!((row.status.as_str(), row.open), ("in_progress", true));
        assert_eq!(row.category.as_deref(), Some("vacant_unit_patrol"));
        let read = InspectionDoc::from_record(loaded).unwrap().read().unwrap();
        assert_eq!(read.checklist()[0].id, "doors_windows");
    }

    #[test]
    fn sent_back_it_can_be_corrected_and_submitted_again() {
        let mut i = started();
        for id in i.read().unwrap().items.keys().cloned().collect::<Vec<_>>() {
            i.record_item(
                &id,
                ItemResult::Ok,
                "",
                &who("a1", Role::PropertyAssistant, 3),
            )
            .unwrap();
        }
        i.submit(&who("a1", Role::PropertyAssistant, 4)).unwrap();
        let edit = i.record_item(
            "water",
            ItemResult::Defect,
            "",
            &who("a1", Role::PropertyAssistant, 5),
        );
        assert!(matches!(
            edit,
            Err(RecordError::Invalid {
                field: "status",
                ..
            })
        ));
        i.send_back("厨房未查", &who("s1", Role::Supervisor, 6))
            .unwrap();
        assert_eq!(i.index_row().unwrap().done_at, None);
        i.record_item(
            "water",
            ItemResult::Defect,
            "厨房角阀滴水",
            &who("a1", Role::PropertyAssistant, 7),
        )
        .unwrap();
        i.submit(&who("a1", Role::PropertyAssistant, 8)).unwrap();
        let read = i.read().unwrap();
        assert_eq!(read.finished_at, Some(8));
        assert_eq!(read.status(), Some(InspectionStatus::Submitted));
    }
}
