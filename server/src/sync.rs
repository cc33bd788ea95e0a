//! POST /v1/sync: the one round trip a device makes to sync.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use rounds_core::sync::{SyncRequest, SyncResponse};

use crate::auth::Authed;
use crate::error::AppError;
use crate::merge::sync_round;
use crate::state::AppState;

pub async fn sync(
    State(state): State<AppState>,
    who: Authed,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Result<Json<SyncResponse>, AppError> {
    let Json(req) = body?;
    let limits = state.limits.clone();
    let (sent, cursor) = (req.docs.len(), req.cursor);
    let (response, changed) = state
        .db(move |db| sync_round(db, &who, req, &limits))
        .await?;
    tracing::debug!(
        sent,
        cursor,
        answered = response.docs.len(),
        more = response.more,
        "sync round"
    );
    for c in changed {
        // No one listening is fine.
        let _ = state.changes.send(c);
    }
    Ok(Json(response))
}
