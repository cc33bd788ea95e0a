//! The storage seam: what a [`crate::session::Session`] needs of wherever its
//! records live. The phone's SQLite [`super::Store`] implements it, and so does
//! the server's PostgreSQL backend, so one session (one set of rules, one
//! write policy) runs on both.
//!
//! Errors are core's own [`StoreError`]; a backend that is not SQLite reports
//! its failures as [`StoreError::Backend`].

use crate::documents::{IndexRow, Record, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::signoff::DeviceKey;
use crate::time::Millis;

use super::{Changed, Created, Query, StoreError};

/// One edit of a stored document: given it as stored (and the device's key,
/// to sign with), returns it changed. Run inside the backend's transaction;
/// an error stores nothing.
pub type DocEdit<'a> = dyn FnMut(RecordDoc, &DeviceKey) -> Result<RecordDoc, StoreError> + 'a;

/// Documents, their query rows, the change sequence and blobs.
///
/// Every write is one transaction with the document's query row. Between
/// [`begin`](Self::begin) and [`commit`](Self::commit) several writes become
/// one: a step that changes several records (complete an order and plan its
/// revisit) either happens whole or not at all.
pub trait DocumentStore {
    /// The actor this store writes as (the phone, or the server itself).
    fn device_id(&self) -> DeviceId;

    /// The key that signs what this device records (a resident's sign-off).
    fn device_key(&self) -> &DeviceKey;

    /// A stored record (`NotFound` otherwise).
    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError>;

    /// Stores a new record with its query row. A record with this id already
    /// stored (a retried creation) is kept as it is.
    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError>;

    /// Loads a record, applies `edit` and stores what it added with the query
    /// row, in one transaction.
    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError>;

    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError>;

    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError>;

    /// The highest change sequence any document has.
    fn last_seq(&self) -> Result<i64, StoreError>;

    /// Documents of `estates` changed after `seq`, in sequence order, at most `limit`.
    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError>;

    /// Stores a photo or signature image once by hash and returns the hash.
    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError>;

    /// Opens a step spanning several writes; steps nest.
    fn begin(&mut self) -> Result<(), StoreError>;
    /// Keeps what the innermost open step wrote.
    fn commit(&mut self) -> Result<(), StoreError>;
    /// Undoes what the innermost open step wrote.
    fn rollback(&mut self) -> Result<(), StoreError>;

    /// A stored record as its typed view.
    fn get<R: Record>(&self, id: &RecordId) -> Result<R, StoreError>
    where
        Self: Sized,
    {
        Ok(R::from_record(self.load(id)?)?)
    }

    /// Stores a newly created typed record.
    fn create<R: Record>(&mut self, record: &mut R) -> Result<Created, StoreError>
    where
        Self: Sized,
    {
        self.create_doc(record.record_mut())
    }

    /// Loads a record as its typed view, applies one edit and stores the
    /// result with its query row in one transaction. A refused edit stores
    /// nothing.
    fn edit<R: Record, T>(
        &mut self,
        id: &RecordId,
        edit: impl FnOnce(&mut R, &DeviceKey) -> Result<T, RecordError>,
    ) -> Result<T, StoreError>
    where
        Self: Sized,
    {
        let mut edit = Some(edit);
        let mut out = None;
        self.edit_doc(id, &mut |doc, key| {
            let mut record = R::from_record(doc)?;
            let edit = edit.take().expect("a store runs an edit once");
            out = Some(edit(&mut record, key)?);
            Ok(record.into_record())
        })?;
        Ok(out.expect("the edit ran"))
    }

    /// A technician's open orders.
    fn open_orders_for(&self, assignee: &str) -> Result<Vec<IndexRow>, StoreError> {
        self.query(&Query {
            kind: Some(RecordKind::WorkOrder),
            open: Some(true),
            assignee: Some(assignee.into()),
            ..Query::default()
        })
    }

    /// Open records of `kind` past their due time at `now`.
    fn overdue(&self, kind: RecordKind, now: Millis) -> Result<Vec<IndexRow>, StoreError> {
        let mut rows = self.query(&Query {
            kind: Some(kind),
            open: Some(true),
            due_before: Some(now),
            ..Query::default()
        })?;
        rows.retain(|r| r.is_overdue(now));
        Ok(rows)
    }

    /// Revisits still to do that fall due before `before`.
    fn due_revisits(
        &self,
        assignee: Option<&str>,
        before: Millis,
    ) -> Result<Vec<IndexRow>, StoreError> {
        self.query(&Query {
            kind: Some(RecordKind::Revisit),
            open: Some(true),
            assignee: assignee.map(str::to_owned),
            due_before: Some(before),
            ..Query::default()
        })
    }

    /// Everything recorded at one unit, newest first.
    fn unit_history(&self, unit_id: &str) -> Result<Vec<IndexRow>, StoreError> {
        let mut rows = self.query(&Query {
            unit_id: Some(unit_id.into()),
            ..Query::default()
        })?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }
}

/// A borrowed store is a store: the server lends its storage to one
/// request's session.
impl<T: DocumentStore + ?Sized> DocumentStore for &mut T {
    fn device_id(&self) -> DeviceId {
        (**self).device_id()
    }
    fn device_key(&self) -> &DeviceKey {
        (**self).device_key()
    }
    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError> {
        (**self).load(id)
    }
    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError> {
        (**self).create_doc(doc)
    }
    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError> {
        (**self).edit_doc(id, edit)
    }
    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        (**self).query(q)
    }
    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError> {
        (**self).index_row(id)
    }
    fn last_seq(&self) -> Result<i64, StoreError> {
        (**self).last_seq()
    }
    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        (**self).changed_since(seq, estates, limit)
    }
    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        (**self).put_blob(bytes, mime)
    }
    fn begin(&mut self) -> Result<(), StoreError> {
        (**self).begin()
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        (**self).commit()
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        (**self).rollback()
    }
}
