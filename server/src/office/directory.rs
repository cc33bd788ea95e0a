//! Who and where, for the office's forms: the signed-in person, the estates
//! they work on with their units and common areas, the people of an estate,
//! and the departments a complaint can be dispatched to. Residents' names
//! and phones stay out of these lists (DOMAIN.md: privacy).

use crate::extract::Query;
use axum::extract::State;
use axum::Json;
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::Record;
use rounds_core::store::Query as StoreQuery;
use rounds_core::{RecordId, RecordKind, Staff};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::office::scope::own_estate;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub name: String,
    pub role: String,
    pub role_zh: String,
    pub role_en: String,
    pub estates: Vec<String>,
}

impl Me {
    pub fn of(s: &Staff) -> Me {
        let role = s.role.label();
        Me {
            id: s.id.clone(),
            name: s.name.clone(),
            role: s.role.as_str().into(),
            role_zh: role.zh.into(),
            role_en: role.en.into(),
            estates: s.estates.clone(),
        }
    }
}

/// GET /v1/me
#[utoipa::path(get, path = "/v1/me", tag = "console",
    responses((status = 200, body = Me), (status = 401, body = crate::openapi::ErrorJson)))]
pub async fn me(who: Authed) -> Json<Me> {
    Json(Me::of(&who.staff))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitEntry {
    pub id: String,
    /// 房号, e.g. "1-2-302".
    pub number: String,
    pub vacant: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaEntry {
    pub id: String,
    pub kind: String,
    pub name: String,
}

impl AreaEntry {
    pub fn of(a: &rounds_core::places::CommonArea) -> AreaEntry {
        AreaEntry {
            id: a.id.clone(),
            kind: a.kind.clone(),
            name: a.name.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EstateEntry {
    pub id: String,
    pub name: String,
    pub units: Vec<UnitEntry>,
    pub common_areas: Vec<AreaEntry>,
}

/// GET /v1/estates: the estates the signed-in person works on.
#[utoipa::path(get, path = "/v1/estates", tag = "console",
    responses((status = 200, body = Vec<EstateEntry>), (status = 401, body = crate::openapi::ErrorJson)))]
pub async fn estates(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<EstateEntry>>, AppError> {
    let list = state
        .db(move |db| {
            let rows = db.query(&StoreQuery {
                kind: Some(RecordKind::Estate),
                estates: Some(who.staff.estates.clone()),
                ..StoreQuery::default()
            })?;
            let mut out = vec![];
            for row in rows {
                let id = RecordId::parse(&row.id).map_err(|e| AppError::Internal(e.to_string()))?;
                let estate = EstateDoc::from_record(db.load(&id)?)?.read()?;
                out.push(EstateEntry {
                    units: estate
                        .units()
                        .map(|u| UnitEntry {
                            id: u.id.clone(),
                            number: u.number.clone(),
                            vacant: u.vacant,
                        })
                        .collect(),
                    common_areas: estate.common_areas.iter().map(AreaEntry::of).collect(),
                    id: estate.id,
                    name: estate.name,
                });
            }
            out.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(out)
        })
        .await?;
    Ok(Json(list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EstateParam {
    pub estate: String,
}

/// GET /v1/staff?estate=: the people of one estate, for dispatch and quotas.
#[utoipa::path(get, path = "/v1/staff", tag = "console", params(EstateParam),
    responses((status = 200, body = Vec<Me>), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn staff(
    State(state): State<AppState>,
    who: Authed,
    Query(p): Query<EstateParam>,
) -> Result<Json<Vec<Me>>, AppError> {
    let estate = own_estate(&who, &p.estate)?;
    let people = state.db(move |db| db.people_of_estate(&estate)).await?;
    Ok(Json(people.iter().map(Me::of).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Department {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// GET /v1/departments
#[utoipa::path(get, path = "/v1/departments", tag = "console",
    responses((status = 200, body = Vec<Department>)))]
pub async fn departments(_who: Authed) -> Json<Vec<Department>> {
    Json(
        rounds_core::departments::Department::ALL
            .iter()
            .map(|d| Department {
                id: d.as_str().into(),
                name_zh: d.label().zh.into(),
                name_en: d.label().en.into(),
            })
            .collect(),
    )
}
