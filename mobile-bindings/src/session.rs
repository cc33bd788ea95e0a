//! The `Rounds` object: one signed-in person's session on this phone. It
//! wraps the core's `Session`, so every step goes through the same rules, and
//! the core's sync client, signed in to the server as that person.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use rounds_core::ids::RecordId;
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Session, SessionError};
use rounds_core::store::{Store, StoreKey};
use rounds_core::sync::http::HttpSync;

use crate::error::RoundsError;
use crate::people::{Label, StaffMember};

/// The database file inside the app's private directory.
const STORE_FILE: &str = "rounds.sqlite3";

/// One person signed in on this device. Safe to share between threads: calls
/// are serialised, so a background worker and a screen can hold the same one.
#[derive(uniffi::Object)]
pub struct Rounds {
    session: Mutex<Session>,
    /// The server this person signed in to; none for a session opened
    /// without one (tests, a phone set up before the server existed).
    pub(crate) server: Option<Server>,
}

pub(crate) struct Server {
    pub(crate) url: String,
    pub(crate) http: HttpSync,
}

/// What the app keeps (in the Android Keystore or the iOS Keychain) to open
/// the session again after a restart without asking for the password.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Credentials {
    pub server_url: String,
    /// This phone's token; signing in again on this phone replaces it.
    pub token: String,
    /// Who the server says signed in: their role and estates come from the
    /// server's account, not from the phone.
    pub staff: StaffMember,
}

#[uniffi::export]
impl Rounds {
    /// Opens the store in `app_dir` (made if missing) for `staff`, with the
    /// company's rules and calendar it holds from an earlier sync, or else
    /// the manuals' rules and the mainland China working-day calendar.
    /// Every constructor takes the store's key: 32 bytes the app made once
    /// and keeps in the Android Keystore or the iOS Keychain; a wrong one is
    /// `WrongStoreKey`.
    /// Several sessions may open the same directory (a shared office phone).
    /// No server is involved: `sync` answers `SignedOut`. The apps sign in
    /// with `sign_in`; this is for tests and tools that need no server.
    #[uniffi::constructor]
    pub fn open(
        app_dir: String,
        store_key: Vec<u8>,
        staff: StaffMember,
    ) -> Result<Arc<Self>, RoundsError> {
        let store = open_store(&app_dir, &store_key)?;
        Ok(Self::new(store, staff.into(), None))
    }

    /// Signs `username` in to the server at `server_url` (like
    /// `https://rounds.example.com`) from this phone and opens the store in
    /// `app_dir` for the person the server names. `device_name` is how the
    /// office sees this phone ("张伟的手机"). Blocks on the network: call it
    /// off the main thread.
    #[uniffi::constructor]
    pub fn sign_in(
        app_dir: String,
        store_key: Vec<u8>,
        server_url: String,
        username: String,
        password: String,
        device_name: String,
    ) -> Result<Arc<Self>, RoundsError> {
        let store = open_store(&app_dir, &store_key)?;
        let mut http = HttpSync::new(&server_url)?;
        let login = http.login(&store, &username, &password, &device_name)?;
        let server = Server {
            url: server_url,
            http,
        };
        Ok(Self::new(store, login.staff, Some(server)))
    }

    /// Opens the session again from what `credentials()` gave after an
    /// earlier sign-in, without the network. A token the server no longer
    /// takes shows at the next sync as `SignedOut`.
    #[uniffi::constructor]
    pub fn resume(
        app_dir: String,
        store_key: Vec<u8>,
        credentials: Credentials,
    ) -> Result<Arc<Self>, RoundsError> {
        let store = open_store(&app_dir, &store_key)?;
        let http = HttpSync::new(&credentials.server_url)?.with_token(&credentials.token);
        let server = Server {
            url: credentials.server_url,
            http,
        };
        Ok(Self::new(store, credentials.staff.into(), Some(server)))
    }

    /// What to keep to `resume` later; none for a session opened without a server.
    pub fn credentials(&self) -> Option<Credentials> {
        let server = self.server.as_ref()?;
        Some(Credentials {
            server_url: server.url.clone(),
            token: server.http.token()?.to_owned(),
            staff: self.staff(),
        })
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

/// Moves the store in `app_dir` out of the way when it no longer opens
/// with the key the app keeps (`WrongStoreKey`, or the platform lost the
/// key), so the next sign-in starts an empty one and syncs from the server.
/// What was not synced is lost: show `store_key_lost` and have the user
/// confirm first. Only the latest store set aside is kept.
#[uniffi::export]
pub fn set_aside_store(app_dir: String) -> Result<(), RoundsError> {
    rounds_core::store::set_aside(&PathBuf::from(app_dir).join(STORE_FILE))?;
    Ok(())
}

/// What the phone says before it sets its store aside, and the button that
/// agrees to it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoreKeyLost {
    pub warning: Label,
    pub start_afresh: Label,
}

#[uniffi::export]
pub fn store_key_lost() -> StoreKeyLost {
    StoreKeyLost {
        warning: rounds_core::labels::STORE_KEY_LOST.into(),
        start_afresh: rounds_core::labels::START_AFRESH.into(),
    }
}

fn open_store(app_dir: &str, store_key: &[u8]) -> Result<Store, RoundsError> {
    let key = StoreKey::from_bytes(store_key)?;
    let dir = PathBuf::from(app_dir);
    std::fs::create_dir_all(&dir).map_err(|e| RoundsError::file(app_dir, &e))?;
    Ok(Store::open_encrypted(dir.join(STORE_FILE), &key)?)
}

impl Rounds {
    fn new(store: Store, staff: rounds_core::Staff, server: Option<Server>) -> Arc<Self> {
        // The manuals' rules until a sync brings the company's, then theirs.
        let mut session = Session::new(store, staff, RulesConfig::default(), WorkCalendar::china());
        // One that does not read keeps the manuals' (`rules_in_force` says so).
        let _ = session.follow_company_rules();
        Arc::new(Rounds {
            session: Mutex::new(session),
            server,
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Session> {
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
