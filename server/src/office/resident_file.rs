//! The resident file (住户档案) of one unit: where it is, who lives there
//! (names and phones only to those core lets see them), and everything
//! recorded at it, newest first: repair orders, complaints, revisits, and
//! the inspections and notices that name it, and its renovations, with
//! whether a renovation not yet accepted bars moving in. Only units of the
//! person's own estates.

use axum::extract::State;
use axum::Json;
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::{IndexRow, Record};
use rounds_core::store::Query as StoreQuery;
use rounds_core::{RecordId, RecordKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::session_under;
use crate::office::estate_admin::UnitView;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentFile {
    pub estate_id: String,
    pub estate_name: String,
    pub building: String,
    pub entrance: String,
    pub unit: UnitView,
    /// Residents' names and phones are shown (else they are null).
    pub personal_shown: bool,
    /// What was recorded at the unit, newest first (query-table rows).
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<IndexRow>,
    /// A renovation of the unit is approved and not yet accepted: nobody
    /// moves in (seed 003 第6篇 item 7).
    pub move_in_barred: bool,
}

/// GET /v1/units/{unit}: the unit's resident file.
#[utoipa::path(get, path = "/v1/units/{unit}", tag = "estates",
    params(("unit" = String, Path)),
    responses((status = 200, body = ResidentFile), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn resident_file(
    State(state): State<AppState>,
    who: Authed,
    Path(unit): Path<String>,
) -> Result<Json<ResidentFile>, AppError> {
    let company = state.company();
    let now = state.now();
    let file = state
        .db(move |db| {
            let staff = who.staff.clone();
            // A unit of an estate the person does not work on is not there for them.
            let rows = db.query(&StoreQuery {
                kind: Some(RecordKind::Estate),
                estates: Some(staff.estates.clone()),
                ..StoreQuery::default()
            })?;
            for row in rows {
                let id = RecordId::parse(&row.id).map_err(|e| AppError::Internal(e.to_string()))?;
                let estate = EstateDoc::from_record(db.load(&id)?)?.read()?;
                let Some((building, entrance, u)) = estate.unit_at(&unit) else {
                    continue;
                };
                let s = session_under(&mut *db, staff.clone(), &company, now);
                let history: Vec<IndexRow> = s
                    .unit_history(&unit)?
                    .into_iter()
                    .filter(|r| r.estate_id == estate.id && r.kind != RecordKind::Estate)
                    .collect();
                let move_in_barred = history
                    .iter()
                    .any(|r| r.kind == RecordKind::Renovation && r.facts["move_in_barred"] == true);
                return Ok(ResidentFile {
                    estate_id: estate.id.clone(),
                    estate_name: estate.name.clone(),
                    building: building.name.clone(),
                    entrance: entrance.name.clone(),
                    unit: UnitView::of(u, &staff),
                    personal_shown: staff.role.sees_residents(),
                    history,
                    move_in_barred,
                });
            }
            Err(AppError::NotFound(unit))
        })
        .await?;
    Ok(Json(file))
}
