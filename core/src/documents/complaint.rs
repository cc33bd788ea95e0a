//! Complaints (投诉): the first employee to receive one (首问责任人) owns it to
//! the end; each step is timed against the complaint clocks of the rules.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::{self, not_allowed, role_in, Status, Transition, TransitionError, Who};
use super::work_order::{check_phone, Contact};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::departments::Department;
use crate::ids::{DeviceId, RecordId};
use crate::people::Role;
use crate::places::Place;
use crate::rules::{ComplaintTimes, Escalation};
use crate::time::{from_millis, Millis};

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
    /// An emergency's own steps, timed by the minute clocks.
    #[serde(flatten)]
    pub emergency_steps: EmergencySteps,
}

/// What an emergency (紧急抢险抢修, or a major matter) asks beyond the usual
/// steps: the departments told, an escalation to the site and then the
/// company when the one before cannot resolve it, each with its written
/// report, and the result verified after completion. Each is set once;
/// records made before these steps existed read as not yet done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencySteps {
    pub departments_notified_at: Option<Millis>,
    pub site_escalated_at: Option<Millis>,
    pub site_report: String,
    pub site_report_at: Option<Millis>,
    pub company_escalated_at: Option<Millis>,
    pub company_report: String,
    pub company_report_at: Option<Millis>,
    pub verified_at: Option<Millis>,
    pub verification: String,
}

/// What can be done to a complaint, for the office to offer as buttons.
/// Which of them a person may take now is asked of the record and the
/// write policy (`Session::complaint_steps`), never listed by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStep {
    Dispatch,
    Answer,
    Resolve,
    ReportBack,
    Close,
    Classify,
    NotifyDepartments,
    EscalateSite,
    EscalateCompany,
    SiteReport,
    CompanyReport,
    Verify,
}

impl ComplaintStep {
    pub const ALL: [ComplaintStep; 12] = [
        ComplaintStep::NotifyDepartments,
        ComplaintStep::EscalateSite,
        ComplaintStep::EscalateCompany,
        ComplaintStep::SiteReport,
        ComplaintStep::CompanyReport,
        ComplaintStep::Dispatch,
        ComplaintStep::Answer,
        ComplaintStep::Resolve,
        ComplaintStep::Verify,
        ComplaintStep::ReportBack,
        ComplaintStep::Close,
        ComplaintStep::Classify,
    ];

    pub fn name(self) -> &'static str {
        use ComplaintStep::*;
        match self {
            Dispatch => "dispatch",
            Answer => "answer",
            Resolve => "resolve",
            ReportBack => "report_back",
            Close => "close",
            Classify => "classify",
            NotifyDepartments => "notify_departments",
            EscalateSite => "escalate_site",
            EscalateCompany => "escalate_company",
            SiteReport => "site_report",
            CompanyReport => "company_report",
            Verify => "verify",
        }
    }

    /// Takes the step on the document alone, with `text` for the steps that
    /// need words (a department for a dispatch); the session's own steps add
    /// what follows (the revisits a resolution plans).
    pub fn take(self, doc: &mut ComplaintDoc, text: &str, who: &Who) -> Result<(), RecordError> {
        use ComplaintStep::*;
        match self {
            Dispatch => doc.dispatch(text, who),
            Answer => doc.answer(text, who),
            Resolve => doc.resolve(text, who),
            ReportBack => doc.report_back(who),
            Close => doc.close(who),
            Classify => doc.classify(true, who),
            NotifyDepartments => doc.notify_departments(who),
            EscalateSite => doc.escalate(EscalationLevel::Site, who),
            EscalateCompany => doc.escalate(EscalationLevel::Company, who),
            SiteReport => doc.written_report(EscalationLevel::Site, text, who),
            CompanyReport => doc.written_report(EscalationLevel::Company, text, who),
            Verify => doc.verify(text, who),
        }
    }
}

/// Who an emergency is escalated to when the level below cannot resolve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    /// The site (管理处) manager: within 5 minutes, written report within 24 h.
    Site,
    /// The company: within 10 minutes, written report within 48 h.
    Company,
}

impl EscalationLevel {
    pub fn name(self) -> &'static str {
        match self {
            EscalationLevel::Site => "site",
            EscalationLevel::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [EscalationLevel::Site, EscalationLevel::Company]
            .into_iter()
            .find(|l| l.name() == s)
    }

    /// The fields it is recorded in: (escalated at, report, report at).
    fn fields(self) -> (&'static str, &'static str, &'static str) {
        match self {
            EscalationLevel::Site => ("site_escalated_at", "site_report", "site_report_at"),
            EscalationLevel::Company => (
                "company_escalated_at",
                "company_report",
                "company_report_at",
            ),
        }
    }
}

impl EmergencySteps {
    pub fn escalated_at(&self, level: EscalationLevel) -> Option<Millis> {
        match level {
            EscalationLevel::Site => self.site_escalated_at,
            EscalationLevel::Company => self.company_escalated_at,
        }
    }

    pub fn report_at(&self, level: EscalationLevel) -> Option<Millis> {
        match level {
            EscalationLevel::Site => self.site_report_at,
            EscalationLevel::Company => self.company_report_at,
        }
    }
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

    /// The times its clocks run from. An answer counts for the 24-hour
    /// resolve clock as much as the work done (seed 001: 解决或答复).
    pub fn clock_times(&self) -> ComplaintTimes {
        let at = |m: Option<Millis>| m.map(from_millis);
        let resolved = self.reached(ComplaintStatus::Resolved);
        let settled = [resolved, self.answered_at].into_iter().flatten().min();
        let steps = &self.emergency_steps;
        let escalation = |level| {
            steps.escalated_at(level).map(|t| Escalation {
                escalated_at: Some(from_millis(t)),
                written_report_at: at(steps.report_at(level)),
            })
        };
        ComplaintTimes {
            received_at: from_millis(self.received_at),
            emergency: self.emergency,
            front_desk_at: at(self.front_desk_at),
            dispatched_at: at(self.reached(ComplaintStatus::Dispatched)),
            answered_at: at(self.answered_at),
            completed_at: at(resolved),
            reported_back_at: at(self.reached(ComplaintStatus::ReportedBack)),
            revisited_at: at(self.reached(ComplaintStatus::Revisited)),
            resolved_at: at(settled),
            departments_notified_at: at(steps.departments_notified_at),
            site_escalation: escalation(EscalationLevel::Site),
            company_escalation: escalation(EscalationLevel::Company),
            verified_at: at(steps.verified_at),
        }
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
            "departments_notified_at": null,
            "site_escalated_at": null,
            "site_report": "",
            "site_report_at": null,
            "company_escalated_at": null,
            "company_report": "",
            "company_report_at": null,
            "verified_at": null,
            "verification": "",
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
        if Department::parse(department).is_none() {
            return Err(RecordError::invalid(
                "department",
                format!("没有“{department}”这个部门,请从列表中选择"),
                format!("there is no department “{department}”: choose one from the list"),
            ));
        }
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
        if self.read()?.status() != Some(ComplaintStatus::Dispatched) {
            return Err(RecordError::invalid(
                "answer",
                "派单后、完成前才需要部门答复",
                "a department answers after dispatch and before the work is done",
            ));
        }
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

    fn emergency(&self) -> Result<Complaint, RecordError> {
        let c = self.read()?;
        if !c.emergency {
            return Err(RecordError::invalid(
                "emergency",
                "不是紧急投诉,没有此步骤",
                "is not an emergency; this step does not apply",
            ));
        }
        Ok(c)
    }

    /// Emergency: the relevant departments were told (the first time is
    /// what the 3-minute clock counts).
    pub fn notify_departments(&mut self, who: &Who) -> Result<(), RecordError> {
        let c = self.emergency()?;
        if c.emergency_steps.departments_notified_at.is_some() {
            return Err(RecordError::invalid(
                "emergency",
                "已通知相关部门",
                "the departments were already told",
            ));
        }
        self.doc.change(who, "departments notified", |d| {
            codec::put_fields(d, &[], &json!({ "departments_notified_at": who.at }))
        })
    }

    /// Emergency: the level below could not resolve it; the company only
    /// after the site.
    pub fn escalate(&mut self, level: EscalationLevel, who: &Who) -> Result<(), RecordError> {
        let c = self.emergency()?;
        let steps = &c.emergency_steps;
        if steps.escalated_at(level).is_some() {
            return Err(RecordError::invalid(
                "level",
                "已上报此级别",
                "already escalated to this level",
            ));
        }
        if level == EscalationLevel::Company && steps.site_escalated_at.is_none() {
            return Err(RecordError::invalid(
                "level",
                "须先上报管理处",
                "escalate to the site before the company",
            ));
        }
        let (at, _, _) = level.fields();
        self.doc.change(who, "escalated", |d| {
            codec::put_fields(d, &[], &json!({ at: who.at }))
        })
    }

    /// Emergency: the written report owed after an escalation.
    pub fn written_report(
        &mut self,
        level: EscalationLevel,
        report: &str,
        who: &Who,
    ) -> Result<(), RecordError> {
        required("report", report)?;
        let c = self.emergency()?;
        let steps = &c.emergency_steps;
        if steps.escalated_at(level).is_none() {
            return Err(RecordError::invalid(
                "level",
                "尚未上报此级别,无需书面报告",
                "not escalated to this level; no written report is owed",
            ));
        }
        if steps.report_at(level).is_some() {
            return Err(RecordError::invalid(
                "report",
                "书面报告已提交",
                "the written report is already in",
            ));
        }
        let (_, text, at) = level.fields();
        self.doc.change(who, "written report", |d| {
            codec::put_fields(d, &[], &json!({ text: report, at: who.at }))
        })
    }

    /// Emergency: the result checked after the work was done.
    pub fn verify(&mut self, note: &str, who: &Who) -> Result<(), RecordError> {
        required("verification", note)?;
        let c = self.emergency()?;
        if c.reached(ComplaintStatus::Resolved).is_none() {
            return Err(RecordError::invalid(
                "verification",
                "处理完成后才能验证",
                "can be verified only once the work is done",
            ));
        }
        if c.emergency_steps.verified_at.is_some() {
            return Err(RecordError::invalid(
                "verification",
                "已验证",
                "already verified",
            ));
        }
        self.doc.change(who, "verified", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "verified_at": who.at, "verification": note }),
            )
        })
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
