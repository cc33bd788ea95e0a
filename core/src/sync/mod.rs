//! Sync between devices and the server (see `server/PROTOCOL.md`).
//!
//! - [`messages`]: what travels, shared by server and client.
//! - [`guard`]: the server's check of incoming changes (estate, actor, transitions).
//! - [`attachments`]: the photos and signatures a record names, and what
//!   waits to go up.
//! - [`client`]: the device's side, transport-agnostic: build a request from
//!   the store, apply the answer to it.
//! - [`http`]: a blocking HTTP transport (feature `http-client`).

pub mod attachments;
pub mod client;
pub mod guard;
pub mod messages;
pub mod progress;

#[cfg(feature = "http-client")]
pub mod http;

pub use attachments::{attachments_of, pending_upload, Pending};
pub use client::{apply_response, build_request, SyncError, SyncReport};
pub use messages::*;
pub use progress::{Cancel, NoProgress, SyncProgress};
