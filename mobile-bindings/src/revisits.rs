//! Revisits (回访) and home visits (家访) across the boundary.

use rounds_core::documents::revisit as core;
use rounds_core::places::Personal;

use crate::error::RoundsError;
use crate::orders::OrderRequest;
use crate::places::Place;
use crate::session::{id_or_new, record_id, Rounds};
use crate::time::{at, ms, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RevisitStatus {
    Planned,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RevisitReason {
    /// After a repair (a work order).
    Repair,
    /// After a complaint.
    Complaint,
    /// A home visit counted against the monthly quota.
    HomeVisit,
    /// A company customer's scheduled revisit.
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VisitMethod {
    Phone,
    InPerson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    Neutral,
    Dissatisfied,
    VeryDissatisfied,
}

/// What the revisit form records. The rules check it: a method and a
/// rating are needed, comments when the resident is not satisfied or
/// disputes the report, and in person the resident's signature.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct RevisitAnswer {
    #[uniffi(default)]
    pub method: Option<VisitMethod>,
    #[uniffi(default)]
    pub satisfaction: Option<Satisfaction>,
    #[uniffi(default)]
    pub comments: String,
    /// A question not answered on the spot gets a promised reply time.
    #[uniffi(default)]
    pub promised_reply_at: Option<Timestamp>,
    #[uniffi(default)]
    pub resident_name: String,
    /// The resident's account differs from the department's report.
    #[uniffi(default)]
    pub discrepancy: bool,
}

/// A revisit as a screen reads it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Revisit {
    pub id: String,
    pub estate_id: String,
    /// None while devices' changes disagree.
    pub status: Option<RevisitStatus>,
    pub reason: RevisitReason,
    /// The work order or complaint revisited; none for a home visit.
    pub subject_id: Option<String>,
    pub place: Place,
    pub assignee: String,
    pub planned_method: VisitMethod,
    pub due_at: Timestamp,
    pub planned_by: String,
    pub planned_at: Timestamp,
    pub done_at: Option<Timestamp>,
    pub answer: RevisitAnswer,
    /// The image of the resident's signature, in person (`attachment(hash)`).
    pub signature_image: Option<String>,
    /// The work order a problem found on the visit opened.
    pub opened_order_id: Option<String>,
    /// A customer visit's report (《客户回访报告》), once written.
    pub report: String,
    pub reported_at: Option<Timestamp>,
    /// When its papers went to the department head.
    pub filed_at: Option<Timestamp>,
}

#[uniffi::export]
impl Rounds {
    /// Plans a home visit (家访) counted against the monthly quota.
    pub fn plan_home_visit(
        &self,
        id: Option<String>,
        place: Place,
        assignee: String,
        due_at: Timestamp,
    ) -> Result<String, RoundsError> {
        let id = id_or_new(id)?;
        self.with(|s| s.plan_home_visit(id, place.into(), &assignee, ms(due_at)))
            .map(|id| id.to_string())
    }

    pub fn revisit(&self, id: String) -> Result<Revisit, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.revisit(&id)).map(Into::into)
    }

    /// Records the visit; in person, with the PNG of the resident's
    /// signature. Recording it moves the order or complaint it follows.
    pub fn record_revisit(
        &self,
        id: String,
        answer: RevisitAnswer,
        signature_png: Option<Vec<u8>>,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let outcome = answer.into();
        self.with(|s| s.record_revisit(&id, outcome, signature_png.as_deref()))
    }

    /// A problem found on the visit opens a work order, linked both ways.
    pub fn open_order_from_revisit(
        &self,
        revisit_id: String,
        request: OrderRequest,
    ) -> Result<String, RoundsError> {
        let revisit_id = record_id(&revisit_id)?;
        let request = request.into_core()?;
        self.with(|s| s.open_order_from_revisit(&revisit_id, request))
            .map(|id| id.to_string())
    }
}

impl From<RevisitAnswer> for core::Outcome {
    fn from(a: RevisitAnswer) -> Self {
        core::Outcome {
            method: a.method.map(Into::into),
            satisfaction: a.satisfaction.map(Into::into),
            comments: a.comments,
            promised_reply_at: a.promised_reply_at.map(ms),
            resident_name: Personal(a.resident_name),
            discrepancy: a.discrepancy,
            // The signature is attached by the session; the rest comes later.
            ..core::Outcome::default()
        }
    }
}

impl From<core::Revisit> for Revisit {
    fn from(r: core::Revisit) -> Self {
        Revisit {
            status: r.status().map(Into::into),
            done_at: r.done_at().map(at),
            id: r.id,
            estate_id: r.estate_id,
            reason: r.reason.into(),
            subject_id: r.subject_id,
            place: r.place.into(),
            assignee: r.assignee,
            planned_method: r.planned_method.into(),
            due_at: at(r.due_at),
            planned_by: r.planned_by,
            planned_at: at(r.planned_at),
            signature_image: r.outcome.signature_image,
            opened_order_id: r.outcome.opened_order_id,
            report: r.outcome.report,
            reported_at: r.outcome.reported_at.map(at),
            filed_at: r.outcome.filed_at.map(at),
            answer: RevisitAnswer {
                method: r.outcome.method.map(Into::into),
                satisfaction: r.outcome.satisfaction.map(Into::into),
                comments: r.outcome.comments,
                promised_reply_at: r.outcome.promised_reply_at.map(at),
                resident_name: r.outcome.resident_name.0,
                discrepancy: r.outcome.discrepancy,
            },
        }
    }
}

impl From<core::RevisitStatus> for RevisitStatus {
    fn from(s: core::RevisitStatus) -> Self {
        match s {
            core::RevisitStatus::Planned => RevisitStatus::Planned,
            core::RevisitStatus::Done => RevisitStatus::Done,
            core::RevisitStatus::Cancelled => RevisitStatus::Cancelled,
        }
    }
}

impl From<core::RevisitReason> for RevisitReason {
    fn from(r: core::RevisitReason) -> Self {
        match r {
            core::RevisitReason::Repair => RevisitReason::Repair,
            core::RevisitReason::Complaint => RevisitReason::Complaint,
            core::RevisitReason::HomeVisit => RevisitReason::HomeVisit,
            core::RevisitReason::Customer => RevisitReason::Customer,
        }
    }
}

impl From<core::Method> for VisitMethod {
    fn from(m: core::Method) -> Self {
        match m {
            core::Method::Phone => VisitMethod::Phone,
            core::Method::InPerson => VisitMethod::InPerson,
        }
    }
}

impl From<VisitMethod> for core::Method {
    fn from(m: VisitMethod) -> Self {
        match m {
            VisitMethod::Phone => core::Method::Phone,
            VisitMethod::InPerson => core::Method::InPerson,
        }
    }
}

impl From<core::Satisfaction> for Satisfaction {
    fn from(s: core::Satisfaction) -> Self {
        use core::Satisfaction as C;
        match s {
            C::VerySatisfied => Satisfaction::VerySatisfied,
            C::Satisfied => Satisfaction::Satisfied,
            C::Neutral => Satisfaction::Neutral,
            C::Dissatisfied => Satisfaction::Dissatisfied,
            C::VeryDissatisfied => Satisfaction::VeryDissatisfied,
        }
    }
}

impl From<Satisfaction> for core::Satisfaction {
    fn from(s: Satisfaction) -> Self {
        use core::Satisfaction as C;
        match s {
            Satisfaction::VerySatisfied => C::VerySatisfied,
            Satisfaction::Satisfied => C::Satisfied,
            Satisfaction::Neutral => C::Neutral,
            Satisfaction::Dissatisfied => C::Dissatisfied,
            Satisfaction::VeryDissatisfied => C::VeryDissatisfied,
        }
    }
}
