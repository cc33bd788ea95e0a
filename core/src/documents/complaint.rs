//! Complaints (投诉): the first employee to receive one (首问责任人) owns it to
//! the end; each step is timed against the complaint clocks of the rules.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{self, not_allowed, role_in, Status, Transition, TransitionError, Who};
use super::work_order::{check_phone, Contact};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::people::Role;
use crate::places::Place;
use crate::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    Received,
    Dispatched,
    Resolved,
    ReportedBack,
    Revisited,
    Closed,
}

impl Status for ComplaintStatus {
    const INITIAL: Self = ComplaintStatus::Received;
    const ALL: &'static [Self] = &[
        ComplaintStatus::Received,
        ComplaintStatus::Dispatched,
        ComplaintStatus::Resolved,
        ComplaintStatus::ReportedBack,
        ComplaintStatus::Revisited,
        ComplaintStatus::Closed,
    ];

    fn name(self) -> &'static str {
        use ComplaintStatus::*;
        match self {
            Received => "received",
            Dispatched => "dispatched",
            Resolved => "resolved",
            ReportedBack => "reported_back",
            Revisited => "revisited",
            Closed => "closed",
        }
    }

    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError> {
        use ComplaintStatus::*;
        let office = [Role::Receptionist, Role::Supervisor, Role::Director];
        match (from, to) {
            (Received | Dispatched, Dispatched) => role_in(to, role, &office),
            // The department that did the work reports it finished.
            (Dispatched, Resolved) => Ok(()),
            (Resolved, ReportedBack) => Ok(()),
            (ReportedBack, Revisited) => role_in(
                to,
                role,
                &[
                    Role::Receptionist,
                    Role::PropertyAssistant,
                    Role::Supervisor,
                    Role::Director,
                ],
            ),
            (Revisited, Closed) => role_in(to, role, &office),
            _ => Err(not_allowed(from, to)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: String,
    pub estate_id: String,
    pub received_at: Millis,
    /// 首问责任人: follows the complaint to the end.
    pub first_contact: String,
    pub resident: Contact,
    pub place: Place,
    pub subject: String,
    pub content: String,
    pub emergency: bool,
    /// 有效 / 无效投诉; None until a head classifies it.
    pub valid: Option<bool>,
    /// When it reached the front desk (if first received elsewhere).
    pub front_desk_at: Option<Millis>,
    /// The department's answer when it cannot finish in time.
    pub answered_at: Option<Millis>,
    pub answer: String,
    /// Resolve-within deadline from the rules (24 h by default).
    pub due_at: Millis,
    pub events: Vec<Transition<ComplaintStatus>>,
    pub order_ids: Vec<String>,
    pub revisit_ids: Vec<String>,
}

impl Complaint {
    pub fn status(&self) -> Option<ComplaintStatus> {
        lifecycle::current(&self.events).status()
    }

    pub fn reached(&self, s: ComplaintStatus) -> Option<Millis> {
        lifecycle::reached_at(&self.events, s)
    }

    pub fn department(&self) -> Option<String> {
        lifecycle::assignee(&self.events)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintDraft {
    pub id: RecordId,
    pub received_at: Millis,
    pub resident: Contact,
    pub place: Place,
    pub subject: String,
    pub content: String,
    pub emergency: bool,
    /// Received at the front desk itself (otherwise relayed later).
    pub at_front_desk: bool,
    pub due_at: Millis,
}

pub struct ComplaintDoc {
    doc: RecordDoc,
}

record_view!(ComplaintDoc, RecordKind::Complaint, index_row);

impl ComplaintDoc {
    /// Whoever receives it first owns it, whatever their role.
    pub fn receive(
        draft: &ComplaintDraft,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        for (field, value) in [("subject", &draft.subject), ("content", &draft.content)] {
            required(field, value)?;
        }
        if !draft.resident.phone.0.is_empty() {
            check_phone(&draft.resident.phone.0)?;
        }
        let skeleton = json!({
            "received_at": draft.received_at,
            "first_contact": who.staff_id,
            "resident": draft.resident,
            "place": draft.place,
            "subject": draft.subject,
            "content": draft.content,
            "emergency": draft.emergency,
            "valid": null,
            "front_desk_at": draft.at_front_desk.then_some(draft.received_at),
            "answered_at": null,
            "answer": "",
            "due_at": draft.due_at,
            "events": [],
            "order_ids": [],
            "revisit_ids": [],
        });
        let doc = RecordDoc::create(
            RecordKind::Complaint,
            draft.id.clone(),
            &draft.place.estate_id,
            device,
            who,
            skeleton,
        )?;
        Ok(ComplaintDoc { doc })
    }

    pub fn read(&self) -> Result<Complaint, RecordError> {
        self.doc.read()
    }

    fn step(
        &mut self,
        to: ComplaintStatus,
        who: &Who,
        reason: Option<String>,
        assignee: Option<String>,
    ) -> Result<(), RecordError> {
        let c = self.read()?;
        let t = lifecycle::next(&c.events, to, who, reason, assignee)?;
        self.doc
            .change(who, to.name(), |d| codec::append(d, &["events"], &t))
    }

    pub fn relay_to_front_desk(&mut self, who: &Who) -> Result<(), RecordError> {
        let c = self.read()?;
        if c.front_desk_at.is_some() {
            return Ok(());
        }
        self.doc.change(who, "relay", |d| {
            codec::put_fields(d, &[], &json!({ "front_desk_at": who.at }))
        })
    }

    pub fn dispatch(&mut self, department: &str, who: &Who) -> Result<(), RecordError> {
        required("department", department)?;
        let c = self.read()?;
        let t = lifecycle::next(
            &c.events,
            ComplaintStatus::Dispatched,
            who,
            None,
            Some(department.into()),
        )?;
        self.doc.change(who, "dispatched", |d| {
            if c.front_desk_at.is_none() {
                codec::put_fields(d, &[], &json!({ "front_desk_at": who.at }))?;
            }
            codec::append(d, &["events"], &t)
        })
    }

    /// A department that cannot finish in time answers with when it will.
    pub fn answer(&mut self, answer: &str, who: &Who) -> Result<(), RecordError> {
        required("answer", answer)?;
        self.doc.change(who, "answer", |d| {
            codec::put_fields(d, &[], &json!({ "answered_at": who.at, "answer": answer }))
        })
    }

    pub fn resolve(&mut self, note: &str, who: &Who) -> Result<(), RecordError> {
        self.step(ComplaintStatus::Resolved, who, Some(note.into()), None)
    }

    pub fn report_back(&mut self, who: &Who) -> Result<(), RecordError> {
        self.step(ComplaintStatus::ReportedBack, who, None, None)
    }

    pub fn revisited(&mut self, revisit_id: &str, who: &Who) -> Result<(), RecordError> {
        let c = self.read()?;
        let t = lifecycle::next(&c.events, ComplaintStatus::Revisited, who, None, None)?;
        self.doc.change(who, "revisited", |d| {
            if !c.revisit_ids.iter().any(|r| r == revisit_id) {
                codec::append(d, &["revisit_ids"], &revisit_id)?;
            }
            codec::append(d, &["events"], &t)
        })
    }

    /// Links a revisit without moving the complaint (one done before the
    /// report-back).
    pub fn link_revisit(&mut self, revisit_id: &str, who: &Who) -> Result<(), RecordError> {
        let c = self.read()?;
        if c.revisit_ids.iter().any(|r| r == revisit_id) {
            return Ok(());
        }
        self.doc.change(who, "link revisit", |d| {
            codec::append(d, &["revisit_ids"], &revisit_id)
        })
    }

    pub fn close(&mut self, who: &Who) -> Result<(), RecordError> {
        self.step(ComplaintStatus::Closed, who, None, None)
    }

    /// 有效 / 无效: a head's call.
    pub fn classify(&mut self, valid: bool, who: &Who) -> Result<(), RecordError> {
        if !who.role.is_head() {
            return Err(TransitionError::RoleMayNot {
                role: who.role,
                to: "classified",
            }
            .into());
        }
        self.doc.change(who, "classify", |d| {
            codec::put_fields(d, &[], &json!({ "valid": valid }))
        })
    }

    /// Links a work order opened for this complaint (one chain, both ways:
    /// the order's `source` names the complaint).
    pub fn link_order(&mut self, order_id: &str, who: &Who) -> Result<(), RecordError> {
        let c = self.read()?;
        if c.order_ids.iter().any(|o| o == order_id) {
            return Ok(());
        }
        self.doc.change(who, "link order", |d| {
            codec::append(d, &["order_ids"], &order_id)
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    use ComplaintStatus as S;
    let c: Complaint = doc.read()?;
    let status = c.status();
    Ok(IndexRow {
        id: c.id.clone(),
        kind: RecordKind::Complaint,
        estate_id: c.estate_id.clone(),
        status: status.map_or("conflict", |s| s.name()).into(),
        open: status != Some(S::Closed),
        conflicted: status.is_none(),
        assignee: Some(c.first_contact.clone()),
        unit_id: c.place.unit_id.clone(),
        category: Some(c.subject.clone()),
        emergency: c.emergency,
        created_at: c.received_at,
        due_at: Some(c.due_at),
        done_at: c.reached(S::Resolved),
        title: c.content.chars().take(60).collect(),
        facts: json!({
            "valid": c.valid,
            "department": c.department(),
            "front_desk_at": c.front_desk_at,
            "dispatched_at": c.reached(S::Dispatched),
            "answered_at": c.answered_at,
            "resolved_at": c.reached(S::Resolved),
            "reported_back_at": c.reached(S::ReportedBack),
            "revisited_at": c.reached(S::Revisited),
            "order_ids": c.order_ids,
        })
        .into(),
    })
}
