//! Every route of the API in one table.

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;

use crate::state::AppState;
use crate::{auth, blobs, events, office, sync};

pub fn router(state: AppState) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .route("/v1/login", post(auth::login))
        .route("/v1/devices/{id}/revoke", post(auth::revoke))
        .route("/v1/sync", post(sync::sync))
        .route("/v1/events", get(events::events))
        .route(
            "/v1/blobs/{hash}",
            put(blobs::put).get(blobs::get).head(blobs::head),
        )
        .route("/v1/orders", get(office::orders))
        .route("/v1/complaints", get(office::complaints))
        .route("/v1/revisits", get(office::revisits))
        .route("/v1/reports/monthly", get(office::monthly_report))
        .route("/v1/records/{id}", get(office::record))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
