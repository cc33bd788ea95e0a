//! The supervisor's complaint board: every open complaint with its clocks
//! (relay, dispatch, answer, report back, revisit, resolve) and the stage the
//! office should treat it at, from `rules::complaint_clock`.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use rounds_core::documents::complaint::Complaint;
use rounds_core::documents::lifecycle::Status;
use rounds_core::rules::{complaint_clocks, escalation_stage, RulesConfig, WorkCalendar};
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockView {
    /// relay_to_front_desk, dispatch, department_answer, report_back, revisit, resolve, …
    pub kind: String,
    pub due_at: Millis,
    pub done_at: Option<Millis>,
    /// met, pending or breached.
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintOnBoard {
    pub id: String,
    pub estate_id: String,
    pub unit_id: Option<String>,
    pub subject: String,
    pub content: String,
    pub received_at: Millis,
    pub due_at: Millis,
    pub status: String,
    pub first_contact: String,
    pub department: Option<String>,
    pub valid: Option<bool>,
    pub emergency: bool,
    /// normal, due_soon, overdue or escalated.
    pub stage: String,
    pub clocks: Vec<ClockView>,
}

/// The complaint with its clocks and stage at `now`.
pub fn on_board(
    c: Complaint,
    now: DateTime<Utc>,
    cfg: &RulesConfig,
    calendar: &WorkCalendar,
) -> ComplaintOnBoard {
    let clocks = complaint_clocks(&c.clock_times(), now, cfg, calendar);
    let stage = escalation_stage(&clocks, c.emergency, now, cfg);
    ComplaintOnBoard {
        stage: stage.as_str().into(),
        clocks: clocks
            .iter()
            .map(|k| ClockView {
                kind: k.kind.as_str().into(),
                due_at: to_millis(k.due_at),
                done_at: k.done_at.map(to_millis),
                state: k.state.name().into(),
            })
            .collect(),
        status: c.status().map_or("conflict", |s| s.name()).into(),
        department: c.department(),
        id: c.id,
        estate_id: c.estate_id,
        unit_id: c.place.unit_id,
        subject: c.subject,
        content: c.content,
        received_at: c.received_at,
        due_at: c.due_at,
        first_contact: c.first_contact,
        valid: c.valid,
        emergency: c.emergency,
    }
}

/// GET /v1/complaints/board: open complaints, most pressing first.
#[utoipa::path(get, path = "/v1/complaints/board", tag = "supervisor",
    responses((status = 200, body = Vec<ComplaintOnBoard>)))]
pub async fn board(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<ComplaintOnBoard>>, AppError> {
    let now = state.now();
    let company = state.company();
    let list = state
        .db(move |db| {
            let rows = db.query(&StoreQuery {
                kind: Some(RecordKind::Complaint),
                estates: Some(who.staff.estates.clone()),
                open: Some(true),
                ..StoreQuery::default()
            })?;
            let s = session(
                &mut *db,
                who.staff,
                &company.rules,
                &company.calendar,
                Some(now),
            );
            let mut out = vec![];
            for row in rows {
                out.push(on_board(
                    s.complaint(&record_id(&row.id)?)?,
                    now,
                    s.rules(),
                    s.calendar(),
                ));
            }
            let rank = |c: &ComplaintOnBoard| match c.stage.as_str() {
                "escalated" => 0,
                "overdue" => 1,
                "due_soon" => 2,
                _ => 3,
            };
            out.sort_by_key(|c| (rank(c), c.received_at));
            Ok(out)
        })
        .await?;
    Ok(Json(list))
}
