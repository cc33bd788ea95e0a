//! The `Rounds` object: one signed-in person's session on this phone. It
//! wraps the core's `Session`, so every step goes through the same rules.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use rounds_core::ids::RecordId;
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Session, SessionError};
use rounds_core::store::Store;

use crate::error::RoundsError;
use crate::people::StaffMember;

/// The database file inside the app's private directory.
const STORE_FILE: &str = "rounds.sqlite3";

/// One person signed in on this device. Safe to share between threads: calls
/// are serialised, so a background worker and a screen can hold the same one.
#[derive(uniffi::Object)]
pub struct Rounds {
    session: Mutex<Session>,
}

#[uniffi::export]
impl Rounds {
    /// Opens the store in `app_dir` (made if missing) for `staff`, with the
    /// company's default rules and the mainland China working-day calendar.
    /// Several sessions may open the same directory (a shared office phone).
    #[uniffi::constructor]
    pub fn open(app_dir: String, staff: StaffMember) -> Result<Arc<Self>, RoundsError> {
        let dir = PathBuf::from(&app_dir);
        std::fs::create_dir_all(&dir).map_err(|e| RoundsError::file(&app_dir, &e))?;
        let store = Store::open(dir.join(STORE_FILE))?;
        let session = Session::new(
            store,
            staff.into(),
            RulesConfig::default(),
            WorkCalendar::china(),
        );
        Ok(Arc::new(Rounds {
            session: Mutex::new(session),
        }))
    }

    /// Who is signed in.
    pub fn staff(&self) -> StaffMember {
        self.lock().staff().into()
    }

    /// This phone's id, made on first open and kept with the store.
    pub fn device_id(&self) -> String {
        self.lock().store().device_id().to_string()
    }
}

/// A new record id, made when a form opens: submitting the form again (a
/// retry after a crash or a double tap) names the same record.
#[uniffi::export]
pub fn new_record_id() -> String {
    RecordId::new().to_string()
}

impl Rounds {
    fn lock(&self) -> MutexGuard<'_, Session> {
        // A panic mid-call leaves nothing half-written (every write is one
        // SQLite transaction), so a poisoned lock is still a usable session.
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs one core operation under the lock, converting its error.
    pub(crate) fn with<T>(
        &self,
        op: impl FnOnce(&mut Session) -> Result<T, SessionError>,
    ) -> Result<T, RoundsError> {
        Ok(op(&mut self.lock())?)
    }
}

/// A record id from the app, checked.
pub(crate) fn record_id(id: &str) -> Result<RecordId, RoundsError> {
    Ok(RecordId::parse(id)?)
}

/// The id the app made for a new record, or a fresh one.
pub(crate) fn id_or_new(id: Option<String>) -> Result<RecordId, RoundsError> {
    match id {
        Some(id) => record_id(&id),
        None => Ok(RecordId::new()),
    }
}

/// An item id (material, photo, note, extension) inside a record: the app's,
/// or a fresh one when it left it empty.
pub(crate) fn item_id(id: String) -> String {
    if id.trim().is_empty() {
        RecordId::new().to_string()
    } else {
        id
    }
}
