//! Paid services (有偿服务) in the office: the fee collected at the revisit,
//! and the month's settlement to finance (seed 003 §6.5) as JSON for the
//! console and as CSV for finance's spreadsheet. The core sums and decides;
//! these handlers read the rows and name the input.

use std::collections::HashMap;

use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::documents::work_order::{FeeCollection, PaymentMethod};
use rounds_core::facts;
use rounds_core::rules::{monthly_settlement, yuan, FeeTotals, Settlement};
use rounds_core::store::Query as StoreQuery;
use rounds_core::RecordKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::office::acting::step_on;
use crate::office::form::Form;
use crate::office::lists::month_param;
use crate::office::order_actions::{done, Done};
use crate::office::scope::estates;
use crate::phone::auth::Authed;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct FeeForm {
    /// Fen (分): 13000 is 130 元. Named as the order's field it sets, so a
    /// refusal is shown beside it.
    #[serde(default)]
    pub collected_fen: Option<i64>,
    /// cash, wechat, alipay, bank_card, transfer
    #[schema(value_type = String)]
    pub method: PaymentMethod,
    #[serde(default)]
    pub receipt_no: String,
}

/// POST /v1/orders/{id}/fee: the fee the resident paid, recorded once
/// (at the revisit, by the service centre).
#[utoipa::path(post, path = "/v1/orders/{id}/fee", tag = "reception",
    params(("id" = String, Path)), request_body = FeeForm,
    responses((status = 200, body = Done), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn collect(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<FeeForm>,
) -> Result<Json<Done>, AppError> {
    let amount_fen = form.collected_fen.ok_or_else(|| {
        AppError::invalid(
            "collected_fen",
            "请填写收费金额",
            "give the amount collected",
        )
    })?;
    let fee = FeeCollection {
        amount_fen,
        method: form.method,
        receipt_no: form.receipt_no.trim().to_owned(),
    };
    step_on(
        &state,
        who,
        &id,
        move |s, id| Ok(s.collect_fee(id, &fee)?),
        done,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct SettlementParams {
    /// "2026-11"
    pub month: String,
    /// One estate; all of the person's estates when absent.
    #[serde(default)]
    pub estate: Option<String>,
}

/// One line as the console and finance read it: names beside the ids.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementRow {
    pub estate_id: String,
    pub estate_name: String,
    pub technician: String,
    pub technician_name: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub totals: FeeTotals,
}

/// A job of the month still owed money.
#[derive(Debug, Serialize, ToSchema)]
pub struct Owed {
    pub order_id: String,
    pub estate_name: String,
    pub technician_name: String,
    pub charged_fen: i64,
    pub collected_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementView {
    pub month: String,
    pub lines: Vec<SettlementRow>,
    #[schema(value_type = Object)]
    pub total: FeeTotals,
    pub outstanding: Vec<Owed>,
}

/// The settlement of `p.month` over the estates the person may see; only
/// the office compiles it (the technicians' own figures are on their phones).
async fn settlement(
    state: &AppState,
    who: Authed,
    p: &SettlementParams,
) -> Result<SettlementView, AppError> {
    if !who.staff.role.registers() {
        return Err(AppError::forbidden(
            "结算由客服中心编制",
            "the service centre's office compiles the settlement",
        ));
    }
    let month = month_param(&p.month, "month")?;
    let scope = estates(&who, p.estate.as_ref())?;
    let (fees, estate_names, people) = state
        .db(move |db| {
            let rows = db.query(&StoreQuery {
                estates: Some(scope.clone()),
                ..StoreQuery::default()
            })?;
            let names: HashMap<String, String> = rows
                .iter()
                .filter(|r| r.kind == RecordKind::Estate)
                .map(|r| (r.estate_id.clone(), r.title.clone()))
                .collect();
            let mut people = HashMap::new();
            for estate in &scope {
                for p in db.people_of_estate(estate)? {
                    people.insert(p.id.clone(), p.name.clone());
                }
            }
            Ok((facts::fee_facts(&rows), names, people))
        })
        .await?;
    let Settlement {
        lines,
        total,
        outstanding,
        ..
    } = monthly_settlement(&fees, month, &state.company().rules)?;
    let name_of =
        |names: &HashMap<String, String>, id: &str| names.get(id).cloned().unwrap_or_default();
    Ok(SettlementView {
        outstanding: outstanding
            .iter()
            .map(|f| Owed {
                order_id: f.order_id.clone(),
                estate_name: name_of(&estate_names, &f.estate_id),
                technician_name: name_of(&people, &f.technician),
                charged_fen: f.charged_fen,
                collected_fen: f.collected_fen,
            })
            .collect(),
        month: p.month.clone(),
        lines: lines
            .into_iter()
            .map(|l| SettlementRow {
                estate_name: name_of(&estate_names, &l.estate_id),
                technician_name: name_of(&people, &l.technician),
                estate_id: l.estate_id,
                technician: l.technician,
                totals: l.totals,
            })
            .collect(),
        total,
    })
}

/// GET /v1/settlement?month=2026-11[&estate=]
#[utoipa::path(get, path = "/v1/settlement", tag = "report",
    params(("month" = String, Query, description = "YYYY-MM"), ("estate" = Option<String>, Query)),
    responses((status = 200, body = SettlementView),
        (status = 403, body = crate::openapi::ErrorJson), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn settlement_json(
    State(state): State<AppState>,
    who: Authed,
    Query(p): Query<SettlementParams>,
) -> Result<Json<SettlementView>, AppError> {
    Ok(Json(settlement(&state, who, &p).await?))
}

/// The settlement as CSV for finance: one line per estate and technician,
/// then the total, amounts in yuan; headers in Chinese with English beside.
pub fn to_csv(view: &SettlementView) -> Result<String, AppError> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![]);
    out.write_record([
        "月份 month",
        "小区 estate",
        "维修人员 technician",
        "单数 orders",
        "报价 quoted",
        "应收 charged",
        "实收 collected",
        "未收 outstanding",
    ])
    .map_err(internal)?;
    let mut line = |estate: &str, who: &str, t: &FeeTotals| {
        out.write_record([
            view.month.as_str(),
            estate,
            who,
            &t.orders.to_string(),
            &yuan(t.quoted_fen),
            &yuan(t.charged_fen),
            &yuan(t.collected_fen),
            &yuan(t.outstanding_fen),
        ])
    };
    for l in &view.lines {
        let estate = format!("{} ({})", l.estate_name, l.estate_id);
        let tech = format!("{} ({})", l.technician_name, l.technician);
        line(&estate, &tech, &l.totals).map_err(internal)?;
    }
    line("合计 total", "", &view.total).map_err(internal)?;
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // A byte-order mark first, so spreadsheet programs read the Chinese.
    Ok(format!(
        "\u{feff}{}",
        String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))?
    ))
}

/// GET /v1/settlement.csv?month=2026-11[&estate=]
#[utoipa::path(get, path = "/v1/settlement.csv", tag = "report",
    params(("month" = String, Query, description = "YYYY-MM"), ("estate" = Option<String>, Query)),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 403, body = crate::openapi::ErrorJson), (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn settlement_csv(
    State(state): State<AppState>,
    who: Authed,
    Query(p): Query<SettlementParams>,
) -> Result<Response, AppError> {
    let view = settlement(&state, who, &p).await?;
    let filename = format!("rounds-settlement-{}.csv", p.month);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        to_csv(&view)?,
    )
        .into_response())
}
