//! Company customers through a session: the office registers one, its
//! revisits are planned from the schedule the rules derive, each done visit
//! plans the next, and the visit's report and papers are chased in working
//! days.

use serde::Serialize;

use super::{Session, SessionError};
use crate::documents::customer::{Customer, CustomerDetails, CustomerDoc};
use crate::documents::lifecycle::Status;
use crate::documents::revisit::{Method, RevisitDoc, RevisitPlan, RevisitReason, RevisitStatus};
use crate::documents::{IndexRow, RecordError, RecordKind};
use crate::ids::RecordId;
use crate::places::Place;
use crate::rules::{
    customer_file_due, customer_report_due, customer_schedule, local_date, ScheduledVisit,
    VisitSeries,
};
use crate::store::{DocumentStore, Query};
use crate::time::{from_millis, to_millis, Millis};

/// A customer on the list, with the revisit it is waiting for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerDue {
    pub customer: IndexRow,
    /// Its soonest planned revisit, if any is planned.
    pub next: Option<IndexRow>,
    /// That revisit's due time has passed.
    pub overdue: bool,
}

/// A done customer visit whose report or papers are still owed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerPaperwork {
    pub revisit: IndexRow,
    pub report_due_at: Millis,
    pub file_due_at: Millis,
    pub reported: bool,
    pub filed: bool,
    /// The report or the filing is past its due time.
    pub overdue: bool,
}

/// The revisit planned for one scheduled visit: named by the customer, the
/// series and the date, so the office and a phone planning the same visit
/// make the same record.
fn visit_id(customer: &RecordId, visit: &ScheduledVisit) -> RecordId {
    let purpose = format!("customer-{}-{}", visit.series.name(), visit.due_date);
    RecordId::derived(customer, &purpose)
}

fn parse_id(id: &str) -> Result<RecordId, SessionError> {
    RecordId::parse(id).map_err(|e| RecordError::Malformed(e.to_string()).into())
}

impl<S: DocumentStore> Session<S> {
    /// Registers a company customer and plans its revisits.
    pub fn register_customer(
        &mut self,
        id: RecordId,
        estate_id: &str,
        details: &CustomerDetails,
    ) -> Result<RecordId, SessionError> {
        self.atomically(|s| {
            let doc =
                CustomerDoc::register(id, estate_id, details, s.store().device_id(), &s.who())?;
            let id = s.create(doc)?;
            s.plan_customer_visits(&id)?;
            Ok(id)
        })
    }

    /// Corrects or re-ranks a customer; a new rank's visits are planned
    /// (those already planned stay, for the office to cancel if it wishes).
    pub fn update_customer(
        &mut self,
        id: &RecordId,
        details: &CustomerDetails,
    ) -> Result<(), SessionError> {
        self.atomically(|s| {
            s.edit(id, |c: &mut CustomerDoc, who, _| c.update(details, who))?;
            s.plan_customer_visits(id)?;
            Ok(())
        })
    }

    pub fn customer(&self, id: &RecordId) -> Result<Customer, SessionError> {
        Ok(self.get::<CustomerDoc>(id)?.read()?)
    }

    /// Plans every visit the schedule asks for up to today, and the next of
    /// each series; counted from the day after the latest visit done (or
    /// cancelled), so doing a visit plans the one after it even early.
    /// Returns the revisits it planned.
    pub fn plan_customer_visits(&mut self, id: &RecordId) -> Result<Vec<RecordId>, SessionError> {
        let customer = self.customer(id)?;
        let handover = customer.handover()?;
        let tz = self.rules.time_zone;
        let since = local_date(from_millis(customer.registered_at), tz);
        let visits = self.customer_revisits(id)?;
        let latest_done = visits
            .iter()
            .filter(|r| r.status != RevisitStatus::Planned.name())
            .filter_map(|r| r.due_at)
            .max();
        let today = local_date(self.now(), tz);
        // A due time is the end of its day, so it is the next day's start.
        let from = latest_done.map_or(today, |t| today.max(local_date(from_millis(t), tz)));
        let schedule = customer_schedule(handover, customer.tier, since, from, &self.rules);
        let mut planned = vec![];
        for visit in schedule {
            let rid = visit_id(id, &visit);
            if self.store().index_row(rid.as_str())?.is_some() {
                continue;
            }
            let plan = RevisitPlan {
                id: rid,
                reason: RevisitReason::Customer,
                subject_id: Some(id.to_string()),
                place: Place {
                    estate_id: customer.estate_id.clone(),
                    unit_id: customer.unit_ids.first().cloned(),
                    common_area_id: None,
                    detail: customer.premises.clone(),
                },
                assignee: customer.manager.clone(),
                planned_method: match visit.series {
                    VisitSeries::Phone => Method::Phone,
                    VisitSeries::OnSite => Method::InPerson,
                },
                due_at: to_millis(visit.due_at(&self.rules)),
            };
            let doc = RevisitDoc::plan(&plan, self.store().device_id(), &self.who())?;
            planned.push(self.create(doc)?);
        }
        Ok(planned)
    }

    /// A customer's revisits as this device knows them, soonest due first.
    pub fn customer_revisits(&self, id: &RecordId) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows: Vec<IndexRow> = self
            .records(RecordKind::Revisit)?
            .into_iter()
            .filter(|r| {
                r.category.as_deref() == Some(RevisitReason::Customer.name())
                    && r.facts["subject_id"].as_str() == Some(id.as_str())
            })
            .collect();
        rows.sort_by_key(|r| r.due_at);
        Ok(rows)
    }

    /// My estates' customers, the ones with a revisit overdue first, then
    /// by the next revisit's due time.
    pub fn customers_due(&self) -> Result<Vec<CustomerDue>, SessionError> {
        let now = self.now_ms();
        let open: Vec<IndexRow> = self.store().query(&Query {
            kind: Some(RecordKind::Revisit),
            estates: self.my_estates(),
            status: Some(RevisitStatus::Planned.name().into()),
            ..Query::default()
        })?;
        let mut out: Vec<CustomerDue> = self
            .records(RecordKind::Customer)?
            .into_iter()
            .map(|customer| {
                let next = open
                    .iter()
                    .filter(|r| {
                        r.category.as_deref() == Some(RevisitReason::Customer.name())
                            && r.facts["subject_id"].as_str() == Some(customer.id.as_str())
                    })
                    .min_by_key(|r| r.due_at)
                    .cloned();
                let overdue = next
                    .as_ref()
                    .and_then(|r| r.due_at)
                    .is_some_and(|d| d < now);
                CustomerDue {
                    customer,
                    next,
                    overdue,
                }
            })
            .collect();
        out.sort_by_key(|c| {
            (
                !c.overdue,
                c.next
                    .as_ref()
                    .and_then(|r| r.due_at)
                    .unwrap_or(Millis::MAX),
                c.customer.title.clone(),
            )
        });
        Ok(out)
    }

    /// The visit's report (《客户回访报告》), written after it.
    pub fn write_customer_report(
        &mut self,
        revisit_id: &RecordId,
        report: &str,
    ) -> Result<(), SessionError> {
        self.edit(revisit_id, |r: &mut RevisitDoc, who, _| {
            r.write_report(report, who)
        })
    }

    /// The visit's papers went to the department head.
    pub fn file_customer_revisit(&mut self, revisit_id: &RecordId) -> Result<(), SessionError> {
        self.edit(revisit_id, |r: &mut RevisitDoc, who, _| r.file(who))
    }

    /// When a done customer visit's report and papers are due.
    pub fn customer_paperwork(&self, revisit: &IndexRow) -> Option<CustomerPaperwork> {
        if revisit.category.as_deref() != Some(RevisitReason::Customer.name()) {
            return None;
        }
        let done = from_millis(revisit.done_at?);
        let report_due_at = to_millis(customer_report_due(done, &self.rules, &self.calendar));
        let file_due_at = to_millis(customer_file_due(done, &self.rules, &self.calendar));
        let reported = !revisit.facts["reported_at"].is_null();
        let filed = !revisit.facts["filed_at"].is_null();
        let now = self.now_ms();
        Some(CustomerPaperwork {
            revisit: revisit.clone(),
            report_due_at,
            file_due_at,
            reported,
            filed,
            overdue: (!reported && now > report_due_at) || (!filed && now > file_due_at),
        })
    }

    /// Done customer visits whose report or papers are still owed, soonest
    /// due first.
    pub fn customer_paperwork_due(&self) -> Result<Vec<CustomerPaperwork>, SessionError> {
        let rows = self.store().query(&Query {
            kind: Some(RecordKind::Revisit),
            estates: self.my_estates(),
            status: Some(RevisitStatus::Done.name().into()),
            ..Query::default()
        })?;
        let mut out: Vec<CustomerPaperwork> = rows
            .iter()
            .filter_map(|r| self.customer_paperwork(r))
            .filter(|p| !p.filed)
            .collect();
        out.sort_by_key(|p| {
            if p.reported {
                p.file_due_at
            } else {
                p.report_due_at
            }
        });
        Ok(out)
    }

    /// A customer visit recorded: the schedule's next one is planned.
    pub(super) fn customer_revisited(&mut self, customer: &str) -> Result<(), SessionError> {
        let id = parse_id(customer)?;
        self.plan_customer_visits(&id).map(|_| ())
    }
}
