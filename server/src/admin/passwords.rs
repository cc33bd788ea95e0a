//! Passwords: anyone changes their own (the current one required), a
//! director resets someone's to a temporary one shown once, and whoever
//! holds a temporary one must set their own before they may sign in
//! (`POST /v1/password`, without a token: the sign-in refused them one).

use axum::extract::State;
use axum::Json;
use rounds_core::admin::{AuditAction, MIN_PASSWORD_CHARS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::director;
use crate::db::admin::{AccountChange, AuditEntry};
use crate::error::AppError;
use crate::extract::{ClientAddr, Path};
use crate::office::form::Form;
use crate::phone::auth::{check_password, hash_password, sessions_may_have_ended, Authed};
use crate::state::AppState;

/// Refuses a password too short to keep (the same rule as `init`).
pub fn check_new_password(field: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            field,
            format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符"),
            format!("the password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A password to read out or copy once: no look-alike characters.
pub fn temporary_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// argon2, off the async threads.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    /// Only for `POST /v1/password` (no token).
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

/// Checks the current password and sets the new one; the person's own
/// change, recorded as theirs.
async fn change(
    state: &AppState,
    address: Option<std::net::IpAddr>,
    username: &str,
    form: PasswordChange,
) -> Result<(), AppError> {
    if form.current_password.is_empty() {
        return Err(AppError::invalid(
            "current_password",
            "请输入当前密码",
            "enter your current password",
        ));
    }
    check_new_password("new_password", &form.new_password)?;
    if form.new_password == form.current_password {
        return Err(AppError::invalid(
            "new_password",
            "新密码不能与当前密码相同",
            "the new password must differ from the current one",
        ));
    }
    let verified = check_password(state, address, username, form.current_password)
        .await
        .map_err(|e| match e {
            // Beside the field, not a sign-out: the page stays as it is.
            AppError::BadLogin => AppError::invalid(
                "current_password",
                "当前密码不对",
                "the current password is wrong",
            ),
            other => other,
        })?;
    let password_hash = hash(form.new_password).await?;
    let audit = AuditEntry::new(
        &verified.staff_id,
        AuditAction::PasswordChanged,
        &verified.staff_id,
        serde_json::json!({
            "username": username,
            "after_reset": verified.must_change_password,
        }),
    );
    let change = AccountChange::Password {
        staff_id: verified.staff_id,
        password_hash,
        must_change_password: false,
    };
    state.db(move |db| db.apply(&change, &audit)).await?;
    Ok(())
}

/// POST /v1/password: sets a new password with the current (or temporary)
/// one, without signing in; how someone refused with
/// `password_change_required` goes on, on the console or a phone.
#[utoipa::path(post, path = "/v1/password", tag = "admin", request_body = PasswordChange,
    responses((status = 200, description = "changed: sign in with the new password"),
        (status = 401, description = "account_disabled", body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson),
        (status = 429, body = crate::openapi::ErrorJson)))]
pub async fn set_new(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    Form(form): Form<PasswordChange>,
) -> Result<Json<serde_json::Value>, AppError> {
    let username = form.username.trim().to_owned();
    if username.is_empty() {
        return Err(AppError::invalid(
            "username",
            "请输入用户名",
            "enter your username",
        ));
    }
    change(&state, address, &username, form).await?;
    Ok(Json(serde_json::json!({ "changed": true })))
}

/// POST /v1/me/password: the signed-in person changes their own password.
#[utoipa::path(post, path = "/v1/me/password", tag = "admin", request_body = PasswordChange,
    responses((status = 200, description = "changed"), (status = 422, body = crate::openapi::ErrorJson),
        (status = 429, body = crate::openapi::ErrorJson)))]
pub async fn change_own(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    who: Authed,
    Form(form): Form<PasswordChange>,
) -> Result<Json<serde_json::Value>, AppError> {
    let id = who.staff.id.clone();
    let username = state
        .db(move |db| Ok(db.accounts()?.into_iter().find(|a| a.id == id)))
        .await?
        .ok_or(AppError::Unauthenticated)?
        .username;
    change(&state, address, &username, form).await?;
    Ok(Json(serde_json::json!({ "changed": true })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemporaryPassword {
    /// Shown once: hand it to the person, who must set their own at sign-in.
    pub temporary_password: String,
}

/// POST /v1/admin/staff/{id}/reset-password: a director gives someone a
/// temporary password; every session of theirs ends, and they set their own
/// at the next sign-in.
#[utoipa::path(post, path = "/v1/admin/staff/{id}/reset-password", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = TemporaryPassword), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn reset(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<TemporaryPassword>, AppError> {
    director(&who)?;
    let temporary = temporary_password()?;
    let password_hash = hash(temporary.clone()).await?;
    let ended = state
        .db(move |db| {
            let target = db
                .accounts()?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| AppError::NotFound(id.clone()))?;
            let audit = AuditEntry::new(
                &who.staff.id,
                AuditAction::PasswordReset,
                &id,
                serde_json::json!({ "username": target.username, "name": target.name }),
            );
            let change = AccountChange::Password {
                staff_id: id,
                password_hash,
                must_change_password: true,
            };
            db.apply(&change, &audit)
        })
        .await?;
    sessions_may_have_ended(&state, &ended);
    Ok(Json(TemporaryPassword {
        temporary_password: temporary,
    }))
}
