//! The staff list with each person's devices, and the director's changes to
//! it: create, change name, role or estates, disable and re-enable. A
//! supervisor sees the staff of their own estates (`rounds_core::admin`).

use axum::extract::State;
use axum::Json;
use rounds_core::admin::{self, AuditAction, MAX_USERNAME_CHARS};
use rounds_core::documents::estate::EstateDoc;
use rounds_core::documents::Record;
use rounds_core::store::Query as StoreQuery;
use rounds_core::{RecordId, RecordKind, Role, Staff};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::director;
use crate::admin::passwords::{check_new_password, hash, temporary_password};
use crate::db::admin::{Account, AccountChange, AuditEntry};
use crate::error::AppError;
use crate::extract::Path;
use crate::office::form::Form;
use crate::phone::auth::{sessions_may_have_ended, Authed};
use crate::state::{AppState, Db};


#[derive(Debug, Serialize, ToSchema)]
pub struct EstateName {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<Account>,
    /// Every estate of the company, for the estates a person works on.
    pub estates: Vec<EstateName>,
    /// Whether the caller may change accounts (a director), or only look
    /// and revoke devices (a supervisor).
    pub may_manage: bool,
}

/// Every estate the server holds, by id.
pub(crate) fn all_estates(db: &mut Db) -> Result<Vec<EstateName>, AppError> {
    let rows = db.query(&StoreQuery {
        kind: Some(RecordKind::Estate),
        ..StoreQuery::default()
    })?;
    let mut out = vec![];
    for row in rows {
        let id = RecordId::parse(&row.id).map_err(|e| AppError::Internal(e.to_string()))?;
        let estate = EstateDoc::from_record(db.load(&id)?)?.read()?;
        out.push(EstateName {
            id: estate.id,
            name: estate.name,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// GET /v1/admin/staff: everyone (a director) or the staff of the caller's
/// estates (a supervisor), with their state and devices.
#[utoipa::path(get, path = "/v1/admin/staff", tag = "admin",
    responses((status = 200, body = StaffList), (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn list(State(state): State<AppState>, who: Authed) -> Result<Json<StaffList>, AppError> {
    if !admin::oversees_staff(who.staff.role) {
        return Err(AppError::forbidden(
            "只有主管或主任可以查看员工账号",
            "only a supervisor or director may see staff accounts",
        ));
    }
    let may_manage = admin::manages_accounts(who.staff.role);
    let list = state
        .db(move |db| {
            let mut staff = db.accounts()?;
            if !may_manage {
                staff.retain(|a| a.estates.iter().any(|e| who.staff.works_on(e)));
            }
            Ok(StaffList {
                staff,
                estates: all_estates(db)?,
                may_manage,
            })
        })
        .await?;
    Ok(Json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewStaff {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub estates: Vec<String>,
    /// Left empty, a temporary one is made and shown once. Either way the
    /// person sets their own at the first sign-in.
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub account: Account,
    /// The password made for them, shown this once; null when the director set it.
    pub temporary_password: Option<String>,
}

/// The name, role and estates as given, checked beside each field.
fn checked_details(
    name: &str,
    role: &str,
    estates: &[String],
    known: &[EstateName],
) -> Result<(String, Role, Vec<String>), AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "请填写姓名", "enter the name"));
    }
    let role = Role::parse(role)
        .ok_or_else(|| AppError::invalid("role", "请选择角色", "choose a role"))?;
    let mut estates: Vec<String> = estates.iter().map(|e| e.trim().to_owned()).collect();
    estates.sort();
    estates.dedup();
    if let Some(unknown) = estates.iter().find(|e| !known.iter().any(|k| &k.id == *e)) {
        return Err(AppError::invalid(
            "estates",
            format!("没有这个小区:{unknown}"),
            format!("no such estate: {unknown}"),
        ));
    }
    if estates.is_empty() && admin::needs_estates(role) {
        return Err(AppError::invalid(
            "estates",
            "请至少选择一个小区",
            "choose at least one estate",
        ));
    }
    Ok((name.to_owned(), role, estates))
}

pub(crate) fn details(staff: &Staff) -> serde_json::Value {
    serde_json::json!({ "name": staff.name, "role": staff.role.as_str(), "estates": staff.estates })
}

fn find(db: &mut Db, id: &str) -> Result<Account, AppError> {
    db.accounts()?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::NotFound(id.to_owned()))
}

/// POST /v1/admin/staff
#[utoipa::path(post, path = "/v1/admin/staff", tag = "admin", request_body = NewStaff,
    responses((status = 200, body = Created), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, description = "bad input, beside its field (a username taken: `username`)", body = crate::openapi::ErrorJson)))]
pub async fn create(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<NewStaff>,
) -> Result<Json<Created>, AppError> {
    director(&who)?;
    let username = form.username.trim().to_owned();
    if username.is_empty()
        || username.chars().any(char::is_whitespace)
        || username.chars().count() > MAX_USERNAME_CHARS
    {
        return Err(AppError::invalid(
            "username",
            format!("用户名不能为空、不能含空格,最多 {MAX_USERNAME_CHARS} 个字符"),
            format!("the username must be 1 to {MAX_USERNAME_CHARS} characters without spaces"),
        ));
    }
    let known = state.db(all_estates).await?;
    let (name, role, estates) = checked_details(&form.name, &form.role, &form.estates, &known)?;
    let temporary = if form.password.is_empty() {
        Some(temporary_password()?)
    } else {
        check_new_password("password", &form.password)?;
        None
    };
    let password_hash = hash(temporary.clone().unwrap_or(form.password)).await?;
    let staff = Staff {
        id: format!("s-{}", RecordId::new()),
        name,
        role,
        estates,
    };
    let account = state
        .db(move |db| {
            let mut detail = details(&staff);
            detail["username"] = username.clone().into();
            let audit =
                AuditEntry::new(&who.staff.id, AuditAction::StaffCreated, &staff.id, detail);
            let change = AccountChange::Create {
                staff: staff.clone(),
                username,
                password_hash,
                must_change_password: true,
            };
            db.apply(&change, &audit)?;
            find(db, &staff.id)
        })
        .await?;
    tracing::info!(staff = %account.id, username = %account.username, "staff account created");
    Ok(Json(Created {
        account,
        temporary_password: temporary,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffChange {
    /// Each left out stays as it is.
    pub name: Option<String>,
    pub role: Option<String>,
    pub estates: Option<Vec<String>>,
}

/// POST /v1/admin/staff/{id}: a new name, role or estates. The last active
/// director keeps the role (409 `conflict`).
#[utoipa::path(post, path = "/v1/admin/staff/{id}", tag = "admin", params(("id" = String, Path)),
    request_body = StaffChange,
    responses((status = 200, body = Account), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson),
        (status = 422, body = crate::openapi::ErrorJson)))]
pub async fn update(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(form): Form<StaffChange>,
) -> Result<Json<Account>, AppError> {
    director(&who)?;
    let account = state
        .db(move |db| {
            let known = all_estates(db)?;
            let current = find(db, &id)?;
            let before = current.staff()?;
            let (name, role, estates) = checked_details(
                form.name.as_deref().unwrap_or(&before.name),
                form.role.as_deref().unwrap_or(before.role.as_str()),
                form.estates.as_deref().unwrap_or(&before.estates),
                &known,
            )?;
            let after = Staff {
                id: id.clone(),
                name,
                role,
                estates,
            };
            let audit = AuditEntry::new(
                &who.staff.id,
                AuditAction::StaffChanged,
                &id,
                serde_json::json!({
                    "username": current.username,
                    "before": details(&before),
                    "after": details(&after),
                }),
            );
            db.apply(&AccountChange::Update { staff: after }, &audit)?;
            find(db, &id)
        })
        .await?;
    Ok(Json(account))
}

/// Disables or re-enables an account, recorded.
async fn set_disabled(
    state: AppState,
    who: Authed,
    id: String,
    disabled: bool,
) -> Result<Json<Account>, AppError> {
    director(&who)?;
    let (account, ended) = state
        .db(move |db| {
            let current = find(db, &id)?;
            let (action, change) = if disabled {
                (
                    AuditAction::StaffDisabled,
                    AccountChange::Disable {
                        staff_id: id.clone(),
                    },
                )
            } else {
                (
                    AuditAction::StaffEnabled,
                    AccountChange::Enable {
                        staff_id: id.clone(),
                    },
                )
            };
            let audit = AuditEntry::new(
                &who.staff.id,
                action,
                &id,
                serde_json::json!({ "username": current.username, "name": current.name }),
            );
            let ended = db.apply(&change, &audit)?;
            Ok((find(db, &id)?, ended))
        })
        .await?;
    // Their open event streams end now.
    sessions_may_have_ended(&state, &ended);
    Ok(Json(account))
}

/// POST /v1/admin/staff/{id}/disable: no sign-in, and every token of theirs
/// stops working at once. The last active director cannot be (409).
#[utoipa::path(post, path = "/v1/admin/staff/{id}/disable", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = Account), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson), (status = 409, body = crate::openapi::ErrorJson)))]
pub async fn disable(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Account>, AppError> {
    set_disabled(state, who, id, true).await
}

/// POST /v1/admin/staff/{id}/enable
#[utoipa::path(post, path = "/v1/admin/staff/{id}/enable", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = Account), (status = 403, body = crate::openapi::ErrorJson),
        (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn enable(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Account>, AppError> {
    set_disabled(state, who, id, false).await
}
