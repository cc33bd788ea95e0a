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

use rounds_core::DeviceId;

pub use pool::{PgConn, PgPool};

use crate::error::AppError;

/// Advisory lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`).
const DOC_LOCK: i32 = 0x5244; // with hashtext(document id)
const SEQ_LOCK: i32 = 0x5253; // with 0: handing out the next change sequence
const SCHEMA_LOCK: i32 = 0x524D; // with 0: running migrations

/// One connection and what every query on it needs to know.
pub struct PgDb {
    client: postgres::Client,
    /// The actor of documents the server writes itself; one for all processes.
    device: DeviceId,
    /// This process, so it can ignore its own notifications.
    node: String,
}

impl From<postgres::Error> for AppError {
    fn from(e: postgres::Error) -> Self {
        AppError::Internal(format!("PostgreSQL: {e}"))
    }
}
