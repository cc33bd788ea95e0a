//! Rounds' shared core, run by the phones and the server alike.
//!
//! - [`documents`]: every field record (work order, inspection, revisit, complaint,
//!   …) is its own Automerge document, read and written through a typed model.
//! - [`rules`]: the company's rules (deadlines, working days, complaint clocks,
//!   revisit quotas, the monthly report), configurable with the manuals' defaults.
//! - [`store`]: the documents, their query tables and blobs in one SQLite file.
//! - [`policy`]: who may change which field of which record, judged on the
//!   phone before an edit commits and on the server before a change is stored.
//! - [`signoff`]: the resident's signed acceptance and its validity.
//! - [`labels`]: the words (zh-CN, English) for every code a screen shows.

pub mod admin;
pub mod blobs;
pub mod departments;
pub mod documents;
pub mod facts;
pub mod ids;
pub mod import;
pub mod labels;
pub mod message;
pub mod people;
pub mod places;
pub mod policy;
pub mod rules;
pub mod session;
pub mod signoff;
pub mod store;
pub mod sync;
pub mod time;

pub use documents::{RecordDoc, RecordError, RecordKind};
pub use ids::{DeviceId, RecordId};
pub use people::{Role, Staff};
