//! Sync with the server through the core's client (`rounds_core::sync::http`):
//! progress told to the app's listener, a job the app cancels from another
//! thread, and what waits to go up for the sync indicator.
//!
//! The session's lock is taken only while the client builds a request, takes
//! in an answer or reads or keeps one image, never across a network wait, so
//! screens stay usable while a background worker syncs.

use std::sync::{Arc, Mutex};

use rounds_core::store::Store;
use rounds_core::sync::client::Refused;
use rounds_core::sync::http::{StoreAccess, SyncSummary};
use rounds_core::sync::{pending_upload, Cancel, SyncProgress as CoreProgress};

use crate::error::RoundsError;
use crate::session::Rounds;

/// How far a sync has come; told to the listener as it moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    pub records_sent: u32,
    pub records_received: u32,
    /// Records edited here still waiting to go up.
    pub records_waiting: u32,
    pub attachments_sent: u32,
    pub attachments_received: u32,
}

/// The app's listener, called on the syncing thread (post to the UI thread
/// to show it). It may call back into `Rounds`: no lock is held meanwhile.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// One sync the app may cancel from any thread (a "stop" button, the worker
/// being stopped). Cancelling stops it between steps; what arrived stays and
/// the next sync goes on from there.
#[derive(Debug, Default, uniffi::Object)]
pub struct SyncJob {
    cancel: Cancel,
}

#[uniffi::export]
impl SyncJob {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

/// A record the server refused, or one sent by the server this app cannot
/// read (a newer app wrote it). Refused records stay waiting to go up.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncProblem {
    pub record_id: String,
    /// `forbidden_estate`, `transition_refused`, `future_schema`, …
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What a finished sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    pub records_sent: u32,
    pub records_received: u32,
    pub refused: Vec<SyncProblem>,
    pub unreadable: Vec<SyncProblem>,
    pub attachments_sent: u32,
    pub attachments_received: u32,
    /// Images received records name that the server does not have yet.
    pub missing_attachments: Vec<String>,
    /// What still waits to go up afterwards (refused records, edits made
    /// during the sync).
    pub waiting: PendingUpload,
}

/// What the sync indicator shows as waiting to go up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct PendingUpload {
    pub records: u32,
    /// Photos and signatures those records name.
    pub attachments: u32,
}

#[uniffi::export]
impl Rounds {
    /// Sends what was done here and receives what others did, photos and
    /// signatures included. Blocks until done, cancelled or failed: call it
    /// from a background worker. `Offline` when the server cannot be reached,
    /// `SignedOut` when it no longer takes this phone's token (or the session
    /// never signed in), `Cancelled` when `job` was cancelled.
    pub fn sync(
        &self,
        listener: Arc<dyn SyncListener>,
        job: Arc<SyncJob>,
    ) -> Result<SyncReport, RoundsError> {
        let server = self
            .server
            .as_ref()
            .ok_or_else(RoundsError::not_signed_in)?;
        let progress = Listener {
            app: listener,
            so_far: Mutex::default(),
        };
        let summary = server
            .http
            .sync_shared(&SessionStore(self), &progress, &job.cancel)?;
        // What the sync brought of the company's rules applies from now on.
        self.with(|s| s.follow_company_rules())?;
        Ok(report(summary, self.pending_upload()?))
    }

    /// Records and images waiting to go up, for the sync indicator.
    pub fn pending_upload(&self) -> Result<PendingUpload, RoundsError> {
        let pending = self.with(|s| Ok(pending_upload(s.store())?))?;
        Ok(PendingUpload {
            records: count(pending.records as usize),
            attachments: count(pending.attachments as usize),
        })
    }
}

/// The session's store, reached for one step of the sync at a time.
struct SessionStore<'a>(&'a Rounds);

impl StoreAccess for SessionStore<'_> {
    fn with_store<T>(&self, step: impl FnOnce(&mut Store) -> T) -> T {
        step(self.0.lock().store_mut())
    }
}

/// Folds the core's two progress calls into the one record the app gets.
struct Listener {
    app: Arc<dyn SyncListener>,
    so_far: Mutex<SyncProgress>,
}

impl Listener {
    fn tell(&self, update: impl FnOnce(&mut SyncProgress)) {
        let now = {
            let mut so_far = self.so_far.lock().unwrap_or_else(|p| p.into_inner());
            update(&mut so_far);
            *so_far
        };
        self.app.on_progress(now);
    }
}

impl CoreProgress for Listener {
    fn round_done(&self, sent: usize, received: usize, pending: u64) {
        self.tell(|p| {
            p.records_sent = count(sent);
            p.records_received = count(received);
            p.records_waiting = count(pending as usize);
        });
    }

    fn attachments_moved(&self, uploaded: usize, downloaded: usize) {
        self.tell(|p| {
            p.attachments_sent = count(uploaded);
            p.attachments_received = count(downloaded);
        });
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn problem(r: Refused) -> SyncProblem {
    SyncProblem {
        record_id: r.id,
        code: r.code,
        message_zh: r.message.zh,
        message_en: r.message.en,
    }
}

fn report(s: SyncSummary, waiting: PendingUpload) -> SyncReport {
    SyncReport {
        records_sent: count(s.sent),
        records_received: count(s.received),
        refused: s.refused.into_iter().map(problem).collect(),
        unreadable: s.unreadable.into_iter().map(problem).collect(),
        attachments_sent: count(s.attachments_up),
        attachments_received: count(s.attachments_down),
        missing_attachments: s.missing_attachments,
        waiting,
    }
}
