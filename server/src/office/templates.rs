//! Checklist templates (检查模板) in the office: an estate's templates with
//! their current version, one template with every version it published, a
//! new template (from scratch or from one of the manuals' four), and an
//! edited checklist published as the next version. Who may author and
//! publish is asked of core, never listed here.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::template::{
    default_templates, Template, TemplateDraft, TemplateItem, TemplateVersion,
};
use rounds_core::documents::IndexRow;
use rounds_core::session::Session;
use rounds_core::store::Query as StoreQuery;
use rounds_core::{RecordId, RecordKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::audit;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::office::acting::{act, read_as};
use crate::office::form::Form;
use crate::office::scope::{own_estate, record_id};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};
use rounds_core::admin::AuditAction;

#[derive(Debug, Deserialize)]
pub struct EstateFilter {
    pub estate: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    /// Query-table rows (rounds_core::documents::IndexRow); `facts` holds
    /// `latest_version` and `items`.
    #[schema(value_type = Vec<Object>)]
    pub templates: Vec<IndexRow>,
    /// Whether the signed-in person may author a template in this estate.
    pub may_author: bool,
}

/// GET /v1/templates?estate=: the estate's checklist templates.
#[utoipa::path(get, path = "/v1/templates", tag = "templates",
    params(("estate" = String, Query)),
    responses((status = 200, body = TemplateList), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn list(
    State(state): State<AppState>,
    who: Authed,
    Query(f): Query<EstateFilter>,
) -> Result<Json<TemplateList>, AppError> {
    let estate = match f.estate {
        Some(e) => own_estate(&who, &e)?,
        None => who.staff.estates.first().cloned().unwrap_or_default(),
    };
    let out = read_as(&state, who, move |s| {
        let templates = s.store().query(&StoreQuery {
            kind: Some(RecordKind::Template),
            estates: Some(vec![estate.clone()]),
            ..StoreQuery::default()
        })?;
        Ok(TemplateList {
            templates,
            may_author: s.may_author_template(&estate),
        })
    })
    .await?;
    Ok(Json(out))
}

/// GET /v1/templates/defaults: the manuals' four checklists, to start from.
#[utoipa::path(get, path = "/v1/templates/defaults", tag = "templates",
    responses((status = 200, description = "rounds_core::documents::template::TemplateDraft each", body = Vec<Object>)))]
pub async fn defaults(_who: Authed) -> Json<Vec<TemplateDraft>> {
    Json(default_templates())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    /// The whole template with every version (rounds_core::documents::template::Template).
    #[schema(value_type = Object)]
    pub template: Template,
    /// The current version's number: new inspections start on it.
    pub latest_version: Option<i64>,
    /// Two heads published the same number offline: publish again.
    pub conflicted: bool,
    pub may_publish: bool,
}

fn template_view(s: &Session<&mut Db>, id: &RecordId) -> Result<TemplateView, AppError> {
    let template = s.template(id)?;
    Ok(TemplateView {
        latest_version: template.latest().map(|v| v.version),
        conflicted: template.has_duplicate_versions(),
        may_publish: s.may_publish_template(id)?,
        template,
    })
}

/// GET /v1/templates/{id}
#[utoipa::path(get, path = "/v1/templates/{id}", tag = "templates",
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn template(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<TemplateView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(
        read_as(&state, who, move |s| template_view(s, &id)).await?,
    ))
}

/// GET /v1/templates/{id}/versions/{version}: one published version, as
/// the inspections started on it read it.
#[utoipa::path(get, path = "/v1/templates/{id}/versions/{version}", tag = "templates",
    params(("id" = String, Path), ("version" = i64, Path)),
    responses((status = 200, description = "rounds_core::documents::template::TemplateVersion", body = Object),
        (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn version(
    State(state): State<AppState>,
    who: Authed,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Json<TemplateVersion>, AppError> {
    let id = record_id(&id)?;
    let v = read_as(&state, who, move |s| {
        s.template(&id)?
            .version(n)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("{id} v{n}")))
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTemplateForm {
    /// Made when the form opens, so a retried submit creates one template.
    pub id: String,
    #[serde(default)]
    pub estate_id: String,
    /// building_patrol, vacant_unit_patrol, … or the company's own.
    #[serde(default)]
    pub checklist_kind: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TemplateItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// POST /v1/templates: a new template, its first version published.
#[utoipa::path(post, path = "/v1/templates", tag = "templates",
    request_body = NewTemplateForm,
    responses((status = 201, body = Created), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn create(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<NewTemplateForm>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id =
        record_id(&form.id).map_err(|_| AppError::invalid("id", "编号不对", "not a record id"))?;
    if form.estate_id.is_empty() {
        return Err(AppError::invalid(
            "estate_id",
            "请选择小区",
            "choose the estate",
        ));
    }
    let estate = own_estate(&who, &form.estate_id)?;
    let draft = TemplateDraft {
        checklist_kind: form.checklist_kind,
        name_zh: form.name_zh,
        name_en: form.name_en,
        items: form.items,
    };
    let id = act(&state, who.staff, None, move |s| {
        let id = s.create_template(id, &estate, &draft)?;
        let detail = serde_json::json!({ "estate": estate, "name": draft.name_zh });
        audit::record(s, AuditAction::TemplateCreated, id.as_str(), detail)?;
        Ok(id)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishForm {
    /// The next version's checklist, in order.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TemplateItem>,
}

/// POST /v1/templates/{id}/versions: the edited checklist published as the
/// next version (the same items as the current one publish nothing).
#[utoipa::path(post, path = "/v1/templates/{id}/versions", tag = "templates",
    params(("id" = String, Path)), request_body = PublishForm,
    responses((status = 200, body = TemplateView), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn publish(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Json<TemplateView>, AppError> {
    crate::office::acting::step_on(
        &state,
        who,
        &id,
        move |s, id| {
            let version = s.publish_template(id, &form.items)?;
            let detail = serde_json::json!({ "version": version });
            audit::record(s, AuditAction::TemplatePublished, id.as_str(), detail)
        },
        template_view,
    )
    .await
}
