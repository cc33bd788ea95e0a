//! SYNC GOES HERE.
//!
//! The sync client (`rounds_core::sync`: blocking, with a progress callback
//! and a cancel flag) is being written on its own branch and is not in this
//! one yet. When it merges, this file exports, and nothing before then:
//!
//! - `#[uniffi::export(with_foreign)] trait SyncProgress` — the app's callback,
//!   told how many records went up and came down;
//! - a `SyncHandle` object whose `cancel()` sets the client's cancel flag;
//! - `Rounds::sync(server_url, token, progress, handle) -> SyncReport`, which
//!   holds the session lock only while it reads or applies a batch, so a
//!   screen stays usable while a background worker syncs;
//! - `Rounds::pending_upload() -> u32`, what the sync indicator shows as
//!   waiting to go up;
//! - the client's errors converted in `error.rs` (a new `Offline` variant and
//!   `Rejected` for a server that refuses a change), like every other error.
//!
//! Until then the apps show "sync not connected" rather than a fake state.
