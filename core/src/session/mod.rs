//! A person signed in on a device: the store, who they are, and the company
//! rules. Every operation a field screen or the office makes goes through
//! here, so the rules are applied the same way wherever the core runs.

mod cases;
mod company;
mod customers;
mod desk;
mod inspections;
mod keys;
mod orders;
mod places;
mod renovations;
mod revisits;
mod surveys;
mod templates;

use chrono::{DateTime, Utc};

use crate::documents::{IndexRow, Record, RecordError, RecordKind, Who};
use crate::ids::RecordId;
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::people::Staff;
use crate::policy::{self, Author, Context, DocLimits};
use crate::rules::{RulesConfig, RulesError, WorkCalendar};
use crate::store::{DocumentStore, Query, Store, StoreError};
use crate::time::{to_millis, Millis};

pub use cases::ComplaintRequest;
pub use customers::{CustomerDue, CustomerPaperwork};
pub use desk::DueReport;
pub use inspections::Reinspection;
pub use orders::OrderRequest;
pub use revisits::{FollowUp, FollowUpNeed};
pub use surveys::{SurveyDue, SurveyReport};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error("{}", self.message())]
    NotYourEstate { estate_id: String },
    /// A complaint is resolved only once the repair opened for it is done:
    /// its answer (答复) stops the 24-hour clock meanwhile.
    #[error("{}", self.message())]
    RepairNotDone { order_id: String },
}

impl Explain for SessionError {
    fn code(&self) -> ErrorCode {
        match self {
            SessionError::Store(e) => e.code(),
            SessionError::Rules(e) => e.code(),
            SessionError::NotYourEstate { .. } => ErrorCode::Forbidden,
            SessionError::RepairNotDone { .. } => ErrorCode::Conflict,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            SessionError::Store(e) => e.message(),
            SessionError::Rules(e) => e.message(),
            SessionError::NotYourEstate { estate_id } => Bilingual::new(
                format!("无权访问该小区 {estate_id}"),
                format!("you do not work on estate {estate_id}"),
            ),
            SessionError::RepairNotDone { order_id } => Bilingual::new(
                format!("投诉的维修单 {order_id} 尚未完工,完工后才能标记解决;可先答复业主"),
                format!(
                    "the complaint's work order {order_id} is not finished: resolve it once the \
                     repair is done, and answer the resident meanwhile"
                ),
            ),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            SessionError::Store(e) => e.field(),
            SessionError::Rules(e) => e.field(),
            SessionError::NotYourEstate { .. } | SessionError::RepairNotDone { .. } => None,
        }
    }
}

impl From<RecordError> for SessionError {
    fn from(e: RecordError) -> Self {
        SessionError::Store(StoreError::Record(e))
    }
}

/// Where the session reads the time; tests set it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// `S` is the store: owned on a phone (`Session<Store>`), borrowed on the
/// server, where each request acts for its own signed-in person.
pub struct Session<S = Store> {
    store: S,
    staff: Staff,
    rules: RulesConfig,
    calendar: WorkCalendar,
    clock: Box<dyn Clock>,
    limits: DocLimits,
}

impl<S: DocumentStore> Session<S> {
    pub fn new(store: S, staff: Staff, rules: RulesConfig, calendar: WorkCalendar) -> Self {
        Self::with_clock(store, staff, rules, calendar, Box::new(SystemClock))
    }

    pub fn with_clock(
        store: S,
        staff: Staff,
        rules: RulesConfig,
        calendar: WorkCalendar,
        clock: Box<dyn Clock>,
    ) -> Self {
        Session {
            store,
            staff,
            rules,
            calendar,
            clock,
            limits: DocLimits::default(),
        }
    }

    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    pub fn into_store(self) -> S {
        self.store
    }

    /// Runs a step that changes several records as one transaction: a step
    /// that fails half-way keeps none of its writes, so retrying it is safe.
    pub(crate) fn atomically<T>(
        &mut self,
        step: impl FnOnce(&mut Self) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        self.store.begin()?;
        match step(self) {
            Ok(out) => {
                self.store.commit()?;
                Ok(out)
            }
            Err(e) => {
                let _ = self.store.rollback();
                Err(e)
            }
        }
    }

    pub fn rules(&self) -> &RulesConfig {
        &self.rules
    }

    /// The working days the rules count.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn now_ms(&self) -> Millis {
        to_millis(self.now())
    }

    pub(crate) fn who(&self) -> Who {
        Who {
            staff_id: self.staff.id.clone(),
            role: self.staff.role,
            device_id: self.store().device_id(),
            at: self.now_ms(),
        }
    }

    /// Refuses records of estates this person does not work on.
    fn check_estate(&self, estate_id: &str) -> Result<(), SessionError> {
        if self.staff.works_on(estate_id) {
            Ok(())
        } else {
            Err(SessionError::NotYourEstate {
                estate_id: estate_id.into(),
            })
        }
    }

    /// The author the write policy judges this person's edits as: who they
    /// are, on this device, with this device's own key.
    fn author(&self) -> Author {
        Author::from_who(&self.who(), Some(self.store().device_key().public_hex()))
    }

    /// Stores a new record, after the write policy has judged its creation.
    fn create<R: Record>(&mut self, mut record: R) -> Result<RecordId, SessionError> {
        self.check_estate(record.record().estate_id())?;
        self.judge_new(record.record_mut())?;
        let id = record.record().id().clone();
        self.store_mut().create(&mut record)?;
        Ok(id)
    }

    /// The write policy's judgement of a record this person creates.
    fn judge_new(&self, record: &mut crate::documents::RecordDoc) -> Result<(), RecordError> {
        let ctx = Context {
            rules: &self.rules,
            limits: &self.limits,
        };
        Ok(policy::judge_since(record, &[], &self.author(), &ctx)?)
    }

    /// One edit, judged by the write policy before it is stored: an edit the
    /// server would refuse is refused here, and nothing of it is kept.
    fn edit<R: Record, T>(
        &mut self,
        id: &RecordId,
        edit: impl FnOnce(&mut R, &Who, &crate::signoff::DeviceKey) -> Result<T, RecordError>,
    ) -> Result<T, SessionError> {
        let who = self.who();
        let author = self.author();
        let row = self
            .store()
            .index_row(id.as_str())?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        self.check_estate(&row.estate_id)?;
        let Session {
            store,
            rules,
            limits,
            ..
        } = self;
        let ctx = Context { rules, limits };
        Ok(store.edit(id, |r: &mut R, key| {
            let before = r.record_mut().heads();
            let out = edit(r, &who, key)?;
            policy::judge_since(r.record_mut(), &before, &author, &ctx)?;
            Ok(out)
        })?)
    }

    /// Whether `edit` would be taken now: tried on a copy of the record and
    /// judged by the write policy as [`Session::edit`] judges it, keeping
    /// nothing. What a screen offers is asked here, so it never offers a
    /// step the record or the policy would refuse.
    pub fn allows<R: Record>(
        &self,
        id: &RecordId,
        edit: impl FnOnce(&mut R, &Who) -> Result<(), RecordError>,
    ) -> Result<bool, SessionError> {
        let mut record: R = self.get(id)?;
        let ctx = Context {
            rules: &self.rules,
            limits: &self.limits,
        };
        let before = record.record_mut().heads();
        let tried = edit(&mut record, &self.who()).and_then(|()| {
            policy::judge_since(record.record_mut(), &before, &self.author(), &ctx)
                .map_err(RecordError::from)
        });
        match tried {
            Ok(()) => Ok(true),
            Err(RecordError::Corrupt(e)) => Err(RecordError::Corrupt(e).into()),
            Err(_) => Ok(false),
        }
    }

    pub fn get<R: Record>(&self, id: &RecordId) -> Result<R, SessionError> {
        let record: R = self.store().get(id)?;
        self.check_estate(record.record().estate_id())?;
        Ok(record)
    }

    fn my_estates(&self) -> Option<Vec<String>> {
        Some(self.staff.estates.clone())
    }

    /// Today's work: my open orders and revisits, soonest due first.
    pub fn my_tasks(&self) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.store().query(&Query {
            open: Some(true),
            assignee: Some(self.staff.id.clone()),
            estates: self.my_estates(),
            ..Query::default()
        })?;
        rows.retain(|r| {
            matches!(
                r.kind,
                RecordKind::WorkOrder | RecordKind::Revisit | RecordKind::Rectification
            )
        });
        Ok(rows)
    }

    /// Every record of `kind` in my estates: the checklists and patrol
    /// routes a field worker starts from, say.
    pub fn records(&self, kind: RecordKind) -> Result<Vec<IndexRow>, SessionError> {
        self.store()
            .query(&Query {
                kind: Some(kind),
                estates: self.my_estates(),
                ..Query::default()
            })
            .map_err(Into::into)
    }

    pub fn overdue(&self, kind: RecordKind) -> Result<Vec<IndexRow>, SessionError> {
        let now = self.now_ms();
        Ok(self
            .store()
            .overdue(kind, now)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    /// Revisits due by the end of `within_days` calendar days from now.
    pub fn due_revisits(&self, within_days: i64) -> Result<Vec<IndexRow>, SessionError> {
        let before = self.now_ms() + within_days * 86_400_000;
        Ok(self
            .store()
            .due_revisits(None, before)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    pub fn unit_history(&self, unit_id: &str) -> Result<Vec<IndexRow>, SessionError> {
        Ok(self
            .store()
            .unit_history(unit_id)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    /// The month's figures for one estate, from the query tables: requests,
    /// on-time and re-repair rates, complaints, revisits against quota and
    /// satisfaction. `units_total` and `staff` come from the estate's records.
    pub fn monthly_report(
        &self,
        estate_id: &str,
        month: (i32, u32),
        units_total: u32,
        staff: Vec<(String, crate::people::Role)>,
    ) -> Result<crate::rules::MonthlyReport, SessionError> {
        self.check_estate(estate_id)?;
        let rows = self.store().query(&Query {
            estates: Some(vec![estate_id.into()]),
            ..Query::default()
        })?;
        let input = crate::facts::report_input(&rows, month, units_total, staff);
        Ok(crate::rules::monthly_report(
            &input,
            &self.rules,
            &self.calendar,
        )?)
    }

    /// Stores a photo or signature image and returns its hash.
    pub fn attach(&mut self, bytes: &[u8], mime: &str) -> Result<String, SessionError> {
        Ok(self.store_mut().put_blob(bytes, mime)?)
    }
}
