//! What every handler shares: the document store, the accounts, the limits,
//! and the channel that pokes connected devices.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rounds_core::store::Store;
use tokio::sync::broadcast;

use crate::accounts::Accounts;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body (a sync request, a blob chunk).
    pub max_body_bytes: usize,
    /// Largest blob (a photo, a signature image).
    pub max_blob_bytes: u64,
    /// Documents per sync answer; the rest follow with `more: true`.
    pub page_docs: usize,
    /// Change bytes per sync answer, past the first document.
    pub page_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 << 20,
            max_blob_bytes: 32 << 20,
            page_docs: 200,
            page_bytes: 4 << 20,
        }
    }
}

/// A document of `estate` changed (sent by `origin`, if a device sent it).
#[derive(Debug, Clone)]
pub struct Changed {
    pub estate: String,
    pub seq: i64,
    pub origin: Option<rounds_core::DeviceId>,
}

/// The store and the accounts behind one lock: SQLite has one writer
/// anyway, and a merge must read and write both consistently.
pub struct Db {
    pub store: Store,
    pub accounts: Accounts,
}

#[derive(Clone)]
pub struct AppState {
    db: Arc<Mutex<Db>>,
    pub limits: Limits,
    pub changes: broadcast::Sender<Changed>,
    pub uploads: PathBuf,
}

impl AppState {
    pub fn open(data_dir: &std::path::Path, limits: Limits) -> Result<Self, AppError> {
        std::fs::create_dir_all(data_dir)?;
        let uploads = data_dir.join("uploads");
        std::fs::create_dir_all(&uploads)?;
        let store = Store::open(data_dir.join("rounds.db"))?;
        let accounts = Accounts::open(&data_dir.join("server.db"))?;
        let (changes, _) = broadcast::channel(1024);
        Ok(AppState {
            db: Arc::new(Mutex::new(Db { store, accounts })),
            limits,
            changes,
            uploads,
        })
    }

    /// Runs `f` with the databases on a blocking thread.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = db
                .lock()
                .map_err(|_| AppError::Internal("database lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// The databases, for set-up before serving (demo seeding).
    pub fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut guard = self
            .db
            .lock()
            .map_err(|_| AppError::Internal("database lock poisoned".into()))?;
        f(&mut guard)
    }
}
