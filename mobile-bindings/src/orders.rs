//! Work orders (报修 / 维修单) across the boundary: the request reception
//! types, each step of the repair, and the order as a screen reads it.

use rounds_core::documents::work_order as core;
use rounds_core::documents::Current;
use rounds_core::session::OrderRequest as CoreRequest;
use rounds_core::signoff::{SignOff as CoreSignOff, SignOffValidity as CoreValidity};

use crate::error::RoundsError;
use crate::fees::Fees;
use crate::people::{Label, Role};
use crate::places::{Contact, Place};
use crate::session::{id_or_new, item_id, record_id, Rounds};
use crate::time::{at, ms, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OrderStatus {
    Registered,
    Dispatched,
    Accepted,
    InProgress,
    Completed,
    SignedOff,
    Reviewed,
    Revisited,
    Closed,
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SourceKind {
    ResidentRequest,
    Complaint,
    PatrolFinding,
    Staff,
}

/// Where an order came from, linked back so a case can be followed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderSource {
    pub kind: SourceKind,
    /// The complaint, revisit or inspection it came from.
    #[uniffi(default)]
    pub record_id: Option<String>,
    /// The inspection item, for a patrol finding.
    #[uniffi(default)]
    pub item_id: Option<String>,
}

/// What reception (or a technician on patrol) types to register a request.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OrderRequest {
    /// Made when the form opens (`new_record_id`), so a retried submit names
    /// the same order; left empty, a new one is made.
    #[uniffi(default)]
    pub id: Option<String>,
    pub source: OrderSource,
    /// Category code from the price list (`door_lock`, `pipe_leak`, …): the
    /// rules give its deadline.
    pub category: String,
    pub place: Place,
    #[uniffi(default)]
    pub emergency: bool,
    pub resident: Contact,
    pub content: String,
    /// A deadline set by the head or agreed with the resident, for the
    /// categories that take one.
    #[uniffi(default)]
    pub agreed_due_at: Option<Timestamp>,
    /// The order this one repairs again (返修).
    #[uniffi(default)]
    pub rework_of: Option<String>,
    /// A paid service (有偿服务): the quote must come before work starts.
    #[uniffi(default)]
    pub paid_service: bool,
}

impl OrderRequest {
    pub(crate) fn into_core(self) -> Result<CoreRequest, RoundsError> {
        Ok(CoreRequest {
            id: id_or_new(self.id)?,
            source: core::Source {
                kind: self.source.kind.into(),
                record_id: self.source.record_id,
                item_id: self.source.item_id,
            },
            category: self.category,
            place: self.place.into(),
            emergency: self.emergency,
            resident: self.resident.into(),
            content: self.content,
            agreed_due_at: self.agreed_due_at.map(ms),
            rework_of: self.rework_of,
            paid_service: self.paid_service,
        })
    }
}

/// The technician's account of the work.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct WorkRecord {
    #[uniffi(default)]
    pub work_done: String,
    #[uniffi(default)]
    pub started_at: Option<Timestamp>,
    #[uniffi(default)]
    pub ended_at: Option<Timestamp>,
    /// Preparation time, counted in the total hours.
    #[uniffi(default)]
    pub prep_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Material {
    /// Left empty, a new id is made; the same id added twice is kept once.
    #[uniffi(default)]
    pub id: String,
    pub name: String,
    pub quantity: f64,
    /// 个, 米, 卷 …
    pub unit: String,
    #[uniffi(default)]
    pub unit_price_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Note {
    pub id: String,
    pub by: String,
    pub at: Timestamp,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Photo {
    pub id: String,
    /// Read the image with `Rounds.attachment(hash)`.
    pub hash: String,
    pub by: String,
    pub at: Timestamp,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Review {
    pub by: Option<String>,
    pub at: Option<Timestamp>,
    pub comment: String,
}

/// The resident's signed acceptance (业主验收签字) as captured.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignOff {
    pub id: String,
    pub resident_name: String,
    pub signed_at: Timestamp,
    /// The image of the resident's signature (`Rounds.attachment(hash)`).
    pub signature_image: String,
    pub device_id: String,
}

/// Whether the latest sign-off still covers the record as it is now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SignOffValidity {
    Unsigned,
    Valid,
    /// The work, materials, hours or fees changed after signing.
    Changed,
    /// The device signature does not verify: forged or damaged.
    BadSignature,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Extension {
    pub id: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub reason: String,
    pub requested_due: Timestamp,
    /// The least senior role that may approve, from the rules.
    pub approver: Role,
    pub needs_resident_consent: bool,
    pub resident_consent: Option<bool>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub approved: Option<bool>,
}

/// Who must approve an extension, and whether the resident must agree too.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExtensionApproval {
    pub approver: Role,
    pub needs_resident_consent: bool,
}

/// A work order as a screen reads it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WorkOrder {
    pub id: String,
    pub estate_id: String,
    /// None while devices' changes disagree (see `conflicting_statuses`).
    pub status: Option<OrderStatus>,
    pub status_label: Label,
    /// The statuses a head chooses between to resolve a conflict.
    pub conflicting_statuses: Vec<OrderStatus>,
    pub received_at: Timestamp,
    pub registered_by: String,
    pub source: OrderSource,
    pub category: String,
    pub place: Place,
    pub emergency: bool,
    pub resident: Contact,
    pub content: String,
    /// The repair class the deadline was computed from.
    pub deadline_class: String,
    pub due_at: Timestamp,
    pub assignee: Option<String>,
    pub work: WorkRecord,
    /// Start to end plus preparation, once both times are known.
    pub total_minutes: Option<i64>,
    pub materials: Vec<Material>,
    pub fees: Fees,
    pub notes: Vec<Note>,
    pub photos: Vec<Photo>,
    pub signoff: Option<SignOff>,
    pub signoff_validity: SignOffValidity,
    pub signoff_label: Label,
    /// What the record still lacks before it may be completed or signed.
    pub missing_for_completion: Vec<String>,
    pub completed_at: Option<Timestamp>,
    pub review: Review,
    pub extensions: Vec<Extension>,
    pub complaint_id: Option<String>,
    pub rework_of: Option<String>,
    pub revisit_ids: Vec<String>,
}

#[uniffi::export]
impl Rounds {
    /// Registers a request; the rules set its deadline from the category.
    /// Returns the order's id.
    pub fn register_order(&self, request: OrderRequest) -> Result<String, RoundsError> {
        let request = request.into_core()?;
        self.with(|s| s.register_order(&request))
            .map(|id| id.to_string())
    }

    pub fn work_order(&self, id: String) -> Result<WorkOrder, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.order(&id)).map(WorkOrder::from)
    }

    pub fn dispatch(&self, id: String, assignee: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.dispatch(&id, &assignee))
    }

    pub fn accept(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.accept(&id))
    }

    /// Starts work; a paid service must be quoted first.
    pub fn start_work(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.start_work(&id))
    }

    pub fn record_work(&self, id: String, work: WorkRecord) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let work = work.into();
        self.with(|s| s.record_work(&id, &work))
    }

    /// Adds a material used; returns its id.
    pub fn add_material(&self, id: String, material: Material) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        let material: core::Material = material.into();
        self.with(|s| s.add_material(&id, &material))?;
        Ok(material.id)
    }

    pub fn remove_material(&self, id: String, material_id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.remove_material(&id, &material_id))
    }

    /// Quotes a paid service from the price list, before work starts.
    pub fn quote(&self, id: String, quoted_fen: i64) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.quote(&id, quoted_fen))
    }

    pub fn charge(
        &self,
        id: String,
        materials_fee_fen: i64,
        labour_fee_fen: i64,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.charge(&id, materials_fee_fen, labour_fee_fen))
    }

    /// Adds a note; returns its id (empty `note_id`: a new one).
    pub fn add_order_note(
        &self,
        id: String,
        note_id: String,
        text: String,
    ) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        let note_id = item_id(note_id);
        self.with(|s| s.add_order_note(&id, &note_id, &text))?;
        Ok(note_id)
    }

    pub fn set_contact(&self, id: String, contact: Contact) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let contact = contact.into();
        self.with(|s| s.set_contact(&id, &contact))
    }

    /// Completes the repair; returns the id of the revisit the rules plan.
    pub fn complete(&self, id: String) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.complete(&id)).map(|r| r.to_string())
    }

    pub fn signoff_validity(&self, id: String) -> Result<SignOffValidity, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.signoff_validity(&id)).map(Into::into)
    }

    /// Reception refuses (拒收) an incomplete record: back to the technician.
    pub fn refuse(&self, id: String, reason: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.refuse(&id, &reason))
    }

    /// Returns (退单) an order that cannot be done; the head signs.
    pub fn return_order(&self, id: String, reason: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.return_order(&id, &reason))
    }

    /// The head reviews labour, materials and fees.
    pub fn review(&self, id: String, comment: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.review(&id, &comment))
    }

    pub fn close_order(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.close_order(&id))
    }

    /// A head chooses one of the conflicting statuses.
    pub fn resolve_order_conflict(
        &self,
        id: String,
        to: OrderStatus,
        reason: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.resolve_order_conflict(&id, to.into(), &reason))
    }

    /// Asks for more time; the rules say who approves and whether the
    /// resident must agree. Empty `extension_id`: a new one.
    pub fn request_extension(
        &self,
        id: String,
        extension_id: String,
        requested_due: Timestamp,
        reason: String,
    ) -> Result<ExtensionApproval, RoundsError> {
        let id = record_id(&id)?;
        let extension_id = item_id(extension_id);
        let approval =
            self.with(|s| s.request_extension(&id, &extension_id, ms(requested_due), &reason))?;
        Ok(ExtensionApproval {
            approver: approval.approver.into(),
            needs_resident_consent: approval.needs_resident_consent,
        })
    }

    pub fn record_resident_consent(
        &self,
        id: String,
        extension_id: String,
        consent: bool,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.record_resident_consent(&id, &extension_id, consent))
    }

    pub fn decide_extension(
        &self,
        id: String,
        extension_id: String,
        approve: bool,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.decide_extension(&id, &extension_id, approve))
    }
}

/// The status's name for a screen, zh-CN first.
#[uniffi::export]
pub fn order_status_label(status: OrderStatus) -> Label {
    core::OrderStatus::from(status).label().into()
}

// Conversions, one per type.

impl From<core::OrderStatus> for OrderStatus {
    fn from(s: core::OrderStatus) -> Self {
        use core::OrderStatus as C;
        match s {
            C::Registered => OrderStatus::Registered,
            C::Dispatched => OrderStatus::Dispatched,
            C::Accepted => OrderStatus::Accepted,
            C::InProgress => OrderStatus::InProgress,
            C::Completed => OrderStatus::Completed,
            C::SignedOff => OrderStatus::SignedOff,
            C::Reviewed => OrderStatus::Reviewed,
            C::Revisited => OrderStatus::Revisited,
            C::Closed => OrderStatus::Closed,
            C::Returned => OrderStatus::Returned,
        }
    }
}

impl From<OrderStatus> for core::OrderStatus {
    fn from(s: OrderStatus) -> Self {
        use core::OrderStatus as C;
        match s {
            OrderStatus::Registered => C::Registered,
            OrderStatus::Dispatched => C::Dispatched,
            OrderStatus::Accepted => C::Accepted,
            OrderStatus::InProgress => C::InProgress,
            OrderStatus::Completed => C::Completed,
            OrderStatus::SignedOff => C::SignedOff,
            OrderStatus::Reviewed => C::Reviewed,
            OrderStatus::Revisited => C::Revisited,
            OrderStatus::Closed => C::Closed,
            OrderStatus::Returned => C::Returned,
        }
    }
}

impl From<SourceKind> for core::SourceKind {
    fn from(k: SourceKind) -> Self {
        match k {
            SourceKind::ResidentRequest => core::SourceKind::ResidentRequest,
            SourceKind::Complaint => core::SourceKind::Complaint,
            SourceKind::PatrolFinding => core::SourceKind::PatrolFinding,
            SourceKind::Staff => core::SourceKind::Staff,
        }
    }
}

impl From<core::SourceKind> for SourceKind {
    fn from(k: core::SourceKind) -> Self {
        match k {
            core::SourceKind::ResidentRequest => SourceKind::ResidentRequest,
            core::SourceKind::Complaint => SourceKind::Complaint,
            core::SourceKind::PatrolFinding => SourceKind::PatrolFinding,
            core::SourceKind::Staff => SourceKind::Staff,
        }
    }
}

impl From<WorkRecord> for core::WorkRecord {
    fn from(w: WorkRecord) -> Self {
        core::WorkRecord {
            work_done: w.work_done,
            started_at: w.started_at.map(ms),
            ended_at: w.ended_at.map(ms),
            prep_minutes: w.prep_minutes,
        }
    }
}

impl From<core::WorkRecord> for WorkRecord {
    fn from(w: core::WorkRecord) -> Self {
        WorkRecord {
            work_done: w.work_done,
            started_at: w.started_at.map(at),
            ended_at: w.ended_at.map(at),
            prep_minutes: w.prep_minutes,
        }
    }
}

impl From<Material> for core::Material {
    fn from(m: Material) -> Self {
        core::Material {
            id: item_id(m.id),
            name: m.name,
            quantity: m.quantity,
            unit: m.unit,
            unit_price_fen: m.unit_price_fen,
        }
    }
}

impl From<core::Material> for Material {
    fn from(m: core::Material) -> Self {
        Material {
            id: m.id,
            name: m.name,
            quantity: m.quantity,
            unit: m.unit,
            unit_price_fen: m.unit_price_fen,
        }
    }
}

impl From<&CoreValidity> for SignOffValidity {
    fn from(v: &CoreValidity) -> Self {
        match v {
            CoreValidity::Unsigned => SignOffValidity::Unsigned,
            CoreValidity::Valid => SignOffValidity::Valid,
            CoreValidity::Changed { .. } => SignOffValidity::Changed,
            CoreValidity::BadSignature => SignOffValidity::BadSignature,
        }
    }
}

impl From<CoreValidity> for SignOffValidity {
    fn from(v: CoreValidity) -> Self {
        (&v).into()
    }
}

impl From<CoreSignOff> for SignOff {
    fn from(s: CoreSignOff) -> Self {
        SignOff {
            id: s.id,
            resident_name: s.resident_name.0,
            signed_at: at(s.signed_at),
            signature_image: s.signature_image,
            device_id: s.device_id.to_string(),
        }
    }
}

impl From<core::Extension> for Extension {
    fn from(e: core::Extension) -> Self {
        Extension {
            id: e.id,
            requested_by: e.requested_by,
            requested_at: at(e.requested_at),
            reason: e.reason,
            requested_due: at(e.requested_due),
            approver: e.approver.into(),
            needs_resident_consent: e.needs_resident_consent,
            resident_consent: e.resident_consent,
            decided_by: e.decided_by,
            decided_at: e.decided_at.map(at),
            approved: e.approved,
        }
    }
}

impl From<core::WorkOrder> for WorkOrder {
    fn from(o: core::WorkOrder) -> Self {
        let (status, conflicting_statuses) = match o.current() {
            Current::At(s) => (Some(OrderStatus::from(s)), vec![]),
            Current::Conflict(tips) => (None, tips.iter().map(|t| t.to.into()).collect()),
        };
        let status_label = match status {
            Some(s) => order_status_label(s),
            None => rounds_core::labels::CONFLICT.into(),
        };
        let validity = o.signoff_validity();
        let signoff_label = validity.label().into();
        WorkOrder {
            assignee: o.assignee(),
            completed_at: o.completed_at().map(at),
            total_minutes: o.work.total_minutes(),
            missing_for_completion: o
                .missing_for_completion()
                .into_iter()
                .map(String::from)
                .collect(),
            signoff_validity: validity.into(),
            signoff_label,
            status,
            status_label,
            conflicting_statuses,
            id: o.id,
            estate_id: o.estate_id,
            received_at: at(o.received_at),
            registered_by: o.registered_by,
            source: OrderSource {
                kind: o.source.kind.into(),
                record_id: o.source.record_id,
                item_id: o.source.item_id,
            },
            category: o.category,
            place: o.place.into(),
            emergency: o.emergency,
            resident: o.resident.into(),
            content: o.content,
            deadline_class: o.deadline.class,
            due_at: at(o.deadline.due_at),
            work: o.work.into(),
            materials: o.materials.into_iter().map(Into::into).collect(),
            fees: o.fees.into(),
            notes: o
                .notes
                .into_iter()
                .map(|n| Note {
                    id: n.id,
                    by: n.by,
                    at: at(n.at),
                    text: n.text,
                })
                .collect(),
            photos: o
                .photos
                .into_iter()
                .map(|p| Photo {
                    id: p.id,
                    hash: p.hash,
                    by: p.by,
                    at: at(p.at),
                    caption: p.caption,
                })
                .collect(),
            signoff: o.signoffs.into_iter().last().map(Into::into),
            review: Review {
                by: o.review.by,
                at: o.review.at.map(at),
                comment: o.review.comment,
            },
            extensions: o.extensions.into_iter().map(Into::into).collect(),
            complaint_id: o.links.complaint_id,
            rework_of: o.links.rework_of,
            revisit_ids: o.links.revisit_ids,
        }
    }
}
