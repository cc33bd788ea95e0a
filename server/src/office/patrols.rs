//! The office side of patrols (巡查): an inspection as a head reads it, with
//! its defects and the notices they went out on; the head's review or
//! send-back; a rectification notice issued for a defect; and the notice's
//! cycle: the party's report, then the re-inspection that passes it, sends
//! it round again by a new deadline, or closes it with penalty points.
//! What a person may do is asked of core, never listed here.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::inspection::{Inspection, InspectionDoc};
use rounds_core::documents::lifecycle::Status;
use rounds_core::documents::rectification::{Rectification, RectificationDoc, RectificationDraft};
use rounds_core::session::{Reinspection, Session};
use rounds_core::time::Millis;
use rounds_core::RecordId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::{act, read_as, step_on};
use crate::office::form::Form;
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

/// Reads the record named in the path as `view` shows it to the signed-in person.
async fn read<T: Send + 'static>(
    state: &AppState,
    who: Authed,
    id: &str,
    view: fn(&Session<&mut Db>, &RecordId) -> Result<T, AppError>,
) -> Result<Json<T>, AppError> {
    let id = record_id(id)?;
    Ok(Json(read_as(state, who, move |s| view(s, &id)).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionView {
    /// The whole record (rounds_core::documents::inspection::Inspection).
    #[schema(value_type = Object)]
    pub inspection: Inspection,
    /// The status name, or "conflict".
    pub status: String,
    /// The notices its defects went out on, each with what may be done to it.
    pub rectifications: Vec<RectificationView>,
    pub may_review: bool,
    pub may_send_back: bool,
    pub may_issue: bool,
}

fn inspection_view(s: &Session<&mut Db>, id: &RecordId) -> Result<InspectionView, AppError> {
    let inspection = s.inspection(id)?;
    let mut rectifications = vec![];
    for f in &inspection.follow_ups {
        if let Ok(notice) = record_id(&f.record_id) {
            if let Ok(r) = rectification_view(s, &notice) {
                rectifications.push(r);
            }
        }
    }
    let may_issue = s.may_issue_rectification(id)?;
    Ok(InspectionView {
        status: inspection
            .status()
            .map_or("conflict", |st| st.name())
            .into(),
        may_review: s.allows(id, |i: &mut InspectionDoc, who| i.review("-", who))?,
        may_send_back: s.allows(id, |i: &mut InspectionDoc, who| i.send_back("-", who))?,
        may_issue,
        rectifications,
        inspection,
    })
}

/// GET /v1/inspections/{id}
#[utoipa::path(get, path = "/v1/inspections/{id}", tag = "supervisor",
    params(("id" = String, Path)),
    responses((status = 200, body = InspectionView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn inspection(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<InspectionView>, AppError> {
    read(&state, who, &id, inspection_view).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentForm {
    #[serde(default)]
    pub text: String,
}

/// POST /v1/inspections/{id}/review: a head reviews a submitted inspection.
#[utoipa::path(post, path = "/v1/inspections/{id}/review", tag = "supervisor",
    params(("id" = String, Path)), request_body = CommentForm,
    responses((status = 200, body = InspectionView), (status = 403, body = crate::openapi::ErrorJson),
        (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn review(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Json<InspectionView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.review_inspection(id, &form.text)?),
        inspection_view,
    )
    .await
}

/// POST /v1/inspections/{id}/send-back: a head sends it back to be
/// completed, saying why.
#[utoipa::path(post, path = "/v1/inspections/{id}/send-back", tag = "supervisor",
    params(("id" = String, Path)), request_body = CommentForm,
    responses((status = 200, body = InspectionView), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn send_back(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Json<InspectionView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.send_back_inspection(id, &form.text)?),
        inspection_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeForm {
    /// Made by the client, so a retried request issues one notice.
    pub id: String,
    #[serde(default)]
    pub item_id: String,
    #[serde(default)]
    pub problem: String,
    /// 责任方: a contractor, a department, a renovating owner.
    #[serde(default)]
    pub responsible_party: String,
    #[serde(default)]
    pub due_at: Option<Millis>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Issued {
    pub id: String,
}

/// POST /v1/inspections/{id}/rectifications: a notice (整改通知单) for one of
/// its defects.
#[utoipa::path(post, path = "/v1/inspections/{id}/rectifications", tag = "supervisor",
    params(("id" = String, Path)), request_body = NoticeForm,
    responses((status = 201, body = Issued), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn issue(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<NoticeForm>,
) -> Result<(StatusCode, Json<Issued>), AppError> {
    let inspection_id = record_id(&id)?;
    let notice_id = record_id(&form.id)?;
    let due_at = form
        .due_at
        .ok_or_else(|| AppError::invalid("due_at", "请选择整改期限", "choose the deadline"))?;
    let id = act(&state, who.staff, None, move |s| {
        let place = s.inspection(&inspection_id)?.place;
        let draft = RectificationDraft {
            id: notice_id,
            item_id: form.item_id,
            place,
            problem: form.problem,
            responsible_party: form.responsible_party,
            due_at,
        };
        Ok(s.issue_rectification(&inspection_id, &draft)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Issued { id: id.to_string() })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RectificationView {
    /// The whole record (rounds_core::documents::rectification::Rectification).
    #[schema(value_type = Object)]
    pub rectification: Rectification,
    /// The status name, or "conflict".
    pub status: String,
    pub may_report: bool,
    pub may_reinspect: bool,
}

fn rectification_view(s: &Session<&mut Db>, id: &RecordId) -> Result<RectificationView, AppError> {
    let r = s.rectification(id)?;
    Ok(RectificationView {
        status: r.status().map_or("conflict", |st| st.name()).into(),
        may_report: s.allows(id, |n: &mut RectificationDoc, who| {
            n.report_done("probe", "-", &[], who)
        })?,
        may_reinspect: s.allows(id, |n: &mut RectificationDoc, who| n.rectified("", who))?,
        rectification: r,
    })
}

/// GET /v1/rectifications/{id}
#[utoipa::path(get, path = "/v1/rectifications/{id}", tag = "supervisor",
    params(("id" = String, Path)),
    responses((status = 200, body = RectificationView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn rectification(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<RectificationView>, AppError> {
    read(&state, who, &id, rectification_view).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportForm {
    /// Made by the client, so a retried request reports once.
    pub report_id: String,
    #[serde(default)]
    pub note: String,
}

/// POST /v1/rectifications/{id}/report: the responsible party's work is
/// reported done; it waits for the re-inspection.
#[utoipa::path(post, path = "/v1/rectifications/{id}/report", tag = "supervisor",
    params(("id" = String, Path)), request_body = ReportForm,
    responses((status = 200, body = RectificationView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn report(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReportForm>,
) -> Result<Json<RectificationView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.report_rectified(id, &form.report_id, &form.note, &[])?),
        rectification_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReinspectForm {
    /// `passed`, `again` (a second round by `due_at`) or `penalty` (`points`).
    #[serde(default)]
    pub verdict: String,
    /// The inspector's note; the reason for another round or a penalty.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub due_at: Option<Millis>,
    #[serde(default)]
    pub points: Option<i64>,
}

/// POST /v1/rectifications/{id}/reinspect: the re-inspection's verdict (复查).
#[utoipa::path(post, path = "/v1/rectifications/{id}/reinspect", tag = "supervisor",
    params(("id" = String, Path)), request_body = ReinspectForm,
    responses((status = 200, body = RectificationView), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn reinspect(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReinspectForm>,
) -> Result<Json<RectificationView>, AppError> {
    let verdict = match form.verdict.as_str() {
        "passed" => Reinspection::Passed { note: form.text },
        "again" => Reinspection::Again {
            reason: form.text,
            due_at: form.due_at.ok_or_else(|| {
                AppError::invalid("due_at", "请选择新的整改期限", "choose the new deadline")
            })?,
        },
        "penalty" => Reinspection::Penalty {
            points: form.points.unwrap_or(0),
            reason: form.text,
        },
        _ => {
            return Err(AppError::invalid(
                "verdict",
                "请选择复查结果",
                "choose the re-inspection's verdict",
            ))
        }
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.reinspect(id, &verdict)?),
        rectification_view,
    )
    .await
}
