//! Setting up an estate in the console: a head creates it (and works on it
//! from then on), then adds and renames its buildings, entrances, units and
//! common areas and keeps its residents, each form one list of core's
//! `EstateEdit`s applied through the session. Residents' names and phones
//! go only to those core says may see them (`Role::sees_residents`).

use axum::extract::State;
use axum::Json;
use rounds_core::documents::estate::EstateEdit;
use rounds_core::places::{Estate, Resident, Unit};
use rounds_core::{RecordId, Staff};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::audit;
use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::{act, read_as};
use crate::office::directory::AreaEntry;
use crate::office::form::Form;
use crate::office::scope::own_estate;
use crate::phone::auth::Authed;
use crate::state::AppState;
use rounds_core::admin::AuditAction;

#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentView {
    pub id: String,
    /// None when the signed-in person may not see residents' personal data.
    pub name: Option<String>,
    pub phone: Option<String>,
    pub owner: bool,
    pub moved_out: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub id: String,
    pub number: String,
    pub vacant: bool,
    pub residents: Vec<ResidentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntranceView {
    pub id: String,
    pub name: String,
    pub units: Vec<UnitView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BuildingView {
    pub id: String,
    pub name: String,
    pub entrances: Vec<EntranceView>,
}

/// An estate's places as its admin page shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacesView {
    pub id: String,
    pub name: String,
    pub buildings: Vec<BuildingView>,
    pub common_areas: Vec<AreaEntry>,
    /// Residents' names and phones are shown (else they are null).
    pub personal_shown: bool,
    /// The signed-in person may edit the estate (a head).
    pub may_edit: bool,
}

impl ResidentView {
    pub fn of(r: &Resident, staff: &Staff) -> ResidentView {
        let shown = staff.role.sees_residents();
        ResidentView {
            id: r.id.clone(),
            name: shown.then(|| r.name.reveal().clone()),
            phone: shown.then(|| r.phone.reveal().clone()),
            owner: r.owner,
            moved_out: r.moved_out,
        }
    }
}

impl UnitView {
    pub fn of(u: &Unit, staff: &Staff) -> UnitView {
        UnitView {
            id: u.id.clone(),
            number: u.number.clone(),
            vacant: u.vacant,
            residents: u
                .residents
                .iter()
                .map(|r| ResidentView::of(r, staff))
                .collect(),
        }
    }
}

impl PlacesView {
    pub fn of(e: &Estate, staff: &Staff) -> PlacesView {
        PlacesView {
            id: e.id.clone(),
            name: e.name.clone(),
            buildings: e
                .buildings
                .iter()
                .map(|b| BuildingView {
                    id: b.id.clone(),
                    name: b.name.clone(),
                    entrances: b
                        .entrances
                        .iter()
                        .map(|en| EntranceView {
                            id: en.id.clone(),
                            name: en.name.clone(),
                            units: en.units.iter().map(|u| UnitView::of(u, staff)).collect(),
                        })
                        .collect(),
                })
                .collect(),
            common_areas: e.common_areas.iter().map(AreaEntry::of).collect(),
            personal_shown: staff.role.sees_residents(),
            may_edit: staff.role.keeps_places(),
        }
    }
}

/// GET /v1/estates/{estate}/places
#[utoipa::path(get, path = "/v1/estates/{estate}/places", tag = "estates",
    params(("estate" = String, Path)),
    responses((status = 200, body = PlacesView), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn places(
    State(state): State<AppState>,
    who: Authed,
    Path(estate): Path<String>,
) -> Result<Json<PlacesView>, AppError> {
    let estate = own_estate(&who, &estate)?;
    let staff = who.staff.clone();
    let view = read_as(&state, who, move |s| {
        let (_, e) = s.estate(&estate)?;
        Ok(PlacesView::of(&e, &staff))
    })
    .await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewEstateForm {
    #[serde(default)]
    pub name: String,
    /// The record's id, made when the form opened, so a retried submit
    /// creates one estate.
    #[serde(default)]
    pub record_id: Option<String>,
}

/// A fresh short id for an estate, which records name.
fn new_estate_id() -> Result<String, AppError> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("e-{}", hex::encode(bytes)))
}

/// POST /v1/estates: a head creates an estate and works on it from then on.
#[utoipa::path(post, path = "/v1/estates", tag = "estates", request_body = NewEstateForm,
    responses((status = 200, body = PlacesView), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn create(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<NewEstateForm>,
) -> Result<Json<PlacesView>, AppError> {
    let record = match form.record_id.as_deref() {
        Some(id) => RecordId::parse(id)
            .map_err(|_| AppError::invalid("record_id", "编号不对", "not a record id"))?,
        None => RecordId::new(),
    };
    let mut staff = who.staff;
    // A retried submit finds the estate it made.
    let existing = state
        .db({
            let id = record.clone();
            move |db| Ok(db.index_row(id.as_str())?)
        })
        .await?;
    let estate_id = match existing {
        Some(row) => row.estate_id,
        None => new_estate_id()?,
    };
    if !staff.works_on(&estate_id) {
        staff.estates.push(estate_id.clone());
    }
    let view = act(&state, staff.clone(), None, move |s| {
        if s.store().index_row(record.as_str())?.is_none() {
            s.create_estate(record, &estate_id, &form.name)?;
            let detail = serde_json::json!({ "name": form.name });
            audit::record(s, AuditAction::EstateCreated, &estate_id, detail)?;
        }
        s.store_mut().give_estate(&staff.id, &estate_id)?;
        let (_, e) = s.estate(&estate_id)?;
        Ok(PlacesView::of(&e, &staff))
    })
    .await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditsForm {
    /// rounds_core::documents::estate::EstateEdit, each `{edit: "add_unit", …}`.
    #[schema(value_type = Vec<Object>)]
    pub edits: Vec<EstateEdit>,
}

/// POST /v1/estates/{estate}/places: applies a form's edits as one change.
#[utoipa::path(post, path = "/v1/estates/{estate}/places", tag = "estates",
    params(("estate" = String, Path)), request_body = EditsForm,
    responses((status = 200, body = PlacesView), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn edit(
    State(state): State<AppState>,
    who: Authed,
    Path(estate): Path<String>,
    Form(form): Form<EditsForm>,
) -> Result<Json<PlacesView>, AppError> {
    let estate = own_estate(&who, &estate)?;
    let staff = who.staff;
    let view = act(&state, staff.clone(), None, move |s| {
        s.edit_estate(&estate, &form.edits)?;
        let detail = serde_json::json!({ "edits": form.edits.len() });
        audit::record(s, AuditAction::PlacesEdited, &estate, detail)?;
        let (_, e) = s.estate(&estate)?;
        Ok(PlacesView::of(&e, &staff))
    })
    .await?;
    Ok(Json(view))
}
