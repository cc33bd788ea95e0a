//! Patrols through a session: an inspection from a template's latest version,
//! its items, and a defect turned into a rectification notice or a work order,
//! linked both ways; patrol runs with their scans and findings.

use super::{OrderRequest, Session, SessionError};
use crate::documents::inspection::{
    FollowUpKind, Inspection, InspectionDoc, InspectionDraft, ItemResult,
};
use crate::documents::patrol::{PatrolRouteDoc, PatrolRun, PatrolRunDoc};
use crate::documents::rectification::{Rectification, RectificationDoc, RectificationDraft};
use crate::documents::template::TemplateDoc;
use crate::documents::work_order::{Photo, Source, SourceKind, WorkOrderDoc};
use crate::documents::RecordError;
use crate::ids::RecordId;
use crate::places::{GeoPoint, Place};
use crate::rules::PatrolFinding;
use crate::store::DocumentStore;
use crate::time::Millis;
use serde::{Deserialize, Serialize};

/// What a re-inspection of a rectification notice finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Reinspection {
    /// Rectified.
    Passed { note: String },
    /// Not yet: the party rectifies again by a new deadline (a second round).
    Again { reason: String, due_at: Millis },
    /// Not rectified: closed with penalty points for the party.
    Penalty { points: i64, reason: String },
}

impl Reinspection {
    /// The verdicts' names in JSON, in the order a form offers them.
    pub const VERDICTS: [&'static str; 3] = ["passed", "again", "penalty"];
}

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
        self.start_on(id, template_id, place, location, None)
    }

    /// Starts an inspection that may name the renovation it checks.
    pub(super) fn start_on(
        &mut self,
        id: RecordId,
        template_id: &RecordId,
        place: Place,
        location: Option<GeoPoint>,
        renovation_id: Option<String>,
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
            renovation_id,
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

    /// A head sends a submitted inspection back to be completed, saying why.
    pub fn send_back_inspection(
        &mut self,
        id: &RecordId,
        reason: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |i: &mut InspectionDoc, who, _| i.send_back(reason, who))
    }

    pub fn rectification(&self, id: &RecordId) -> Result<Rectification, SessionError> {
        Ok(self.get::<RectificationDoc>(id)?.read()?)
    }

    /// The responsible party reports the notice's work done, with photos
    /// (stored as blobs here); it waits for the re-inspection. `report_id`
    /// is made by the caller, so a retry reports once.
    pub fn report_rectified(
        &mut self,
        id: &RecordId,
        report_id: &str,
        note: &str,
        photos: &[(&[u8], &str)],
    ) -> Result<(), SessionError> {
        self.atomically(|s| {
            let mut hashes = vec![];
            for (bytes, mime) in photos {
                hashes.push(s.attach(bytes, mime)?);
            }
            s.edit(id, |r: &mut RectificationDoc, who, _| {
                r.report_done(report_id, note, &hashes, who)
            })
        })
    }

    /// The re-inspection's verdict (复查): passed, rectify again by a new
    /// deadline, or closed with penalty points.
    pub fn reinspect(&mut self, id: &RecordId, verdict: &Reinspection) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RectificationDoc, who, _| match verdict {
            Reinspection::Passed { note } => r.rectified(note, who),
            Reinspection::Again { reason, due_at } => r.second_rectification(reason, *due_at, who),
            Reinspection::Penalty { points, reason } => r.close_with_penalty(*points, reason, who),
        })
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

    /// Whether this person may issue a notice for one of the inspection's
    /// defects now: an inspector, and a defect not yet followed up.
    pub fn may_issue_rectification(&self, id: &RecordId) -> Result<bool, SessionError> {
        let i = self.inspection(id)?;
        Ok(!i.defects_to_follow_up().is_empty() && RectificationDoc::may_issue(self.staff.role))
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
