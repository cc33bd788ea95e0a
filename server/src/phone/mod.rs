//! What phones call: sign-in and device tokens, the sync round, the event
//! stream that pokes them, and blobs (photos, signatures).

pub mod auth;
pub mod blobs;
pub mod events;
pub mod login_throttle;
pub mod merge;
pub mod skew;
pub mod sync;
