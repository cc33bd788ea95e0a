//! The office console: static HTML, CSS and ES modules compiled into the
//! server (no Node build step), served at `/` and `/console/…`. The pages
//! talk only to the JSON API, as any other office tool would.

pub mod login;

use crate::error::AppError;
use crate::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// (path under /console/, content type, bytes)
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("../../console/console.css"),
    ),
    ("js/admin.js", JS, include_str!("../../console/js/admin.js")),
    ("js/api.js", JS, include_str!("../../console/js/api.js")),
    (
        "js/customers.js",
        JS,
        include_str!("../../console/js/customers.js"),
    ),
    ("js/app.js", JS, include_str!("../../console/js/app.js")),
    (
        "js/company.js",
        JS,
        include_str!("../../console/js/company.js"),
    ),
    (
        "js/charts.js",
        JS,
        include_str!("../../console/js/charts.js"),
    ),
    (
        "js/complaint.js",
        JS,
        include_str!("../../console/js/complaint.js"),
    ),
    (
        "js/format.js",
        JS,
        include_str!("../../console/js/format.js"),
    ),
    ("js/forms.js", JS, include_str!("../../console/js/forms.js")),
    ("js/keys.js", JS, include_str!("../../console/js/keys.js")),
    ("js/desk.js", JS, include_str!("../../console/js/desk.js")),
    ("js/login.js", JS, include_str!("../../console/js/login.js")),
    (
        "js/estates.js",
        JS,
        include_str!("../../console/js/estates.js"),
    ),
    (
        "js/import.js",
        JS,
        include_str!("../../console/js/import.js"),
    ),
    ("js/unit.js", JS, include_str!("../../console/js/unit.js")),
    (
        "js/renovations.js",
        JS,
        include_str!("../../console/js/renovations.js"),
    ),
    ("js/links.js", JS, include_str!("../../console/js/links.js")),
    (
        "js/mywork.js",
        JS,
        include_str!("../../console/js/mywork.js"),
    ),
    (
        "js/reception.js",
        JS,
        include_str!("../../console/js/reception.js"),
    ),
    (
        "js/patrols.js",
        JS,
        include_str!("../../console/js/patrols.js"),
    ),
    (
        "js/record.js",
        JS,
        include_str!("../../console/js/record.js"),
    ),
    (
        "js/report.js",
        JS,
        include_str!("../../console/js/report.js"),
    ),
    (
        "js/surveys.js",
        JS,
        include_str!("../../console/js/surveys.js"),
    ),
    (
        "js/settlement.js",
        JS,
        include_str!("../../console/js/settlement.js"),
    ),
    (
        "js/revisits.js",
        JS,
        include_str!("../../console/js/revisits.js"),
    ),
    (
        "js/templates.js",
        JS,
        include_str!("../../console/js/templates.js"),
    ),
    (
        "js/supervisor.js",
        JS,
        include_str!("../../console/js/supervisor.js"),
    ),
];
const JS: &str = "text/javascript; charset=utf-8";
const INDEX: &str = include_str!("../../console/index.html");

/// Scripts only from this server; no inline script, so injected text cannot run.
const CSP: &str = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'";

/// GET /
pub async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}

/// GET /console/{*file}
pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == file) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => AppError::NotFound(file).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::ASSETS;

    /// A script written but not listed here would be a 404 and leave the
    /// console blank: every file under console/js is served.
    #[test]
    fn every_script_of_the_console_is_served() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/console/js");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = format!("js/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(
                ASSETS.iter().any(|(path, _, _)| *path == name),
                "{name} is not served"
            );
        }
    }
}
