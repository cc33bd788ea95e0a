//! GET /v1/admin/audit: every administrative change, newest first, a page at
//! a time. The words for each action are in `GET /v1/labels`. Changes made
//! through a session (estates, checklists, the company's rules) are
//! recorded by [`record`] in the same step.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use rounds_core::admin::AuditAction;
use rounds_core::session::Session;

use crate::admin::director;
use crate::db::admin::{AuditEntry, AuditRow};
use crate::error::AppError;
use crate::extract::Query;
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

/// Records an administrative change made through `s`, as its person, in the
/// session's step: on PostgreSQL in the same transaction as the change.
/// `detail` names what changed, never a resident's personal data.
pub fn record(
    s: &mut Session<&mut Db>,
    action: AuditAction,
    target: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let entry = AuditEntry::new(&s.staff().id, action, target, detail);
    s.store_mut().record_audit(&entry)
}

const PAGE: i64 = 50;
const MAX_PAGE: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditPage {
    /// Rows older than this id (the last page's `next_before`).
    pub before: Option<i64>,
    /// Rows per page: 50 unless asked, at most 200.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLog {
    pub entries: Vec<AuditRow>,
    /// Ask with `before=` this for the next (older) page; null on the last.
    pub next_before: Option<i64>,
}

/// GET /v1/admin/audit
#[utoipa::path(get, path = "/v1/admin/audit", tag = "admin", params(AuditPage),
    responses((status = 200, body = AuditLog), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn audit_log(
    State(state): State<AppState>,
    who: Authed,
    Query(page): Query<AuditPage>,
) -> Result<Json<AuditLog>, AppError> {
    director(&who)?;
    let limit = page.limit.unwrap_or(PAGE).clamp(1, MAX_PAGE);
    // One more than asked tells whether another page follows.
    let mut entries = state
        .db(move |db| db.audit_log(page.before, limit + 1))
        .await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    Ok(Json(AuditLog {
        next_before: if more {
            entries.last().map(|e| e.id)
        } else {
            None
        },
        entries,
    }))
}
