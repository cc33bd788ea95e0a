//! How a long sync reports its progress and is cancelled by the phone's UI.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Told after each round trip; the mobile layer shows it.
pub trait SyncProgress: Send + Sync {
    /// `sent` and `received` count documents so far; `pending` is how many
    /// local edits still wait to be sent.
    fn round_done(&self, sent: usize, received: usize, pending: u64);

    /// Told after each photo or signature that went up or came down, with
    /// the counts so far (images can be slow on a weak signal).
    fn attachments_moved(&self, _uploaded: usize, _downloaded: usize) {}
}

pub struct NoProgress;

impl SyncProgress for NoProgress {
    fn round_done(&self, _: usize, _: usize, _: u64) {}
}

/// Set from another thread to stop a sync between round trips; what already
/// arrived stays applied and the next sync resumes from there.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
