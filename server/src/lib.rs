//! Rounds' sync server: merges what devices bring (see `PROTOCOL.md`), keeps
//! the query tables the office reads, and pokes connected devices.

pub mod accounts;
pub mod acting;
pub mod auth;
pub mod blobs;
pub mod cli;
pub mod complaint_actions;
pub mod complaint_board;
pub mod complaint_view;
pub mod console;
pub mod console_login;
pub mod db;
pub mod demo;
pub mod demo_month;
pub mod directory;
pub mod error;
pub mod events;
pub mod extract;
pub mod form;
pub mod intake;
pub mod labels;
pub mod login_throttle;
pub mod merge;
pub mod metrics;
pub mod office;
pub mod openapi;
pub mod order_actions;
pub mod order_view;
pub mod patrol_office;
pub mod report_csv;
pub mod revisit_actions;
pub mod routes;
pub mod signature_png;
pub mod skew;
pub mod state;
pub mod sync;

pub use error::AppError;
pub use state::{AppState, Limits};
