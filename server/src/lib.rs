//! Rounds' sync server: merges what devices bring (see `PROTOCOL.md`), keeps
//! the query tables the office reads, and pokes connected devices.
//!
//! Laid out by seam: [`phone`] (what devices call), [`office`] (the office's
//! API), [`console`] (the web console's files and sign-in), [`db`] (storage:
//! SQLite or PostgreSQL), [`admin`] (accounts, passwords, the audit log), [`demo`] (the demo company); [`routes`] puts them
//! on paths, [`state`] is what every handler shares.

pub mod admin;
pub mod cli;
pub mod company;
pub mod console;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod first_start;
pub mod metrics;
pub mod office;
pub mod openapi;
pub mod phone;
pub mod routes;
pub mod state;

pub use error::AppError;
pub use state::{AppState, Limits};
