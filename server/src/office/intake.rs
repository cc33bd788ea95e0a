//! Reception's intake: a resident's request becomes a work order, a
//! complaint becomes a complaint, each registered through the core at the
//! time the call came in. What the core does not check (a name, a phone, a
//! unit of this estate, a sensible time) is checked here, field by field.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::work_order::{Contact, Source, SourceKind};
use rounds_core::documents::Record;
use rounds_core::places::{Personal, Place};
use rounds_core::session::{ComplaintRequest, OrderRequest};
use rounds_core::store::{DocumentStore, Query as StoreQuery};
use rounds_core::time::{from_millis, Millis};
use rounds_core::{RecordId, RecordKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::office::acting::act;
use crate::office::form::Form;
use crate::phone::auth::Authed;
use crate::state::AppState;

/// How far back reception may date a call (a weekend's messages, say).
const OLDEST_CALL: Duration = Duration::days(7);
/// A clock a little ahead of the server's is not the future.
const CLOCK_SLACK: Duration = Duration::minutes(5);

/// Reception's form, for a request and for a complaint alike (the two differ
/// in one field each). Flat, so a wrongly typed value names its field.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IntakeForm {
    /// Made when the form opens, so a retried submit names the same record.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub estate_id: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub common_area_id: Option<String>,
    #[serde(default)]
    pub detail: String,
    /// When the call came in (ms since the epoch); now if left out.
    #[serde(default)]
    pub received_at: Option<Millis>,
    #[serde(default)]
    pub resident_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub emergency: bool,
    /// Requests: the repair category (`pipe_leak`, `lamp`, `general`, …),
    /// which decides the deadline.
    #[serde(default)]
    pub category: String,
    /// Requests: for the categories whose deadline the head sets.
    #[serde(default)]
    pub agreed_due_at: Option<Millis>,
    /// Requests: a paid service (有偿服务), quoted before work starts.
    #[serde(default)]
    pub paid_service: bool,
    /// Requests: the finished order of this estate that this one repairs
    /// again (返修), when the resident calls back about the same fault.
    #[serde(default)]
    pub rework_of: Option<String>,
    /// Complaints: what the complaint is about.
    #[serde(default)]
    pub subject: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub id: String,
    /// The deadline the rules gave.
    pub due_at: Millis,
}

fn required(field: &str, value: &str) -> Result<(), AppError> {
    if value.trim().is_empty() {
        Err(AppError::invalid(field, "不能为空", "must not be empty"))
    } else {
        Ok(())
    }
}

/// The checks every intake shares; returns the record id, the time and the place.
fn check_caller(
    c: &IntakeForm,
    store: &(impl DocumentStore + ?Sized),
    now: DateTime<Utc>,
) -> Result<(RecordId, DateTime<Utc>, Place), AppError> {
    let id = match c.id.as_deref() {
        Some(id) => RecordId::parse(id)
            .map_err(|_| AppError::invalid("id", "编号无效", "not a record id"))?,
        None => RecordId::new(),
    };
    let at = c.received_at.map(from_millis).unwrap_or(now);
    if at > now + CLOCK_SLACK {
        return Err(AppError::invalid(
            "received_at",
            "受理时间不能晚于现在",
            "cannot be in the future",
        ));
    }
    if at < now - OLDEST_CALL {
        return Err(AppError::invalid(
            "received_at",
            "受理时间不能早于7天前",
            "cannot be more than 7 days ago",
        ));
    }
    let place = check_place(c, store)?;
    required("resident_name", &c.resident_name)?;
    required("phone", &c.phone)?;
    Ok((id, at, place))
}

/// A unit or a common area that the estate has (exactly one of the two).
fn check_place(c: &IntakeForm, store: &(impl DocumentStore + ?Sized)) -> Result<Place, AppError> {
    let unit = c.unit_id.as_deref().filter(|u| !u.trim().is_empty());
    let area = c.common_area_id.as_deref().filter(|a| !a.trim().is_empty());
    if unit.is_none() && area.is_none() {
        return Err(AppError::invalid(
            "unit_id",
            "请选择房号或公共区域",
            "choose a unit or a common area",
        ));
    }
    let rows = store.query(&StoreQuery {
        kind: Some(RecordKind::Estate),
        estates: Some(vec![c.estate_id.clone()]),
        ..StoreQuery::default()
    })?;
    let mut known_unit = unit.is_none();
    let mut known_area = area.is_none();
    for row in rows {
        let id = RecordId::parse(&row.id).map_err(|e| AppError::Internal(e.to_string()))?;
        let estate = EstateDoc::from_record(store.load(&id)?)?.read()?;
        known_unit |= unit.is_some_and(|u| estate.unit(u).is_some());
        known_area |= area.is_some_and(|a| estate.common_area(a).is_some());
    }
    if !known_unit {
        return Err(AppError::invalid(
            "unit_id",
            "本小区没有这个房号",
            "no such unit in this estate",
        ));
    }
    if !known_area {
        return Err(AppError::invalid(
            "common_area_id",
            "本小区没有这个公共区域",
            "no such common area in this estate",
        ));
    }
    Ok(Place {
        estate_id: c.estate_id.clone(),
        unit_id: unit.map(str::to_owned),
        common_area_id: area.map(str::to_owned),
        detail: c.detail.trim().to_owned(),
    })
}

/// The order a rework (返修) repairs again: a work order of the same estate
/// whose work was finished (a returned one never was).
fn check_rework(
    c: &IntakeForm,
    store: &(impl DocumentStore + ?Sized),
) -> Result<Option<String>, AppError> {
    let Some(earlier) = c
        .rework_of
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return Ok(None);
    };
    let row = match RecordId::parse(earlier) {
        Ok(id) => store.index_row(id.as_str())?,
        Err(_) => None,
    };
    match row {
        Some(r)
            if r.kind == RecordKind::WorkOrder
                && r.estate_id == c.estate_id
                && r.done_at.is_some() =>
        {
            Ok(Some(r.id))
        }
        _ => Err(AppError::invalid(
            "rework_of",
            "请选择本小区已完工的维修单",
            "choose a finished work order of this estate",
        )),
    }
}

fn contact(c: &IntakeForm) -> Contact {
    Contact {
        name: Personal(c.resident_name.trim().to_owned()),
        phone: Personal(c.phone.trim().to_owned()),
    }
}

/// The estate must be one of the signed-in person's, before anything else is said about it.
fn check_estate(who: &Authed, estate: &str) -> Result<(), AppError> {
    required("estate_id", estate)?;
    crate::office::scope::own_estate(who, estate).map(|_| ())
}

/// POST /v1/orders: registers a resident's request as a work order.
#[utoipa::path(post, path = "/v1/orders", tag = "reception", request_body = IntakeForm,
    responses((status = 201, body = Registered),
        (status = 422, description = "bad input, with the field", body = crate::openapi::ErrorJson),
        (status = 403, description = "another estate or a role that may not", body = crate::openapi::ErrorJson)))]
pub async fn register_request(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<IntakeForm>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    check_estate(&who, &form.estate_id)?;
    let now = state.now();
    let c = form.clone();
    let ((id, at, place), rework_of) = state
        .db(move |db| Ok((check_caller(&c, &*db, now)?, check_rework(&c, &*db)?)))
        .await?;
    required("category", &form.category)?;
    let req = OrderRequest {
        id,
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: form.category.trim().to_owned(),
        place,
        emergency: form.emergency,
        resident: contact(&form),
        content: form.content.trim().to_owned(),
        agreed_due_at: form.agreed_due_at,
        rework_of,
        paid_service: form.paid_service,
    };
    let registered = act(&state, who.staff, Some(at), move |s| {
        let id = s.register_order(&req)?;
        let due_at = s.order(&id)?.deadline.due_at;
        Ok(Registered {
            id: id.to_string(),
            due_at,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// POST /v1/complaints: receives a complaint; the receptionist becomes its
/// first-contact owner (首问责任人).
#[utoipa::path(post, path = "/v1/complaints", tag = "reception", request_body = IntakeForm,
    responses((status = 201, body = Registered),
        (status = 422, description = "bad input, with the field", body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn register_complaint(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<IntakeForm>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    check_estate(&who, &form.estate_id)?;
    let now = state.now();
    let c = form.clone();
    let (id, at, place) = state.db(move |db| check_caller(&c, &*db, now)).await?;
    required("subject", &form.subject)?;
    let req = ComplaintRequest {
        id,
        resident: contact(&form),
        place,
        subject: form.subject.trim().to_owned(),
        content: form.content.trim().to_owned(),
        emergency: form.emergency,
        at_front_desk: true,
    };
    let registered = act(&state, who.staff, Some(at), move |s| {
        let id = s.receive_complaint(&req)?;
        let due_at = s.complaint(&id)?.due_at;
        Ok(Registered {
            id: id.to_string(),
            due_at,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(registered)))
}
