//! What the office does to a work order: dispatch it to a person, refuse
//! (拒收) an incomplete record, return it (退单) with the reason the resident
//! is told, review and close it, ask for and decide an extension, record the
//! resident's consent to one, and resolve a conflict between phones. The
//! core decides who may; these handlers only name the order and the input.

use crate::extract::Path;
use axum::extract::State;
use axum::Json;
use rounds_core::documents::lifecycle::Status;
use rounds_core::documents::work_order::OrderStatus;
use rounds_core::session::Session;
use rounds_core::RecordId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::office::acting::{act, step_on};
use crate::office::form::Form;
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
use crate::state::AppState;

/// What an edit answers: the order's status after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub id: String,
    pub status: String,
}

pub(crate) fn done(s: &Session<&mut crate::state::Db>, id: &RecordId) -> Result<Done, AppError> {
    let status = s.order(id)?.status().map_or("conflict", |st| st.name());
    Ok(Done {
        id: id.to_string(),
        status: status.into(),
    })
}

/// An order status by its API name.
fn status_from_name(name: &str) -> Option<OrderStatus> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DispatchForm {
    /// Staff id of the person who will do the work.
    #[serde(default)]
    pub assignee: String,
}

/// POST /v1/orders/{id}/dispatch
#[utoipa::path(post, path = "/v1/orders/{id}/dispatch", tag = "reception",
    params(("id" = String, Path)), request_body = DispatchForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn dispatch(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<DispatchForm>,
) -> Result<Json<Done>, AppError> {
    let id = record_id(&id)?;
    let out = act(&state, who.staff, None, move |s| {
        let order = s.order(&id)?;
        // Only someone of this estate who does field work can accept it.
        let people = s.store_mut().people_of_estate(&order.estate_id)?;
        if !people
            .iter()
            .any(|p| p.id == form.assignee && p.role.does_field_work())
        {
            return Err(AppError::invalid(
                "assignee",
                "请选择本小区的维修或服务人员",
                "choose a field worker of this estate",
            ));
        }
        s.dispatch(&id, &form.assignee)?;
        done(s, &id)
    })
    .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

/// POST /v1/orders/{id}/refuse: reception refuses (拒收) a completed record
/// that is incomplete or unsigned; it goes back to the technician.
#[utoipa::path(post, path = "/v1/orders/{id}/refuse", tag = "reception",
    params(("id" = String, Path)), request_body = ReasonForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn refuse(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Json<Done>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.refuse(id, form.reason.trim())?),
        done,
    )
    .await
}

/// POST /v1/orders/{id}/return: a head returns (退单) an order that cannot
/// be done; the reason is what the resident is told.
#[utoipa::path(post, path = "/v1/orders/{id}/return", tag = "supervisor",
    params(("id" = String, Path)), request_body = ReasonForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn return_order(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Json<Done>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.return_order(id, form.reason.trim())?),
        done,
    )
    .await
}

/// POST /v1/orders/{id}/close: reception closes a revisited order, or a
/// returned one once the resident has been told.
#[utoipa::path(post, path = "/v1/orders/{id}/close", tag = "reception",
    params(("id" = String, Path)),
    responses((status = 200, body = Done), (status = 403, body = crate::openapi::ErrorJson),
        (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn close(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Done>, AppError> {
    step_on(&state, who, &id, |s, id| Ok(s.close_order(id)?), done).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeadlineForm {
    /// The deadline the head sets (ms since the epoch).
    #[serde(default)]
    pub due_at: Option<rounds_core::time::Millis>,
}

/// POST /v1/orders/{id}/deadline: a head sets the deadline of a head-set
/// category (internal equipment, internal repairs, leak sealing), once.
#[utoipa::path(post, path = "/v1/orders/{id}/deadline", tag = "supervisor",
    params(("id" = String, Path)), request_body = DeadlineForm,
    responses((status = 200, body = Done), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn set_deadline(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<DeadlineForm>,
) -> Result<Json<Done>, AppError> {
    let due_at = form
        .due_at
        .ok_or_else(|| AppError::invalid("due_at", "请选择期限", "choose the deadline"))?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.set_deadline(id, due_at)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtensionForm {
    /// Made when the form opens, so a retried submit asks once.
    #[serde(default)]
    pub id: Option<String>,
    /// The deadline asked for (ms since the epoch).
    #[serde(default)]
    pub requested_due_at: Option<rounds_core::time::Millis>,
    #[serde(default)]
    pub reason: String,
}

/// POST /v1/orders/{id}/extensions: ask for more time (延期); the rules say
/// who must approve and whether the resident must agree.
#[utoipa::path(post, path = "/v1/orders/{id}/extensions", tag = "supervisor",
    params(("id" = String, Path)), request_body = ExtensionForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn request_extension(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ExtensionForm>,
) -> Result<Json<Done>, AppError> {
    let due = form.requested_due_at.ok_or_else(|| {
        AppError::invalid(
            "requested_due_at",
            "请填写新的期限",
            "give the new deadline",
        )
    })?;
    let ext = form
        .id
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| RecordId::new().to_string());
    step_on(
        &state,
        who,
        &id,
        move |s, id| {
            s.request_extension(id, &ext, due, form.reason.trim())?;
            Ok(())
        },
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewForm {
    #[serde(default)]
    pub comment: String,
}

/// POST /v1/orders/{id}/review: the head checks labour, materials and fees
/// against a valid sign-off, and signs.
#[utoipa::path(post, path = "/v1/orders/{id}/review", tag = "supervisor",
    params(("id" = String, Path)), request_body = ReviewForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn review(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Json<Done>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.review(id, form.comment.trim())?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionForm {
    pub approve: bool,
}

/// POST /v1/orders/{id}/extensions/{ext}/decision: approve (the deadline
/// moves) or refuse an extension; the rules say who may.
#[utoipa::path(post, path = "/v1/orders/{id}/extensions/{ext}/decision", tag = "supervisor",
    params(("id" = String, Path), ("ext" = String, Path)), request_body = DecisionForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn decide_extension(
    State(state): State<AppState>,
    who: Authed,
    Path((id, ext)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Json<Done>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.decide_extension(id, &ext, form.approve)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentForm {
    pub consent: bool,
}

/// POST /v1/orders/{id}/extensions/{ext}/consent: the resident agreed (or
/// not) on the phone to a 24-hour repair taking longer.
#[utoipa::path(post, path = "/v1/orders/{id}/extensions/{ext}/consent", tag = "supervisor",
    params(("id" = String, Path), ("ext" = String, Path)), request_body = ConsentForm,
    responses((status = 200, body = Done), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn record_consent(
    State(state): State<AppState>,
    who: Authed,
    Path((id, ext)): Path<(String, String)>,
    Form(form): Form<ConsentForm>,
) -> Result<Json<Done>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.record_resident_consent(id, &ext, form.consent)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveForm {
    /// One of the conflicting statuses (`completed`, `returned`, …).
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
}

/// POST /v1/orders/{id}/resolve-conflict: a head chooses between the
/// statuses two phones reached offline.
#[utoipa::path(post, path = "/v1/orders/{id}/resolve-conflict", tag = "supervisor",
    params(("id" = String, Path)), request_body = ResolveForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn resolve_conflict(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ResolveForm>,
) -> Result<Json<Done>, AppError> {
    let to = status_from_name(&form.to)
        .ok_or_else(|| AppError::invalid("to", "请选择一个状态", "choose a status"))?;
    if form.reason.trim().is_empty() {
        return Err(AppError::invalid("reason", "请说明理由", "give a reason"));
    }
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.resolve_order_conflict(id, to, form.reason.trim())?),
        done,
    )
    .await
}
