//! A complaint as the office reads it: the whole record, its clocks and
//! stage (as on the board), and the steps the signed-in person may take on
//! it now, asked of core so the console offers no button it would refuse.

use axum::extract::State;
use axum::Json;
use rounds_core::documents::complaint::Complaint;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::session;
use crate::office::complaint_board::{on_board, ComplaintOnBoard};
use crate::office::scope::record_id;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintView {
    /// The whole record (rounds_core::documents::complaint::Complaint).
    #[schema(value_type = Object)]
    pub complaint: Complaint,
    /// Its clocks and stage now.
    pub board: ComplaintOnBoard,
    /// The steps (`GET /v1/labels` complaint_steps) this person may take now.
    pub steps: Vec<&'static str>,
}

/// GET /v1/complaints/{id}
#[utoipa::path(get, path = "/v1/complaints/{id}", tag = "reception",
    params(("id" = String, Path)),
    responses((status = 200, body = ComplaintView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn complaint(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<ComplaintView>, AppError> {
    let id = record_id(&id)?;
    let company = state.company();
    let now = state.now();
    let view = state
        .db(move |db| {
            let s = session(
                &mut *db,
                who.staff,
                &company.rules,
                &company.calendar,
                Some(now),
            );
            let complaint = s.complaint(&id)?;
            let steps = s.complaint_steps(&id)?;
            Ok(ComplaintView {
                board: on_board(complaint.clone(), now, s.rules(), s.calendar()),
                complaint,
                steps: steps.into_iter().map(|s| s.name()).collect(),
            })
        })
        .await?;
    Ok(Json(view))
}
