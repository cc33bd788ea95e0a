//! POST /v1/sync: the one round trip a device makes to sync.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use rounds_core::sync::{SyncRequest, SyncResponse};

use crate::error::AppError;
use crate::metrics::Metrics;
use crate::phone::auth::Authed;
use crate::phone::merge::{decode, sync_round};
use crate::state::AppState;
use std::sync::atomic::Ordering;

pub async fn sync(
    State(state): State<AppState>,
    who: Authed,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Result<Json<SyncResponse>, AppError> {
    let Json(req) = body?;
    let limits = state.limits.clone();
    let (sent, cursor) = (req.docs.len(), req.cursor);
    // Decoding is bounded CPU work: done before, and without, the database.
    let metrics = state.metrics.clone();
    let (req, decoded) = tokio::task::spawn_blocking(move || {
        let decoded = Metrics::time(&metrics.decode_ns, || decode(&req, &limits.wire));
        (req, decoded)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let decoded = decoded?;
    let limits = state.limits.clone();
    let company = state.company();
    let metrics = state.metrics.clone();
    let now = rounds_core::time::to_millis(state.now());
    let (response, changed) = state
        .db(move |db| {
            Metrics::time(&metrics.storage_ns, || {
                sync_round(
                    db,
                    &who,
                    req,
                    decoded,
                    &limits,
                    &company.rules,
                    &metrics,
                    now,
                )
            })
        })
        .await?;
    state.metrics.sync_requests.fetch_add(1, Ordering::Relaxed);
    tracing::debug!(
        sent,
        cursor,
        answered = response.docs.len(),
        more = response.more,
        "sync round"
    );
    state.announce(changed).await?;
    Ok(Json(response))
}
