//! A blocking HTTP transport for sync, for phones and tests. The mobile layer
//! runs it on a background thread, reports progress and may cancel it.

use std::cell::RefCell;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;

use super::attachments::attachments_of;
use super::client::{apply_response, build_request, SyncError, SyncReport};
use super::messages::{ErrorBody, LoginRequest, LoginResponse, SyncRequest, SyncResponse};
use super::progress::{Cancel, SyncProgress};
use crate::ids::RecordId;
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
    /// Photos and signatures sent and fetched.
    pub attachments_up: usize,
    pub attachments_down: usize,
    /// Images received records name that the server does not have yet.
    pub missing_attachments: Vec<String>,
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
        let response = self.post_sync(&request)?;
        Ok((apply_response(store, response)?, sent))
    }

    /// Syncs until the server has every local edit it will accept and the
    /// device has everything the server has for it, photos and signatures
    /// included.
    pub fn sync(
        &self,
        store: &mut Store,
        progress: &dyn SyncProgress,
        cancel: &Cancel,
    ) -> Result<SyncSummary, SyncError> {
        self.sync_shared(&Exclusive(RefCell::new(store)), progress, cancel)
    }

    /// The same sync over a store others use meanwhile: `store` is reached
    /// for one short step at a time (build a request, take in an answer, read
    /// or keep one image) and never across a network wait, so a phone's
    /// screens read and write while a background worker syncs. An edit made
    /// meanwhile stays marked as edited and goes up in a later round.
    ///
    /// A record goes up only after the images it names are on the server, so
    /// another phone never receives a record whose photo it cannot fetch. The
    /// images a received record names come down before the round counts as
    /// received: if fetching one fails, the cursor goes back and the next sync
    /// receives those records again.
    pub fn sync_shared(
        &self,
        store: &impl StoreAccess,
        progress: &dyn SyncProgress,
        cancel: &Cancel,
    ) -> Result<SyncSummary, SyncError> {
        let mut summary = SyncSummary::default();
        while summary.rounds < MAX_ROUNDS {
            if cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let (request, outgoing) = store.with_store(|s| -> Result<_, SyncError> {
                let request = build_request(s, DOCS_PER_REQUEST)?;
                let mut hashes = vec![];
                for doc in &request.docs {
                    let Ok(id) = RecordId::parse(&doc.id) else {
                        continue;
                    };
                    for hash in attachments_of(s, &id)? {
                        if s.has_blob(&hash)? && !hashes.contains(&hash) {
                            hashes.push(hash);
                        }
                    }
                }
                Ok((request, hashes))
            })?;
            for hash in &outgoing {
                if cancel.is_cancelled() {
                    return Err(SyncError::Cancelled);
                }
                if self.upload_with(hash, || store.with_store(|s| Ok(s.blob(hash)?)))? {
                    summary.attachments_up += 1;
                    progress.attachments_moved(summary.attachments_up, summary.attachments_down);
                }
            }
            let cursor_before = request.cursor;
            let sent = request.docs.len();
            let response = self.post_sync(&request)?;
            let (report, pending, incoming) = store.with_store(|s| -> Result<_, SyncError> {
                let report = apply_response(s, response)?;
                let mut hashes = vec![];
                for id in &report.received {
                    for hash in attachments_of(s, id)? {
                        if !s.has_blob(&hash)? && !hashes.contains(&hash) {
                            hashes.push(hash);
                        }
                    }
                }
                Ok((report, s.dirty_count()?, hashes))
            })?;
            let fetched = self.fetch_all(store, &incoming, cancel, &mut summary, progress);
            if let Err(e) = fetched {
                store.with_store(|s| s.set_sync_cursor(cursor_before))?;
                return Err(e);
            }
            summary.rounds += 1;
            summary.sent += sent;
            summary.received += report.received.len();
            // A refused record is sent again in later rounds; report it once.
            for r in &report.refused {
                summary.refused.retain(|old| old.id != r.id);
                summary.refused.push(r.clone());
            }
            summary.unreadable.extend(report.unreadable);
            progress.round_done(summary.sent, summary.received, pending);
            // Refused records stay edited here; only go on while something moves.
            let more_local = pending > 0 && !report.accepted.is_empty();
            if !report.more && !more_local {
                return Ok(summary);
            }
        }
        Err(SyncError::TooManyRounds(MAX_ROUNDS))
    }

    fn post_sync(&self, request: &SyncRequest) -> Result<SyncResponse, SyncError> {
        let resp = send(self.authed(self.client.post(self.url("/v1/sync")).json(request)))?;
        resp.json().map_err(transport)
    }

    /// Fetches images received records name. One the server does not have
    /// (its phone has not sent it) is noted and skipped, not retried forever.
    fn fetch_all(
        &self,
        store: &impl StoreAccess,
        hashes: &[String],
        cancel: &Cancel,
        summary: &mut SyncSummary,
        progress: &dyn SyncProgress,
    ) -> Result<(), SyncError> {
        for hash in hashes {
            if cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            match self.fetch_blob(hash) {
                Ok((bytes, mime)) => {
                    store.with_store(|s| s.put_blob_checked(hash, &bytes, &mime))?;
                    summary.attachments_down += 1;
                    progress.attachments_moved(summary.attachments_up, summary.attachments_down);
                }
                Err(SyncError::Server { status: 404, .. }) => {
                    tracing::warn!(%hash, "the server lacks an image a record names");
                    summary.missing_attachments.push(hash.clone());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Uploads a stored blob, resuming after whatever part the server has.
    pub fn upload_blob(&self, store: &Store, hash: &str) -> Result<(), SyncError> {
        self.upload_with(hash, || Ok(store.blob(hash)?)).map(|_| ())
    }

    /// Uploads the blob `read` gives, unless the server has it already;
    /// `read` runs only when bytes are needed. True when bytes went up.
    fn upload_with(
        &self,
        hash: &str,
        read: impl FnOnce() -> Result<(Vec<u8>, String), SyncError>,
    ) -> Result<bool, SyncError> {
        let head = send_any(self.authed(self.client.head(self.url(&format!("/v1/blobs/{hash}")))))?;
        if head.status() == StatusCode::OK {
            return Ok(false);
        }
        let (bytes, mime) = read()?;
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
                return Ok(true);
            }
        }
    }

    /// Downloads a blob into the store; the store checks its hash.
    pub fn download_blob(&self, store: &mut Store, hash: &str) -> Result<(), SyncError> {
        if store.has_blob(hash)? {
            return Ok(());
        }
        let (bytes, mime) = self.fetch_blob(hash)?;
        store.put_blob_checked(hash, &bytes, &mime)?;
        Ok(())
    }

    fn fetch_blob(&self, hash: &str) -> Result<(Vec<u8>, String), SyncError> {
        let resp = send(self.authed(self.client.get(self.url(&format!("/v1/blobs/{hash}")))))?;
        let mime = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = resp.bytes().map_err(transport)?;
        Ok((bytes.to_vec(), mime))
    }
}

/// How a sync reaches a store that others may use meanwhile: for one short
/// step at a time (see [`HttpSync::sync_shared`]).
pub trait StoreAccess {
    fn with_store<T>(&self, step: impl FnOnce(&mut Store) -> T) -> T;
}

/// A store nobody else uses during the sync.
struct Exclusive<'a>(RefCell<&'a mut Store>);

impl StoreAccess for Exclusive<'_> {
    fn with_store<T>(&self, step: impl FnOnce(&mut Store) -> T) -> T {
        step(&mut self.0.borrow_mut())
    }
}

impl StoreAccess for std::sync::Mutex<Store> {
    fn with_store<T>(&self, step: impl FnOnce(&mut Store) -> T) -> T {
        step(&mut self.lock().unwrap_or_else(|p| p.into_inner()))
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
        message_zh: None,
        message_en: None,
        field: None,
    });
    Err(SyncError::Server {
        status,
        message: body.words(),
        code: body.code,
    })
}
