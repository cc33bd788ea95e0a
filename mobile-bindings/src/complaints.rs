//! Complaints (投诉) across the boundary: whoever receives one first owns it
//! to the end (首问责任人).

use rounds_core::documents::complaint as core;
use rounds_core::session::ComplaintRequest as CoreRequest;

use crate::error::RoundsError;
use crate::orders::OrderRequest;
use crate::places::{Contact, Place};
use crate::session::{id_or_new, record_id, Rounds};
use crate::time::{at, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ComplaintStatus {
    Received,
    Dispatched,
    Resolved,
    ReportedBack,
    Revisited,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ComplaintRequest {
    /// Made when the form opens; left empty, a new one is made.
    #[uniffi(default)]
    pub id: Option<String>,
    pub resident: Contact,
    pub place: Place,
    pub subject: String,
    pub content: String,
    #[uniffi(default)]
    pub emergency: bool,
    /// Received at the front desk itself (otherwise relayed later).
    #[uniffi(default)]
    pub at_front_desk: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Complaint {
    pub id: String,
    pub estate_id: String,
    /// None while devices' changes disagree.
    pub status: Option<ComplaintStatus>,
    pub received_at: Timestamp,
    /// 首问责任人: follows the complaint to the end.
    pub first_contact: String,
    pub resident: Contact,
    pub place: Place,
    pub subject: String,
    pub content: String,
    pub emergency: bool,
    /// 有效 / 无效投诉; None until a head classifies it.
    pub valid: Option<bool>,
    pub department: Option<String>,
    pub answer: String,
    /// Resolve-within deadline from the rules.
    pub due_at: Timestamp,
    pub order_ids: Vec<String>,
    pub revisit_ids: Vec<String>,
}

#[uniffi::export]
impl Rounds {
    /// Receives a complaint; this person becomes its first-contact owner.
    pub fn receive_complaint(&self, request: ComplaintRequest) -> Result<String, RoundsError> {
        let request = CoreRequest {
            id: id_or_new(request.id)?,
            resident: request.resident.into(),
            place: request.place.into(),
            subject: request.subject,
            content: request.content,
            emergency: request.emergency,
            at_front_desk: request.at_front_desk,
        };
        self.with(|s| s.receive_complaint(&request))
            .map(|id| id.to_string())
    }

    pub fn complaint(&self, id: String) -> Result<Complaint, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.complaint(&id)).map(Into::into)
    }

    pub fn dispatch_complaint(&self, id: String, department: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.dispatch_complaint(&id, &department))
    }

    /// The department's answer when it cannot finish in time.
    pub fn answer_complaint(&self, id: String, answer: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.answer_complaint(&id, &answer))
    }

    /// 有效 / 无效投诉.
    pub fn classify_complaint(&self, id: String, valid: bool) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.classify_complaint(&id, valid))
    }

    /// Opens a work order for the complaint, linked both ways.
    pub fn open_order_for_complaint(
        &self,
        complaint_id: String,
        request: OrderRequest,
    ) -> Result<String, RoundsError> {
        let complaint_id = record_id(&complaint_id)?;
        let request = request.into_core()?;
        self.with(|s| s.open_order_for_complaint(&complaint_id, request))
            .map(|id| id.to_string())
    }

    /// The work is done; returns the id of the revisit the rules plan.
    pub fn resolve_complaint(&self, id: String, note: String) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.resolve_complaint(&id, &note))
            .map(|id| id.to_string())
    }

    pub fn report_back(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.report_back(&id))
    }

    pub fn close_complaint(&self, id: String) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.close_complaint(&id))
    }
}

impl From<core::ComplaintStatus> for ComplaintStatus {
    fn from(s: core::ComplaintStatus) -> Self {
        use core::ComplaintStatus as C;
        match s {
            C::Received => ComplaintStatus::Received,
            C::Dispatched => ComplaintStatus::Dispatched,
            C::Resolved => ComplaintStatus::Resolved,
            C::ReportedBack => ComplaintStatus::ReportedBack,
            C::Revisited => ComplaintStatus::Revisited,
            C::Closed => ComplaintStatus::Closed,
        }
    }
}

impl From<core::Complaint> for Complaint {
    fn from(c: core::Complaint) -> Self {
        Complaint {
            status: c.status().map(Into::into),
            department: c.department(),
            id: c.id,
            estate_id: c.estate_id,
            received_at: at(c.received_at),
            first_contact: c.first_contact,
            resident: c.resident.into(),
            place: c.place.into(),
            subject: c.subject,
            content: c.content,
            emergency: c.emergency,
            valid: c.valid,
            answer: c.answer,
            due_at: at(c.due_at),
            order_ids: c.order_ids,
            revisit_ids: c.revisit_ids,
        }
    }
}
