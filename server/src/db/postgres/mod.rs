//! The shared backend: one PostgreSQL database that several server processes
//! use at once. Each merge is one transaction holding an advisory lock on its
//! document, so two processes merging the same record take turns and both
//! sets of changes survive; the change sequence comes from a PostgreSQL
//! SEQUENCE, taken under a short global lock just before commit so that
//! sequence order is commit order (a device's cursor never skips a change
//! that committed late). LISTEN/NOTIFY carries pokes between processes.

mod accounts;
mod documents;
pub mod notify;
mod pool;
mod schema;

use std::cell::RefCell;
use std::sync::Arc;

use postgres::Client;
use rounds_core::signoff::DeviceKey;
use rounds_core::store::{Steps, StoreError};
use rounds_core::DeviceId;

pub use pool::{PgConn, PgPool};

use crate::error::AppError;

/// Advisory lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`).
const DOC_LOCK: i32 = 0x5244; // with hashtext(document id)
const SEQ_LOCK: i32 = 0x5253; // with 0: handing out the next change sequence
const SCHEMA_LOCK: i32 = 0x524D; // with 0: running migrations
const ACCOUNTS_LOCK: i32 = 0x5241; // with 0: an administrative change to the accounts

/// One connection and what every query on it needs to know.
pub struct PgDb {
    /// Borrowed by one query at a time; reads take `&self`, as core's
    /// `DocumentStore` asks.
    client: RefCell<Client>,
    /// The actor of documents the server writes itself; one for all processes.
    device: DeviceId,
    /// What the server signs with; one for all processes.
    key: Arc<DeviceKey>,
    /// This process, so it can ignore its own notifications.
    node: String,
    /// Open write steps: the outermost is a transaction, inner ones savepoints.
    steps: Steps,
}

impl PgDb {
    /// Runs `f` as one write step: a transaction of its own, or a savepoint
    /// inside a step opened with `DocumentStore::begin`.
    fn write<T, E: From<AppError>>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, E>,
    ) -> Result<T, E> {
        self.open_step()?;
        let out = f(&mut self.client.borrow_mut());
        match out {
            Ok(v) => {
                self.close_step(true)?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.close_step(false);
                Err(e)
            }
        }
    }

    /// Runs one read on the connection.
    fn read<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, AppError>) -> Result<T, AppError> {
        f(&mut self.client.borrow_mut())
    }

    fn open_step(&self) -> Result<(), AppError> {
        let sql = self.steps.open();
        self.client
            .borrow_mut()
            .batch_execute(&sql)
            .inspect_err(|_| self.steps.undo_open())?;
        Ok(())
    }

    fn close_step(&self, keep: bool) -> Result<(), AppError> {
        let closing = self
            .steps
            .close(keep)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut client = self.client.borrow_mut();
        let done = client.batch_execute(&closing.sql);
        if done.is_err() && closing.outermost {
            let _ = client.batch_execute("ROLLBACK");
        }
        Ok(done?)
    }
}

/// A PostgreSQL failure as core's store reports it.
fn store_error(e: AppError) -> StoreError {
    match e {
        AppError::NotFound(id) => StoreError::NotFound(id),
        other => StoreError::Backend(other.to_string()),
    }
}

impl From<postgres::Error> for AppError {
    fn from(e: postgres::Error) -> Self {
        AppError::Internal(format!("PostgreSQL: {e}"))
    }
}
