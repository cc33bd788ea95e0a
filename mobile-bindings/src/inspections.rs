//! Patrols across the boundary: an inspection (巡查) started from a checklist
//! template, its items and photos, a defect turned into a work order or a
//! rectification notice (整改通知单), and patrol runs with their checkpoint
//! scans and findings.

use rounds_core::documents::inspection as core;
use rounds_core::documents::patrol::PatrolRun as CorePatrolRun;
use rounds_core::documents::rectification::RectificationDraft as CoreDraft;
use rounds_core::documents::RecordKind as CoreKind;
use rounds_core::places::GeoPoint as CoreGeoPoint;
use rounds_core::rules::PatrolFinding as CoreFinding;

use crate::error::RoundsError;
use crate::orders::OrderRequest;
use crate::people::Label;
use crate::places::Place;
use crate::queries::{rows, TaskRow};
use crate::session::{id_or_new, item_id, record_id, Rounds};
use crate::time::{at, ms, Timestamp};

/// Where the phone was, from its location service.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    #[uniffi(default)]
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ItemResult {
    Unchecked,
    Ok,
    Defect,
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InspectionStatus {
    InProgress,
    Submitted,
    Reviewed,
}

/// One checklist line as the screen shows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InspectionItem {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub result: ItemResult,
    pub note: String,
    /// Hashes of the item's photos (`Rounds.attachment(hash)`).
    pub photos: Vec<String>,
    pub checked_by: Option<String>,
    pub checked_at: Option<Timestamp>,
    /// The work order or rectification opened for this defect.
    pub follow_up_id: Option<String>,
}

/// An inspection as a screen reads it; items in the checklist's order.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Inspection {
    pub id: String,
    pub estate_id: String,
    pub checklist_kind: String,
    pub title: String,
    pub template_id: String,
    pub template_version: i64,
    pub place: Place,
    /// The renovation application a renovation patrol checks.
    pub renovation_id: Option<String>,
    /// None while devices' changes disagree.
    pub status: Option<InspectionStatus>,
    pub status_label: Label,
    pub started_by: String,
    pub started_at: Timestamp,
    pub items: Vec<InspectionItem>,
}

/// What the inspector fills in to issue a rectification notice for a defect.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RectificationDraft {
    /// Made when the form opens (`new_record_id`); left empty, a new one.
    #[uniffi(default)]
    pub id: Option<String>,
    pub item_id: String,
    pub place: Place,
    pub problem: String,
    /// 责任方: a contractor, a department, a renovating owner.
    pub responsible_party: String,
    pub due_at: Timestamp,
}

/// A checkpoint of a patrol run, in walking order.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Checkpoint {
    pub code: String,
    pub name: String,
    pub scanned: bool,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PatrolRun {
    pub id: String,
    pub estate_id: String,
    pub route_id: String,
    pub route_name: String,
    pub checkpoints: Vec<Checkpoint>,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// What the rules found in a finished patrol.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum PatrolFinding {
    Missed {
        code: String,
    },
    OutOfOrder {
        code: String,
    },
    UnknownCode {
        code: String,
    },
    TooFar {
        code: String,
        distance_m: f64,
    },
    /// The phone's wall clock moved during the patrol.
    ClockMismatch {
        code: String,
        wall_elapsed_ms: i64,
        mono_elapsed_ms: i64,
    },
    Duplicate {
        code: String,
    },
}

#[uniffi::export]
impl Rounds {
    /// Checklist templates of my estates, to start an inspection from.
    pub fn checklists(&self) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.records(CoreKind::Template)).map(rows)
    }

    /// Patrol routes of my estates, to start a patrol from.
    pub fn patrol_routes(&self) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.records(CoreKind::PatrolRoute)).map(rows)
    }

    /// Starts an inspection on the template's latest version; returns its id.
    pub fn start_inspection(
        &self,
        id: Option<String>,
        template_id: String,
        place: Place,
        location: Option<GeoPoint>,
    ) -> Result<String, RoundsError> {
        let id = id_or_new(id)?;
        let template_id = record_id(&template_id)?;
        self.with(|s| s.start_inspection(id, &template_id, place.into(), location.map(Into::into)))
            .map(|id| id.to_string())
    }

    pub fn inspection(&self, id: String) -> Result<Inspection, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.inspection(&id)).map(Inspection::from)
    }

    pub fn record_item(
        &self,
        id: String,
        item_id: String,
        result: ItemResult,
        note: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.record_item(&id, &item_id, result.into(), &note))
    }

    /// Adds a photo to a checklist item; returns its hash.
    pub fn add_item_photo(
        &self,
        id: String,
        item_id: String,
        bytes: Vec<u8>,
        mime: String,
    ) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.add_item_photo(&id, &item_id, &bytes, &mime))
    }

    pub fn add_item_photo_file(
        &self,
        id: String,
        item_id: String,
        path: String,
        mime: String,
    ) -> Result<String, RoundsError> {
        let bytes = std::fs::read(&path).map_err(|e| RoundsError::file(&path, &e))?;
        self.add_item_photo(id, item_id, bytes, mime)
    }

    pub fn submit_inspection(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.submit_inspection(&id))
    }

    /// Turns a defect into a work order that carries its photos and note;
    /// the order and the item name each other. Returns the order's id.
    pub fn open_order_from_defect(
        &self,
        inspection_id: String,
        item_id: String,
        request: OrderRequest,
    ) -> Result<String, RoundsError> {
        let inspection_id = record_id(&inspection_id)?;
        let request = request.into_core()?;
        self.with(|s| s.open_order_from_defect(&inspection_id, &item_id, request))
            .map(|id| id.to_string())
    }

    /// Issues a rectification notice for a defect; returns its id.
    pub fn issue_rectification(
        &self,
        inspection_id: String,
        draft: RectificationDraft,
    ) -> Result<String, RoundsError> {
        let inspection_id = record_id(&inspection_id)?;
        let draft = CoreDraft {
            id: id_or_new(draft.id)?,
            item_id: draft.item_id,
            place: draft.place.into(),
            problem: draft.problem,
            responsible_party: draft.responsible_party,
            due_at: ms(draft.due_at),
        };
        self.with(|s| s.issue_rectification(&inspection_id, &draft))
            .map(|id| id.to_string())
    }

    /// Starts walking a patrol route; returns the run's id.
    pub fn start_patrol(
        &self,
        id: Option<String>,
        route_id: String,
    ) -> Result<String, RoundsError> {
        let id = id_or_new(id)?;
        let route_id = record_id(&route_id)?;
        self.with(|s| s.start_patrol(id, &route_id))
            .map(|id| id.to_string())
    }

    /// Logs a checkpoint's QR or NFC scan. `elapsed_ms` is the phone's
    /// monotonic time since the patrol began (`SystemClock.elapsedRealtime`
    /// differences), so a moved wall clock shows. Empty `scan_id`: a new one.
    pub fn scan_checkpoint(
        &self,
        run_id: String,
        scan_id: String,
        code: String,
        elapsed_ms: i64,
        location: Option<GeoPoint>,
    ) -> Result<(), RoundsError> {
        let run_id = record_id(&run_id)?;
        let scan_id = item_id(scan_id);
        self.with(|s| {
            s.scan_checkpoint(
                &run_id,
                &scan_id,
                &code,
                elapsed_ms,
                location.map(Into::into),
            )
        })
    }

    /// Finishes the patrol and returns what the rules found.
    pub fn finish_patrol(&self, run_id: String) -> Result<Vec<PatrolFinding>, RoundsError> {
        let run_id = record_id(&run_id)?;
        self.with(|s| s.finish_patrol(&run_id))
            .map(|f| f.into_iter().map(Into::into).collect())
    }

    pub fn patrol(&self, run_id: String) -> Result<PatrolRun, RoundsError> {
        let run_id = record_id(&run_id)?;
        self.with(|s| s.patrol(&run_id)).map(PatrolRun::from)
    }
}

impl From<GeoPoint> for CoreGeoPoint {
    fn from(p: GeoPoint) -> Self {
        CoreGeoPoint {
            lat: p.lat,
            lon: p.lon,
            accuracy_m: p.accuracy_m,
        }
    }
}

impl From<ItemResult> for core::ItemResult {
    fn from(r: ItemResult) -> Self {
        match r {
            ItemResult::Unchecked => core::ItemResult::Unchecked,
            ItemResult::Ok => core::ItemResult::Ok,
            ItemResult::Defect => core::ItemResult::Defect,
            ItemResult::NotApplicable => core::ItemResult::NotApplicable,
        }
    }
}

impl From<core::ItemResult> for ItemResult {
    fn from(r: core::ItemResult) -> Self {
        match r {
            core::ItemResult::Unchecked => ItemResult::Unchecked,
            core::ItemResult::Ok => ItemResult::Ok,
            core::ItemResult::Defect => ItemResult::Defect,
            core::ItemResult::NotApplicable => ItemResult::NotApplicable,
        }
    }
}

impl From<core::InspectionStatus> for InspectionStatus {
    fn from(s: core::InspectionStatus) -> Self {
        match s {
            core::InspectionStatus::InProgress => InspectionStatus::InProgress,
            core::InspectionStatus::Submitted => InspectionStatus::Submitted,
            core::InspectionStatus::Reviewed => InspectionStatus::Reviewed,
        }
    }
}

impl From<core::Inspection> for Inspection {
    fn from(i: core::Inspection) -> Self {
        let status = i.status();
        let status_label: Label = match status {
            Some(s) => s.label(),
            None => rounds_core::labels::CONFLICT,
        }
        .into();
        let follow_up = |item: &str| {
            i.follow_ups
                .iter()
                .find(|f| f.item_id == item)
                .map(|f| f.record_id.clone())
        };
        let items = i
            .checklist()
            .into_iter()
            .map(|item| InspectionItem {
                id: item.id.clone(),
                title_zh: item.title_zh.clone(),
                title_en: item.title_en.clone(),
                result: item.result.into(),
                note: item.note.clone(),
                photos: item.photos.clone(),
                checked_by: item.checked_by.clone(),
                checked_at: item.checked_at.map(at),
                follow_up_id: follow_up(&item.id),
            })
            .collect();
        Inspection {
            id: i.id,
            estate_id: i.estate_id,
            checklist_kind: i.checklist_kind,
            title: i.title_zh,
            template_id: i.template_id,
            template_version: i.template_version,
            place: i.place.into(),
            renovation_id: i.renovation_id,
            status: status.map(Into::into),
            status_label,
            started_by: i.started_by,
            started_at: at(i.started_at),
            items,
        }
    }
}

impl From<CorePatrolRun> for PatrolRun {
    fn from(r: CorePatrolRun) -> Self {
        let checkpoints = r
            .checkpoints
            .iter()
            .map(|c| Checkpoint {
                code: c.code.clone(),
                name: c.name.clone(),
                scanned: r.scans.iter().any(|s| s.code == c.code),
            })
            .collect();
        PatrolRun {
            id: r.id,
            estate_id: r.estate_id,
            route_id: r.route_id,
            route_name: r.route_name,
            checkpoints,
            started_at: at(r.started_at),
            finished_at: r.finished_at.map(at),
        }
    }
}

impl From<CoreFinding> for PatrolFinding {
    fn from(f: CoreFinding) -> Self {
        match f {
            CoreFinding::Missed(code) => PatrolFinding::Missed { code },
            CoreFinding::OutOfOrder(code) => PatrolFinding::OutOfOrder { code },
            CoreFinding::UnknownCode(code) => PatrolFinding::UnknownCode { code },
            CoreFinding::TooFar { code, distance_m } => PatrolFinding::TooFar { code, distance_m },
            CoreFinding::ClockMismatch {
                code,
                wall_elapsed_ms,
                mono_elapsed_ms,
            } => PatrolFinding::ClockMismatch {
                code,
                wall_elapsed_ms,
                mono_elapsed_ms,
            },
            CoreFinding::Duplicate(code) => PatrolFinding::Duplicate { code },
        }
    }
}
