//! What the office does to the revisit programme: records a phone revisit
//! (电话回访, the receptionist's job) with the resident's satisfaction,
//! which moves the order or complaint it follows in the same step; plans
//! home visits against the monthly quotas; draws the month's complaint
//! sample.

use axum::extract::State;
use axum::Json;
use rounds_core::documents::lifecycle::Status;
use rounds_core::documents::revisit::{Method, Outcome};
use rounds_core::rules::report::Satisfaction;
use rounds_core::time::Millis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use axum::http::StatusCode;
use rounds_core::places::Place;
use rounds_core::rules::month_window;
use rounds_core::session::FollowUp;
use rounds_core::time::to_millis;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::act;
use crate::office::form::Form;
use crate::office::lists::month_param;
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneRevisitForm {
    /// `very_satisfied`, `satisfied`, `neutral`, `dissatisfied` or
    /// `very_dissatisfied`.
    #[serde(default)]
    pub satisfaction: String,
    /// What the resident said; needed when they are not satisfied or their
    /// account differs from the department's.
    #[serde(default)]
    pub comments: String,
    /// The resident's account differs from the department's report.
    #[serde(default)]
    pub discrepancy: bool,
    /// A question not answered on the call: when the reply is promised.
    #[serde(default)]
    pub promised_reply_at: Option<Millis>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisitDone {
    pub id: String,
    pub status: String,
    /// The order or complaint revisited.
    pub subject_id: Option<String>,
}

/// POST /v1/revisits/{id}/phone: the desk records a phone revisit.
#[utoipa::path(post, path = "/v1/revisits/{id}/phone", tag = "reception",
    params(("id" = String, Path)), request_body = PhoneRevisitForm,
    responses((status = 200, body = RevisitDone), (status = 422, body = crate::openapi::ErrorJson),
        (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn record_phone(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<PhoneRevisitForm>,
) -> Result<Json<RevisitDone>, AppError> {
    let id = record_id(&id)?;
    let satisfaction: Satisfaction = serde_json::from_value(serde_json::Value::String(
        form.satisfaction.clone(),
    ))
    .map_err(|_| {
        AppError::invalid(
            "satisfaction",
            "请选择满意度",
            "choose how satisfied the resident is",
        )
    })?;
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(satisfaction),
        comments: form.comments.trim().to_owned(),
        discrepancy: form.discrepancy,
        promised_reply_at: form.promised_reply_at,
        ..Outcome::default()
    };
    let out = act(&state, who.staff, None, move |s| {
        s.record_revisit(&id, outcome, None)?;
        revisit_done(s, &id)
    })
    .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HomeVisitForm {
    /// Made by the client, so a retried request plans one visit.
    pub id: String,
    pub estate_id: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Who visits: someone of the estate with a monthly quota.
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub due_at: Option<Millis>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Planned {
    pub ids: Vec<String>,
}

/// POST /v1/revisits/home-visits: a home visit (家访) planned for someone
/// with a monthly in-person quota.
#[utoipa::path(post, path = "/v1/revisits/home-visits", tag = "supervisor",
    request_body = HomeVisitForm,
    responses((status = 201, body = Planned), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn plan_home_visit(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<HomeVisitForm>,
) -> Result<(StatusCode, Json<Planned>), AppError> {
    let id = record_id(&form.id)?;
    let unit = form
        .unit_id
        .filter(|u| !u.is_empty())
        .ok_or_else(|| AppError::invalid("unit_id", "请选择房号", "choose the unit to visit"))?;
    let due_at = form
        .due_at
        .ok_or_else(|| AppError::invalid("due_at", "请选择回访日期", "choose when to visit"))?;
    let estate = form.estate_id;
    let assignee = form.assignee;
    let ids = act(&state, who.staff, None, move |s| {
        let has_quota = role_in_estate(s, &estate, &assignee)?
            .is_some_and(|role| s.rules().quota_for(role) > 0);
        if !has_quota {
            return Err(AppError::invalid(
                "assignee",
                "请选择本小区有上门回访指标的人员",
                "choose someone of this estate with a home-visit quota",
            ));
        }
        let place = Place {
            estate_id: estate,
            unit_id: Some(unit),
            common_area_id: None,
            detail: String::new(),
        };
        let id = s.plan_home_visit(id, place, &assignee, due_at)?;
        Ok(vec![id.to_string()])
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Planned { ids })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SampleForm {
    pub estate_id: String,
    /// The month whose complaints are sampled ("2026-11").
    #[serde(default)]
    pub month: String,
}

/// POST /v1/revisits/complaint-sample: the month's sample of complaints
/// (10 %, a third of it in person), revisits due by the end of the month
/// after. Drawing it again plans nothing new and answers the same ids.
#[utoipa::path(post, path = "/v1/revisits/complaint-sample", tag = "supervisor",
    request_body = SampleForm,
    responses((status = 200, body = Planned), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn draw_complaint_sample(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<SampleForm>,
) -> Result<Json<Planned>, AppError> {
    let month = month_param(&form.month, "month")?;
    let (from, until) = month_window(month, &state.company().rules)?;
    let next = if month.1 == 12 {
        (month.0 + 1, 1)
    } else {
        (month.0, month.1 + 1)
    };
    let (_, due) = month_window(next, &state.company().rules)?;
    let estate = form.estate_id;
    let ids = act(&state, who.staff, None, move |s| {
        let planned =
            s.plan_complaint_sample(&estate, to_millis(from), to_millis(until), to_millis(due))?;
        Ok(planned.into_iter().map(|id| id.to_string()).collect())
    })
    .await?;
    Ok(Json(Planned { ids }))
}

#[derive(Debug, Deserialize)]
pub struct FollowUpFilter {
    pub estate: Option<String>,
}

/// GET /v1/revisits/follow-ups?estate=: what done revisits still ask of the
/// office (an administrator to send, a promised reply), most pressing first.
#[utoipa::path(get, path = "/v1/revisits/follow-ups", tag = "reception",
    params(("estate" = Option<String>, Query)),
    responses((status = 200, description = "rounds_core::session::FollowUp list", body = Object)))]
pub async fn follow_ups(
    State(state): State<AppState>,
    who: Authed,
    crate::extract::Query(f): crate::extract::Query<FollowUpFilter>,
) -> Result<Json<Vec<FollowUp>>, AppError> {
    if let Some(e) = &f.estate {
        crate::office::scope::own_estate(&who, e)?;
    }
    let company = state.company();
    let now = state.now();
    let list = state
        .db(move |db| {
            let s = crate::office::acting::session(
                &mut *db,
                who.staff,
                &company.rules,
                &company.calendar,
                Some(now),
            );
            Ok(s.revisit_follow_ups()?)
        })
        .await?;
    Ok(Json(
        list.into_iter()
            .filter(|u| f.estate.as_ref().is_none_or(|e| *e == u.revisit.estate_id))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyForm {
    #[serde(default)]
    pub text: String,
}

/// POST /v1/revisits/{id}/reply: the reply promised on the revisit was given.
#[utoipa::path(post, path = "/v1/revisits/{id}/reply", tag = "reception",
    params(("id" = String, Path)), request_body = ReplyForm,
    responses((status = 200, body = RevisitDone), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn reply(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Json<RevisitDone>, AppError> {
    crate::office::acting::step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.reply_to_revisit(id, &form.text)?),
        revisit_done,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdministratorForm {
    /// A property assistant (物业助理 / 管理员) of the estate.
    #[serde(default)]
    pub administrator: String,
}

/// POST /v1/revisits/{id}/send-administrator: the resident's account
/// differed from the department's; an administrator visits before today
/// ends. Answers the visit planned.
#[utoipa::path(post, path = "/v1/revisits/{id}/send-administrator", tag = "reception",
    params(("id" = String, Path)), request_body = AdministratorForm,
    responses((status = 200, body = Planned), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn send_administrator(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<AdministratorForm>,
) -> Result<Json<Planned>, AppError> {
    let id = record_id(&id)?;
    let ids = act(&state, who.staff, None, move |s| {
        let estate = s.revisit(&id)?.estate_id;
        let is_administrator = role_in_estate(s, &estate, &form.administrator)?
            .is_some_and(|role| role.administers_an_area());
        if !is_administrator {
            return Err(AppError::invalid(
                "administrator",
                "请选择本小区的物业助理(管理员)",
                "choose a property assistant (administrator) of this estate",
            ));
        }
        Ok(vec![s
            .send_administrator(&id, &form.administrator)?
            .to_string()])
    })
    .await?;
    Ok(Json(Planned { ids }))
}

/// The role `staff` works in on `estate`; none if they do not work there.
fn role_in_estate(
    s: &mut rounds_core::session::Session<&mut crate::state::Db>,
    estate: &str,
    staff: &str,
) -> Result<Option<rounds_core::people::Role>, AppError> {
    Ok(s.store_mut()
        .staff_of_estate(estate)?
        .into_iter()
        .find(|(id, _)| id == staff)
        .map(|(_, role)| role))
}

fn revisit_done(
    s: &rounds_core::session::Session<&mut crate::state::Db>,
    id: &rounds_core::RecordId,
) -> Result<RevisitDone, AppError> {
    let r = s.revisit(id)?;
    Ok(RevisitDone {
        id: id.to_string(),
        status: r.status().map_or("conflict", |st| st.name()).into(),
        subject_id: r.subject_id,
    })
}
