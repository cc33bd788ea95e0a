//! Satisfaction surveys in the office (第8篇): a survey opened with its items
//! and its drawn sample, the forms sent, forms typed in from paper (phones
//! record theirs at the door and sync), counted, and the worst items given
//! their actions; the half-yearly report beside the survey before. Every
//! rule is core's; this only carries forms to it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::survey::{
    ActionDraft, FormDraft, Occasion, Rating, Survey, SurveyDoc, SurveyDraft, SurveyItem, Via,
};
use rounds_core::documents::IndexRow;
use rounds_core::rules::{forms_due, Satisfaction, SurveyResult, YearResult};
use rounds_core::session::Session;
use rounds_core::time::to_millis;
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

/// The survey before this one, as the report compares with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousSurvey {
    pub id: String,
    pub title: String,
    pub sent_at: Option<i64>,
    #[schema(value_type = Object)]
    pub result: SurveyResult,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    /// The whole survey (rounds_core::documents::survey::Survey).
    #[schema(value_type = Object)]
    pub survey: Survey,
    /// `draft`, `collecting` or `closed`.
    pub status: String,
    /// Per-item rates, validity, the worst and fallen items
    /// (rounds_core::rules::SurveyResult).
    #[schema(value_type = Object)]
    pub result: SurveyResult,
    pub previous: Option<PreviousSurvey>,
    /// The items to act on, in item order.
    pub to_act_on: Vec<String>,
    /// Of those, the ones no action names yet.
    pub without_action: Vec<String>,
    /// Sampled households whose form has not come back.
    pub outstanding: Vec<String>,
    pub may_send: bool,
    pub may_record: bool,
    pub may_close: bool,
    pub may_assign: bool,
}

fn survey_view(s: &Session<&mut Db>, id: &RecordId) -> Result<SurveyView, AppError> {
    let report = s.survey_report(id)?;
    let survey = report.survey;
    let status = survey.status();
    let rules = s.rules().clone();
    Ok(SurveyView {
        status: status.name().into(),
        to_act_on: report.result.to_act_on(),
        without_action: report.without_action,
        outstanding: survey.outstanding(),
        previous: report.previous.map(|(p, result)| PreviousSurvey {
            id: p.id,
            title: p.title,
            sent_at: p.sent_at,
            result,
        }),
        result: report.result,
        may_send: s.allows(id, |d: &mut SurveyDoc, who| {
            d.send(to_millis(forms_due(s.now(), &rules)), who)
        })?,
        may_record: status == rounds_core::documents::survey::SurveyStatus::Collecting,
        may_close: s.allows(id, |d: &mut SurveyDoc, who| d.close(who))?,
        may_assign: status == rounds_core::documents::survey::SurveyStatus::Closed
            && SurveyDoc::may_assign(s.staff().role),
        survey,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct SurveyFilter {
    pub estate: Option<String>,
}

/// GET /v1/surveys?estate=: the surveys, newest first.
#[utoipa::path(get, path = "/v1/surveys", tag = "office",
    params(("estate" = Option<String>, Query)),
    responses((status = 200, description = "index rows of surveys", body = Vec<Object>)))]
pub async fn surveys(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<SurveyFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    let estate = f.estate.map(|e| own_estate(&who, &e)).transpose()?;
    let rows = read_as(&state, who, move |s| Ok(s.surveys()?)).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| estate.as_ref().is_none_or(|e| &r.estate_id == e))
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemJson {
    pub id: String,
    pub name: String,
}

/// GET /v1/surveys/items?estate=: the items a new survey of the estate
/// starts from (its last survey's, or core's list).
#[utoipa::path(get, path = "/v1/surveys/items", tag = "office",
    params(("estate" = String, Query)),
    responses((status = 200, body = Vec<ItemJson>)))]
pub async fn items(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<SurveyFilter>,
) -> Result<Json<Vec<ItemJson>>, AppError> {
    let estate = own_estate(&who, f.estate.as_deref().unwrap_or_default())?;
    let items = read_as(&state, who, move |s| Ok(s.survey_items(&estate)?)).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| ItemJson {
                id: i.id,
                name: i.name,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDueRow {
    pub estate_id: String,
    /// "2026-05-20", the last half-yearly survey's forms went out.
    pub last_sent: Option<String>,
    /// The day the next one is due; none if the estate was never surveyed.
    pub due: Option<String>,
    pub due_now: bool,
}

/// GET /v1/surveys/due: when each estate's next half-yearly survey is due.
#[utoipa::path(get, path = "/v1/surveys/due", tag = "office",
    responses((status = 200, body = Vec<SurveyDueRow>)))]
pub async fn due(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<SurveyDueRow>>, AppError> {
    let due = read_as(&state, who, move |s| Ok(s.surveys_due()?)).await?;
    Ok(Json(
        due.into_iter()
            .map(|d| SurveyDueRow {
                estate_id: d.estate_id,
                last_sent: d.last_sent.map(|d| d.to_string()),
                due: d.due.map(|d| d.to_string()),
                due_now: d.due_now,
            })
            .collect(),
    ))
}

/// One survey of the year, as the yearly report lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearSurvey {
    pub id: String,
    pub title: String,
    pub sent_at: Option<i64>,
    pub valid: bool,
    pub return_rate: Option<f64>,
    pub overall_rate: Option<f64>,
}

/// The yearly report of an estate's surveys.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyYearView {
    pub estate_id: String,
    pub year: i32,
    /// Oldest first; `result.items[].rates` follow this order.
    pub surveys: Vec<YearSurvey>,
    /// rounds_core::rules::YearResult
    #[schema(value_type = Object)]
    pub result: YearResult,
}

#[derive(Debug, Deserialize)]
pub struct YearFilter {
    pub estate: String,
    pub year: i32,
}

/// GET /v1/surveys/yearly?estate=&year=: the yearly report (第8篇): the
/// year's surveys, each item's rate in each, and its rate over the year.
#[utoipa::path(get, path = "/v1/surveys/yearly", tag = "office",
    params(("estate" = String, Query), ("year" = i32, Query)),
    responses((status = 200, body = SurveyYearView), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn yearly(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<YearFilter>,
) -> Result<Json<SurveyYearView>, AppError> {
    let estate = own_estate(&who, &f.estate)?;
    let year = f.year;
    let (reports, result) = read_as(&state, who, {
        let estate = estate.clone();
        move |s| Ok(s.survey_year(&estate, year)?)
    })
    .await?;
    Ok(Json(SurveyYearView {
        estate_id: estate,
        year,
        surveys: reports
            .into_iter()
            .map(|r| YearSurvey {
                id: r.survey.id,
                title: r.survey.title,
                sent_at: r.survey.sent_at,
                valid: r.result.valid,
                return_rate: r.result.return_rate,
                overall_rate: r.result.overall_rate,
            })
            .collect(),
        result,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenForm {
    /// Made by the client, so a retried request opens one survey.
    pub id: String,
    #[serde(default)]
    pub estate_id: String,
    #[serde(default)]
    pub title: String,
    /// `regular`, `new_service` or `special`.
    #[serde(default)]
    pub occasion: String,
    /// For a new service: the day it started, "2026-09-01".
    #[serde(default)]
    pub service_started: Option<String>,
    #[serde(default)]
    pub items: Vec<ItemForm>,
    #[serde(default)]
    pub sample_size: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    pub id: String,
}

/// POST /v1/surveys: opens a survey and draws its sample.
#[utoipa::path(post, path = "/v1/surveys", tag = "office", request_body = OpenForm,
    responses((status = 201, body = Opened), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn open(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<OpenForm>,
) -> Result<(StatusCode, Json<Opened>), AppError> {
    let id = record_id(&form.id)?;
    let occasion = Occasion::parse(&form.occasion).ok_or_else(|| {
        AppError::invalid(
            "occasion",
            "请选择调查类别",
            "choose why the survey is made",
        )
    })?;
    let draft = SurveyDraft {
        title: form.title,
        occasion,
        service_started: form.service_started,
        items: form
            .items
            .into_iter()
            .map(|i| SurveyItem {
                id: i.id,
                name: i.name,
            })
            .collect(),
        sample_size: form.sample_size,
    };
    let estate = form.estate_id;
    let id = act(&state, who.staff, None, move |s| {
        Ok(s.open_survey(id, &estate, &draft)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Opened { id: id.to_string() })))
}

/// GET /v1/surveys/{id}: the survey, its result and the one before.
#[utoipa::path(get, path = "/v1/surveys/{id}", tag = "office", params(("id" = String, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn survey(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<SurveyView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(
        read_as(&state, who, move |s| survey_view(s, &id)).await?,
    ))
}

/// POST /v1/surveys/{id}/send: the forms go out, due back when the rules say.
#[utoipa::path(post, path = "/v1/surveys/{id}/send", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = SurveyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn send(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<SurveyView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        |s, id| Ok(s.send_survey(id)?),
        survey_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingForm {
    #[serde(default)]
    pub item: String,
    /// `very_satisfied` … `very_dissatisfied`.
    #[serde(default)]
    pub rating: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FormForm {
    /// Made by the client, so a retried request records one form.
    pub id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub ratings: Vec<RatingForm>,
    #[serde(default)]
    pub comments: String,
}

/// POST /v1/surveys/{id}/forms: the desk types in a household's paper form.
#[utoipa::path(post, path = "/v1/surveys/{id}/forms", tag = "office",
    params(("id" = String, Path)), request_body = FormForm,
    responses((status = 200, body = SurveyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn record_form(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<FormForm>,
) -> Result<Json<SurveyView>, AppError> {
    let ratings = form
        .ratings
        .into_iter()
        .map(|r| {
            Satisfaction::parse(&r.rating)
                .map(|rating| Rating {
                    item: r.item,
                    rating,
                })
                .ok_or_else(|| {
                    AppError::invalid(
                        "ratings",
                        "请为每项服务内容选择一个满意程度",
                        "rate every service item once",
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let draft = FormDraft {
        id: form.id,
        unit_id: form.unit_id,
        ratings,
        comments: form.comments,
        via: Via::Desk,
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.record_survey_form(id, &draft)?),
        survey_view,
    )
    .await
}

/// POST /v1/surveys/{id}/close: collection ends and the survey is counted.
#[utoipa::path(post, path = "/v1/surveys/{id}/close", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = SurveyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn close(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<SurveyView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        |s, id| Ok(s.close_survey(id)?),
        survey_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionForm {
    /// Made by the client, so a retried request assigns once.
    pub id: String,
    #[serde(default)]
    pub item: String,
    /// The staff id of the one who carries it out.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub measure: String,
}

/// POST /v1/surveys/{id}/actions: a head gives an item its owner and measure.
#[utoipa::path(post, path = "/v1/surveys/{id}/actions", tag = "office",
    params(("id" = String, Path)), request_body = ActionForm,
    responses((status = 200, body = SurveyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn assign_action(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Json<SurveyView>, AppError> {
    let draft = ActionDraft {
        id: form.id,
        item: form.item,
        owner: form.owner,
        measure: form.measure,
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.assign_survey_action(id, &draft)?),
        survey_view,
    )
    .await
}
