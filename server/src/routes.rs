//! Every route of the API in one table.

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::admin::{audit as admin_audit, passwords, staff as admin_staff, staff_import};
use crate::console::{self, login as console_login};
use crate::error::AppError;
use crate::office::keys as office_keys;
use crate::office::lists as office;
use crate::office::patrols as patrol_office;
use crate::office::renovations as office_renovations;
use crate::office::templates;
use crate::office::{
    company_rules, complaint_actions, complaint_board, complaint_view, customers, desk, directory,
    estate_admin, estate_import, fees, intake, labels, order_actions, order_view, report_csv,
    resident_file, revisit_actions, surveys,
};
use crate::openapi;
use crate::phone::{auth, blobs, events, sync};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .route("/v1/login", post(auth::login))
        .route("/v1/devices/{id}/revoke", post(auth::revoke))
        .route("/v1/sync", post(sync::sync))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/v1/events", get(events::events))
        .route(
            "/v1/blobs/{hash}",
            put(blobs::put).get(blobs::get).head(blobs::head),
        )
        .route(
            "/v1/orders",
            get(office::orders).post(intake::register_request),
        )
        .route(
            "/v1/complaints",
            get(office::complaints).post(intake::register_complaint),
        )
        .route("/v1/revisits", get(office::revisits))
        .route("/v1/reports/monthly", get(office::monthly_report))
        .route("/v1/records/{id}", get(office::record))
        // The office console and the API it writes through.
        .route("/v1/openapi.json", get(openapi::openapi_json))
        .route("/v1/console/login", post(console_login::login))
        .route("/v1/console/logout", post(console_login::logout))
        .route("/v1/me", get(directory::me))
        .route(
            "/v1/estates",
            get(directory::estates).post(estate_admin::create),
        )
        .route(
            "/v1/estates/{estate}/places",
            get(estate_admin::places).post(estate_admin::edit),
        )
        .route(
            "/v1/estates/{estate}/import/preview",
            post(estate_import::preview),
        )
        .route("/v1/estates/{estate}/import", post(estate_import::apply))
        .route("/v1/units/{unit}", get(resident_file::resident_file))
        .route("/v1/staff", get(directory::staff))
        .route("/v1/departments", get(directory::departments))
        .route("/v1/labels", get(labels::labels))
        .route("/v1/orders/{id}", get(order_view::order))
        .route("/v1/orders/{id}/dispatch", post(order_actions::dispatch))
        .route("/v1/orders/{id}/refuse", post(order_actions::refuse))
        .route("/v1/orders/{id}/review", post(order_actions::review))
        .route("/v1/orders/{id}/return", post(order_actions::return_order))
        .route("/v1/orders/{id}/close", post(order_actions::close))
        .route("/v1/orders/{id}/fee", post(fees::collect))
        .route("/v1/settlement", get(fees::settlement_json))
        .route("/v1/settlement.csv", get(fees::settlement_csv))
        .route(
            "/v1/orders/{id}/deadline",
            post(order_actions::set_deadline),
        )
        .route(
            "/v1/orders/{id}/extensions",
            post(order_actions::request_extension),
        )
        .route(
            "/v1/orders/{id}/extensions/{ext}/decision",
            post(order_actions::decide_extension),
        )
        .route(
            "/v1/orders/{id}/extensions/{ext}/consent",
            post(order_actions::record_consent),
        )
        .route(
            "/v1/orders/{id}/resolve-conflict",
            post(order_actions::resolve_conflict),
        )
        .route("/v1/extensions", get(order_view::pending_extensions))
        .route("/v1/complaints/board", get(complaint_board::board))
        .route(
            "/v1/complaints/{id}/dispatch",
            post(complaint_actions::dispatch),
        )
        .route(
            "/v1/complaints/{id}/classify",
            post(complaint_actions::classify),
        )
        .route(
            "/v1/complaints/{id}/answer",
            post(complaint_actions::answer),
        )
        .route(
            "/v1/complaints/{id}/resolve",
            post(complaint_actions::resolve),
        )
        .route(
            "/v1/complaints/{id}/report-back",
            post(complaint_actions::report_back),
        )
        .route("/v1/complaints/{id}/close", post(complaint_actions::close))
        .route("/v1/complaints/{id}", get(complaint_view::complaint))
        .route(
            "/v1/complaints/{id}/orders",
            post(complaint_actions::open_order),
        )
        .route(
            "/v1/complaints/{id}/notify-departments",
            post(complaint_actions::notify_departments),
        )
        .route(
            "/v1/complaints/{id}/escalate",
            post(complaint_actions::escalate),
        )
        .route(
            "/v1/complaints/{id}/written-report",
            post(complaint_actions::written_report),
        )
        .route(
            "/v1/complaints/{id}/verify",
            post(complaint_actions::verify),
        )
        .route(
            "/v1/revisits/{id}/phone",
            post(revisit_actions::record_phone),
        )
        .route("/v1/revisits/follow-ups", get(revisit_actions::follow_ups))
        .route("/v1/revisits/{id}/reply", post(revisit_actions::reply))
        .route(
            "/v1/revisits/{id}/send-administrator",
            post(revisit_actions::send_administrator),
        )
        .route(
            "/v1/revisits/home-visits",
            post(revisit_actions::plan_home_visit),
        )
        .route(
            "/v1/revisits/complaint-sample",
            post(revisit_actions::draw_complaint_sample),
        )
        .route("/v1/inspections", get(office::inspections))
        .route("/v1/inspections/{id}", get(patrol_office::inspection))
        .route("/v1/inspections/{id}/review", post(patrol_office::review))
        .route(
            "/v1/inspections/{id}/send-back",
            post(patrol_office::send_back),
        )
        .route(
            "/v1/inspections/{id}/rectifications",
            post(patrol_office::issue),
        )
        .route("/v1/rectifications", get(office::rectifications))
        .route("/v1/rectifications/{id}", get(patrol_office::rectification))
        .route(
            "/v1/rectifications/{id}/report",
            post(patrol_office::report),
        )
        .route(
            "/v1/rectifications/{id}/reinspect",
            post(patrol_office::reinspect),
        )
        .route("/v1/keys", get(office::keys).post(office_keys::deposit))
        .route("/v1/keys/{id}", get(office_keys::key))
        .route("/v1/keys/{id}/checks", post(office_keys::check))
        .route("/v1/keys/{id}/loans", post(office_keys::lend))
        .route(
            "/v1/keys/{id}/loans/{loan}/return",
            post(office_keys::returned),
        )
        .route("/v1/keys/{id}/hand-back", post(office_keys::hand_back))
        .route(
            "/v1/renovations",
            get(office::renovations).post(office_renovations::apply),
        )
        .route("/v1/renovations/{id}", get(office_renovations::renovation))
        .route("/v1/renovations/{id}/steps", post(office_renovations::step))
        .route("/v1/desk-logs", get(desk::logs).post(desk::open))
        .route("/v1/desk-logs/{id}", get(desk::log))
        .route("/v1/desk-logs/{id}/entries", post(desk::add_entry))
        .route("/v1/desk-logs/{id}/close", post(desk::close_item))
        .route("/v1/desk-logs/{id}/reports", post(desk::report_status))
        .route("/v1/desk-logs/{id}/hand-over", post(desk::hand_over))
        .route("/v1/desk-logs/{id}/take-over", post(desk::take_over))
        .route("/v1/desk-reports", get(desk::reports_due))
        .route("/v1/surveys", get(surveys::surveys).post(surveys::open))
        .route("/v1/surveys/items", get(surveys::items))
        .route("/v1/surveys/due", get(surveys::due))
        .route("/v1/surveys/yearly", get(surveys::yearly))
        .route("/v1/surveys/{id}", get(surveys::survey))
        .route("/v1/surveys/{id}/send", post(surveys::send))
        .route("/v1/surveys/{id}/forms", post(surveys::record_form))
        .route("/v1/surveys/{id}/close", post(surveys::close))
        .route("/v1/surveys/{id}/actions", post(surveys::assign_action))
        .route(
            "/v1/customers",
            get(customers::list).post(customers::register),
        )
        .route(
            "/v1/customers/{id}",
            get(customers::customer).post(customers::update),
        )
        .route("/v1/revisits/{id}/customer-report", post(customers::report))
        .route("/v1/revisits/{id}/customer-file", post(customers::file))
        .route("/v1/customer-paperwork", get(customers::paperwork_due))
        .route("/v1/reports/monthly.csv", get(report_csv::monthly_csv))
        // Accounts, passwords and the audit log.
        .route(
            "/v1/admin/staff",
            get(admin_staff::list).post(admin_staff::create),
        )
        .route("/v1/admin/staff/import", post(staff_import::apply))
        .route(
            "/v1/admin/staff/import/preview",
            post(staff_import::preview),
        )
        .route("/v1/admin/staff/{id}", post(admin_staff::update))
        .route("/v1/admin/staff/{id}/disable", post(admin_staff::disable))
        .route("/v1/admin/staff/{id}/enable", post(admin_staff::enable))
        .route(
            "/v1/admin/staff/{id}/reset-password",
            post(passwords::reset),
        )
        .route("/v1/admin/audit", get(admin_audit::audit_log))
        .route("/v1/me/password", post(passwords::change_own))
        .route("/v1/password", post(passwords::set_new))
        .route(
            "/v1/templates",
            get(templates::list).post(templates::create),
        )
        .route("/v1/templates/defaults", get(templates::defaults))
        .route("/v1/templates/{id}", get(templates::template))
        .route("/v1/templates/{id}/versions", post(templates::publish))
        .route(
            "/v1/templates/{id}/versions/{version}",
            get(templates::version),
        )
        .route(
            "/v1/company/rules",
            get(company_rules::rules).put(company_rules::change_rules),
        )
        .route("/v1/company/calendar", put(company_rules::replace_calendar))
        .route("/", get(console::index))
        .route("/console/{*file}", get(console::asset))
        // After every route: a known path asked with another method.
        .method_not_allowed_fallback(wrong_method)
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(limit))
        // A span per request (method, path), with its status and time when
        // it ends; RUST_LOG=tower_http=debug shows each.
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A path no route has: 404 `not_found`, as JSON like every other error.
async fn no_route(uri: Uri) -> AppError {
    let path = uri.path();
    AppError::NotFound(path.to_owned())
}

/// A route asked with a method it does not take: 405 `method_not_allowed`
/// (axum adds the `Allow` header).
async fn wrong_method(method: Method, uri: Uri) -> AppError {
    let path = uri.path();
    AppError::MethodNotAllowed(format!("{method} {path}"))
}
