//! Revisits (回访) and home visits (家访): planned against monthly quotas, or due
//! after every repair and complaint; by phone or in person, with the resident's
//! satisfaction and, in person, their signature.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{self, not_allowed, role_in, Status, Transition, TransitionError, Who};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::Explain;
use crate::people::Role;
use crate::places::{Personal, Place};
pub use crate::rules::Satisfaction;
use crate::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisitStatus {
    Planned,
    Done,
    Cancelled,
}

impl Status for RevisitStatus {
    const INITIAL: Self = RevisitStatus::Planned;
    const ALL: &'static [Self] = &[
        RevisitStatus::Planned,
        RevisitStatus::Done,
        RevisitStatus::Cancelled,
    ];

    fn name(self) -> &'static str {
        match self {
            RevisitStatus::Planned => "planned",
            RevisitStatus::Done => "done",
            RevisitStatus::Cancelled => "cancelled",
        }
    }

    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError> {
        use RevisitStatus::*;
        match (from, to) {
            (Planned, Done) => role_in(
                to,
                role,
                &[
                    Role::Receptionist,
                    Role::PropertyAssistant,
                    Role::Supervisor,
                    Role::Director,
                ],
            ),
            (Planned, Cancelled) => role_in(to, role, &[Role::Supervisor, Role::Director]),
            _ => Err(not_allowed(from, to)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisitReason {
    /// After a repair (a work order).
    Repair,
    /// After a complaint.
    Complaint,
    /// A home visit counted against the monthly quota.
    HomeVisit,
    /// A company customer's scheduled revisit (its subject is the customer).
    Customer,
}

impl RevisitReason {
    pub const ALL: [RevisitReason; 4] = [
        RevisitReason::Repair,
        RevisitReason::Complaint,
        RevisitReason::HomeVisit,
        RevisitReason::Customer,
    ];

    /// The name in JSON ("home_visit").
    pub fn name(self) -> &'static str {
        match self {
            RevisitReason::Repair => "repair",
            RevisitReason::Complaint => "complaint",
            RevisitReason::HomeVisit => "home_visit",
            RevisitReason::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Phone,
    InPerson,
}

impl Method {
    pub const ALL: [Method; 2] = [Method::Phone, Method::InPerson];

    /// The name in JSON ("in_person").
    pub fn name(self) -> &'static str {
        match self {
            Method::Phone => "phone",
            Method::InPerson => "in_person",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Outcome {
    pub method: Option<Method>,
    pub satisfaction: Option<Satisfaction>,
    pub comments: String,
    /// A question not answered on the spot gets a promised reply time.
    pub promised_reply_at: Option<Millis>,
    /// In person: the image of the resident's signature (blob hash).
    pub signature_image: Option<String>,
    pub resident_name: Personal<String>,
    /// The resident's account differs from the department's report: an
    /// administrator goes to site at once.
    pub discrepancy: bool,
    /// A problem found on the visit opens a work order.
    pub opened_order_id: Option<String>,
    /// When the promised reply was given, and what it said.
    #[serde(default)]
    pub replied_at: Option<Millis>,
    #[serde(default)]
    pub reply: String,
    /// A company customer's visit: the report (《客户回访报告》) written
    /// after it, and when its papers went to the department head. Absent
    /// until set, so recording a visit never writes them and a revisit
    /// planned before they existed records as it always did.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub report: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revisit {
    pub id: String,
    pub estate_id: String,
    pub reason: RevisitReason,
    /// The work order or complaint revisited; none for a home visit.
    pub subject_id: Option<String>,
    pub place: Place,
    pub assignee: String,
    pub planned_method: Method,
    pub due_at: Millis,
    pub planned_by: String,
    pub planned_at: Millis,
    pub events: Vec<Transition<RevisitStatus>>,
    pub outcome: Outcome,
}

impl Revisit {
    pub fn status(&self) -> Option<RevisitStatus> {
        lifecycle::current(&self.events).status()
    }

    pub fn done_at(&self) -> Option<Millis> {
        lifecycle::reached_at(&self.events, RevisitStatus::Done)
    }

    pub fn done_by(&self) -> Option<&str> {
        self.events
            .iter()
            .find(|e| e.to == RevisitStatus::Done)
            .map(|e| e.by.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisitPlan {
    pub id: RecordId,
    pub reason: RevisitReason,
    pub subject_id: Option<String>,
    pub place: Place,
    pub assignee: String,
    pub planned_method: Method,
    pub due_at: Millis,
}

pub struct RevisitDoc {
    doc: RecordDoc,
}

record_view!(RevisitDoc, RecordKind::Revisit, index_row);

impl RevisitDoc {
    pub fn plan(plan: &RevisitPlan, device: DeviceId, who: &Who) -> Result<Self, RecordError> {
        required("assignee", &plan.assignee)?;
        if plan.reason != RevisitReason::HomeVisit && plan.subject_id.is_none() {
            return Err(RecordError::invalid(
                "subject_id",
                "回访需关联工单、投诉或公司客户",
                "a revisit follows a work order, a complaint or a company customer",
            ));
        }
        let skeleton = json!({
            "reason": plan.reason,
            "subject_id": plan.subject_id,
            "place": plan.place,
            "assignee": plan.assignee,
            "planned_method": plan.planned_method,
            "due_at": plan.due_at,
            "planned_by": who.staff_id,
            "planned_at": who.at,
            "events": [],
            "outcome": Outcome::default(),
        });
        let doc = RecordDoc::create(
            RecordKind::Revisit,
            plan.id.clone(),
            &plan.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(RevisitDoc { doc })
    }

    pub fn read(&self) -> Result<Revisit, RecordError> {
        self.doc.read()
    }

    /// Records the visit. In person needs the resident's signature; a
    /// dissatisfied or disputed answer needs comments saying why.
    pub fn record(&mut self, outcome: &Outcome, who: &Who) -> Result<(), RecordError> {
        let revisit = self.read()?;
        let Some(method) = outcome.method else {
            return Err(RecordError::invalid(
                "method",
                "请选择电话或上门",
                "phone or in person?",
            ));
        };
        let Some(satisfaction) = outcome.satisfaction else {
            return Err(RecordError::invalid(
                "satisfaction",
                "请选择满意度",
                "choose a rating",
            ));
        };
        if method == Method::InPerson {
            match &outcome.signature_image {
                Some(h) => crate::blobs::check_hash(h).map_err(|e| RecordError::Invalid {
                    field: "signature_image",
                    reason: e.message(),
                })?,
                None => {
                    return Err(TransitionError::Incomplete {
                        missing: "signature_image 住户签字".into(),
                    }
                    .into())
                }
            }
        }
        if (!satisfaction.is_satisfied() || outcome.discrepancy)
            && outcome.comments.trim().is_empty()
        {
            return Err(RecordError::invalid(
                "comments",
                "请记录住户意见",
                "write down what the resident said",
            ));
        }
        let t = lifecycle::next(&revisit.events, RevisitStatus::Done, who, None, None)?;
        self.doc.change(who, "revisit done", |d| {
            codec::put_fields(d, &["outcome"], outcome)?;
            codec::append(d, &["events"], &t)
        })
    }

    /// Links the work order a problem found on the visit opened.
    pub fn link_opened_order(&mut self, order_id: &str, who: &Who) -> Result<(), RecordError> {
        self.doc.change(who, "open order", |d| {
            codec::put_fields(d, &["outcome"], &json!({ "opened_order_id": order_id }))
        })
    }

    /// The reply promised on the visit was given.
    pub fn reply(&mut self, reply: &str, who: &Who) -> Result<(), RecordError> {
        required("reply", reply)?;
        let r = self.read()?;
        if r.status() != Some(RevisitStatus::Done) || r.outcome.promised_reply_at.is_none() {
            return Err(RecordError::invalid(
                "reply",
                "这次回访没有承诺回复",
                "no reply was promised on this revisit",
            ));
        }
        if r.outcome.replied_at.is_some() {
            return Err(RecordError::invalid("reply", "已回复", "already replied"));
        }
        self.doc.change(who, "replied", |d| {
            codec::put_fields(
                d,
                &["outcome"],
                &json!({ "replied_at": who.at, "reply": reply }),
            )
        })
    }

    /// The customer visit's report, written once after the visit.
    pub fn write_report(&mut self, report: &str, who: &Who) -> Result<(), RecordError> {
        required("report", report)?;
        let r = self.customer_visit_done()?;
        if r.outcome.reported_at.is_some() {
            return Ok(()); // a retry of the same report
        }
        self.doc.change(who, "customer revisit report", |d| {
            codec::put_fields(
                d,
                &["outcome"],
                &json!({ "report": report.trim(), "reported_at": who.at }),
            )
        })
    }

    /// The visit's papers went to the department head; the report first.
    pub fn file(&mut self, who: &Who) -> Result<(), RecordError> {
        let r = self.customer_visit_done()?;
        if r.outcome.reported_at.is_none() {
            return Err(RecordError::invalid(
                "report",
                "请先写回访报告",
                "write the revisit report first",
            ));
        }
        if r.outcome.filed_at.is_some() {
            return Ok(());
        }
        self.doc.change(who, "customer revisit filed", |d| {
            codec::put_fields(d, &["outcome"], &json!({ "filed_at": who.at }))
        })
    }

    fn customer_visit_done(&self) -> Result<Revisit, RecordError> {
        let r = self.read()?;
        if r.reason != RevisitReason::Customer || r.status() != Some(RevisitStatus::Done) {
            return Err(RecordError::invalid(
                "report",
                "只有已完成的公司客户回访需要报告",
                "only a done company customer revisit has a report",
            ));
        }
        Ok(r)
    }

    pub fn cancel(&mut self, reason: &str, who: &Who) -> Result<(), RecordError> {
        required("reason", reason)?;
        let revisit = self.read()?;
        let t = lifecycle::next(
            &revisit.events,
            RevisitStatus::Cancelled,
            who,
            Some(reason.into()),
            None,
        )?;
        self.doc
            .change(who, "cancel", |d| codec::append(d, &["events"], &t))
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let r: Revisit = doc.read()?;
    let status = r.status();
    Ok(IndexRow {
        id: r.id.clone(),
        kind: RecordKind::Revisit,
        estate_id: r.estate_id.clone(),
        status: status.map_or("conflict", |s| s.name()).into(),
        open: status.is_none_or(|s| s == RevisitStatus::Planned),
        conflicted: status.is_none(),
        assignee: Some(r.assignee.clone()),
        unit_id: r.place.unit_id.clone(),
        category: codec::to_json(&r.reason)?.as_str().map(str::to_owned),
        emergency: false,
        created_at: r.planned_at,
        due_at: Some(r.due_at),
        done_at: r.done_at(),
        title: r.outcome.comments.chars().take(60).collect(),
        facts: json!({
            "subject_id": r.subject_id,
            "planned_method": r.planned_method,
            "done_by": r.done_by(),
            "method": r.outcome.method,
            "in_person": r.outcome.method == Some(Method::InPerson),
            "satisfaction": r.outcome.satisfaction,
            "discrepancy": r.outcome.discrepancy,
            "promised_reply_at": r.outcome.promised_reply_at,
            "replied_at": r.outcome.replied_at,
            "opened_order_id": r.outcome.opened_order_id,
            "reported_at": r.outcome.reported_at,
            "filed_at": r.outcome.filed_at,
        })
        .into(),
    })
}
