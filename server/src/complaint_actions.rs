//! What the office does to a complaint: dispatch it to a department, and
//! classify it as valid or not (有效 / 无效投诉, a head's call).

use crate::extract::Path;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::acting::act;
use crate::auth::Authed;
use crate::directory::DEPARTMENTS;
use crate::error::AppError;
use crate::form::Form;
use crate::order_actions::record_id;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDone {
    pub id: String,
    pub status: String,
    pub department: Option<String>,
    pub valid: Option<bool>,
}

fn done(
    s: &rounds_core::session::Session<impl rounds_core::store::DocumentStore>,
    id: &rounds_core::RecordId,
) -> Result<ComplaintDone, AppError> {
    use rounds_core::documents::lifecycle::Status;
    let c = s.complaint(id)?;
    Ok(ComplaintDone {
        id: id.to_string(),
        status: c.status().map_or("conflict", |st| st.name()).into(),
        department: c.department(),
        valid: c.valid,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DepartmentForm {
    /// One of GET /v1/departments.
    #[serde(default)]
    pub department: String,
}

/// POST /v1/complaints/{id}/dispatch
#[utoipa::path(post, path = "/v1/complaints/{id}/dispatch", tag = "reception",
    params(("id" = String, Path)), request_body = DepartmentForm,
    responses((status = 200, body = ComplaintDone), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn dispatch(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<DepartmentForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let id = record_id(&id)?;
    if !DEPARTMENTS.iter().any(|d| d.0 == form.department) {
        return Err(AppError::invalid(
            "department",
            "请选择部门",
            "choose a department",
        ));
    }
    let out = act(&state, who.staff, None, move |s| {
        s.dispatch_complaint(&id, &form.department)?;
        done(s, &id)
    })
    .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClassifyForm {
    pub valid: bool,
}

/// POST /v1/complaints/{id}/classify
#[utoipa::path(post, path = "/v1/complaints/{id}/classify", tag = "supervisor",
    params(("id" = String, Path)), request_body = ClassifyForm,
    responses((status = 200, body = ComplaintDone), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn classify(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ClassifyForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let id = record_id(&id)?;
    let out = act(&state, who.staff, None, move |s| {
        s.classify_complaint(&id, form.valid)?;
        done(s, &id)
    })
    .await?;
    Ok(Json(out))
}
