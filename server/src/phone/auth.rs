//! Sign-in, device tokens and their revocation. [`Authed`] is an extractor:
//! a handler that takes it cannot run for a caller without a live token.
//!
//! Both sign-in routes check the password through [`check_password`]: the
//! back-off of [`crate::phone::login_throttle`] first, then argon2 against the
//! stored hash, or against a dummy hash for an unknown username, so an
//! unknown username takes as long to refuse as a wrong password.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::Json;
use rounds_core::sync::{LoginRequest, LoginResponse};
use rounds_core::{DeviceId, Staff};

use crate::db::admin::{AccountChange, AuditEntry};
use crate::error::AppError;
use crate::extract::{ClientAddr, Path};
use crate::phone::login_throttle::{Clock, LoginLimits, LoginThrottle};
use crate::state::AppState;
use rounds_core::admin::{self, AuditAction};

/// The signed-in device and its user.
#[derive(Debug, Clone)]
pub struct Authed {
    pub device: DeviceId,
    pub staff: Staff,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer_token(&parts.headers)?;
        let login = state.db(move |db| db.authenticate(&token)).await?;
        Ok(Authed {
            device: login.device,
            staff: login.staff,
        })
    }
}

/// The bearer token a request carries.
pub fn bearer_token(headers: &HeaderMap) -> Result<String, AppError> {
    Ok(headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthenticated)?
        .trim()
        .to_owned())
}

/// Sign-in back-off and the dummy hash unknown usernames are checked against.
pub struct Logins {
    pub throttle: LoginThrottle,
    /// The hash of a random password, made once at start-up.
    dummy_hash: String,
    /// argon2 verifications run, for tests that an unknown username costs one.
    verifications: AtomicU64,
}

impl Logins {
    pub fn new(limits: LoginLimits, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        let mut random = [0u8; 24];
        getrandom::fill(&mut random).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(Logins {
            throttle: LoginThrottle::new(limits, clock),
            dummy_hash: hash_password(&hex::encode(random))?,
            verifications: AtomicU64::new(0),
        })
    }

    /// Fresh counts timed by `clock`, keeping the dummy hash.
    pub fn with_clock(&self, limits: LoginLimits, clock: Arc<dyn Clock>) -> Self {
        Logins {
            throttle: LoginThrottle::new(limits, clock),
            dummy_hash: self.dummy_hash.clone(),
            verifications: AtomicU64::new(self.verifications()),
        }
    }

    /// How many argon2 verifications this server has run.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::SeqCst)
    }

    /// The staff id when `password` is theirs. Always one argon2
    /// verification, of the dummy hash when the username is unknown.
    fn verify(&self, found: Option<(String, String)>, password: &str) -> Option<String> {
        let (id, hash) = match found {
            Some((id, hash)) => (Some(id), hash),
            None => (None, self.dummy_hash.clone()),
        };
        let parsed = PasswordHash::new(&hash).ok()?;
        self.verifications.fetch_add(1, Ordering::SeqCst);
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        id.filter(|_| matches)
    }
}

/// Whose password was checked, and whether they must set a new one before
/// they may sign in.
#[derive(Debug, Clone)]
pub struct Verified {
    pub staff_id: String,
    pub must_change_password: bool,
}

impl Verified {
    /// The staff id, for a sign-in: refused while a new password is owed.
    pub fn may_sign_in(self) -> Result<String, AppError> {
        if self.must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(self.staff_id)
    }
}

/// A username and password as both sign-in routes and the password change
/// check them: refused at once while the username or the address is locked
/// after failures (even with the right password), otherwise verified off
/// the async threads. A disabled account is refused after the password
/// checks, so its state is told only to whoever knows the password.
pub async fn check_password(
    state: &AppState,
    address: Option<IpAddr>,
    username: &str,
    password: String,
) -> Result<Verified, AppError> {
    let logins = state.logins.clone();
    let attempt = logins.throttle.begin(username, address).map_err(|locked| {
        tracing::warn!(username, ?address, "sign-in locked after repeated failures");
        AppError::TooManyAttempts {
            retry_after_secs: locked.retry_after_secs(),
        }
    })?;
    let u = username.to_owned();
    let found = state.db(move |db| db.password_of(&u)).await?;
    // argon2 is deliberately slow: off the async threads.
    let checker = logins.clone();
    let staff_id = tokio::task::spawn_blocking(move || checker.verify(found, &password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    match staff_id {
        Some(id) => {
            attempt.succeeded();
            let i = id.clone();
            let (disabled, must_change_password) = state
                .db(move |db| db.standing(&i))
                .await?
                .ok_or(AppError::BadLogin)?;
            if disabled {
                tracing::info!(username, "sign-in of a disabled account refused");
                return Err(AppError::AccountDisabled);
            }
            Ok(Verified {
                staff_id: id,
                must_change_password,
            })
        }
        None => {
            attempt.failed();
            tracing::info!(username, ?address, "wrong username or password");
            Err(AppError::BadLogin)
        }
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

pub(crate) fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// POST /v1/login
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoginResponse>, AppError> {
    let Json(req) = body?;
    let staff_id = check_password(&state, address, &req.username, req.password.clone())
        .await?
        .may_sign_in()?;
    let device = req.device_id;
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
    // The device's earlier token no longer works: its event stream closes
    // (other processes hear of it through the database).
    let _ = state.revoked.send(device);
    Ok(Json(LoginResponse { token, staff }))
}

/// POST /v1/devices/{id}/revoke: a supervisor or director stops a lost or
/// misused phone; its token fails from the next request on.
pub async fn revoke(
    State(state): State<AppState>,
    who: Authed,
    Path(device): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    if !admin::oversees_staff(who.staff.role) {
        return Err(AppError::forbidden(
            "只有主管或主任可以停用设备",
            "only a supervisor or director may revoke a device",
        ));
    }
    let d = device.clone();
    let ended = state
        .db(move |db| {
            let owner = db
                .device_owner(&d)?
                .ok_or_else(|| AppError::NotFound(d.clone()))?;
            // A director oversees everyone, even staff not yet given estates.
            let overseen = admin::manages_accounts(who.staff.role)
                || owner.estates.iter().any(|e| who.staff.works_on(e));
            if !overseen {
                return Err(AppError::forbidden(
                    "该设备不属于您的小区",
                    "the device's user works on none of your estates",
                ));
            }
            let audit = AuditEntry::new(
                &who.staff.id,
                AuditAction::DeviceRevoked,
                &d,
                serde_json::json!({ "owner": owner.id, "owner_name": owner.name }),
            );
            db.apply(&AccountChange::Revoke { device: d.clone() }, &audit)
        })
        .await?;
    tracing::warn!(device = %device, "device revoked");
    // Its open event stream closes now (other processes hear it through the database).
    sessions_may_have_ended(&state, &ended);
    Ok(Json(serde_json::json!({ "revoked": device })))
}

/// Tells this process's event streams of these devices to check their
/// token again (other processes hear it through the database).
pub fn sessions_may_have_ended(state: &AppState, devices: &[String]) {
    for d in devices {
        if let Ok(d) = DeviceId::parse(d) {
            // No one listening is fine.
            let _ = state.revoked.send(d);
        }
    }
}
