//! The director's page on the company's rules and calendar: read what is in
//! force, change settings (checked as a rules file is, the refusal naming
//! the setting so the page shows it beside its field), replace the calendar
//! whole. What is saved is the company's rules document, which every phone
//! receives by sync; the server applies it from the next request on.

use axum::extract::State;
use axum::Json;
use chrono::Datelike;
use rounds_core::documents::company::CompanyRules;
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::rules::price_list;
use rounds_core::rules::{calendar_status, local_date, RulesConfig, RulesError, WorkCalendar};
use rounds_core::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::admin::audit;
use crate::error::AppError;
use crate::office::acting::act;
use crate::office::form::Form;
use crate::phone::auth::Authed;
use crate::state::AppState;
use rounds_core::admin::AuditAction;

/// The rules and calendar in force, as the page shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyRulesView {
    /// Every setting by the names of `RulesConfig`'s fields (the labels of
    /// the dotted names are `settings` in `GET /v1/labels`).
    #[schema(value_type = Object)]
    pub rules: Value,
    /// The calendar in the format of `core/data/calendar-cn.json`.
    #[schema(value_type = Object)]
    pub calendar: Value,
    pub calendar_years: Vec<i32>,
    pub provisional_years: Vec<i32>,
    /// Why the calendar may be behind today's year, in both languages.
    pub calendar_behind_zh: Option<String>,
    pub calendar_behind_en: Option<String>,
    /// Whether the signed-in person may change them (a director).
    pub may_edit: bool,
}

/// Settings to change, by the names of the rules file; the others stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RulesChange {
    #[schema(value_type = Object)]
    pub rules: Value,
}

fn view(state: &AppState, who: &Authed) -> Result<CompanyRulesView, AppError> {
    let company = state.company();
    let today = local_date(state.now(), company.rules.time_zone);
    let status = calendar_status(&company.calendar, today, None);
    let rules =
        serde_json::to_value(&company.rules).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(CompanyRulesView {
        rules,
        calendar: company.calendar.to_json(),
        calendar_years: status.years,
        provisional_years: status.provisional_years,
        calendar_behind_zh: status.behind.as_ref().map(|b| b.zh.clone()),
        calendar_behind_en: status.behind.map(|b| b.en),
        may_edit: who.staff.role == Role::Director,
    })
}

fn director(who: &Authed) -> Result<(), AppError> {
    if who.staff.role == Role::Director {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "只有主任可以修改公司规则",
            "only the director changes the company's rules",
        ))
    }
}

/// A refusal of rules data, beside the setting it names (or `field`).
fn refused(e: &RulesError, field: &str) -> AppError {
    AppError::Refused {
        code: ErrorCode::Invalid,
        message: e.message(),
        field: Some(e.setting().unwrap_or_else(|| field.into())),
    }
}

/// `change` written over `base`, key by key: settings left out keep theirs.
fn overlay(base: &mut Value, change: &Value) {
    match (base, change) {
        (Value::Object(base), Value::Object(change)) => {
            for (key, value) in change {
                match base.get_mut(key) {
                    Some(old) if value.is_object() => overlay(old, value),
                    _ => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, change) => *base = change.clone(),
    }
}

/// Saves the rules and calendar, and records the change when there was one.
async fn save(
    state: &AppState,
    who: &Authed,
    company: CompanyRules,
    action: AuditAction,
) -> Result<(), AppError> {
    act(state, who.staff.clone(), None, move |s| {
        if s.set_company_rules(&company)? {
            audit::record(s, action, "company", serde_json::json!({}))?;
        }
        Ok(())
    })
    .await
}

/// GET /v1/company/rules
#[utoipa::path(get, path = "/v1/company/rules", tag = "office",
    responses((status = 200, body = CompanyRulesView), (status = 401, body = crate::openapi::ErrorJson)))]
pub async fn rules(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<CompanyRulesView>, AppError> {
    Ok(Json(view(&state, &who)?))
}

/// PUT /v1/company/rules: the director changes settings; nothing is saved
/// when one is refused.
#[utoipa::path(put, path = "/v1/company/rules", tag = "office", request_body = RulesChange,
    responses((status = 200, body = CompanyRulesView),
        (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, description = "a setting refused; `field` names it (`repairs.standard_working_days`)", body = crate::openapi::ErrorJson)))]
pub async fn change_rules(
    State(state): State<AppState>,
    who: Authed,
    Form(change): Form<RulesChange>,
) -> Result<Json<CompanyRulesView>, AppError> {
    director(&who)?;
    let now = state.company();
    let mut rules =
        serde_json::to_value(&now.rules).map_err(|e| AppError::Internal(e.to_string()))?;
    overlay(&mut rules, &change.rules);
    let rules = RulesConfig::from_value(&rules).map_err(|e| refused(&e, "rules"))?;
    // Asked before saving, so the refusal names the item it is about.
    price_list::change_refused(&now.rules.price_list, &rules.price_list)
        .map_err(|e| refused(&e, "rules"))?;
    let company = CompanyRules {
        rules,
        calendar: now.calendar.clone(),
    };
    save(&state, &who, company, AuditAction::RulesChanged).await?;
    Ok(Json(view(&state, &who)?))
}

/// PUT /v1/company/calendar: the director replaces the calendar whole.
#[utoipa::path(put, path = "/v1/company/calendar", tag = "office",
    request_body(content = Object, description = "a calendar in the format of core/data/calendar-cn.json"),
    responses((status = 200, body = CompanyRulesView),
        (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, description = "the calendar refused, `field` = calendar", body = crate::openapi::ErrorJson)))]
pub async fn replace_calendar(
    State(state): State<AppState>,
    who: Authed,
    Form(calendar): Form<Value>,
) -> Result<Json<CompanyRulesView>, AppError> {
    director(&who)?;
    let calendar =
        WorkCalendar::from_json(&calendar.to_string()).map_err(|e| refused(&e, "calendar"))?;
    // A calendar that leaves out this year would count plain weekends today.
    let today = local_date(state.now(), state.company().rules.time_zone);
    if !calendar.covers(today) {
        let year = today.year();
        return Err(AppError::invalid(
            "calendar",
            format!("日历须包含今年({year}年)"),
            format!("the calendar must cover this year ({year})"),
        ));
    }
    let company = CompanyRules {
        rules: state.company().rules.clone(),
        calendar,
    };
    save(&state, &who, company, AuditAction::CalendarReplaced).await?;
    Ok(Json(view(&state, &who)?))
}
