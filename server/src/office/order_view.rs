//! A work order as the office reads it: the whole record, its status or the
//! conflict phones left in it, the resident's sign-off with its validity,
//! and who changed it when on which device. Also the extensions waiting for
//! a decision across the signed-in person's estates.

use crate::extract::Path;
use axum::extract::State;
use axum::Json;
use rounds_core::documents::history::HistoryEntry;
use rounds_core::documents::lifecycle::{Current, Status};
use rounds_core::documents::work_order::{Extension, WorkOrder};
use rounds_core::labels::CONFLICT;
use rounds_core::store::Query as StoreQuery;
use rounds_core::time::{to_millis, Millis};
use rounds_core::RecordKind;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::office::acting::session;
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
use crate::state::AppState;

/// One side of a conflict: a status a phone reached that another disputes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictSide {
    pub to: String,
    pub by: String,
    pub device: String,
    pub at: Millis,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignOffView {
    /// unsigned, valid, changed or bad_signature.
    pub state: String,
    pub label_zh: String,
    pub label_en: String,
    pub resident_name: Option<String>,
    pub signed_at: Option<Millis>,
    /// Blob hash of the signature image: GET /v1/blobs/{hash}.
    pub signature_image: Option<String>,
    pub device_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    /// The whole record (rounds_core::documents::work_order::WorkOrder).
    #[schema(value_type = Object)]
    pub order: WorkOrder,
    /// The status name, or "conflict".
    pub status: String,
    pub status_zh: String,
    pub status_en: String,
    pub assignee: Option<String>,
    pub overdue: bool,
    pub conflict: Vec<ConflictSide>,
    pub signoff: SignOffView,
    /// Every change: who, when, on which device.
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<HistoryEntry>,
    /// The signed-in person may set its deadline now (a head, a head-set
    /// category not yet set): asked of core.
    pub may_set_deadline: bool,
}

fn signoff_view(order: &WorkOrder) -> SignOffView {
    let validity = order.signoff_validity();
    let label = validity.label();
    let last = order.signoffs.last();
    SignOffView {
        state: validity.code().into(),
        label_zh: label.zh.into(),
        label_en: label.en.into(),
        resident_name: last.map(|s| s.resident_name.reveal().clone()),
        signed_at: last.map(|s| s.signed_at),
        signature_image: last.map(|s| s.signature_image.clone()),
        device_id: last.map(|s| s.device_id.to_string()),
    }
}

pub fn view(
    order: WorkOrder,
    history: Vec<HistoryEntry>,
    may_set_deadline: bool,
    now: Millis,
) -> OrderView {
    let (status, status_zh, status_en, conflict) = match order.current() {
        Current::At(s) => {
            let label = s.label();
            (s.name(), label.zh, label.en, vec![])
        }
        Current::Conflict(tips) => (
            "conflict",
            CONFLICT.zh,
            CONFLICT.en,
            tips.into_iter()
                .map(|t| ConflictSide {
                    to: t.to.name().into(),
                    by: t.by,
                    device: t.device,
                    at: t.at,
                    reason: t.reason,
                })
                .collect(),
        ),
    };
    OrderView {
        status: status.into(),
        status_zh: status_zh.into(),
        status_en: status_en.into(),
        assignee: order.assignee(),
        overdue: order.is_overdue(now),
        conflict,
        signoff: signoff_view(&order),
        history,
        may_set_deadline,
        order,
    }
}

/// GET /v1/orders/{id}
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "supervisor", params(("id" = String, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn order(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, AppError> {
    let id = record_id(&id)?;
    let company = state.company();
    let now = state.now();
    let v = state
        .db(move |db| {
            let s = session(
                &mut *db,
                who.staff,
                &company.rules,
                &company.calendar,
                Some(now),
            );
            let order = s.order(&id)?;
            let may_set_deadline = s.may_set_deadline(&id)?;
            let mut doc = db.load(&id)?;
            let history = crate::office::lists::verified_history(db, &mut doc)?;
            Ok(view(order, history, may_set_deadline, to_millis(now)))
        })
        .await?;
    Ok(Json(v))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingExtension {
    pub order_id: String,
    pub title: String,
    pub unit_id: Option<String>,
    pub estate_id: String,
    pub current_due_at: Millis,
    #[schema(value_type = Object)]
    pub extension: Extension,
    /// Whether the signed-in person is senior enough to decide it.
    pub may_decide: bool,
}

/// GET /v1/extensions: extensions waiting for approval.
#[utoipa::path(get, path = "/v1/extensions", tag = "supervisor",
    responses((status = 200, body = Vec<PendingExtension>)))]
pub async fn pending_extensions(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<PendingExtension>>, AppError> {
    let company = state.company();
    let now = state.now();
    let list = state
        .db(move |db| {
            let rows = db.query(&StoreQuery {
                kind: Some(RecordKind::WorkOrder),
                estates: Some(who.staff.estates.clone()),
                open: Some(true),
                ..StoreQuery::default()
            })?;
            let role = who.staff.role;
            let s = session(
                &mut *db,
                who.staff,
                &company.rules,
                &company.calendar,
                Some(now),
            );
            let mut out = vec![];
            for row in rows
                .iter()
                .filter(|r| r.facts["pending_extensions"].as_u64().unwrap_or(0) > 0)
            {
                let order = s.order(&record_id(&row.id)?)?;
                for ext in order.extensions.iter().filter(|e| e.approved.is_none()) {
                    out.push(PendingExtension {
                        order_id: order.id.clone(),
                        title: row.title.clone(),
                        unit_id: row.unit_id.clone(),
                        estate_id: row.estate_id.clone(),
                        current_due_at: order.deadline.due_at,
                        may_decide: ext.may_be_decided_by(role),
                        extension: ext.clone(),
                    });
                }
            }
            out.sort_by_key(|p| p.extension.requested_at);
            Ok(out)
        })
        .await?;
    Ok(Json(list))
}
