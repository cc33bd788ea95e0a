//! GET /v1/labels: the words for every code the API sends (statuses,
//! stages, clocks, categories, roles), from core's one table, so the
//! console shows what the phones show and keeps no copy of its own.

use axum::Json;
use rounds_core::labels::Labels;

/// GET /v1/labels (no sign-in needed: they are the product's words, not data)
#[utoipa::path(get, path = "/v1/labels", tag = "console",
    responses((status = 200, description = "rounds_core::labels::Labels: each table a list of {code, zh, en}", body = Object)))]
pub async fn labels() -> Json<Labels> {
    Json(Labels::all())
}
