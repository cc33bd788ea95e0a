//! Importing the staff list the office keeps (`.xlsx` or UTF-8 `.csv`, the
//! file as the request body): the preview says what each row would do and
//! lists the bad rows by column, saving nothing; the apply re-reads the same
//! file and makes or changes the accounts, only when no row is bad or the
//! request says to skip the bad ones. Each new account gets a temporary
//! password, answered this once, and must set its own at the first sign-in;
//! each account made or changed is in the audit log like one made by hand.
//! Reading and planning are core's (`rounds_core::import::staff_sheet`).

use axum::extract::State;
use axum::Json;
use rounds_core::admin::AuditAction;
use rounds_core::import::read::read;
use rounds_core::import::staff_sheet::{self, Existing, KnownEstate, RowPlan};
use rounds_core::import::Outcome;
use rounds_core::message::ErrorCode;
use rounds_core::RecordId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::admin::director;
use crate::admin::passwords::{hash, temporary_password};
use crate::admin::staff::{all_estates, details};
use crate::db::admin::{AccountChange, AuditEntry};
use crate::error::AppError;
use crate::extract::{Body, Query};
use crate::office::estate_import::{ApplyParams, MAX_SHEET_BYTES};
use crate::phone::auth::Authed;
use crate::state::AppState;

/// A new account's first password, to hand to the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct FirstPassword {
    pub username: String,
    pub temporary_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffImportReport {
    /// Every row with what it does (`created`, `updated`, `unchanged`,
    /// `bad`) and, for a bad one, its errors by column.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowPlan>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub bad: usize,
    /// Whether accounts were changed (false for a preview).
    pub saved: bool,
    /// The new accounts' temporary passwords, shown this once.
    pub passwords: Vec<FirstPassword>,
}

/// The sheet's plan against the accounts and estates as they are now.
async fn plan(state: &AppState, bytes: &[u8]) -> Result<staff_sheet::Plan, AppError> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(AppError::refused(
            ErrorCode::TooLarge,
            format!("文件超过{}MB", MAX_SHEET_BYTES >> 20),
            format!("the file is larger than {} MB", MAX_SHEET_BYTES >> 20),
        ));
    }
    let sheet = read(bytes).map_err(|e| AppError::from_core(&e))?;
    state
        .db(move |db| {
            let existing = db
                .accounts()?
                .into_iter()
                .map(|a| {
                    Ok(Existing {
                        staff: a.staff()?,
                        username: a.username,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            let estates: Vec<KnownEstate> = all_estates(db)?
                .into_iter()
                .map(|e| KnownEstate {
                    id: e.id,
                    name: e.name,
                })
                .collect();
            staff_sheet::plan(&existing, &estates, &sheet).map_err(|e| AppError::from_core(&e))
        })
        .await
}

fn report(rows: Vec<RowPlan>, saved: bool, passwords: Vec<FirstPassword>) -> StaffImportReport {
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    StaffImportReport {
        created: count(Outcome::Created),
        updated: count(Outcome::Updated),
        unchanged: count(Outcome::Unchanged),
        bad: count(Outcome::Bad),
        saved,
        passwords,
        rows,
    }
}

/// POST /v1/admin/staff/import/preview: what the sheet would do; saves nothing.
#[utoipa::path(post, path = "/v1/admin/staff/import/preview", tag = "admin",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the .xlsx or .csv file"),
    responses((status = 200, body = StaffImportReport), (status = 403, body = crate::openapi::ErrorJson),
        (status = 413, body = crate::openapi::ErrorJson),
        (status = 422, description = "not a sheet, or no username, name or role column", body = crate::openapi::ErrorJson)))]
pub async fn preview(
    State(state): State<AppState>,
    who: Authed,
    Body(bytes): Body,
) -> Result<Json<StaffImportReport>, AppError> {
    director(&who)?;
    let plan = plan(&state, &bytes).await?;
    Ok(Json(report(plan.rows, false, vec![])))
}

/// POST /v1/admin/staff/import: makes and changes the accounts the sheet
/// says. Rows are applied one by one, each with its audit entry: should one
/// fail (a username taken meanwhile), the rows before it stay, and importing
/// the same sheet again finds them unchanged and does the rest.
#[utoipa::path(post, path = "/v1/admin/staff/import", tag = "admin", params(ApplyParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the .xlsx or .csv file"),
    responses((status = 200, body = StaffImportReport), (status = 403, body = crate::openapi::ErrorJson),
        (status = 422, description = "bad rows and skip_bad not set", body = crate::openapi::ErrorJson)))]
pub async fn apply(
    State(state): State<AppState>,
    who: Authed,
    Query(params): Query<ApplyParams>,
    Body(bytes): Body,
) -> Result<Json<StaffImportReport>, AppError> {
    director(&who)?;
    let plan = plan(&state, &bytes).await?;
    let bad = plan.count(Outcome::Bad);
    if bad > 0 && !params.skip_bad {
        return Err(AppError::invalid(
            "skip_bad",
            format!("有{bad}行错误:改正后重新上传,或跳过这些行"),
            format!("{bad} rows have errors: fix them and upload again, or skip them"),
        ));
    }
    let mut passwords = vec![];
    for row in &plan.rows {
        let Some(staff) = row.staff.clone() else {
            continue;
        };
        let mut detail = details(&staff);
        detail["username"] = row.username.clone().into();
        detail["sheet_row"] = row.row.into();
        let (change, audit) = match row.outcome {
            Outcome::Created => {
                let password = temporary_password()?;
                let staff = rounds_core::Staff {
                    id: format!("s-{}", RecordId::new()),
                    ..staff
                };
                let change = AccountChange::Create {
                    password_hash: hash(password.clone()).await?,
                    username: row.username.clone(),
                    must_change_password: true,
                    staff: staff.clone(),
                };
                passwords.push(FirstPassword {
                    username: row.username.clone(),
                    temporary_password: password,
                });
                let audit =
                    AuditEntry::new(&who.staff.id, AuditAction::StaffCreated, &staff.id, detail);
                (change, audit)
            }
            Outcome::Updated => {
                let audit =
                    AuditEntry::new(&who.staff.id, AuditAction::StaffChanged, &staff.id, detail);
                (AccountChange::Update { staff }, audit)
            }
            Outcome::Unchanged | Outcome::Bad => continue,
        };
        state.db(move |db| db.apply(&change, &audit)).await?;
    }
    tracing::info!(
        created = passwords.len(),
        by = %who.staff.id,
        "staff imported from a sheet"
    );
    Ok(Json(report(plan.rows, true, passwords)))
}
