//! Company customers in the office (seed 003 第1篇): the list with each
//! customer's next revisit due or overdue, one customer with its visits and
//! their paperwork, registration and edits, and the report and filing after
//! a visit. Every rule is core's; this only carries forms to it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::customer::{Customer, CustomerDetails, CustomerDoc, CustomerTier};
use rounds_core::documents::IndexRow;
use rounds_core::places::Personal;
use rounds_core::session::{CustomerPaperwork, Session};
use rounds_core::RecordId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::office::acting::{act, read_as, step_on};
use crate::office::form::Form;
use crate::office::scope::{own_estate, record_id};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerRow {
    /// The customer's index row (title is its name; category its tier).
    #[schema(value_type = Object)]
    pub customer: IndexRow,
    /// Its soonest planned revisit.
    #[schema(value_type = Option<Object>)]
    pub next: Option<IndexRow>,
    pub overdue: bool,
}

#[derive(Debug, Deserialize, Default)]
pub struct CustomerFilter {
    pub estate: Option<String>,
    /// `ordinary`, `key` or `large`.
    pub tier: Option<String>,
}

/// GET /v1/customers?estate=&tier=: company customers, those with a revisit
/// overdue first, then by their next revisit.
#[utoipa::path(get, path = "/v1/customers", tag = "office",
    params(("estate" = Option<String>, Query), ("tier" = Option<String>, Query)),
    responses((status = 200, body = Vec<CustomerRow>)))]
pub async fn list(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<CustomerFilter>,
) -> Result<Json<Vec<CustomerRow>>, AppError> {
    let estate = f.estate.map(|e| own_estate(&who, &e)).transpose()?;
    let rows = read_as(&state, who, move |s| Ok(s.customers_due()?)).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| estate.as_ref().is_none_or(|e| &r.customer.estate_id == e))
            .filter(|r| {
                f.tier
                    .as_ref()
                    .is_none_or(|t| r.customer.category.as_ref() == Some(t))
            })
            .map(|r| CustomerRow {
                customer: r.customer,
                next: r.next,
                overdue: r.overdue,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitRow {
    #[schema(value_type = Object)]
    pub revisit: IndexRow,
    /// Planned and past its due time.
    pub overdue: bool,
    /// A done visit's report and papers (none while it is planned).
    #[schema(value_type = Option<Object>)]
    pub paperwork: Option<CustomerPaperwork>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    /// The customer (rounds_core::documents::customer::Customer).
    #[schema(value_type = Object)]
    pub customer: Customer,
    /// Its revisits, soonest due first.
    pub visits: Vec<VisitRow>,
    pub may_edit: bool,
}

fn customer_view(s: &Session<&mut Db>, id: &RecordId) -> Result<CustomerView, AppError> {
    let customer = s.customer(id)?;
    let now = rounds_core::time::to_millis(s.now());
    let visits = s
        .customer_revisits(id)?
        .into_iter()
        .map(|r| VisitRow {
            overdue: r.status == "planned" && r.due_at.is_some_and(|d| d < now),
            paperwork: s.customer_paperwork(&r),
            revisit: r,
        })
        .collect();
    let details = details_of(&customer);
    Ok(CustomerView {
        may_edit: s.allows(id, |c: &mut CustomerDoc, who| c.update(&details, who))?,
        customer,
        visits,
    })
}

fn details_of(c: &Customer) -> CustomerDetails {
    CustomerDetails {
        name: c.name.clone(),
        tier: c.tier,
        unit_ids: c.unit_ids.clone(),
        premises: c.premises.clone(),
        handover_date: c.handover_date.clone(),
        contact_name: c.contact_name.clone(),
        contact_title: c.contact_title.clone(),
        contact_phone: c.contact_phone.clone(),
        manager: c.manager.clone(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerForm {
    /// Made by the client, so a retried request registers one customer
    /// (ignored on an edit).
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub estate_id: String,
    #[serde(default)]
    pub name: String,
    /// `ordinary`, `key` (重点) or `large` (大客户).
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub unit_ids: Vec<String>,
    #[serde(default)]
    pub premises: String,
    /// "2026-03-15".
    #[serde(default)]
    pub handover_date: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_title: String,
    #[serde(default)]
    pub contact_phone: String,
    /// The staff id of whoever revisits it.
    #[serde(default)]
    pub manager: String,
}

impl CustomerForm {
    fn details(self) -> Result<CustomerDetails, AppError> {
        let tier = CustomerTier::ALL
            .into_iter()
            .find(|t| t.name() == self.tier)
            .ok_or_else(|| AppError::invalid("tier", "请选择客户类别", "choose the rank"))?;
        Ok(CustomerDetails {
            name: self.name,
            tier,
            unit_ids: self
                .unit_ids
                .into_iter()
                .filter(|u| !u.trim().is_empty())
                .collect(),
            premises: self.premises,
            handover_date: self.handover_date,
            contact_name: Personal(self.contact_name.trim().into()),
            contact_title: self.contact_title,
            contact_phone: Personal(self.contact_phone.trim().into()),
            manager: self.manager,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub id: String,
}

/// POST /v1/customers: registers a company customer; its revisits are
/// planned from the schedule at once.
#[utoipa::path(post, path = "/v1/customers", tag = "office", request_body = CustomerForm,
    responses((status = 201, body = Registered), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn register(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<CustomerForm>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    let id = record_id(&form.id)?;
    let estate = form.estate_id.clone();
    let details = form.details()?;
    let id = act(&state, who.staff, None, move |s| {
        Ok(s.register_customer(id, &estate, &details)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Registered { id: id.to_string() })))
}

/// GET /v1/customers/{id}: one customer with its visits.
#[utoipa::path(get, path = "/v1/customers/{id}", tag = "office", params(("id" = String, Path)),
    responses((status = 200, body = CustomerView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn customer(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<CustomerView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(
        read_as(&state, who, move |s| customer_view(s, &id)).await?,
    ))
}

/// POST /v1/customers/{id}: corrects or re-ranks a customer.
#[utoipa::path(post, path = "/v1/customers/{id}", tag = "office", params(("id" = String, Path)),
    request_body = CustomerForm,
    responses((status = 200, body = CustomerView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn update(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<CustomerForm>,
) -> Result<Json<CustomerView>, AppError> {
    let details = form.details()?;
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.update_customer(id, &details)?),
        customer_view,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportForm {
    /// 《客户回访报告》: how the visit went and what it found.
    #[serde(default)]
    pub report: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperworkView {
    #[schema(value_type = Object)]
    pub paperwork: Option<CustomerPaperwork>,
}

fn paperwork_view(s: &Session<&mut Db>, id: &RecordId) -> Result<PaperworkView, AppError> {
    let row = s
        .store()
        .index_row(id.as_str())?
        .ok_or_else(|| AppError::NotFound(id.to_string()))?;
    Ok(PaperworkView {
        paperwork: s.customer_paperwork(&row),
    })
}

/// POST /v1/revisits/{id}/customer-report: the visit's report.
#[utoipa::path(post, path = "/v1/revisits/{id}/customer-report", tag = "office",
    params(("id" = String, Path)), request_body = ReportForm,
    responses((status = 200, body = PaperworkView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn report(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReportForm>,
) -> Result<Json<PaperworkView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.write_customer_report(id, &form.report)?),
        paperwork_view,
    )
    .await
}

/// POST /v1/revisits/{id}/customer-file: the visit's papers went to the
/// department head.
#[utoipa::path(post, path = "/v1/revisits/{id}/customer-file", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = PaperworkView), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn file(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<PaperworkView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.file_customer_revisit(id)?),
        paperwork_view,
    )
    .await
}

/// GET /v1/customer-paperwork: done customer visits whose report or papers
/// are owed, soonest due first, overdue ones marked.
#[utoipa::path(get, path = "/v1/customer-paperwork", tag = "office",
    responses((status = 200, body = Vec<Object>)))]
pub async fn paperwork_due(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<CustomerPaperwork>>, AppError> {
    Ok(Json(
        read_as(&state, who, move |s| Ok(s.customer_paperwork_due()?)).await?,
    ))
}
