//! What the office does to a complaint: dispatch it to a department, log the
//! department's answer, resolve it, report back to the resident, close it,
//! and classify it as valid or not (有效 / 无效投诉, a head's call). A
//! complaint whose revisit is already done moves on when it is reported back.
//! An emergency's own steps: the departments told, the escalations to the
//! site and the company with their written reports, and the verification.
//! And the work order a complaint needs, registered for it.

use crate::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use rounds_core::documents::complaint::EscalationLevel;

use crate::error::AppError;
use crate::office::acting::{act, step_on};
use crate::office::form::Form;
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
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

/// POST /v1/complaints/{id}/notify-departments: emergency, the relevant
/// departments were told (the 3-minute clock).
#[utoipa::path(post, path = "/v1/complaints/{id}/notify-departments", tag = "reception",
    params(("id" = String, Path)),
    responses((status = 200, body = ComplaintDone), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn notify_departments(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<ComplaintDone>, AppError> {
    step_on(
        &state,
        who,
        &id,
        |s, id| Ok(s.notify_departments(id)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EscalationForm {
    /// `site` or `company`.
    #[serde(default)]
    pub level: String,
    /// The written report, for POST …/written-report.
    #[serde(default)]
    pub text: String,
}

fn level(form: &EscalationForm) -> Result<EscalationLevel, AppError> {
    EscalationLevel::parse(&form.level).ok_or_else(|| {
        AppError::invalid(
            "level",
            "请选择上报级别(管理处或公司)",
            "choose the level: site or company",
        )
    })
}

/// POST /v1/complaints/{id}/escalate: emergency, the level below could not
/// resolve it (site within 5 minutes, company within 10).
#[utoipa::path(post, path = "/v1/complaints/{id}/escalate", tag = "supervisor",
    params(("id" = String, Path)), request_body = EscalationForm,
    responses((status = 200, body = ComplaintDone), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn escalate(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<EscalationForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let level = level(&form)?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.escalate_complaint(id, level)?),
        done,
    )
    .await
}

/// POST /v1/complaints/{id}/written-report: the written report owed after an
/// escalation (site within 24 h, company within 48 h).
#[utoipa::path(post, path = "/v1/complaints/{id}/written-report", tag = "supervisor",
    params(("id" = String, Path)), request_body = EscalationForm,
    responses((status = 200, body = ComplaintDone), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn written_report(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<EscalationForm>,
) -> Result<Json<ComplaintDone>, AppError> {
    let level = level(&form)?;
    let text = required_text(&form.text)?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.escalation_report(id, level, &text)?),
        done,
    )
    .await
}

/// POST /v1/complaints/{id}/verify: emergency, the result checked after the
/// work was done (within 8 h).
#[utoipa::path(post, path = "/v1/complaints/{id}/verify", tag = "reception",
    params(("id" = String, Path)), request_body = TextForm,
    responses((status = 200, body = ComplaintDone), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn verify(
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
        move |s, id| Ok(s.verify_complaint(id, &text)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ComplaintOrderForm {
    /// Made when the form opens, so a retried submit names the same order.
    #[serde(default)]
    pub id: Option<String>,
    /// The repair category (`pipe_leak`, `general`, …), which decides the deadline.
    #[serde(default)]
    pub category: String,
    /// What is to be repaired.
    #[serde(default)]
    pub content: String,
    /// An emergency complaint's order is an emergency whatever this says.
    #[serde(default)]
    pub emergency: bool,
    /// For the categories whose deadline the head sets.
    #[serde(default)]
    pub agreed_due_at: Option<rounds_core::time::Millis>,
}

/// POST /v1/complaints/{id}/orders: reception registers the work order a
/// complaint needs (a burst pipe, a broken lock), at the complaint's place
/// and for its resident, linked both ways, so the repair reaches a
/// technician's phone.
#[utoipa::path(post, path = "/v1/complaints/{id}/orders", tag = "reception",
    params(("id" = String, Path)), request_body = ComplaintOrderForm,
    responses((status = 201, body = crate::office::intake::Registered),
        (status = 422, description = "bad input, with the field", body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn open_order(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ComplaintOrderForm>,
) -> Result<(StatusCode, Json<crate::office::intake::Registered>), AppError> {
    use rounds_core::documents::work_order::{Source, SourceKind};
    let complaint_id = record_id(&id)?;
    let order_id = match form.id.as_deref().filter(|i| !i.trim().is_empty()) {
        Some(i) => rounds_core::RecordId::parse(i)
            .map_err(|_| AppError::invalid("id", "编号无效", "not a record id"))?,
        None => rounds_core::RecordId::new(),
    };
    let category = form.category.trim().to_owned();
    if category.is_empty() {
        return Err(AppError::invalid(
            "category",
            "不能为空",
            "must not be empty",
        ));
    }
    let registered = act(&state, who.staff, None, move |s| {
        let complaint = s.complaint(&complaint_id)?;
        let req = rounds_core::session::OrderRequest {
            id: order_id,
            // Set by the core to name the complaint.
            source: Source {
                kind: SourceKind::Complaint,
                record_id: None,
                item_id: None,
            },
            category,
            place: complaint.place,
            emergency: form.emergency || complaint.emergency,
            resident: complaint.resident,
            content: form.content.trim().to_owned(),
            agreed_due_at: form.agreed_due_at,
            rework_of: None,
            paid_service: false,
        };
        let id = s.open_order_for_complaint(&complaint_id, req)?;
        let due_at = s.order(&id)?.deadline.due_at;
        Ok(crate::office::intake::Registered {
            id: id.to_string(),
            due_at,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(registered)))
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
