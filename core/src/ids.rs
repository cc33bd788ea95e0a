//! Identifiers made on the device, so records can be created offline and a retry
//! of the same creation names the same record.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::message::{Bilingual, ErrorCode, Explain};

/// A record's id: a UUIDv7 made where the record is created, time-ordered so
/// records sort by creation in indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(String);

impl RecordId {
    pub fn new() -> Self {
        RecordId(Uuid::now_v7().to_string())
    }

    /// Accepts any UUID; ids are case-normalised so the same record never gets
    /// two spellings.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        Uuid::parse_str(s)
            .map(|u| RecordId(u.to_string()))
            .map_err(|_| IdError::NotAnId(s.to_owned()))
    }

    /// The one id of a record that follows from another (the revisit owed
    /// after an order): two devices that create it offline create the same
    /// record, and sync merges them instead of doubling it.
    pub fn derived(from: &RecordId, purpose: &str) -> Self {
        let name = format!("{purpose}:{from}");
        RecordId(Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()).to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone (or the server) as a writer of changes. Its 16 bytes are the
/// Automerge actor id of every change it makes, which is how the server knows
/// a change came from the device that sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(Uuid);

impl DeviceId {
    pub fn new() -> Self {
        DeviceId(Uuid::new_v4())
    }

    pub fn parse(s: &str) -> Result<Self, IdError> {
        Uuid::parse_str(s)
            .map(DeviceId)
            .map_err(|_| IdError::NotAnId(s.to_owned()))
    }

    pub fn actor(&self) -> automerge::ActorId {
        automerge::ActorId::from(self.0.as_bytes().as_slice())
    }

    /// The device an Automerge actor id belongs to, if it is one of ours.
    pub fn from_actor(actor: &automerge::ActorId) -> Option<Self> {
        Uuid::from_slice(actor.to_bytes()).ok().map(DeviceId)
    }
}

impl Default for DeviceId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}", self.message())]
pub enum IdError {
    NotAnId(String),
}

impl Explain for IdError {
    fn code(&self) -> ErrorCode {
        ErrorCode::BadRequest
    }

    fn message(&self) -> Bilingual {
        let IdError::NotAnId(s) = self;
        Bilingual::new(
            format!("“{s}”不是有效的记录编号"),
            format!("“{s}” is not a record or device id"),
        )
    }

    fn field(&self) -> Option<String> {
        Some("id".into())
    }
}
