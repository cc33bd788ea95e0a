//! The office side of residents' keys in custody (客户托管钥匙): a key as the
//! signed-in person may see it (names and ID numbers only for those who see
//! residents' data), a key taken into custody at the desk, its weekly check,
//! lending against an ID and the return, and the key handed back. Each use
//! is signed on the two people's own phones, never here: the office sees
//! where each use stands. What a person may do is asked of core.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::key_custody::{
    KeyCustody, KeyCustodyDoc, KeyDeposit, LoanRequest, Side, SignStep,
};
use rounds_core::places::Place;
use rounds_core::session::Session;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::{act, read_as, step_on};
use crate::office::form::Form;
use crate::office::scope::{own_estate, record_id};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

/// Where one use stands, with who signed each step for each side.
#[derive(Debug, Serialize, ToSchema)]
pub struct UseView {
    pub id: String,
    /// `requested`, `approved`, `opened`, `resealed`.
    pub status: &'static str,
    /// Staff ids of the valid signatures, by step and side
    /// (`approve.property`), absent where nobody has signed validly.
    #[schema(value_type = Object)]
    pub signed_by: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    /// The whole record as this person may see it
    /// (rounds_core::documents::key_custody::KeyCustody).
    #[schema(value_type = Object)]
    pub key: KeyCustody,
    /// `in_custody`, `in_use`, `lent`, `handed_back`.
    pub status: &'static str,
    pub check_due_at: i64,
    pub current_seal: String,
    pub uses: Vec<UseView>,
    /// Whether residents' names and ID numbers are shown to this person.
    pub personal_shown: bool,
    pub may_check: bool,
    pub may_lend: bool,
    pub may_hand_back: bool,
}

fn key_view(s: &Session<&mut Db>, id: &rounds_core::RecordId) -> Result<KeyView, AppError> {
    let key = s.key_custody(id)?;
    let uses = key
        .uses
        .iter()
        .map(|u| {
            let mut signed_by = serde_json::Map::new();
            for step in SignStep::ALL {
                let mut sides = serde_json::Map::new();
                for side in Side::ALL {
                    if let Some(sig) = key.signature(&u.id, step, side) {
                        sides.insert(side.as_str().into(), sig.staff_id.clone().into());
                    }
                }
                signed_by.insert(step.as_str().into(), sides.into());
            }
            UseView {
                id: u.id.clone(),
                status: key.use_status(&u.id).name(),
                signed_by: signed_by.into(),
            }
        })
        .collect();
    let role = s.staff().role;
    let open = key.status() != rounds_core::documents::key_custody::KeyStatus::HandedBack;
    Ok(KeyView {
        status: key.status().name(),
        check_due_at: key.check_due_at(),
        current_seal: key.current_seal().to_owned(),
        uses,
        personal_shown: role.sees_residents(),
        may_check: open && KeyCustodyDoc::may_keep(role),
        may_lend: s.allows(id, |k: &mut KeyCustodyDoc, who| {
            k.lend(
                &LoanRequest {
                    id: "probe".into(),
                    borrower: "-".into(),
                    id_document: "-".into(),
                    id_number: "-".into(),
                },
                who,
            )
        })?,
        may_hand_back: s.allows(id, |k: &mut KeyCustodyDoc, who| k.hand_back(who))?,
        key,
    })
}

/// GET /v1/keys/{id}
#[utoipa::path(get, path = "/v1/keys/{id}", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = KeyView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn key(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<KeyView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(read_as(&state, who, move |s| key_view(s, &id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DepositForm {
    /// Made by the client, so a retried request registers once.
    pub id: String,
    pub estate_id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub resident_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seal_no: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Deposited {
    pub id: String,
}

/// POST /v1/keys: a resident's key taken into custody and sealed.
#[utoipa::path(post, path = "/v1/keys", tag = "office", request_body = DepositForm,
    responses((status = 201, body = Deposited), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn deposit(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<DepositForm>,
) -> Result<(StatusCode, Json<Deposited>), AppError> {
    let estate_id = own_estate(&who, &form.estate_id)?;
    let draft = KeyDeposit {
        id: record_id(&form.id)?,
        place: Place {
            estate_id,
            unit_id: Some(form.unit_id).filter(|u| !u.trim().is_empty()),
            common_area_id: None,
            detail: String::new(),
        },
        resident_name: form.resident_name,
        description: form.description,
        seal_no: form.seal_no,
    };
    let id = act(&state, who.staff, None, move |s| Ok(s.deposit_key(&draft)?)).await?;
    Ok((StatusCode::CREATED, Json(Deposited { id: id.to_string() })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckForm {
    /// Made by the client, so a retried request checks once.
    pub check_id: String,
    pub present: bool,
    pub seal_intact: bool,
    #[serde(default)]
    pub note: String,
}

/// POST /v1/keys/{id}/checks: the weekly check against the register.
#[utoipa::path(post, path = "/v1/keys/{id}/checks", tag = "office",
    params(("id" = String, Path)), request_body = CheckForm,
    responses((status = 200, body = KeyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn check(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<CheckForm>,
) -> Result<Json<KeyView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| {
            Ok(s.check_key(
                id,
                &form.check_id,
                form.present,
                form.seal_intact,
                &form.note,
            )?)
        },
        key_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoanForm {
    /// Made by the client, so a retried request lends once.
    pub loan_id: String,
    #[serde(default)]
    pub borrower: String,
    #[serde(default)]
    pub id_document: String,
    #[serde(default)]
    pub id_number: String,
}

/// POST /v1/keys/{id}/loans: the key lent against an ID (身份证一片钥匙).
#[utoipa::path(post, path = "/v1/keys/{id}/loans", tag = "office",
    params(("id" = String, Path)), request_body = LoanForm,
    responses((status = 200, body = KeyView), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn lend(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<LoanForm>,
) -> Result<Json<KeyView>, AppError> {
    let loan = LoanRequest {
        id: form.loan_id,
        borrower: form.borrower,
        id_document: form.id_document,
        id_number: form.id_number,
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.lend_key(id, &loan)?),
        key_view,
    )
    .await
}

/// POST /v1/keys/{id}/loans/{loan}/return: the lent key is back.
#[utoipa::path(post, path = "/v1/keys/{id}/loans/{loan}/return", tag = "office",
    params(("id" = String, Path), ("loan" = String, Path)),
    responses((status = 200, body = KeyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn returned(
    State(state): State<AppState>,
    who: Authed,
    Path((id, loan)): Path<(String, String)>,
) -> Result<Json<KeyView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.key_returned(id, &loan)?),
        key_view,
    )
    .await
}

/// POST /v1/keys/{id}/hand-back: the key goes back to the resident.
#[utoipa::path(post, path = "/v1/keys/{id}/hand-back", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = KeyView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn hand_back(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<KeyView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.hand_back_key(id)?),
        key_view,
    )
    .await
}
