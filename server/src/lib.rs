//! Rounds' sync server: merges what devices bring (see `PROTOCOL.md`), keeps
//! the query tables the office reads, and pokes connected devices.

pub mod accounts;
pub mod auth;
pub mod blobs;
pub mod cli;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod merge;
pub mod office;
pub mod routes;
pub mod skew;
pub mod state;
pub mod sync;

pub use error::AppError;
pub use state::{AppState, Limits};
