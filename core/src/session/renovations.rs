//! Renovations through a session: the application, its decision, permit,
//! workers' passes and extensions, the works reported finished with
//! acceptance due by the company rules and calendar, acceptance on site, the
//! deposit, and the renovation patrols that check the application.

use super::{Session, SessionError};
use crate::documents::rectification::RectificationDraft;
use crate::documents::renovation::{PassRequest, Renovation, RenovationApplication, RenovationDoc};
use crate::documents::{IndexRow, RecordError, RecordKind};
use crate::ids::RecordId;
use crate::places::GeoPoint;
use crate::rules;
use crate::store::{DocumentStore, Query};
use crate::time::{to_millis, Millis};

impl<S: DocumentStore> Session<S> {
    /// Registers a renovation application (装修申请表).
    pub fn apply_for_renovation(
        &mut self,
        draft: &RenovationApplication,
    ) -> Result<RecordId, SessionError> {
        let doc = RenovationDoc::apply(draft, self.store().device_id(), &self.who())?;
        self.create(doc)
    }

    /// The application as this person may see it: owners' and workers'
    /// personal data only for those who see residents' data.
    pub fn renovation(&self, id: &RecordId) -> Result<Renovation, SessionError> {
        Ok(self
            .get::<RenovationDoc>(id)?
            .read()?
            .shown_to(self.staff.role))
    }

    pub fn approve_renovation(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| r.approve(who))
    }

    pub fn refuse_renovation(&mut self, id: &RecordId, reason: &str) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| r.refuse(reason, who))
    }

    pub fn issue_renovation_permit(
        &mut self,
        id: &RecordId,
        permit_no: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| {
            r.issue_permit(permit_no, who)
        })
    }

    pub fn issue_worker_pass(
        &mut self,
        id: &RecordId,
        pass: &PassRequest,
    ) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| r.issue_pass(pass, who))
    }

    pub fn extend_renovation(
        &mut self,
        id: &RecordId,
        extension_id: &str,
        until: Millis,
        reason: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| {
            r.extend(extension_id, until, reason, who)
        })
    }

    /// The works (or their rectification) finished now; acceptance falls due
    /// the company rules' working days later, by the calendar.
    pub fn report_renovation_finished(
        &mut self,
        id: &RecordId,
        completion_id: &str,
    ) -> Result<(), SessionError> {
        let due = to_millis(rules::acceptance_due(
            self.now(),
            &self.rules,
            &self.calendar,
        ));
        self.edit(id, |r: &mut RenovationDoc, who, _| {
            r.report_completion(completion_id, due, who)
        })
    }

    /// The acceptance inspection on site: passed, or failed with its defects.
    pub fn accept_renovation(
        &mut self,
        id: &RecordId,
        acceptance_id: &str,
        passed: bool,
        defects: &str,
    ) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| {
            r.accept(acceptance_id, passed, defects, who)
        })
    }

    pub fn take_renovation_deposit(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| r.take_deposit(who))
    }

    pub fn refund_renovation_deposit(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |r: &mut RenovationDoc, who, _| r.refund_deposit(who))
    }

    /// A renovation patrol (装修巡查) of the application's unit, on the
    /// template given, naming the application it checks.
    pub fn start_renovation_patrol(
        &mut self,
        id: RecordId,
        template_id: &RecordId,
        renovation_id: &RecordId,
        location: Option<GeoPoint>,
    ) -> Result<RecordId, SessionError> {
        let renovation = self.get::<RenovationDoc>(renovation_id)?.read()?;
        self.start_on(
            id,
            template_id,
            renovation.place,
            location,
            Some(renovation.id),
        )
    }

    /// A renovation patrol's defect raised against the application: a
    /// rectification notice to its contractor (整改通知单), linked both ways.
    pub fn raise_against_renovation(
        &mut self,
        inspection_id: &RecordId,
        notice_id: RecordId,
        item_id: &str,
        due_at: Millis,
    ) -> Result<RecordId, SessionError> {
        let inspection = self.inspection(inspection_id)?;
        let renovation_id = inspection.renovation_id.as_deref().ok_or_else(|| {
            RecordError::invalid(
                "renovation_id",
                "此巡查没有关联装修申请",
                "this inspection checks no renovation application",
            )
        })?;
        let renovation_id =
            RecordId::parse(renovation_id).map_err(|e| RecordError::Malformed(e.to_string()))?;
        let renovation = self.get::<RenovationDoc>(&renovation_id)?.read()?;
        let problem = inspection
            .items
            .get(item_id)
            .map(|i| i.note.clone())
            .unwrap_or_default();
        let draft = RectificationDraft {
            id: notice_id,
            item_id: item_id.into(),
            place: inspection.place,
            problem,
            responsible_party: renovation.contractor,
            due_at,
        };
        self.issue_rectification(inspection_id, &draft)
    }

    /// The renovation patrols that checked an application, newest first.
    pub fn renovation_patrols(&self, id: &RecordId) -> Result<Vec<IndexRow>, SessionError> {
        let renovation = self.get::<RenovationDoc>(id)?.read()?;
        let mut rows: Vec<IndexRow> = self
            .store()
            .query(&Query {
                kind: Some(RecordKind::Inspection),
                unit_id: renovation.place.unit_id.clone(),
                estates: self.my_estates(),
                ..Query::default()
            })?
            .into_iter()
            .filter(|r| r.facts["renovation_id"].as_str() == Some(id.as_str()))
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }

    /// The applications of my estates, newest first.
    pub fn renovations(&self) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.records(RecordKind::Renovation)?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }
}
