//! The JSON API as OpenAPI 3, served at GET /v1/openapi.json. Handlers of
//! this crate's office and console carry their own `#[utoipa::path]`; the
//! device routes (login, sync, events, blobs) and the office reads written
//! before this document are described here by stand-in functions, so their
//! files stay as they are.
#![allow(dead_code)]

use axum::Json;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

/// Every error: `{code, message}` with the message as "中文 / English", the
/// two halves apart, and for bad input the field it concerns.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorJson {
    pub code: String,
    pub message: String,
    pub message_zh: String,
    pub message_en: String,
    pub field: Option<String>,
}

#[utoipa::path(post, path = "/v1/login", tag = "device",
    request_body(content = Object, description = "rounds_core::sync::LoginRequest"),
    responses((status = 200, description = "token and staff (rounds_core::sync::LoginResponse)", body = Object),
        (status = 401, body = ErrorJson),
        (status = 409, description = "device_taken or device_key_changed", body = ErrorJson),
        (status = 429, description = "too many failed attempts; Retry-After says when to try again", body = ErrorJson)))]
fn login() {}

#[utoipa::path(post, path = "/v1/devices/{id}/revoke", tag = "device", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorJson)))]
fn revoke() {}

#[utoipa::path(post, path = "/v1/sync", tag = "device",
    request_body(content = Object, description = "rounds_core::sync::SyncRequest (server/PROTOCOL.md)"),
    responses((status = 200, description = "rounds_core::sync::SyncResponse", body = Object),
        (status = 401, body = ErrorJson)))]
fn sync() {}

#[utoipa::path(get, path = "/v1/events", tag = "device",
    responses((status = 200, description = "Server-Sent Events: `changed` with {seq}", content_type = "text/event-stream", body = String)))]
fn events() {}

#[utoipa::path(put, path = "/v1/blobs/{hash}", tag = "device", params(("hash" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "one chunk; Content-Range: bytes START-END/TOTAL"),
    responses((status = 200, body = Object), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
fn blob_put() {}

#[utoipa::path(get, path = "/v1/blobs/{hash}", tag = "device", params(("hash" = String, Path)),
    responses((status = 200, description = "the photo or signature image", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = ErrorJson)))]
fn blob_get() {}

#[utoipa::path(head, path = "/v1/blobs/{hash}", tag = "device", params(("hash" = String, Path)),
    responses((status = 200, description = "stored"), (status = 404, description = "not yet; Upload-Offset says how much arrived")))]
fn blob_head() {}

#[utoipa::path(get, path = "/v1/orders", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query), ("overdue" = Option<bool>, Query)),
    responses((status = 200, description = "query-table rows (rounds_core::documents::IndexRow)", body = Vec<Object>)))]
fn orders() {}

#[utoipa::path(get, path = "/v1/complaints", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query)),
    responses((status = 200, description = "query-table rows", body = Vec<Object>)))]
fn complaints() {}

#[utoipa::path(get, path = "/v1/revisits", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query), ("due" = Option<bool>, Query)),
    responses((status = 200, description = "query-table rows", body = Vec<Object>)))]
fn revisits() {}

#[utoipa::path(get, path = "/v1/inspections", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query)),
    responses((status = 200, description = "query-table rows", body = Vec<Object>)))]
fn inspections() {}

#[utoipa::path(get, path = "/v1/rectifications", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query), ("due" = Option<bool>, Query)),
    responses((status = 200, description = "query-table rows", body = Vec<Object>)))]
fn rectifications() {}

#[utoipa::path(get, path = "/v1/keys", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query), ("overdue" = Option<bool>, Query)),
    responses((status = 200, description = "query-table rows; due_at is the next weekly check", body = Vec<Object>)))]
fn keys() {}

#[utoipa::path(get, path = "/v1/renovations", tag = "office",
    params(("status" = Option<String>, Query), ("estate" = Option<String>, Query), ("overdue" = Option<bool>, Query)),
    responses((status = 200, description = "query-table rows; due_at is the acceptance while it is awaited", body = Vec<Object>)))]
fn renovations() {}

#[utoipa::path(get, path = "/v1/reports/monthly", tag = "report",
    params(("estate" = String, Query), ("month" = String, Query, description = "YYYY-MM")),
    responses((status = 200, description = "rounds_core::rules::MonthlyReport", body = Object),
        (status = 403, body = ErrorJson)))]
fn monthly() {}

#[utoipa::path(get, path = "/v1/records/{id}", tag = "office", params(("id" = String, Path)),
    responses((status = 200, description = "the record's row and history", body = Object),
        (status = 404, body = ErrorJson)))]
fn record() {}

#[utoipa::path(get, path = "/v1/openapi.json", tag = "console",
    responses((status = 200, description = "this document", body = Object)))]
fn spec() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rounds 巡·修·访 API",
        description = "Sync for phones, and the office's JSON API. Errors: ErrorJson."
    ),
    paths(
        login,
        revoke,
        sync,
        events,
        blob_put,
        blob_get,
        blob_head,
        orders,
        complaints,
        revisits,
        inspections,
        rectifications,
        keys,
        renovations,
        monthly,
        record,
        spec,
        crate::console::login::login,
        crate::console::login::logout,
        crate::office::directory::me,
        crate::office::directory::estates,
        crate::office::directory::staff,
        crate::office::directory::departments,
        crate::office::labels::labels,
        crate::office::intake::register_request,
        crate::office::intake::register_complaint,
        crate::office::order_actions::dispatch,
        crate::office::order_actions::refuse,
        crate::office::order_actions::review,
        crate::office::order_actions::decide_extension,
        crate::office::order_actions::record_consent,
        crate::office::order_actions::resolve_conflict,
        crate::office::order_actions::return_order,
        crate::office::order_actions::close,
        crate::office::order_actions::set_deadline,
        crate::office::order_actions::request_extension,
        crate::office::complaint_actions::dispatch,
        crate::office::complaint_actions::classify,
        crate::office::complaint_actions::answer,
        crate::office::complaint_actions::resolve,
        crate::office::complaint_actions::report_back,
        crate::office::complaint_actions::close,
        crate::office::complaint_actions::notify_departments,
        crate::office::complaint_actions::escalate,
        crate::office::complaint_actions::written_report,
        crate::office::complaint_actions::verify,
        crate::office::complaint_actions::open_order,
        crate::office::complaint_view::complaint,
        crate::office::revisit_actions::record_phone,
        crate::office::patrols::inspection,
        crate::office::patrols::review,
        crate::office::patrols::send_back,
        crate::office::patrols::issue,
        crate::office::patrols::rectification,
        crate::office::patrols::report,
        crate::office::patrols::reinspect,
        crate::office::keys::key,
        crate::office::keys::deposit,
        crate::office::keys::check,
        crate::office::keys::lend,
        crate::office::keys::returned,
        crate::office::keys::hand_back,
        crate::office::renovations::renovation,
        crate::office::renovations::apply,
        crate::office::renovations::step,
        crate::office::revisit_actions::plan_home_visit,
        crate::office::revisit_actions::follow_ups,
        crate::office::revisit_actions::reply,
        crate::office::revisit_actions::send_administrator,
        crate::office::revisit_actions::draw_complaint_sample,
        crate::office::order_view::order,
        crate::office::order_view::pending_extensions,
        crate::office::complaint_board::board,
        crate::office::report_csv::monthly_csv,
        crate::office::fees::collect,
        crate::office::fees::settlement_json,
        crate::office::fees::settlement_csv,
        crate::admin::staff::list,
        crate::admin::staff::create,
        crate::admin::staff::update,
        crate::admin::staff::disable,
        crate::admin::staff::enable,
        crate::admin::staff_import::preview,
        crate::admin::staff_import::apply,
        crate::admin::passwords::reset,
        crate::admin::passwords::change_own,
        crate::admin::passwords::set_new,
        crate::admin::audit::audit_log,
        crate::office::templates::list,
        crate::office::templates::defaults,
        crate::office::templates::template,
        crate::office::templates::version,
        crate::office::templates::create,
        crate::office::templates::publish,
        crate::office::company_rules::rules,
        crate::office::company_rules::change_rules,
        crate::office::company_rules::replace_calendar,
        crate::office::estate_admin::places,
        crate::office::estate_admin::create,
        crate::office::estate_admin::edit,
        crate::office::estate_import::preview,
        crate::office::estate_import::apply,
        crate::office::resident_file::resident_file,
        crate::office::desk::logs,
        crate::office::desk::open,
        crate::office::desk::log,
        crate::office::desk::add_entry,
        crate::office::desk::close_item,
        crate::office::desk::report_status,
        crate::office::desk::hand_over,
        crate::office::desk::take_over,
        crate::office::desk::reports_due,
        crate::office::surveys::surveys,
        crate::office::surveys::items,
        crate::office::surveys::due,
        crate::office::surveys::yearly,
        crate::office::surveys::open,
        crate::office::surveys::survey,
        crate::office::surveys::send,
        crate::office::surveys::record_form,
        crate::office::surveys::close,
        crate::office::surveys::assign_action,
        crate::office::customers::list,
        crate::office::customers::register,
        crate::office::customers::customer,
        crate::office::customers::update,
        crate::office::customers::report,
        crate::office::customers::file,
        crate::office::customers::paperwork_due,
    ),
    components(schemas(ErrorJson))
)]
pub struct ApiDoc;

/// GET /v1/openapi.json
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
