//! Signing in from the office console. A browser is a device like a phone:
//! the same accounts, the same estate scoping and the same bearer token,
//! which the page keeps in sessionStorage (gone when the tab closes). Signing
//! out revokes that browser's device, so a copied token stops working and
//! an event stream opened with it ends.

use axum::extract::State;
use axum::Json;
use rounds_core::DeviceId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::office::directory::Me;
use crate::office::form::Form;
use crate::phone::auth::{check_password, new_token, Authed};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsoleLogin {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleSession {
    pub token: String,
    pub staff: Me,
}

/// POST /v1/console/login
#[utoipa::path(post, path = "/v1/console/login", tag = "console", request_body = ConsoleLogin,
    responses((status = 200, body = ConsoleSession),
        (status = 401, description = "bad_login, account_disabled, or password_change_required (set a new one with POST /v1/password)", body = crate::openapi::ErrorJson), (status = 422, body = crate::openapi::ErrorJson),
        (status = 429, description = "too many failed attempts; Retry-After says when to try again", body = crate::openapi::ErrorJson)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    Form(form): Form<ConsoleLogin>,
) -> Result<Json<ConsoleSession>, AppError> {
    if form.username.trim().is_empty() {
        return Err(AppError::invalid(
            "username",
            "请输入用户名",
            "enter your username",
        ));
    }
    if form.password.is_empty() {
        return Err(AppError::invalid(
            "password",
            "请输入密码",
            "enter your password",
        ));
    }
    let staff_id = check_password(&state, address, form.username.trim(), form.password)
        .await?
        .may_sign_in()?;
    let token = new_token()?;
    let t = token.clone();
    let staff = state
        .db(move |db| {
            // A browser signs nothing, so it has no signing key.
            db.sign_in(
                &staff_id,
                DeviceId::new(),
                "网页控制台 / office console",
                "",
                &t,
            )
        })
        .await?;
    tracing::info!(staff = %staff.id, "signed in to the console");
    Ok(Json(ConsoleSession {
        token,
        staff: Me::of(&staff),
    }))
}

/// POST /v1/console/logout
#[utoipa::path(post, path = "/v1/console/logout", tag = "console",
    responses((status = 200, description = "signed out"), (status = 401, body = crate::openapi::ErrorJson)))]
pub async fn logout(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<serde_json::Value>, AppError> {
    let device = who.device.to_string();
    state.db(move |db| db.revoke(&device)).await?;
    // Its open event stream closes now (other processes hear of it through
    // the database).
    let _ = state.revoked.send(who.device);
    Ok(Json(serde_json::json!({ "signed_out": true })))
}
