//! Complaints through a session: the resolve-within clock from the rules, the
//! revisit owed after each, and the monthly sample revisited in person.

use serde::{Deserialize, Serialize};

use super::{OrderRequest, Session, SessionError};
use crate::departments::Department;
use crate::documents::complaint::{
    Complaint, ComplaintDoc, ComplaintDraft, ComplaintStatus, ComplaintStep, EscalationLevel,
};
use crate::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason};
use crate::documents::work_order::{Contact, OrderStatus, Source, SourceKind, WorkOrderDoc};
use crate::documents::{RecordError, RecordKind};
use crate::ids::RecordId;
use crate::places::Place;
use crate::rules;
use crate::store::DocumentStore;
use crate::store::Query;
use crate::time::{to_millis, Millis};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintRequest {
    pub id: RecordId,
    pub resident: Contact,
    pub place: Place,
    pub subject: String,
    pub content: String,
    pub emergency: bool,
    pub at_front_desk: bool,
}

/// The revisits a complaint may be owed, each under an id derived from the
/// complaint's, so every device plans the same one and none twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// Within the working days after it was resolved.
    Prompt,
    /// Seed 002: the effect of the handling, within a month.
    Effect,
    /// Drawn in the month's sample, by phone.
    SamplePhone,
    /// Drawn in the month's sample, in person with the resident's signature.
    SampleInPerson,
}

impl Visit {
    fn name(self) -> &'static str {
        match self {
            Visit::Prompt => "revisit",
            Visit::Effect => "effect-revisit",
            Visit::SamplePhone => "sample-phone-revisit",
            // The name sample revisits had before the phone ones had their own.
            Visit::SampleInPerson => "sample-revisit",
        }
    }

    fn method(self) -> Method {
        match self {
            Visit::SampleInPerson => Method::InPerson,
            _ => Method::Phone,
        }
    }
}

impl<S: DocumentStore> Session<S> {
    /// Whoever receives the complaint first owns it (首问责任人).
    pub fn receive_complaint(&mut self, req: &ComplaintRequest) -> Result<RecordId, SessionError> {
        let now = self.now();
        let draft = ComplaintDraft {
            id: req.id.clone(),
            received_at: to_millis(now),
            resident: req.resident.clone(),
            place: req.place.clone(),
            subject: req.subject.clone(),
            content: req.content.clone(),
            emergency: req.emergency,
            at_front_desk: req.at_front_desk,
            due_at: to_millis(now + self.rules.complaints.resolve),
        };
        let complaint = ComplaintDoc::receive(&draft, self.store().device_id(), &self.who())?;
        self.create(complaint)
    }

    pub fn complaint(&self, id: &RecordId) -> Result<Complaint, SessionError> {
        Ok(self.get::<ComplaintDoc>(id)?.read()?)
    }

    /// The steps this person may take on the complaint now, each tried on
    /// a copy of it against the record's rules and the write policy.
    pub fn complaint_steps(&self, id: &RecordId) -> Result<Vec<ComplaintStep>, SessionError> {
        let mut steps = vec![];
        for step in ComplaintStep::ALL {
            // Any words do for a try (only their absence is refused), and any
            // department for a dispatch.
            let text = match step {
                ComplaintStep::Dispatch => Department::ALL[0].as_str(),
                _ => "-",
            };
            if self.allows(id, |c: &mut ComplaintDoc, who| step.take(c, text, who))? {
                steps.push(step);
            }
        }
        Ok(steps)
    }

    pub fn dispatch_complaint(
        &mut self,
        id: &RecordId,
        department: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| {
            c.dispatch(department, who)
        })
    }

    pub fn answer_complaint(&mut self, id: &RecordId, answer: &str) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| c.answer(answer, who))
    }

    pub fn classify_complaint(&mut self, id: &RecordId, valid: bool) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| c.classify(valid, who))
    }

    /// Opens a work order for the complaint, linked both ways.
    pub fn open_order_for_complaint(
        &mut self,
        complaint_id: &RecordId,
        mut req: OrderRequest,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            req.source = Source {
                kind: SourceKind::Complaint,
                record_id: Some(complaint_id.to_string()),
                item_id: None,
            };
            let order_id = s.register_order(&req)?;
            s.edit(complaint_id, |c: &mut ComplaintDoc, who, _| {
                c.link_order(order_id.as_str(), who)
            })?;
            Ok(order_id)
        })
    }

    /// The work is done: reported back, and a phone revisit is owed within the
    /// rules' working days. Refused while a work order opened for the
    /// complaint is still being worked (a returned one no longer holds it).
    pub fn resolve_complaint(
        &mut self,
        id: &RecordId,
        note: &str,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            for order_id in s.complaint(id)?.order_ids {
                let order = RecordId::parse(&order_id)
                    .map_err(|e| RecordError::Malformed(format!("order_ids: {e}")))?;
                // Finished, or returned (no longer this complaint's repair);
                // a status in conflict is neither.
                let settled = s
                    .order(&order)?
                    .status()
                    .is_some_and(|st| st.work_finished() || st == OrderStatus::Returned);
                if !settled {
                    return Err(SessionError::RepairNotDone { order_id });
                }
            }
            s.edit(id, |c: &mut ComplaintDoc, who, _| c.resolve(note, who))?;
            let complaint = s.complaint(id)?;
            let now = s.now();
            let due = rules::revisit_due_after_complaint(now, &s.rules, &s.calendar);
            let revisit =
                s.plan_complaint_revisit(id, &complaint, Visit::Prompt, to_millis(due))?;
            let effect = rules::effect_revisit_due(now, &s.rules);
            s.plan_complaint_revisit(id, &complaint, Visit::Effect, to_millis(effect))?;
            Ok(revisit)
        })
    }

    /// Emergency: the relevant departments were told (the 3-minute clock).
    pub fn notify_departments(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| c.notify_departments(who))
    }

    /// Emergency: escalated to the site, or on to the company.
    pub fn escalate_complaint(
        &mut self,
        id: &RecordId,
        level: EscalationLevel,
    ) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| c.escalate(level, who))
    }

    /// Emergency: the written report owed after an escalation.
    pub fn escalation_report(
        &mut self,
        id: &RecordId,
        level: EscalationLevel,
        report: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| {
            c.written_report(level, report, who)
        })
    }

    /// Emergency: the result checked after the work was done.
    pub fn verify_complaint(&mut self, id: &RecordId, note: &str) -> Result<(), SessionError> {
        self.edit(id, |c: &mut ComplaintDoc, who, _| c.verify(note, who))
    }

    /// Reports the result back to the resident. A revisit already done
    /// (recorded before the report-back) moves the complaint on to revisited.
    pub fn report_back(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.edit(id, |c: &mut ComplaintDoc, who, _| c.report_back(who))?;
            s.catch_up_complaint_revisit(id)
        })
    }

    pub fn close_complaint(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.catch_up_complaint_revisit(id)?;
            s.edit(id, |c: &mut ComplaintDoc, who, _| c.close(who))
        })
    }

    fn catch_up_complaint_revisit(&mut self, id: &RecordId) -> Result<(), SessionError> {
        let complaint = self.complaint(id)?;
        if complaint.status() != Some(ComplaintStatus::ReportedBack) {
            return Ok(());
        }
        match self.done_revisit_among(&complaint.revisit_ids)? {
            Some(done) => self.edit(id, |c: &mut ComplaintDoc, who, _| {
                c.revisited(done.as_str(), who)
            }),
            None => Ok(()),
        }
    }

    /// Plans one of a complaint's revisits; planning one already planned
    /// (the month's sample drawn twice) returns it unchanged.
    fn plan_complaint_revisit(
        &mut self,
        id: &RecordId,
        complaint: &Complaint,
        visit: Visit,
        due_at: Millis,
    ) -> Result<RecordId, SessionError> {
        let revisit_id = RecordId::derived(id, visit.name());
        if self.store().index_row(revisit_id.as_str())?.is_some() {
            return Ok(revisit_id);
        }
        let plan = RevisitPlan {
            id: revisit_id,
            reason: RevisitReason::Complaint,
            subject_id: Some(id.to_string()),
            place: complaint.place.clone(),
            assignee: complaint.first_contact.clone(),
            planned_method: visit.method(),
            due_at,
        };
        let revisit = RevisitDoc::plan(&plan, self.store().device_id(), &self.who())?;
        self.create(revisit)
    }

    pub(super) fn complaint_revisited(
        &mut self,
        id: &RecordId,
        revisit_id: &RecordId,
    ) -> Result<(), SessionError> {
        let complaint = self.complaint(id)?;
        if complaint.status() != Some(ComplaintStatus::ReportedBack) {
            // Revisited before the report-back: linked, moved by the report-back.
            return self.edit(id, |c: &mut ComplaintDoc, who, _| {
                c.link_revisit(revisit_id.as_str(), who)
            });
        }
        self.edit(id, |c: &mut ComplaintDoc, who, _| {
            c.revisited(revisit_id.as_str(), who)
        })
    }

    /// Picks this month's sample of complaints (10 % by default, 30 % of those
    /// in person) the same way on every device, and plans their revisits.
    pub fn plan_complaint_sample(
        &mut self,
        estate_id: &str,
        from: Millis,
        until: Millis,
        due_at: Millis,
    ) -> Result<Vec<RecordId>, SessionError> {
        self.check_estate(estate_id)?;
        let rows = self.store().query(&Query {
            kind: Some(RecordKind::Complaint),
            estates: Some(vec![estate_id.into()]),
            created_from: Some(from),
            created_until: Some(until),
            ..Query::default()
        })?;
        let ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
        let picks = rules::sample_complaints(&ids, &self.rules);
        self.atomically(|s| {
            let mut planned = vec![];
            for pick in &picks {
                let id = RecordId::parse(&pick.complaint_id)
                    .map_err(|e| crate::documents::RecordError::Malformed(e.to_string()))?;
                let complaint = s.complaint(&id)?;
                let visit = if pick.in_person {
                    Visit::SampleInPerson
                } else {
                    Visit::SamplePhone
                };
                planned.push(s.plan_complaint_revisit(&id, &complaint, visit, due_at)?);
            }
            Ok(planned)
        })
    }

    /// Whether an order still belongs to a complaint (for the office's chain view).
    pub fn order_of_complaint(&self, order_id: &RecordId) -> Result<Option<String>, SessionError> {
        Ok(self
            .get::<WorkOrderDoc>(order_id)?
            .read()?
            .links
            .complaint_id)
    }
}
