//! What the desk does to a revisit: records a phone revisit (电话回访), the
//! receptionist's job, with the resident's satisfaction. Recording it moves
//! the order or complaint it follows, in the same step.

use axum::extract::State;
use axum::Json;
use rounds_core::documents::lifecycle::Status;
use rounds_core::documents::revisit::{Method, Outcome};
use rounds_core::rules::report::Satisfaction;
use rounds_core::time::Millis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::acting::act;
use crate::auth::Authed;
use crate::error::AppError;
use crate::extract::Path;
use crate::form::Form;
use crate::order_actions::record_id;
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
        let r = s.revisit(&id)?;
        Ok(RevisitDone {
            id: id.to_string(),
            status: r.status().map_or("conflict", |st| st.name()).into(),
            subject_id: r.subject_id,
        })
    })
    .await?;
    Ok(Json(out))
}
