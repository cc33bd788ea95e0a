//! The protocol's messages as JSON. Document changes travel as base64 text
//! and kinds as names, so one bad document is refused on its own instead of
//! failing the whole message.

use automerge::ChangeHash;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::documents::RecordKind;
use crate::ids::{DeviceId, RecordId};
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::people::Staff;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

pub fn to_base64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn from_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    B64.decode(text)
}

/// Changes of one document: what a device sends for an edited document, and
/// what the server sends back for one the device lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChanges {
    pub id: String,
    pub kind: String,
    /// The sender's heads after these changes (hex change hashes).
    pub heads: Vec<String>,
    /// Base64 of Automerge's encoded changes (`save_after`).
    pub changes: String,
}

impl DocChanges {
    pub fn new(id: &RecordId, kind: RecordKind, heads: &[ChangeHash], changes: &[u8]) -> Self {
        DocChanges {
            id: id.to_string(),
            kind: kind.as_str().into(),
            heads: heads_to_hex(heads),
            changes: to_base64(changes),
        }
    }
}

pub fn heads_to_hex(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ToString::to_string).collect()
}

pub fn heads_from_hex(heads: &[String]) -> Option<Vec<ChangeHash>> {
    heads.iter().map(|h| h.parse().ok()).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The server sequence this device last fully received.
    pub cursor: u64,
    /// Locally edited documents only.
    pub docs: Vec<DocChanges>,
}

/// Why the server refused one document (the others are not affected), or
/// any request: the same body as every HTTP error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// An `ErrorCode` name; kept as text, so a code from a newer server
    /// still reads.
    pub code: String,
    /// "中文 / English", for clients that show one line.
    pub message: String,
    /// The two halves of `message`; older servers did not send them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    /// The field a write-policy refusal names (`deadline.due_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: &Bilingual, field: Option<String>) -> Self {
        ErrorBody {
            code: code.as_str().into(),
            message: message.to_string(),
            message_zh: Some(message.zh.clone()),
            message_en: Some(message.en.clone()),
            field,
        }
    }

    /// What a core error says, as an answer.
    pub fn of(e: &impl Explain) -> Self {
        ErrorBody::new(e.code(), &e.message(), e.field())
    }

    /// The message in each language; a body without the halves (an older
    /// server, or no JSON at all) is shown as it came, in both.
    pub fn words(&self) -> Bilingual {
        match (&self.message_zh, &self.message_en) {
            (Some(zh), Some(en)) => Bilingual::new(zh, en),
            _ => Bilingual::same(&self.message),
        }
    }
}

/// The server's answer for one document the device sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocResult {
    pub id: String,
    /// On success: the heads the server now holds from this device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
    /// Stored, but something the office should look at (code `clock_skew`:
    /// the phone's clock looked wrong when these changes were made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<ErrorBody>,
}

/// Document error codes the device acts on.
pub mod codes {
    use crate::message::ErrorCode;

    /// The server lacks changes the sent ones depend on: send everything.
    pub const MISSING_DEPS: &str = ErrorCode::MissingDeps.as_str();
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<DocResult>,
    /// Documents the device lacks changes of, in sequence order.
    pub docs: Vec<DocChanges>,
    /// The sequence up to which this answer delivered everything.
    pub cursor: u64,
    /// More documents wait beyond `cursor`: ask again.
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    pub device_id: DeviceId,
    pub device_name: String,
    /// Hex of the device's ed25519 public key (signs acceptance records).
    pub device_public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub staff: Staff,
}

/// What `GET /v1/events` pushes: a document of the device's estates changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedEvent {
    pub seq: u64,
}
