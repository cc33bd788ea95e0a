//! The device's side of sync, without a transport: what to send, and how to
//! take in what came back. A transport loops `build_request` → send →
//! `apply_response` until nothing is left (see [`super::http`]).

use crate::documents::RecordError;
use crate::ids::RecordId;
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::store::{DocumentStore, Store, StoreError};

use super::messages::{codes, from_base64, heads_from_hex, DocChanges, SyncRequest, SyncResponse};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}", self.message())]
    Transport(String),
    /// The server's answer: its code (text, so a newer server's code still
    /// reads) and its words.
    #[error("{}", self.message())]
    Server {
        status: u16,
        code: String,
        message: Bilingual,
    },
    #[error("{}", self.message())]
    Cancelled,
    #[error("{}", self.message())]
    TooManyRounds(usize),
}

impl Explain for SyncError {
    /// A server's code this build does not know is `internal`; the text of
    /// it stays in `SyncError::Server::code`.
    fn code(&self) -> ErrorCode {
        match self {
            SyncError::Store(e) => e.code(),
            SyncError::Transport(_) => ErrorCode::Offline,
            SyncError::Server { code, .. } => ErrorCode::parse(code).unwrap_or(ErrorCode::Internal),
            SyncError::Cancelled => ErrorCode::Cancelled,
            SyncError::TooManyRounds(_) => ErrorCode::TooManyRounds,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            SyncError::Store(e) => e.message(),
            SyncError::Transport(e) => {
                Bilingual::new(format!("网络错误:{e}"), format!("network error: {e}"))
            }
            SyncError::Server { message, .. } => message.clone(),
            SyncError::Cancelled => Bilingual::new("同步已取消", "sync cancelled"),
            SyncError::TooManyRounds(n) => Bilingual::new(
                format!("同步未完成({n} 轮后)"),
                format!("sync did not finish after {n} rounds"),
            ),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            SyncError::Store(e) => e.field(),
            _ => None,
        }
    }
}

/// A document the server refused, or one the device could not take in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub id: String,
    pub code: String,
    pub message: Bilingual,
}

/// What one round trip did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub accepted: Vec<RecordId>,
    /// Refused by the server; they stay marked as edited here.
    pub refused: Vec<Refused>,
    pub received: Vec<RecordId>,
    /// Sent by the server but unreadable here (a newer app wrote them, say).
    pub unreadable: Vec<Refused>,
    pub more: bool,
}

/// The request for the next round: the cursor and up to `max_docs` locally
/// edited documents, each as the changes since the heads both sides had.
pub fn build_request(store: &Store, max_docs: usize) -> Result<SyncRequest, SyncError> {
    let mut docs = vec![];
    for dirty in store.dirty_docs(max_docs)? {
        let mut doc = store.load(&dirty.id)?;
        let changes = doc.changes_since(&dirty.synced_heads);
        docs.push(DocChanges::new(
            &dirty.id,
            dirty.kind,
            &doc.heads(),
            &changes,
        ));
    }
    Ok(SyncRequest {
        cursor: store.sync_cursor()?,
        docs,
    })
}

/// Takes in the server's answer: marks accepted documents synced, applies
/// what the server sent, and moves the cursor to what was delivered. Safe to
/// call with an answer that arrives twice.
pub fn apply_response(store: &mut Store, response: SyncResponse) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport {
        more: response.more,
        ..SyncReport::default()
    };
    for result in response.results {
        let Ok(id) = RecordId::parse(&result.id) else {
            continue;
        };
        match (
            result.heads.as_deref().and_then(heads_from_hex),
            result.error,
        ) {
            (Some(heads), None) => {
                store.mark_synced(&id, &heads)?;
                report.accepted.push(id);
            }
            (_, error) => {
                let error = error.unwrap_or_else(|| super::ErrorBody {
                    code: "bad_answer".into(),
                    message: String::new(),
                    message_zh: None,
                    message_en: None,
                    field: None,
                });
                if error.code == codes::MISSING_DEPS {
                    store.reset_synced(&id)?;
                }
                tracing::warn!(id = %id, code = %error.code, "server refused a record: {}", error.message);
                report.refused.push(Refused {
                    id: id.to_string(),
                    message: error.words(),
                    code: error.code,
                });
            }
        }
    }
    for doc in response.docs {
        match take_in(store, &doc) {
            Ok(id) => report.received.push(id),
            Err(e) => {
                tracing::warn!(id = %doc.id, "could not take in a record from the server: {e}");
                report.unreadable.push(Refused {
                    id: doc.id.clone(),
                    code: e.code().as_str().into(),
                    message: e.message(),
                });
            }
        }
    }
    store.set_sync_cursor(response.cursor)?;
    Ok(report)
}

fn take_in(store: &mut Store, doc: &DocChanges) -> Result<RecordId, StoreError> {
    let malformed = |what: &str| StoreError::Record(RecordError::Malformed(what.into()));
    let id = RecordId::parse(&doc.id).map_err(|e| malformed(&e.to_string()))?;
    let heads = heads_from_hex(&doc.heads).ok_or_else(|| malformed("heads"))?;
    let bytes = from_base64(&doc.changes).map_err(|e| malformed(&e.to_string()))?;
    if !bytes.is_empty() {
        store.apply_changes(&id, &bytes)?;
    }
    store.mark_synced(&id, &heads)?;
    Ok(id)
}
