//! The front desk's work log in the office (§7.4): a shift's log opened,
//! written, handed over and taken over; and the matters passed to
//! departments whose status reports are due (§5.3.2), on the desk's list and
//! each department's. Every rule is core's; this only carries forms to it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::departments::Department;
use rounds_core::documents::desk_log::{
    AwaitingReport, DeskLog, DeskLogDoc, EntryDraft, EntryKind, Outcome, Shift,
};
use rounds_core::documents::IndexRow;
use rounds_core::session::Session;
use rounds_core::RecordId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::office::acting::{act, read_as, step_on};
use crate::office::form::Form;
use crate::office::scope::{own_estate, record_id};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

fn shift(code: &str) -> Result<Shift, AppError> {
    Shift::parse(code).ok_or_else(|| AppError::invalid("shift", "请选择班次", "choose the shift"))
}

/// A department named in a form, if one is (blank is none).
fn department(code: Option<&str>) -> Result<Option<Department>, AppError> {
    code.filter(|c| !c.is_empty())
        .map(|c| {
            Department::parse(c).ok_or_else(|| {
                AppError::invalid("department", "没有这个部门", "no such department")
            })
        })
        .transpose()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeskLogView {
    /// The whole log (rounds_core::documents::desk_log::DeskLog).
    #[schema(value_type = Object)]
    pub log: DeskLog,
    /// `open`, `handed_over` or `taken_over`.
    pub status: String,
    /// Items still open in this log, by id.
    pub open_items: Vec<String>,
    /// Open items the next shift did not accept: still this shift's.
    pub unaccepted: Vec<String>,
    /// Matters whose department has not reported yet.
    #[schema(value_type = Vec<Object>)]
    pub awaiting_reports: Vec<AwaitingReport>,
    pub may_write: bool,
    pub may_hand_over: bool,
    pub may_take_over: bool,
}

fn log_view(s: &Session<&mut Db>, id: &RecordId) -> Result<DeskLogView, AppError> {
    let log = s.desk_log(id)?;
    let probe = RecordId::new();
    Ok(DeskLogView {
        status: log.status().name().into(),
        open_items: log.open_items(),
        unaccepted: if log.taken_by.is_some() {
            log.unaccepted()
        } else {
            vec![]
        },
        awaiting_reports: log.awaiting_reports(),
        may_write: s.allows(id, |l: &mut DeskLogDoc, who| {
            let draft = EntryDraft {
                id: "probe".into(),
                kind: EntryKind::Visitor,
                party: String::new(),
                unit_id: None,
                summary: "-".into(),
                outcome: Outcome::Handled,
                department: None,
            };
            l.add_entry(&draft, None, who)
        })?,
        may_hand_over: s.allows(id, |l: &mut DeskLogDoc, who| {
            l.hand_over("", who).map(|_| ())
        })?,
        may_take_over: s.allows(id, |l: &mut DeskLogDoc, who| {
            l.take_over(&[], &probe, who).map(|_| ())
        })?,
        log,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct LogFilter {
    pub estate: Option<String>,
    pub status: Option<String>,
}

/// GET /v1/desk-logs?estate=&status=: the shifts' logs, newest first.
#[utoipa::path(get, path = "/v1/desk-logs", tag = "office",
    params(("estate" = Option<String>, Query), ("status" = Option<String>, Query)),
    responses((status = 200, description = "index rows of desk logs", body = Vec<Object>)))]
pub async fn logs(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<LogFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    let estate = f.estate.map(|e| own_estate(&who, &e)).transpose()?;
    let rows = read_as(&state, who, move |s| Ok(s.desk_logs()?)).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| estate.as_ref().is_none_or(|e| &r.estate_id == e))
            .filter(|r| f.status.as_ref().is_none_or(|st| &r.status == st))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenForm {
    /// Made by the client, so a retried request opens one log.
    pub id: String,
    #[serde(default)]
    pub estate_id: String,
    /// The shift's local date, "2026-12-07".
    #[serde(default)]
    pub date: String,
    /// `day` or `night`.
    #[serde(default)]
    pub shift: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    pub id: String,
}

/// POST /v1/desk-logs: opens a shift's log.
#[utoipa::path(post, path = "/v1/desk-logs", tag = "office", request_body = OpenForm,
    responses((status = 201, body = Opened), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn open(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<OpenForm>,
) -> Result<(StatusCode, Json<Opened>), AppError> {
    let id = record_id(&form.id)?;
    let shift = shift(&form.shift)?;
    let id = act(&state, who.staff, None, move |s| {
        Ok(s.open_desk_log(id, &form.estate_id, &form.date, shift)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Opened { id: id.to_string() })))
}

/// GET /v1/desk-logs/{id}
#[utoipa::path(get, path = "/v1/desk-logs/{id}", tag = "office", params(("id" = String, Path)),
    responses((status = 200, body = DeskLogView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn log(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<DeskLogView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(read_as(&state, who, move |s| log_view(s, &id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryForm {
    /// Made by the client, so a retried request writes one entry.
    pub id: String,
    /// `visitor`, `call` or `matter`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub summary: String,
    /// `handled`, `pending` or `passed_on`.
    #[serde(default)]
    pub outcome: String,
    /// The department a matter is passed to.
    #[serde(default)]
    pub department: Option<String>,
}

/// POST /v1/desk-logs/{id}/entries: a visitor, a call or a matter.
#[utoipa::path(post, path = "/v1/desk-logs/{id}/entries", tag = "office",
    params(("id" = String, Path)), request_body = EntryForm,
    responses((status = 200, body = DeskLogView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn add_entry(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Json<DeskLogView>, AppError> {
    let kind = EntryKind::parse(&form.kind)
        .ok_or_else(|| AppError::invalid("kind", "请选择类别", "choose what this entry is"))?;
    let outcome = Outcome::parse(&form.outcome)
        .ok_or_else(|| AppError::invalid("outcome", "请选择处理情况", "choose how it was left"))?;
    let department = department(form.department.as_deref())?;
    let draft = EntryDraft {
        id: form.id,
        kind,
        party: form.party,
        unit_id: form.unit_id,
        summary: form.summary,
        outcome,
        department,
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.log_desk_entry(id, &draft)?),
        log_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseForm {
    /// Made by the client, so a retried request closes once.
    pub close_id: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub note: String,
}

/// POST /v1/desk-logs/{id}/close: the desk closes an open item.
#[utoipa::path(post, path = "/v1/desk-logs/{id}/close", tag = "office",
    params(("id" = String, Path)), request_body = CloseForm,
    responses((status = 200, body = DeskLogView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn close_item(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Json<DeskLogView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.close_desk_item(id, &form.close_id, &form.item, &form.note)?),
        log_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusReportForm {
    /// Made by the client, so a retried request reports once.
    pub report_id: String,
    #[serde(default)]
    pub entry: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub finished: bool,
}

/// POST /v1/desk-logs/{id}/reports: a department's status report on a
/// matter passed to it.
#[utoipa::path(post, path = "/v1/desk-logs/{id}/reports", tag = "office",
    params(("id" = String, Path)), request_body = StatusReportForm,
    responses((status = 200, body = DeskLogView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn report_status(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<StatusReportForm>,
) -> Result<Json<DeskLogView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| {
            Ok(s.report_desk_status(id, &form.report_id, &form.entry, &form.note, form.finished)?)
        },
        log_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HandOverForm {
    #[serde(default)]
    pub note: String,
}

/// POST /v1/desk-logs/{id}/hand-over: the one on shift signs it off; every
/// open item is handed over.
#[utoipa::path(post, path = "/v1/desk-logs/{id}/hand-over", tag = "office",
    params(("id" = String, Path)), request_body = HandOverForm,
    responses((status = 200, body = DeskLogView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn hand_over(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<HandOverForm>,
) -> Result<Json<DeskLogView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.hand_over_desk(id, &form.note).map(|_| ())?),
        log_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TakeOverForm {
    /// The outstanding items accepted; the rest stay with the shift before.
    #[serde(default)]
    pub accepted: Vec<String>,
    /// The next shift's log, made by the client.
    pub next_id: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub shift: String,
}

/// POST /v1/desk-logs/{id}/take-over: the next shift accepts the handover
/// and opens its own log, carrying what it accepted.
#[utoipa::path(post, path = "/v1/desk-logs/{id}/take-over", tag = "office",
    params(("id" = String, Path)), request_body = TakeOverForm,
    responses((status = 201, body = Opened), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn take_over(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<TakeOverForm>,
) -> Result<(StatusCode, Json<Opened>), AppError> {
    let id = record_id(&id)?;
    let next = record_id(&form.next_id)?;
    let shift = shift(&form.shift)?;
    let next = act(&state, who.staff, None, move |s| {
        Ok(s.take_over_desk(&id, &form.accepted, next, &form.date, shift)?)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Opened {
            id: next.to_string(),
        }),
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct DueFilter {
    /// One department's; by default the signed-in person's own, or all of
    /// them for the desk and heads.
    pub department: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DueReportRow {
    pub log_id: String,
    pub estate_id: String,
    pub entry: String,
    pub department: String,
    pub summary: String,
    pub passed_at: i64,
    pub due_at: i64,
    pub overdue: bool,
}

/// GET /v1/desk-reports?department=: matters waiting for a department's
/// status report, soonest due first, overdue ones marked.
#[utoipa::path(get, path = "/v1/desk-reports", tag = "office",
    params(("department" = Option<String>, Query)),
    responses((status = 200, body = Vec<DueReportRow>)))]
pub async fn reports_due(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<DueFilter>,
) -> Result<Json<Vec<DueReportRow>>, AppError> {
    let department = department(f.department.as_deref())?;
    let due = read_as(&state, who, move |s| {
        Ok(match department {
            Some(d) => s.desk_reports_due(Some(d))?,
            None => s.my_desk_reports_due()?,
        })
    })
    .await?;
    Ok(Json(
        due.into_iter()
            .map(|d| DueReportRow {
                log_id: d.log_id,
                estate_id: d.estate_id,
                entry: d.report.entry,
                department: d.report.department.as_str().into(),
                summary: d.report.summary,
                passed_at: d.report.passed_at,
                due_at: d.report.due_at,
                overdue: d.overdue,
            })
            .collect(),
    ))
}
