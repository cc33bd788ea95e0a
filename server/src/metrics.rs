//! Counters of where sync time goes, served as Prometheus text at
//! `GET /metrics` to heads: how long decoding, merging and the write
//! policy took, so an operator (and `sync_bench`) can see what the checks cost.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::AppError;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Default)]
pub struct Metrics {
    pub sync_requests: AtomicU64,
    pub docs_stored: AtomicU64,
    pub docs_refused: AtomicU64,
    /// Decoding the bytes devices sent, before any lock.
    pub decode_ns: AtomicU64,
    /// Applying changes to the stored record (under the record's lock).
    pub merge_ns: AtomicU64,
    /// The write policy's judgement of those changes.
    pub policy_ns: AtomicU64,
    /// Whole sync rounds inside storage (merges, paging, bookkeeping).
    pub storage_ns: AtomicU64,
}

impl Metrics {
    /// Runs `f`, adding its time to `counter`.
    pub fn time<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        Self::add(counter, start.elapsed());
        out
    }

    pub fn add(counter: &AtomicU64, d: Duration) {
        counter.fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let seconds = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e9;
        let count = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        for (name, help, value) in [
            (
                "rounds_sync_requests_total",
                "Sync requests answered.",
                count(&self.sync_requests) as f64,
            ),
            (
                "rounds_sync_docs_stored_total",
                "Documents devices sent that were stored.",
                count(&self.docs_stored) as f64,
            ),
            (
                "rounds_sync_docs_refused_total",
                "Documents devices sent that were refused.",
                count(&self.docs_refused) as f64,
            ),
            (
                "rounds_sync_decode_seconds_total",
                "Decoding what devices sent, before any lock.",
                seconds(&self.decode_ns),
            ),
            (
                "rounds_sync_merge_seconds_total",
                "Applying devices' changes to stored records.",
                seconds(&self.merge_ns),
            ),
            (
                "rounds_sync_policy_seconds_total",
                "The write policy judging devices' changes.",
                seconds(&self.policy_ns),
            ),
            (
                "rounds_sync_storage_seconds_total",
                "Sync rounds inside storage, all told.",
                seconds(&self.storage_ns),
            ),
        ] {
            let kind = if name.ends_with("_seconds_total") || name.ends_with("_total") {
                "counter"
            } else {
                "gauge"
            };
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        }
        out
    }
}

/// GET /metrics (Prometheus text): for supervisors and directors.
pub async fn metrics(
    State(state): State<AppState>,
    who: Authed,
) -> Result<impl IntoResponse, AppError> {
    if !who.staff.role.is_head() {
        return Err(AppError::forbidden("只有主管可以查看", "heads only"));
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    ))
}
