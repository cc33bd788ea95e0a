//! What the office does to a complaint: dispatch it to a department, log the
//! department's answer, resolve it, report back to the resident, close it,
//! and classify it as valid or not (有效 / 无效投诉, a head's call). A
//! complaint whose revisit is already done moves on when it is reported back.

use crate::extract::Path;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::acting::{act, step_on};
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
    s: &rounds_core::session::Session<&mut crate::state::Db>,
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextForm {
    #[serde(default)]
    pub text: String,
}

/// POST /v1/complaints/{id}/answer: the department's answer (答复), which
/// counts for the 24-hour clock as a resolution does.
#[utoipa::path(post, path = "/v1/complaints/{id}/answer", tag = "reception",
    params(("id" = String, Path)), request_body = TextForm,
    responses((status = 200, body = ComplaintDone), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn answer(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let text = required_text(&form.text)?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.answer_complaint(id, &text)?),
        done,
    )
    .await
}

/// POST /v1/complaints/{id}/resolve: the work is done; a phone revisit is
/// planned within the rules' working days.
#[utoipa::path(post, path = "/v1/complaints/{id}/resolve", tag = "reception",
    params(("id" = String, Path)), request_body = TextForm,
    responses((status = 200, body = ComplaintDone), (status = 409, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn resolve(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let text = required_text(&form.text)?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| {
            s.resolve_complaint(id, &text)?;
            Ok(())
        },
        done,
    )
    .await
}

/// POST /v1/complaints/{id}/report-back: the resident is told the result.
#[utoipa::path(post, path = "/v1/complaints/{id}/report-back", tag = "reception",
    params(("id" = String, Path)),
    responses((status = 200, body = ComplaintDone), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn report_back(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<ComplaintDone>, AppError> {
    step_on(&state, who, &id, |s, id| Ok(s.report_back(id)?), done).await
}

/// POST /v1/complaints/{id}/close: closed once revisited.
#[utoipa::path(post, path = "/v1/complaints/{id}/close", tag = "reception",
    params(("id" = String, Path)),
    responses((status = 200, body = ComplaintDone), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn close(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<ComplaintDone>, AppError> {
    step_on(&state, who, &id, |s, id| Ok(s.close_complaint(id)?), done).await
}

fn required_text(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(
            "text",
            "请填写内容",
            "write what was done or said",
        ));
    }
    Ok(text.to_owned())
}
