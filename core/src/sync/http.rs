//! A blocking HTTP transport for sync, for phones and tests. The mobile layer
//! runs it on a background thread, reports progress and may cancel it.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;

use super::client::{apply_response, build_request, SyncError, SyncReport};
use super::messages::{ErrorBody, LoginRequest, LoginResponse, SyncResponse};
use super::progress::{Cancel, SyncProgress};
use crate::store::Store;

/// Documents sent per request; keeps a long offline day within the server's
/// body limit.
pub const DOCS_PER_REQUEST: usize = 100;
/// Bytes per blob upload request; an interrupted upload resumes from the last one.
pub const BLOB_CHUNK: usize = 256 * 1024;
/// A sync ends after this many round trips even if the server keeps saying `more`.
const MAX_ROUNDS: usize = 10_000;

/// What a whole sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncSummary {
    pub rounds: usize,
    pub sent: usize,
    pub received: usize,
    pub refused: Vec<super::client::Refused>,
    pub unreadable: Vec<super::client::Refused>,
}

pub struct HttpSync {
    base: String,
    client: Client,
    token: Option<String>,
}

impl HttpSync {
    /// `base` like `http://127.0.0.1:8080`.
    pub fn new(base: &str) -> Result<Self, SyncError> {
        let client = Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| SyncError::Transport(e.to_string()))?;
        Ok(HttpSync {
            base: base.trim_end_matches('/').into(),
            client,
            token: None,
        })
    }

    pub fn with_token(mut self, token: &str) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn authed(&self, req: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    /// Logs this device in as `username` and keeps the device's token.
    pub fn login(
        &mut self,
        store: &Store,
        username: &str,
        password: &str,
        device_name: &str,
    ) -> Result<LoginResponse, SyncError> {
        let body = LoginRequest {
            username: username.into(),
            password: password.into(),
            device_id: store.device_id(),
            device_name: device_name.into(),
            device_public_key: store.device_key().public_hex(),
        };
        let resp = send(self.client.post(self.url("/v1/login")).json(&body))?;
        let login: LoginResponse = resp.json().map_err(transport)?;
        self.token = Some(login.token.clone());
        Ok(login)
    }

    /// One round trip: send up to `max_docs` local edits, take in the answer.
    pub fn sync_once(
        &self,
        store: &mut Store,
        max_docs: usize,
    ) -> Result<(SyncReport, usize), SyncError> {
        let request = build_request(store, max_docs)?;
        let sent = request.docs.len();
        let resp = send(self.authed(self.client.post(self.url("/v1/sync")).json(&request)))?;
        let response: SyncResponse = resp.json().map_err(transport)?;
        Ok((apply_response(store, response)?, sent))
    }

    /// Syncs until the server has every local edit it will accept and the
    /// device has everything the server has for it.
    pub fn sync(
        &self,
        store: &mut Store,
        progress: &dyn SyncProgress,
        cancel: &Cancel,
    ) -> Result<SyncSummary, SyncError> {
        let mut summary = SyncSummary::default();
        while summary.rounds < MAX_ROUNDS {
            if cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let (report, sent) = self.sync_once(store, DOCS_PER_REQUEST)?;
            summary.rounds += 1;
            summary.sent += sent;
            summary.received += report.received.len();
            // A refused record is sent again in later rounds; report it once.
            for r in &report.refused {
                summary.refused.retain(|old| old.id != r.id);
                summary.refused.push(r.clone());
            }
            summary.unreadable.extend(report.unreadable);
            let pending = store.dirty_count()?;
            progress.round_done(summary.sent, summary.received, pending);
            // Refused records stay edited here; only go on while something moves.
            let more_local = pending > 0 && !report.accepted.is_empty();
            if !report.more && !more_local {
                return Ok(summary);
            }
        }
        Err(SyncError::TooManyRounds(MAX_ROUNDS))
    }

    /// Uploads a stored blob, resuming after whatever part the server has.
    pub fn upload_blob(&self, store: &Store, hash: &str) -> Result<(), SyncError> {
        let (bytes, mime) = store.blob(hash)?;
        let head = send_any(self.authed(self.client.head(self.url(&format!("/v1/blobs/{hash}")))))?;
        if head.status() == StatusCode::OK {
            return Ok(());
        }
        let mut offset = head
            .headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
            .min(bytes.len());
        loop {
            let end = (offset + BLOB_CHUNK).min(bytes.len());
            let range = format!("bytes {}-{}/{}", offset, end.saturating_sub(1), bytes.len());
            let req = self
                .client
                .put(self.url(&format!("/v1/blobs/{hash}")))
                .header("content-range", range)
                .header("content-type", mime.clone())
                .body(bytes[offset..end].to_vec());
            send(self.authed(req))?;
            offset = end;
            if offset >= bytes.len() {
                return Ok(());
            }
        }
    }

    /// Downloads a blob into the store; the store checks its hash.
    pub fn download_blob(&self, store: &mut Store, hash: &str) -> Result<(), SyncError> {
        if store.has_blob(hash)? {
            return Ok(());
        }
        let resp = send(self.authed(self.client.get(self.url(&format!("/v1/blobs/{hash}")))))?;
        let mime = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = resp.bytes().map_err(transport)?;
        store.put_blob_checked(hash, &bytes, &mime)?;
        Ok(())
    }
}

fn transport(e: reqwest::Error) -> SyncError {
    SyncError::Transport(e.to_string())
}

fn send_any(req: RequestBuilder) -> Result<Response, SyncError> {
    req.send().map_err(transport)
}

/// Sends and turns a non-success answer into the server's `{code, message}`.
fn send(req: RequestBuilder) -> Result<Response, SyncError> {
    let resp = send_any(req)?;
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    let text = resp.text().unwrap_or_default();
    let body: ErrorBody = serde_json::from_str(&text).unwrap_or(ErrorBody {
        code: "http".into(),
        message: text,
    });
    Err(SyncError::Server {
        status,
        code: body.code,
        message: body.message,
    })
}
