//! The embedded backend: core's SQLite document store (`rounds.db`) and the
//! accounts database (`server.db`) in the data directory, behind one lock
//! (SQLite has one writer anyway, and a merge must read and write both
//! consistently).

use std::path::Path;

use automerge::ChangeHash;
use rounds_core::documents::{IndexRow, RecordDoc};
use rounds_core::signoff::DeviceKey;
use rounds_core::store::{
    Changed, Created, DocEdit, DocumentStore, Outgoing, Query, Store, StoreError,
};
use rounds_core::sync::guard::Refusal;
use rounds_core::{DeviceId, RecordId, Role, Staff};

use super::{AccountStore, Check, Delivery, Merged, SyncStore};
use crate::db::accounts::{Accounts, DeviceLogin};
use crate::db::admin::{Account, AccountChange, AuditEntry, AuditRow};
use crate::error::AppError;

pub struct SqliteDb {
    pub store: Store,
    pub accounts: Accounts,
}

impl SqliteDb {
    pub fn open(data_dir: &Path) -> Result<Self, AppError> {
        Ok(SqliteDb {
            store: Store::open(data_dir.join("rounds.db"))?,
            accounts: Accounts::open(&data_dir.join("server.db"))?,
        })
    }
}

impl DocumentStore for SqliteDb {
    fn device_id(&self) -> DeviceId {
        self.store.device_id()
    }
    fn device_key(&self) -> &DeviceKey {
        self.store.device_key()
    }
    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError> {
        self.store.load(id)
    }
    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError> {
        self.store.create_doc(doc)
    }
    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError> {
        self.store.edit_doc(id, edit)
    }
    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        self.store.query(q)
    }
    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError> {
        DocumentStore::index_row(&self.store, id)
    }
    fn last_seq(&self) -> Result<i64, StoreError> {
        self.store.last_seq()
    }
    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        self.store.changed_since(seq, estates, limit)
    }
    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        self.store.put_blob(bytes, mime)
    }
    fn begin(&mut self) -> Result<(), StoreError> {
        self.store.begin()
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        self.store.commit()
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.store.rollback()
    }
}

impl SyncStore for SqliteDb {
    fn merge(
        &mut self,
        id: &RecordId,
        check: &mut Check<'_>,
    ) -> Result<Result<Merged, Refusal>, AppError> {
        let existing = match self.store.load(id) {
            Ok(d) => Some(d),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let mut merged = match check(existing.as_ref()) {
            Ok(m) => m,
            Err(r) => return Ok(Err(r)),
        };
        // What was checked is what is stored: no second decode.
        let changed = self.store.store_merged(&mut merged)?;
        let seq = if changed {
            self.store.doc_seq(id)?
        } else {
            None
        };
        Ok(Ok(Merged {
            estate: merged.estate_id().to_owned(),
            seq,
        }))
    }

    fn outgoing(&mut self, id: &RecordId, known: &[ChangeHash]) -> Result<Outgoing, AppError> {
        Ok(self.store.outgoing(id, known)?)
    }

    fn has_blob(&mut self, hash: &str) -> Result<bool, AppError> {
        Ok(self.store.has_blob(hash)?)
    }

    fn put_blob_checked(&mut self, hash: &str, bytes: &[u8], mime: &str) -> Result<(), AppError> {
        Ok(self.store.put_blob_checked(hash, bytes, mime)?)
    }

    fn blob(&mut self, hash: &str) -> Result<(Vec<u8>, String), AppError> {
        Ok(self.store.blob(hash)?)
    }

    fn grant_blob(&mut self, hash: &str, estates: &[String]) -> Result<(), AppError> {
        self.accounts.grant_blob(hash, estates)
    }

    fn blob_readable(&mut self, hash: &str, estates: &[String]) -> Result<bool, AppError> {
        Ok(self.accounts.blob_granted(hash, estates)? && self.store.has_blob(hash)?)
    }
}

impl AccountStore for SqliteDb {
    fn staff_count(&mut self) -> Result<i64, AppError> {
        self.accounts.staff_count()
    }
    fn put_staff(
        &mut self,
        staff: &Staff,
        username: &str,
        password_hash: &str,
    ) -> Result<(), AppError> {
        self.accounts.put_staff(staff, username, password_hash)
    }
    fn password_of(&mut self, username: &str) -> Result<Option<(String, String)>, AppError> {
        self.accounts.password_of(username)
    }
    fn sign_in(
        &mut self,
        staff_id: &str,
        device: DeviceId,
        name: &str,
        public_key: &str,
        token: &str,
    ) -> Result<Staff, AppError> {
        self.accounts
            .sign_in(staff_id, device, name, public_key, token)
    }
    fn authenticate(&mut self, token: &str) -> Result<DeviceLogin, AppError> {
        self.accounts.authenticate(token)
    }
    fn device_owner(&mut self, device: &str) -> Result<Option<Staff>, AppError> {
        self.accounts.device_owner(device)
    }
    fn device_key(&mut self, device: DeviceId) -> Result<Option<String>, AppError> {
        self.accounts.device_key(device)
    }
    fn revoke(&mut self, device: &str) -> Result<(), AppError> {
        self.accounts.revoke(device)
    }
    fn known_heads(
        &mut self,
        device: DeviceId,
        doc: &str,
        confirmed: u64,
    ) -> Result<Vec<ChangeHash>, AppError> {
        self.accounts.known_heads(device, doc, confirmed)
    }
    fn record_delivery(&mut self, device: DeviceId, round: &Delivery) -> Result<(), AppError> {
        self.accounts.record_delivery(device, round)
    }
    fn staff_of_estate(&mut self, estate: &str) -> Result<Vec<(String, Role)>, AppError> {
        self.accounts.staff_of_estate(estate)
    }
    fn staff(&mut self, id: &str) -> Result<Option<Staff>, AppError> {
        self.accounts.staff(id)
    }
    fn apply(
        &mut self,
        change: &AccountChange,
        audit: &AuditEntry,
    ) -> Result<Vec<String>, AppError> {
        self.accounts.apply(change, audit)
    }
    fn record_audit(&mut self, entry: &AuditEntry) -> Result<(), AppError> {
        self.accounts.record_audit(entry)
    }
    fn audit_log(&mut self, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>, AppError> {
        self.accounts.audit_log(before, limit)
    }
    fn accounts(&mut self) -> Result<Vec<Account>, AppError> {
        self.accounts.accounts()
    }
    fn standing(&mut self, staff_id: &str) -> Result<Option<(bool, bool)>, AppError> {
        self.accounts.standing(staff_id)
    }
    fn give_estate(&mut self, staff_id: &str, estate: &str) -> Result<(), AppError> {
        self.accounts.give_estate(staff_id, estate)
    }
}
