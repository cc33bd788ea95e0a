//! The storage seam: every handler reaches the documents and the accounts
//! through [`Backend`], so the same merge, permission and office code runs on
//! the embedded SQLite ([`sqlite`]) or on a PostgreSQL shared by several
//! server processes ([`postgres`]).
//!
//! Documents are core's [`DocumentStore`], the same seam a phone's session
//! runs over, so an office edit is a core `Session` on either backend;
//! [`SyncStore`] adds what only the server does, [`AccountStore`] who may.

pub mod accounts;
pub mod admin;
pub mod postgres;
pub mod sqlite;

use automerge::ChangeHash;
use rounds_core::documents::RecordDoc;
use rounds_core::store::{DocumentStore, Outgoing};
use rounds_core::sync::guard::Refusal;
use rounds_core::{DeviceId, RecordId, Role, Staff};

use crate::db::accounts::DeviceLogin;
use crate::db::admin::{Account, AccountChange, AuditEntry, AuditRow};
use crate::error::AppError;

/// What a merge stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub estate: String,
    /// The document's new change sequence, when the merge changed it.
    pub seq: Option<i64>,
}

/// Decides whether changes may be stored: given the stored document (none
/// if new), returns the merged document or why not. Nothing is written
/// while it runs; on PostgreSQL the document is locked meanwhile.
pub type Check<'a> = dyn FnMut(Option<&RecordDoc>) -> Result<RecordDoc, Refusal> + 'a;

/// What sync adds to core's [`DocumentStore`]: merging a device's changes
/// under the write policy, and blobs shared between estates.
pub trait SyncStore: DocumentStore {
    /// Merges a device's changes into record `id` as one atomic step: read,
    /// `check`, store the changes with the query row and the next change
    /// sequence. A refusal stores nothing; only a database failure is an Err.
    fn merge(
        &mut self,
        id: &RecordId,
        check: &mut Check<'_>,
    ) -> Result<Result<Merged, Refusal>, AppError>;

    /// What a device that has `known` of record `id` lacks.
    fn outgoing(&mut self, id: &RecordId, known: &[ChangeHash]) -> Result<Outgoing, AppError>;

    fn has_blob(&mut self, hash: &str) -> Result<bool, AppError>;

    /// Stores bytes that arrived under a claimed hash, refusing a mismatch.
    fn put_blob_checked(&mut self, hash: &str, bytes: &[u8], mime: &str) -> Result<(), AppError>;

    /// The bytes and their media type.
    fn blob(&mut self, hash: &str) -> Result<(Vec<u8>, String), AppError>;

    /// Lets staff of `estates` read a blob (its uploader's estates).
    fn grant_blob(&mut self, hash: &str, estates: &[String]) -> Result<(), AppError>;

    /// Stored, and granted to one of `estates`.
    fn blob_readable(&mut self, hash: &str, estates: &[String]) -> Result<bool, AppError>;
}

/// What one sync round learnt of what a device holds.
#[derive(Debug, Default)]
pub struct Delivery {
    /// The cursor the device showed: what was sent to it up to there it holds.
    pub confirmed: u64,
    /// Documents the device showed it holds up to these heads (it sent them).
    pub known: Vec<(String, Vec<ChangeHash>)>,
    /// Documents the answer carries up to these heads, at this change sequence.
    pub sent: Vec<(String, Vec<ChangeHash>, i64)>,
}

impl Delivery {
    pub fn new(confirmed: u64) -> Self {
        Delivery {
            confirmed,
            ..Delivery::default()
        }
    }

    /// What the device holds of `doc` as far as this round knows, before its
    /// bookkeeping is written.
    pub fn known(&self, doc: &str) -> Option<&[ChangeHash]> {
        self.known
            .iter()
            .rev()
            .find(|(d, _)| d == doc)
            .map(|(_, h)| h.as_slice())
    }
}

/// Staff, devices and tokens, and what each device holds of each document.
pub trait AccountStore {
    fn staff_count(&mut self) -> Result<i64, AppError>;
    /// Adds (or replaces) a member of staff with an already hashed password.
    fn put_staff(
        &mut self,
        staff: &Staff,
        username: &str,
        password_hash: &str,
    ) -> Result<(), AppError>;
    /// The staff id and password hash for a username.
    fn password_of(&mut self, username: &str) -> Result<Option<(String, String)>, AppError>;
    /// Binds a device to the staff member and gives it a fresh token (the
    /// device's earlier token stops working). A device id belongs to the
    /// staff member who first signed in with it, with the key it first
    /// presented: `DeviceTaken` for anyone else, `DeviceKeyChanged` for
    /// another key, `DeviceRevoked` once revoked.
    fn sign_in(
        &mut self,
        staff_id: &str,
        device: DeviceId,
        name: &str,
        public_key: &str,
        token: &str,
    ) -> Result<Staff, AppError>;
    /// The live device behind a bearer token.
    fn authenticate(&mut self, token: &str) -> Result<DeviceLogin, AppError>;
    fn device_owner(&mut self, device: &str) -> Result<Option<Staff>, AppError>;
    /// The public key (hex) the device registered with at its first sign-in,
    /// to check what it signed; none for an unknown device or one that signs
    /// nothing (a browser). Kept after revocation.
    fn device_key(&mut self, device: DeviceId) -> Result<Option<String>, AppError>;
    fn revoke(&mut self, device: &str) -> Result<(), AppError>;
    /// What `device` holds of `doc`, counting what was sent to it up to the
    /// cursor it now shows (`confirmed`) as held.
    fn known_heads(
        &mut self,
        device: DeviceId,
        doc: &str,
        confirmed: u64,
    ) -> Result<Vec<ChangeHash>, AppError>;
    /// Writes what one sync round learnt of what `device` holds, at once:
    /// one commit per round rather than one per document.
    fn record_delivery(&mut self, device: DeviceId, round: &Delivery) -> Result<(), AppError>;
    fn staff_of_estate(&mut self, estate: &str) -> Result<Vec<(String, Role)>, AppError>;
    /// Gives a member of staff one more estate to work on (none twice):
    /// whoever creates an estate works on it from then on.
    fn give_estate(&mut self, staff_id: &str, estate: &str) -> Result<(), AppError>;
    /// A member of staff by id.
    fn staff(&mut self, id: &str) -> Result<Option<Staff>, AppError>;

    /// Makes an administrative change and writes its audit entry in the same
    /// transaction (neither without the other). Returns the devices whose
    /// sessions may have ended: their event streams check their token again.
    fn apply(
        &mut self,
        change: &AccountChange,
        audit: &AuditEntry,
    ) -> Result<Vec<String>, AppError>;
    /// Writes an audit entry, for a change this store made in the same step
    /// (inside `DocumentStore::begin` … `commit`, one transaction on
    /// PostgreSQL; on SQLite the accounts are their own database file, so
    /// only account changes share its transaction: use `apply` for those).
    fn record_audit(&mut self, entry: &AuditEntry) -> Result<(), AppError>;
    /// The audit log, newest first: up to `limit` rows older than `before`.
    fn audit_log(&mut self, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>, AppError>;
    /// Every member of staff with username, state and devices.
    fn accounts(&mut self) -> Result<Vec<Account>, AppError>;
    /// Whether an account is disabled, and whether it must set a new
    /// password before signing in; none for an unknown id.
    fn standing(&mut self, staff_id: &str) -> Result<Option<(bool, bool)>, AppError>;

    /// Everyone assigned to an estate with their names, for the office's
    /// dispatch lists and for checking who work may be dispatched to.
    fn people_of_estate(&mut self, estate: &str) -> Result<Vec<Staff>, AppError> {
        let mut out = vec![];
        for (id, _) in self.staff_of_estate(estate)? {
            out.extend(self.staff(&id)?);
        }
        Ok(out)
    }
}

/// Everything a handler may ask of storage.
pub trait Backend: SyncStore + AccountStore + Send {}
impl<T: SyncStore + AccountStore + Send> Backend for T {}
