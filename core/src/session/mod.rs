//! A person signed in on a device: the store, who they are, and the company
//! rules. Every operation a field screen or the office makes goes through
//! here, so the rules are applied the same way wherever the core runs.

mod cases;
mod orders;
mod revisits;

use chrono::{DateTime, Utc};

use crate::documents::{IndexRow, Record, RecordError, RecordKind, Who};
use crate::ids::RecordId;
use crate::people::Staff;
use crate::rules::{RulesConfig, RulesError, WorkCalendar};
use crate::store::{Query, Store, StoreError};
use crate::time::{to_millis, Millis};

pub use cases::ComplaintRequest;
pub use orders::OrderRequest;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rules(#[from] RulesError),
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

pub struct Session {
    store: Store,
    staff: Staff,
    rules: RulesConfig,
    calendar: WorkCalendar,
    clock: Box<dyn Clock>,
}

impl Session {
    pub fn new(store: Store, staff: Staff, rules: RulesConfig, calendar: WorkCalendar) -> Self {
        Self::with_clock(store, staff, rules, calendar, Box::new(SystemClock))
    }

    pub fn with_clock(
        store: Store,
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
        }
    }

    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn rules(&self) -> &RulesConfig {
        &self.rules
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
            device_id: self.store.device_id(),
            at: self.now_ms(),
        }
    }

    /// Refuses records of estates this person does not work on.
    fn check_estate(&self, estate_id: &str) -> Result<(), SessionError> {
        if self.staff.works_on(estate_id) {
            Ok(())
        } else {
            Err(RecordError::invalid(
                "estate_id",
                format!("无权访问该小区 / you do not work on estate {estate_id}"),
            )
            .into())
        }
    }

    fn create<R: Record>(&mut self, mut record: R) -> Result<RecordId, SessionError> {
        self.check_estate(record.record().estate_id())?;
        let id = record.record().id().clone();
        self.store.create(&mut record)?;
        Ok(id)
    }

    fn edit<R: Record, T>(
        &mut self,
        id: &RecordId,
        edit: impl FnOnce(&mut R, &Who, &crate::signoff::DeviceKey) -> Result<T, RecordError>,
    ) -> Result<T, SessionError> {
        let who = self.who();
        let row = self
            .store
            .index_row(id.as_str())?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        self.check_estate(&row.estate_id)?;
        Ok(self.store.edit(id, |r: &mut R, key| edit(r, &who, key))?)
    }

    pub fn get<R: Record>(&self, id: &RecordId) -> Result<R, SessionError> {
        let record: R = self.store.get(id)?;
        self.check_estate(record.record().estate_id())?;
        Ok(record)
    }

    fn my_estates(&self) -> Option<Vec<String>> {
        Some(self.staff.estates.clone())
    }

    /// Today's work: my open orders and revisits, soonest due first.
    pub fn my_tasks(&self) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.store.query(&Query {
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

    pub fn overdue(&self, kind: RecordKind) -> Result<Vec<IndexRow>, SessionError> {
        let now = self.now_ms();
        Ok(self
            .store
            .overdue(kind, now)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    /// Revisits due by the end of `within_days` calendar days from now.
    pub fn due_revisits(&self, within_days: i64) -> Result<Vec<IndexRow>, SessionError> {
        let before = self.now_ms() + within_days * 86_400_000;
        Ok(self
            .store
            .due_revisits(None, before)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    pub fn unit_history(&self, unit_id: &str) -> Result<Vec<IndexRow>, SessionError> {
        Ok(self
            .store
            .unit_history(unit_id)?
            .into_iter()
            .filter(|r| self.staff.works_on(&r.estate_id))
            .collect())
    }

    /// Stores a photo or signature image and returns its hash.
    pub fn attach(&mut self, bytes: &[u8], mime: &str) -> Result<String, SessionError> {
        Ok(self.store.put_blob(bytes, mime)?)
    }
}
