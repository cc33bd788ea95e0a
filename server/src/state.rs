//! What every handler shares: storage, the limits, and the channels that
//! poke connected devices.
//!
//! Storage is reached through `state.db(|db| …)`: the closure runs on a
//! blocking thread with `db: &mut Db`, a [`crate::db::Backend`] (SQLite or
//! PostgreSQL). Its methods are those of core's `Store` and of `Accounts`,
//! called on `db` directly: `db.query(&q)?`, `db.load(&id)?`,
//! `db.staff_of_estate(&e)?` (formerly `db.store.query`, `db.accounts.…`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rounds_core::documents::company::{company_author, COMPANY_SCOPE};
use rounds_core::policy::WireLimits;
use rounds_core::DeviceId;
use tokio::sync::{broadcast, watch};

use crate::company::CompanyRules;
use crate::db::postgres::PgPool;
use crate::db::sqlite::SqliteDb;
use crate::db::Backend;
use crate::error::AppError;
use crate::phone::auth::Logins;
use crate::phone::login_throttle::{Clock, LoginLimits, SystemClock};

/// What handlers get from `state.db(…)`.
pub type Db = dyn Backend;

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
    /// How far a change's time may be off before it is flagged as a wrong
    /// phone clock (it is stored all the same).
    pub max_clock_skew_ms: i64,
    /// What one sync request may ask (documents, heads, changes, sizes).
    pub wire: WireLimits,
    /// When repeated wrong passwords lock sign-in for a while.
    pub login: LoginLimits,
    /// An unfinished blob upload left untouched this long is dropped.
    pub partial_upload_max_age: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 << 20,
            max_blob_bytes: 32 << 20,
            page_docs: 200,
            page_bytes: 4 << 20,
            max_clock_skew_ms: 15 * 60_000,
            wire: WireLimits::default(),
            login: LoginLimits::default(),
            partial_upload_max_age: Duration::from_secs(24 * 3600),
        }
    }
}

/// A document of `estate` changed (sent by `origin`, if a device sent it).
#[derive(Debug, Clone)]
pub struct Changed {
    pub estate: String,
    pub seq: i64,
    pub origin: Option<DeviceId>,
}

#[derive(Clone)]
enum Storage {
    /// One connection pair behind one lock: SQLite has one writer anyway.
    Sqlite(Arc<Mutex<SqliteDb>>),
    /// A pool of connections; PostgreSQL locks per document.
    Postgres(Arc<PgPool>),
}

#[derive(Clone)]
pub struct AppState {
    storage: Storage,
    pub limits: Limits,
    pub changes: broadcast::Sender<Changed>,
    /// Devices whose sessions may have ended, here or (on PostgreSQL) in
    /// another server process: revoked, signed out, or signed in again (so
    /// its earlier token was replaced). Each open event stream of the device
    /// checks its own token again and closes if it no longer works.
    pub revoked: broadcast::Sender<DeviceId>,
    /// Set when the server is shutting down: open event streams end, so
    /// the requests in flight can finish and the process exit.
    pub stopping: watch::Sender<bool>,
    pub uploads: PathBuf,
    /// The company's rules and the working days they count, as the company's
    /// rules document holds them: read per request (`AppState::company`),
    /// replaced whole when a director changes them.
    company: Arc<RwLock<Arc<CompanyRules>>>,
    /// Where sync time goes (`GET /metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Sign-in back-off and password checking.
    pub logins: Arc<Logins>,
    /// The business's "now": office steps, deadlines, what lists call due or
    /// late, the complaint clocks. Tests move it; sign-in back-off, tokens
    /// and blob housekeeping keep their own clocks.
    pub clock: Arc<dyn rounds_core::session::Clock>,
}

impl AppState {
    /// The embedded SQLite databases in `data_dir`.
    pub fn open(data_dir: &Path, limits: Limits) -> Result<Self, AppError> {
        let uploads = Self::uploads(data_dir)?;
        let db = SqliteDb::open(data_dir)?;
        Self::with_storage(Storage::Sqlite(Arc::new(Mutex::new(db))), limits, uploads)
    }

    /// A PostgreSQL database at `url` (partial uploads stay in `data_dir`).
    /// Changes merged by other server processes on the same database reach
    /// this one's connected devices through LISTEN/NOTIFY.
    pub fn open_postgres(url: &str, data_dir: &Path, limits: Limits) -> Result<Self, AppError> {
        let uploads = Self::uploads(data_dir)?;
        let pool = Arc::new(PgPool::open(url)?);
        let state = Self::with_storage(Storage::Postgres(pool.clone()), limits, uploads)?;
        crate::db::postgres::notify::listen(pool.config().clone(), pool.node(), &state)?;
        Ok(state)
    }

    fn uploads(data_dir: &Path) -> Result<PathBuf, AppError> {
        let uploads = data_dir.join("uploads");
        std::fs::create_dir_all(&uploads)?;
        Ok(uploads)
    }

    fn with_storage(storage: Storage, limits: Limits, uploads: PathBuf) -> Result<Self, AppError> {
        let (changes, _) = broadcast::channel(1024);
        let (revoked, _) = broadcast::channel(64);
        let (stopping, _) = watch::channel(false);
        let logins = Arc::new(Logins::new(
            limits.login.clone(),
            Arc::new(SystemClock::new()),
        )?);
        // The manuals' rules until the company's are read (`adopt_company`).
        Ok(AppState {
            storage,
            limits,
            changes,
            revoked,
            stopping,
            uploads,
            company: Arc::default(),
            metrics: Arc::default(),
            logins,
            clock: Arc::new(rounds_core::session::SystemClock),
        })
    }

    /// The same state with sign-in back-off timed by `clock` (for tests).
    pub fn with_login_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.logins = Arc::new(self.logins.with_clock(self.limits.login.clone(), clock));
        self
    }

    /// The company's rules and calendar in force now: what each request
    /// counts by (one lock read and a pointer copy).
    pub fn company(&self) -> Arc<CompanyRules> {
        self.company
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn apply(&self, company: CompanyRules) {
        *self.company.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(company);
    }

    /// At start: `file` (the company's `--rules`, already checked) is written
    /// into the company's rules document when it differs, as the company (a
    /// file without a price list keeps the document's); without a file the
    /// document is applied, or else the manuals' rules.
    /// Blocks on the storage: call it off the async runtime.
    pub fn adopt_company(&self, file: Option<CompanyRules>) -> Result<(), AppError> {
        let now = self.now();
        // Only the document's own rules are read or written here.
        let defaults = CompanyRules::default();
        let company = self.with_db(|db| {
            let mut session = crate::office::acting::session(
                &mut *db,
                company_author(),
                &defaults.rules,
                &defaults.calendar,
                Some(now),
            );
            match file {
                Some(mut file) => {
                    // A file that gives no price list keeps the one the
                    // company keeps (a director's, edited in the console).
                    if file.rules.price_list.is_empty() {
                        if let Some(kept) = session.stored_company_rules()? {
                            file.rules.price_list = kept.read()?.rules.price_list;
                        }
                    }
                    if session.set_company_rules(&file)? {
                        tracing::info!("the company's rules file is now the rules in force");
                    }
                    Ok(file)
                }
                None => Ok(match session.stored_company_rules()? {
                    Some(doc) => doc.read()?,
                    None => CompanyRules::default(),
                }),
            }
        })?;
        self.apply(company);
        Ok(())
    }

    /// Reads the company's rules document again (a director changed it here,
    /// on a phone or through another server process). A document that does
    /// not read leaves the rules in force as they were.
    pub fn reload_company(&self) -> Result<(), AppError> {
        let defaults = CompanyRules::default();
        let read = self.with_db(|db| {
            let session = crate::office::acting::session(
                &mut *db,
                company_author(),
                &defaults.rules,
                &defaults.calendar,
                None,
            );
            Ok(match session.stored_company_rules()? {
                Some(doc) => Some(doc.read()?),
                None => None,
            })
        });
        match read {
            Ok(Some(company)) => self.apply(company),
            Ok(None) => {}
            Err(e) => tracing::error!("the company's rules could not be read again: {e}"),
        }
        Ok(())
    }

    /// Tells connected devices what changed; a change of the company's rules
    /// makes this process read them again.
    pub async fn announce(&self, changed: Vec<Changed>) -> Result<(), AppError> {
        let company = changed.iter().any(|c| c.estate == COMPANY_SCOPE);
        for c in changed {
            // No one listening is fine.
            let _ = self.changes.send(c);
        }
        if company {
            let state = self.clone();
            tokio::task::spawn_blocking(move || state.reload_company())
                .await
                .map_err(|e| AppError::Internal(e.to_string()))??;
        }
        Ok(())
    }

    /// The same state with the business's time read from `clock` (for tests
    /// that play days and weeks in seconds).
    pub fn with_clock(mut self, clock: Arc<dyn rounds_core::session::Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Now, as the business reads it ([`AppState::clock`]).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Runs `f` with the storage on a blocking thread.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let storage = self.storage.clone();
        tokio::task::spawn_blocking(move || with_storage(&storage, f))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// The storage on this thread, for set-up and tools outside the async
    /// runtime (never from an async task: PostgreSQL calls block).
    pub fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        with_storage(&self.storage, f)
    }
}

fn with_storage<T>(
    storage: &Storage,
    f: impl FnOnce(&mut Db) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match storage {
        Storage::Sqlite(db) => {
            let mut guard = db
                .lock()
                .map_err(|_| AppError::Internal("database lock poisoned".into()))?;
            f(&mut *guard)
        }
        Storage::Postgres(pool) => {
            let mut conn = pool.get()?;
            f(&mut *conn)
        }
    }
}
