//! Revisits and home visits through a session: recording one moves the order
//! or complaint it follows, and a problem found opens a new order.

use super::{OrderRequest, Session, SessionError};
use crate::documents::lifecycle::Status;
use crate::documents::revisit::{
    Method, Outcome, Revisit, RevisitDoc, RevisitPlan, RevisitReason, RevisitStatus,
};
use crate::documents::work_order::{Source, SourceKind};
use crate::documents::{IndexRow, RecordKind};
use crate::ids::RecordId;
use crate::places::Place;
use crate::rules::end_of_day;
use crate::store::{DocumentStore, Query};
use crate::time::{to_millis, Millis};
use serde::Serialize;

/// What a done revisit still asks of the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpNeed {
    /// The accounts differ: an administrator goes to site at once.
    SendAdministrator,
    /// A reply was promised by a time.
    Reply,
}

impl FollowUpNeed {
    pub const ALL: [FollowUpNeed; 2] = [FollowUpNeed::SendAdministrator, FollowUpNeed::Reply];

    pub fn name(self) -> &'static str {
        match self {
            FollowUpNeed::SendAdministrator => "send_administrator",
            FollowUpNeed::Reply => "reply",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub need: FollowUpNeed,
    /// When it is due: at once (the visit's time) for an administrator,
    /// the promised time for a reply.
    pub due_at: Millis,
    pub revisit: IndexRow,
}

/// The administrator's visit a discrepancy sends, one per revisit.
fn site_visit_id(revisit_id: &RecordId) -> RecordId {
    RecordId::derived(revisit_id, "site-visit")
}

impl<S: DocumentStore> Session<S> {
    /// A home visit (家访) counted against the monthly quota.
    pub fn plan_home_visit(
        &mut self,
        id: RecordId,
        place: Place,
        assignee: &str,
        due_at: Millis,
    ) -> Result<RecordId, SessionError> {
        let plan = RevisitPlan {
            id,
            reason: RevisitReason::HomeVisit,
            subject_id: None,
            place,
            assignee: assignee.into(),
            planned_method: Method::InPerson,
            due_at,
        };
        let revisit = RevisitDoc::plan(&plan, self.store().device_id(), &self.who())?;
        self.create(revisit)
    }

    pub fn revisit(&self, id: &RecordId) -> Result<Revisit, SessionError> {
        Ok(self.get::<RevisitDoc>(id)?.read()?)
    }

    /// Records the visit; an in-person one carries the resident's signature
    /// image (stored as a blob here).
    pub fn record_revisit(
        &mut self,
        id: &RecordId,
        mut outcome: Outcome,
        signature_png: Option<&[u8]>,
    ) -> Result<(), SessionError> {
        self.atomically(|s| {
            if let Some(png) = signature_png {
                outcome.signature_image = Some(s.attach(png, "image/png")?);
            }
            s.edit(id, |r: &mut RevisitDoc, who, _| r.record(&outcome, who))?;
            let revisit = s.revisit(id)?;
            let Some(subject) = revisit.subject_id.as_deref() else {
                return Ok(());
            };
            let subject = RecordId::parse(subject)
                .map_err(|e| crate::documents::RecordError::Malformed(e.to_string()))?;
            match revisit.reason {
                RevisitReason::Repair => s.order_revisited(&subject, id),
                RevisitReason::Complaint => s.complaint_revisited(&subject, id),
                RevisitReason::HomeVisit => Ok(()),
                RevisitReason::Customer => s.customer_revisited(subject.as_str()),
            }
        })
    }

    /// The reply promised on a revisit was given.
    pub fn reply_to_revisit(&mut self, id: &RecordId, reply: &str) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RevisitDoc, who, _| r.reply(reply, who))
    }

    /// The resident's account differed from the department's: an
    /// administrator is sent to site at once, as an in-person revisit of the
    /// same order or complaint due before today ends. Sending one again
    /// answers the visit already planned.
    pub fn send_administrator(
        &mut self,
        revisit_id: &RecordId,
        administrator: &str,
    ) -> Result<RecordId, SessionError> {
        let revisit = self.revisit(revisit_id)?;
        if !revisit.outcome.discrepancy {
            return Err(crate::documents::RecordError::invalid(
                "discrepancy",
                "业主说法与部门反馈一致,无需派管理员",
                "the resident's account matched the department's; nobody needs to go",
            )
            .into());
        }
        let id = site_visit_id(revisit_id);
        if self.store().index_row(id.as_str())?.is_some() {
            return Ok(id);
        }
        let plan = RevisitPlan {
            id,
            reason: revisit.reason,
            subject_id: revisit.subject_id.clone(),
            place: revisit.place.clone(),
            assignee: administrator.into(),
            planned_method: Method::InPerson,
            due_at: to_millis(end_of_day(self.now(), self.rules.time_zone)),
        };
        let visit = RevisitDoc::plan(&plan, self.store().device_id(), &self.who())?;
        self.create(visit)
    }

    /// What done revisits still ask of the office, most pressing first: an
    /// administrator to send where the accounts differ, a reply promised.
    pub fn revisit_follow_ups(&self) -> Result<Vec<FollowUp>, SessionError> {
        let rows = self.store().query(&Query {
            kind: Some(RecordKind::Revisit),
            estates: self.my_estates(),
            status: Some(RevisitStatus::Done.name().into()),
            ..Query::default()
        })?;
        let mut out = vec![];
        for row in rows {
            let id = RecordId::parse(&row.id)
                .map_err(|e| crate::documents::RecordError::Malformed(e.to_string()))?;
            let facts = &row.facts;
            if facts["discrepancy"] == true
                && self
                    .store()
                    .index_row(site_visit_id(&id).as_str())?
                    .is_none()
            {
                out.push(FollowUp {
                    need: FollowUpNeed::SendAdministrator,
                    due_at: row.done_at.unwrap_or(row.created_at),
                    revisit: row.clone(),
                });
            }
            if let (Some(promised), true) = (
                facts["promised_reply_at"].as_i64(),
                facts["replied_at"].is_null(),
            ) {
                out.push(FollowUp {
                    need: FollowUpNeed::Reply,
                    due_at: promised,
                    revisit: row,
                });
            }
        }
        out.sort_by_key(|f| f.due_at);
        Ok(out)
    }

    /// The first of `ids` that is a revisit done, as this device knows it (a
    /// revisit not yet synced here counts as not done).
    pub(super) fn done_revisit_among(
        &self,
        ids: &[String],
    ) -> Result<Option<RecordId>, SessionError> {
        for id in ids {
            let Some(row) = self.store().index_row(id)? else {
                continue;
            };
            if row.kind == RecordKind::Revisit && row.status == RevisitStatus::Done.name() {
                let id = RecordId::parse(id)
                    .map_err(|e| crate::documents::RecordError::Malformed(e.to_string()))?;
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// A problem found on a visit opens a work order, linked both ways.
    pub fn open_order_from_revisit(
        &mut self,
        revisit_id: &RecordId,
        mut req: OrderRequest,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            req.source = Source {
                kind: SourceKind::Staff,
                record_id: Some(revisit_id.to_string()),
                item_id: None,
            };
            let order_id = s.register_order(&req)?;
            s.edit(revisit_id, |r: &mut RevisitDoc, who, _| {
                r.link_opened_order(order_id.as_str(), who)
            })?;
            Ok(order_id)
        })
    }
}
