//! The office's JSON API, read from the query tables (no document is opened
//! for a list) and limited to the estates of the signed-in user.

use crate::extract::{Path, Query};
use axum::extract::State;
use axum::Json;
use rounds_core::documents::history::HistoryEntry;
use rounds_core::documents::{IndexRow, RecordDoc};
use rounds_core::facts;
use rounds_core::rules::end_of_day;
use rounds_core::rules::report::{monthly_report as build_report, MonthlyReport};
use rounds_core::store::Query as StoreQuery;
use rounds_core::time::{from_millis, to_millis};
use rounds_core::RecordKind;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::office::scope::{estates, record_id, visible};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

#[derive(Debug, Deserialize, Default)]
pub struct ListFilter {
    pub status: Option<String>,
    pub estate: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    /// Open and due before today ends (late ones too).
    #[serde(default)]
    pub due: bool,
    /// Only what is assigned to the signed-in person.
    #[serde(default)]
    pub mine: bool,
}

async fn list(
    state: AppState,
    who: Authed,
    kind: RecordKind,
    f: ListFilter,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    let now = to_millis(state.now());
    // Due: late, or due by the end of today where the company is. Deadlines
    // fall at midnight ("by the end of the day"), so tonight's midnight is
    // today's, and the query's bound is exclusive.
    let tonight = end_of_day(from_millis(now), state.company().rules.time_zone);
    let end_of_today = to_millis(tonight) + 1;
    let q = StoreQuery {
        kind: Some(kind),
        estates: Some(estates(&who, f.estate.as_ref())?),
        status: f.status.clone(),
        open: (f.overdue || f.due).then_some(true),
        due_before: f.due.then_some(end_of_today),
        assignee: f.mine.then(|| who.staff.id.clone()),
        ..StoreQuery::default()
    };
    let rows = state.db(move |db| Ok(db.query(&q)?)).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| !f.overdue || r.is_overdue(now))
            .collect(),
    ))
}

/// GET /v1/orders?status=&overdue=true
pub async fn orders(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::WorkOrder, f).await
}

/// GET /v1/complaints?status=
pub async fn complaints(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::Complaint, f).await
}

/// GET /v1/inspections?status=&estate=
pub async fn inspections(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::Inspection, f).await
}

/// GET /v1/rectifications?status=&estate=&due=true
pub async fn rectifications(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::Rectification, f).await
}

/// GET /v1/keys?status=&estate=&overdue=true: deposited keys, due and
/// overdue by their weekly check.
pub async fn keys(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::KeyCustody, f).await
}

/// GET /v1/renovations?status=&estate=&overdue=true: renovation
/// applications, due and overdue by their acceptance.
pub async fn renovations(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::Renovation, f).await
}

/// GET /v1/revisits?due=true
pub async fn revisits(
    State(s): State<AppState>,
    who: Authed,
    Query(f): Query<ListFilter>,
) -> Result<Json<Vec<IndexRow>>, AppError> {
    list(s, who, RecordKind::Revisit, f).await
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub row: IndexRow,
    pub history: Vec<HistoryEntry>,
}

/// Who changed a record, as the server verified each change: its device's
/// owner, never what the change says about itself.
pub fn verified_history(db: &mut Db, doc: &mut RecordDoc) -> Result<Vec<HistoryEntry>, AppError> {
    let server = db.device_id();
    let mut failed = None;
    let history = doc.verified_history(server, |device| {
        match db.device_owner(&device.to_string()) {
            Ok(owner) => owner.map(|s| (s.id, s.role)),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(history),
    }
}

/// GET /v1/records/{id}: the record's row and who changed it when.
pub async fn record(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<RecordView>, AppError> {
    let id = record_id(&id)?;
    let view = state
        .db(move |db| {
            let mut doc = db.load(&id)?;
            visible(&who, &id, doc.estate_id())?;
            let row = db
                .index_row(id.as_str())?
                .ok_or_else(|| AppError::NotFound(id.to_string()))?;
            Ok(RecordView {
                row,
                history: verified_history(db, &mut doc)?,
            })
        })
        .await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize)]
pub struct ReportParams {
    pub estate: String,
    /// "2026-11"
    pub month: String,
}

/// A month parameter ("2026-11"), or a 422 naming `field`.
pub fn month_param(m: &str, field: &'static str) -> Result<(i32, u32), AppError> {
    let parsed = m.split_once('-').and_then(|(y, mo)| {
        let (y, mo) = (y.parse().ok()?, mo.parse().ok()?);
        (1..=12).contains(&mo).then_some((y, mo))
    });
    parsed.ok_or_else(|| {
        AppError::invalid(
            field,
            format!("月份应为 YYYY-MM,不是 {m}"),
            format!("month must be YYYY-MM, not {m}"),
        )
    })
}

/// GET /v1/reports/monthly?estate=&month=2026-11
pub async fn monthly_report(
    State(state): State<AppState>,
    who: Authed,
    Query(p): Query<ReportParams>,
) -> Result<Json<MonthlyReport>, AppError> {
    let estate = estates(&who, Some(&p.estate))?.remove(0);
    let month = month_param(&p.month, "month")?;
    let input = state
        .db(move |db| {
            let rows = db.query(&StoreQuery {
                estates: Some(vec![estate.clone()]),
                ..StoreQuery::default()
            })?;
            let staff = db.staff_of_estate(&estate)?;
            Ok(facts::report_input(
                &rows,
                month,
                facts::units_total(&rows),
                staff,
            ))
        })
        .await?;
    let company = state.company();
    let report = build_report(&input, &company.rules, &company.calendar)?;
    Ok(Json(report))
}
