//! Rounds' only FFI surface: a thin UniFFI layer over `rounds-core` for the
//! Android and iOS apps.
//!
//! Files are named after the core's modules and only convert: every field
//! operation goes through the core's `Session`, so the rules apply on the phone
//! exactly as they do in the core's own tests. Nothing here hands out a raw
//! document.

uniffi::setup_scaffolding!();

mod attachments;
mod company;
mod complaints;
mod customers;
mod desk;
mod error;
mod fees;
mod inspections;
mod keys;
mod orders;
mod people;
mod places;
mod queries;
mod rectifications;
mod renovations;
mod revisits;
mod session;
mod surveys;
mod sync;
mod time;

pub use error::RoundsError;
pub use people::{Role, StaffMember};
pub use session::{Credentials, Rounds};
