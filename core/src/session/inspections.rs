//! Patrols through a session: an inspection from a template's latest version,
//! its items, and a defect turned into a rectification notice or a work order,
//! linked both ways; patrol runs with their scans and findings.

use super::{OrderRequest, Session, SessionError};
use crate::documents::inspection::{
    FollowUpKind, Inspection, InspectionDoc, InspectionDraft, ItemResult,
};
use crate::documents::patrol::{PatrolRouteDoc, PatrolRun, PatrolRunDoc};
use crate::documents::rectification::{RectificationDoc, RectificationDraft};
use crate::documents::template::TemplateDoc;
use crate::documents::work_order::{Photo, Source, SourceKind, WorkOrderDoc};
use crate::documents::RecordError;
use crate::ids::RecordId;
use crate::places::{GeoPoint, Place};
use crate::rules::PatrolFinding;
use crate::store::DocumentStore;
use crate::time::Millis;

impl<S: DocumentStore> Session<S> {
    /// Starts an inspection on the template's latest version; the inspection
    /// keeps that version whatever is published later.
    pub fn start_inspection(
        &mut self,
        id: RecordId,
        template_id: &RecordId,
        place: Place,
        location: Option<GeoPoint>,
    ) -> Result<RecordId, SessionError> {
        let template = self.get::<TemplateDoc>(template_id)?.read()?;
        let version = template.latest().map(|v| v.version).ok_or_else(|| {
            RecordError::invalid(
                "template",
                "模板没有已发布的版本",
                "the template has no published version",
            )
        })?;
        let draft = InspectionDraft {
            id,
            place,
            location,
        };
        let inspection = InspectionDoc::start(
            &draft,
            &template,
            version,
            self.store().device_id(),
            &self.who(),
        )?;
        self.create(inspection)
    }

    pub fn inspection(&self, id: &RecordId) -> Result<Inspection, SessionError> {
        Ok(self.get::<InspectionDoc>(id)?.read()?)
    }

    pub fn record_item(
        &mut self,
        id: &RecordId,
        item_id: &str,
        result: ItemResult,
        note: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |i: &mut InspectionDoc, who, _| {
            i.record_item(item_id, result, note, who)
        })
    }

    pub fn add_item_photo(
        &mut self,
        id: &RecordId,
        item_id: &str,
        bytes: &[u8],
        mime: &str,
    ) -> Result<String, SessionError> {
        let hash = self.attach(bytes, mime)?;
        self.edit(id, |i: &mut InspectionDoc, who, _| {
            i.add_item_photo(item_id, &hash, who)
        })?;
        Ok(hash)
    }

    pub fn submit_inspection(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |i: &mut InspectionDoc, who, _| i.submit(who))
    }

    pub fn review_inspection(&mut self, id: &RecordId, comment: &str) -> Result<(), SessionError> {
        self.edit(id, |i: &mut InspectionDoc, who, _| i.review(comment, who))
    }

    /// A defect becomes a work order (工作任务单); the order names the
    /// inspection item it came from and the item names the order.
    pub fn open_order_from_defect(
        &mut self,
        inspection_id: &RecordId,
        item_id: &str,
        mut req: OrderRequest,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            let inspection = s.inspection(inspection_id)?;
            let item = inspection
                .items
                .get(item_id)
                .ok_or_else(|| RecordError::NoSuchItem {
                    what: "inspection item",
                    id: item_id.into(),
                })?
                .clone();
            req.source = Source {
                kind: SourceKind::PatrolFinding,
                record_id: Some(inspection_id.to_string()),
                item_id: Some(item_id.into()),
            };
            let order_id = s.register_order(&req)?;
            // The defect's photos and note travel with it, so nothing found on the
            // patrol is lost on the way to the technician.
            let by = s.staff.id.clone();
            let at = s.now_ms();
            s.edit(&order_id, |o: &mut WorkOrderDoc, who, _| {
                for hash in &item.photos {
                    let photo = Photo {
                        id: format!("defect-{hash}"),
                        hash: hash.clone(),
                        by: by.clone(),
                        at,
                        caption: item.note.clone(),
                    };
                    o.add_photo(&photo, who)?;
                }
                if !item.note.trim().is_empty() {
                    o.add_note(&format!("defect-{item_id}"), &item.note, who)?;
                }
                Ok(())
            })?;
            s.edit(inspection_id, |i: &mut InspectionDoc, who, _| {
                i.link_follow_up(item_id, FollowUpKind::WorkOrder, &order_id, who)
            })?;
            Ok(order_id)
        })
    }

    /// A defect becomes a rectification notice (整改通知单), linked both ways.
    pub fn issue_rectification(
        &mut self,
        inspection_id: &RecordId,
        draft: &RectificationDraft,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            let inspection = s.inspection(inspection_id)?;
            let notice =
                RectificationDoc::issue(draft, &inspection, s.store().device_id(), &s.who())?;
            let id = s.create(notice)?;
            s.edit(inspection_id, |i: &mut InspectionDoc, who, _| {
                i.link_follow_up(&draft.item_id, FollowUpKind::Rectification, &id, who)
            })?;
            Ok(id)
        })
    }

    pub fn start_patrol(
        &mut self,
        id: RecordId,
        route_id: &RecordId,
    ) -> Result<RecordId, SessionError> {
        let route = self.get::<PatrolRouteDoc>(route_id)?.read()?;
        let run = PatrolRunDoc::start(id, &route, self.store().device_id(), &self.who())?;
        self.create(run)
    }

    /// Logs a checkpoint scan with the phone's monotonic time since the
    /// patrol began, so a moved wall clock shows.
    pub fn scan_checkpoint(
        &mut self,
        run_id: &RecordId,
        scan_id: &str,
        code: &str,
        elapsed_ms: Millis,
        location: Option<GeoPoint>,
    ) -> Result<(), SessionError> {
        self.edit(run_id, |r: &mut PatrolRunDoc, who, _| {
            r.scan(scan_id, code, elapsed_ms, location, who)
        })
    }

    pub fn finish_patrol(&mut self, run_id: &RecordId) -> Result<Vec<PatrolFinding>, SessionError> {
        self.edit(run_id, |r: &mut PatrolRunDoc, who, _| r.finish(who))?;
        Ok(self.patrol(run_id)?.findings(&self.rules))
    }

    pub fn patrol(&self, run_id: &RecordId) -> Result<PatrolRun, SessionError> {
        Ok(self.get::<PatrolRunDoc>(run_id)?.read()?)
    }
}
