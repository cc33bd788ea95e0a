//! Sign-in, device tokens and their revocation. [`Authed`] is an extractor:
//! a handler that takes it cannot run for a caller without a live token.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use rounds_core::sync::{LoginRequest, LoginResponse};
use rounds_core::{DeviceId, Staff};

use crate::error::AppError;
use crate::state::AppState;

/// The signed-in device and its user.
#[derive(Debug, Clone)]
pub struct Authed {
    pub device: DeviceId,
    pub staff: Staff,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthenticated)?
            .trim()
            .to_owned();
        let login = state.db(move |db| db.authenticate(&token)).await?;
        Ok(Authed {
            device: login.device,
            staff: login.staff,
        })
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

pub(crate) fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// POST /v1/login
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoginResponse>, AppError> {
    let Json(req) = body?;
    let username = req.username.clone();
    let found = state.db(move |db| db.password_of(&username)).await?;
    // Verify off the async threads: argon2 is deliberately slow.
    let password = req.password.clone();
    let staff_id = tokio::task::spawn_blocking(move || match found {
        Some((id, hash)) if password_matches(&password, &hash) => Ok(id),
        _ => Err(AppError::BadLogin),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let token = new_token()?;
    let t = token.clone();
    let staff = state
        .db(move |db| {
            db.sign_in(
                &staff_id,
                req.device_id,
                &req.device_name,
                &req.device_public_key,
                &t,
            )
        })
        .await?;
    tracing::info!(staff = %staff.id, "signed in");
    Ok(Json(LoginResponse { token, staff }))
}

/// POST /v1/devices/{id}/revoke: a supervisor or director stops a lost or
/// misused phone; its token fails from the next request on.
pub async fn revoke(
    State(state): State<AppState>,
    who: Authed,
    Path(device): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    if !who.staff.role.is_head() {
        return Err(AppError::Forbidden(
            "只有主管或主任可以停用设备 / only a supervisor or director may revoke a device".into(),
        ));
    }
    let d = device.clone();
    let revoked = DeviceId::parse(&device).ok();
    state
        .db(move |db| {
            let owner = db
                .device_owner(&d)?
                .ok_or_else(|| AppError::NotFound(d.clone()))?;
            if !owner.estates.iter().any(|e| who.staff.works_on(e)) {
                return Err(AppError::Forbidden(
                    "该设备不属于您的小区 / the device's user works on none of your estates".into(),
                ));
            }
            db.revoke(&d)
        })
        .await?;
    tracing::warn!(device = %device, "device revoked");
    // Its open event stream closes now (other processes hear it through the database).
    if let Some(d) = revoked {
        let _ = state.revoked.send(d);
    }
    Ok(Json(serde_json::json!({ "revoked": device })))
}
