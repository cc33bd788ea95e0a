//! Importing an estate's sheet (`.xlsx` or UTF-8 `.csv`, the file as the
//! request body): the preview says what each row would do and lists the bad
//! rows by column, saving nothing; the apply re-reads the same file and
//! saves it as one change, only when no row is bad or the request says to
//! skip the bad ones. Reading and planning are core's (`rounds_core::import`).

use axum::extract::State;
use axum::Json;
use rounds_core::import::estate_sheet::{self, RowPlan};
use rounds_core::import::Outcome;
use serde::Serialize;
use utoipa::ToSchema;

use crate::admin::audit;
use crate::error::AppError;
use crate::extract::{Body, Path, Query};
use crate::office::acting::act;
use crate::office::scope::own_estate;
use crate::office::sheet_upload::{may_apply, read_upload, ApplyParams};
use crate::phone::auth::Authed;
use crate::state::AppState;
use rounds_core::admin::AuditAction;

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Every row with what it does (`created`, `updated`, `unchanged`,
    /// `bad`) and, for a bad one, its errors by column.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowPlan>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub bad: usize,
    /// Whether the estate was changed (false for a preview).
    pub saved: bool,
}

async fn import(
    state: &AppState,
    who: Authed,
    estate: String,
    bytes: axum::body::Bytes,
    save: Option<bool>,
) -> Result<ImportReport, AppError> {
    let estate = own_estate(&who, &estate)?;
    let sheet = read_upload(&bytes)?;
    act(state, who.staff, None, move |s| {
        let (_, current) = s.estate(&estate)?;
        let plan = estate_sheet::plan(&current, &sheet).map_err(|e| AppError::from_core(&e))?;
        let bad = plan.count(Outcome::Bad);
        let saved = match save {
            None => false,
            Some(skip_bad) => {
                may_apply(bad, skip_bad)?;
                s.edit_estate(&estate, &plan.edits)?;
                let detail = serde_json::json!({
                    "created": plan.count(Outcome::Created),
                    "updated": plan.count(Outcome::Updated),
                    "skipped": bad,
                });
                audit::record(s, AuditAction::PlacesImported, &estate, detail)?;
                true
            }
        };
        Ok(ImportReport {
            created: plan.count(Outcome::Created),
            updated: plan.count(Outcome::Updated),
            unchanged: plan.count(Outcome::Unchanged),
            bad,
            saved,
            rows: plan.rows,
        })
    })
    .await
}

/// POST /v1/estates/{estate}/import/preview: what the sheet would do; saves nothing.
#[utoipa::path(post, path = "/v1/estates/{estate}/import/preview", tag = "estates",
    params(("estate" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the .xlsx or .csv file"),
    responses((status = 200, body = ImportReport), (status = 413, body = crate::openapi::ErrorJson),
        (status = 422, description = "not a sheet, or no place columns", body = crate::openapi::ErrorJson)))]
pub async fn preview(
    State(state): State<AppState>,
    who: Authed,
    Path(estate): Path<String>,
    Body(bytes): Body,
) -> Result<Json<ImportReport>, AppError> {
    Ok(Json(import(&state, who, estate, bytes, None).await?))
}

/// POST /v1/estates/{estate}/import: saves the sheet as one change.
#[utoipa::path(post, path = "/v1/estates/{estate}/import", tag = "estates",
    params(("estate" = String, Path), ApplyParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the .xlsx or .csv file"),
    responses((status = 200, body = ImportReport), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, description = "bad rows and skip_bad not set", body = crate::openapi::ErrorJson)))]
pub async fn apply(
    State(state): State<AppState>,
    who: Authed,
    Path(estate): Path<String>,
    Query(params): Query<ApplyParams>,
    Body(bytes): Body,
) -> Result<Json<ImportReport>, AppError> {
    Ok(Json(
        import(&state, who, estate, bytes, Some(params.skip_bad)).await?,
    ))
}
