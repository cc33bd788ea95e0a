//! Revisits and home visits through a session: recording one moves the order
//! or complaint it follows, and a problem found opens a new order.

use super::{OrderRequest, Session, SessionError};
use crate::documents::lifecycle::Status;
use crate::documents::revisit::{
    Method, Outcome, Revisit, RevisitDoc, RevisitPlan, RevisitReason, RevisitStatus,
};
use crate::documents::work_order::{Source, SourceKind};
use crate::documents::RecordKind;
use crate::ids::RecordId;
use crate::places::Place;
use crate::store::DocumentStore;
use crate::time::Millis;

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
            }
        })
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
