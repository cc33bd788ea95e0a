//! The monthly report as CSV, one figure a line with its name in both
//! languages, for the office's spreadsheet. A UTF-8 byte-order mark comes
//! first so spreadsheet programs read the Chinese correctly.

use crate::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rounds_core::rules::{yuan, MonthlyReport};

use crate::error::AppError;
use crate::office::lists::{monthly_report, ReportParams};
use crate::phone::auth::Authed;
use crate::state::AppState;

fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_default()
}

fn yes_no(b: Option<bool>) -> String {
    b.map(|b| if b { "yes" } else { "no" }.to_owned())
        .unwrap_or_default()
}

/// Quotes a cell when it holds a comma, a quote or a line break.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub fn to_csv(estate: &str, month: &str, r: &MonthlyReport) -> String {
    let mut rows: Vec<(String, String, String)> = vec![
        ("estate".into(), "小区".into(), estate.into()),
        ("month".into(), "月份".into(), month.into()),
        (
            "requests_total".into(),
            "报修总数".into(),
            r.requests_total.to_string(),
        ),
        ("completed".into(), "完工数".into(), r.completed.to_string()),
        (
            "completed_on_time".into(),
            "按时完工数".into(),
            r.completed_on_time.to_string(),
        ),
        ("on_time_rate".into(), "及时率".into(), rate(r.on_time_rate)),
        (
            "rework_count".into(),
            "返修数".into(),
            r.rework_count.to_string(),
        ),
        ("rework_rate".into(), "返修率".into(), rate(r.rework_rate)),
        (
            "complaints_total".into(),
            "投诉总数".into(),
            r.complaints_total.to_string(),
        ),
        (
            "valid_complaints".into(),
            "有效投诉".into(),
            r.valid_complaints.to_string(),
        ),
        (
            "valid_complaint_rate".into(),
            "有效投诉率".into(),
            rate(r.valid_complaint_rate),
        ),
        (
            "valid_complaints_within_target".into(),
            "有效投诉率达标(<2%)".into(),
            yes_no(r.valid_complaints_within_target),
        ),
        (
            "revisits_due".into(),
            "应回访数".into(),
            r.revisits_due.to_string(),
        ),
        (
            "revisits_done".into(),
            "已回访数".into(),
            r.revisits_done.to_string(),
        ),
        (
            "revisit_handling_rate".into(),
            "回访处理率".into(),
            rate(r.revisit_handling_rate),
        ),
        (
            "revisit_handling_on_target".into(),
            "回访率达标(100%)".into(),
            yes_no(r.revisit_handling_on_target),
        ),
        (
            "satisfaction_rate".into(),
            "满意率".into(),
            rate(r.satisfaction_rate),
        ),
        (
            "paid_orders".into(),
            "有偿服务单数".into(),
            r.fees.orders.to_string(),
        ),
        (
            "fees_quoted".into(),
            "报价(元)".into(),
            yuan(r.fees.quoted_fen),
        ),
        (
            "fees_charged".into(),
            "应收(元)".into(),
            yuan(r.fees.charged_fen),
        ),
        (
            "fees_collected".into(),
            "实收(元)".into(),
            yuan(r.fees.collected_fen),
        ),
        (
            "fees_outstanding".into(),
            "未收(元)".into(),
            yuan(r.fees.outstanding_fen),
        ),
        (
            "desk_reports_due".into(),
            "部门应通报数".into(),
            r.desk_reports_due.to_string(),
        ),
        (
            "desk_reports_on_time".into(),
            "部门按时通报数".into(),
            r.desk_reports_on_time.to_string(),
        ),
        (
            "desk_reports_overdue".into(),
            "部门通报逾期数".into(),
            r.desk_reports_overdue.to_string(),
        ),
        (
            "desk_report_on_time_rate".into(),
            "部门按时通报率".into(),
            rate(r.desk_report_on_time_rate),
        ),
        (
            "renovations_applied".into(),
            "装修申请数".into(),
            r.renovations.applied.to_string(),
        ),
        (
            "renovation_acceptances_due".into(),
            "装修应验收数".into(),
            r.renovations.acceptances_due.to_string(),
        ),
        (
            "renovation_acceptances_on_time".into(),
            "装修按时验收数".into(),
            r.renovations.acceptances_on_time.to_string(),
        ),
        (
            "renovation_acceptances_overdue".into(),
            "装修验收逾期数".into(),
            r.renovations.acceptances_overdue.to_string(),
        ),
        (
            "renovations_passed".into(),
            "装修验收合格数".into(),
            r.renovations.passed.to_string(),
        ),
        (
            "renovations_failed".into(),
            "装修验收不合格数".into(),
            r.renovations.failed.to_string(),
        ),
        (
            "renovation_deposits_refunded".into(),
            "装修押金退还数".into(),
            r.renovations.deposits_refunded.to_string(),
        ),
        (
            "surveys_counted".into(),
            "满意度调查统计数".into(),
            r.surveys_counted.to_string(),
        ),
        (
            "surveys_valid".into(),
            "有效调查数".into(),
            r.surveys_valid.to_string(),
        ),
        (
            "survey_satisfaction_rate".into(),
            "调查满意率".into(),
            rate(r.survey_satisfaction_rate),
        ),
        (
            "customer_revisits_due".into(),
            "公司客户应回访数".into(),
            r.customer_revisits_due.to_string(),
        ),
        (
            "customer_revisits_done".into(),
            "公司客户已回访数".into(),
            r.customer_revisits_done.to_string(),
        ),
        (
            "customer_on_site_due".into(),
            "客户应现场回访数".into(),
            r.customer_on_site_due.to_string(),
        ),
        (
            "customer_on_site_done".into(),
            "客户现场回访(已签字)数".into(),
            r.customer_on_site_done.to_string(),
        ),
        (
            "customer_papers_due".into(),
            "客户回访资料应提交数".into(),
            r.customer_papers_due.to_string(),
        ),
        (
            "customer_papers_on_time".into(),
            "客户回访资料按时提交数".into(),
            r.customer_papers_on_time.to_string(),
        ),
        (
            "keys_held".into(),
            "托管钥匙数".into(),
            r.keys.held.to_string(),
        ),
        (
            "key_checks_done".into(),
            "钥匙核对次数".into(),
            r.keys.checks_done.to_string(),
        ),
        (
            "key_checks_late".into(),
            "钥匙核对逾期数".into(),
            r.keys.checks_late.to_string(),
        ),
        (
            "key_uses".into(),
            "钥匙使用次数".into(),
            r.keys.uses.to_string(),
        ),
        (
            "key_loans_outstanding".into(),
            "钥匙外借未还数".into(),
            r.keys.loans_outstanding.to_string(),
        ),
    ];
    for (category, n) in &r.requests_by_category {
        rows.push((
            format!("requests:{category}"),
            format!("报修:{category}"),
            n.to_string(),
        ));
    }
    for q in &r.quota {
        rows.push((
            format!("revisit_quota:{}", q.staff_id),
            format!("上门回访:{}", q.staff_id),
            format!("{}/{}", q.done, q.quota),
        ));
    }
    let mut out = String::from("\u{feff}figure,指标,value\r\n");
    for (en, zh, v) in rows {
        out.push_str(&format!("{},{},{}\r\n", cell(&en), cell(&zh), cell(&v)));
    }
    out
}

/// GET /v1/reports/monthly.csv?estate=&month=2026-11
#[utoipa::path(get, path = "/v1/reports/monthly.csv", tag = "report",
    params(("estate" = String, Query), ("month" = String, Query, description = "YYYY-MM")),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 403, body = crate::openapi::ErrorJson), (status = 400, body = crate::openapi::ErrorJson)))]
pub async fn monthly_csv(
    state: State<AppState>,
    who: Authed,
    Query(p): Query<ReportParams>,
) -> Result<Response, AppError> {
    let (estate, month) = (p.estate.clone(), p.month.clone());
    let report = monthly_report(state, who, Query(p)).await?.0;
    let filename = format!("rounds-{estate}-{month}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        to_csv(&estate, &month, &report),
    )
        .into_response())
}
