//! Administering accounts, the same on both backends: the changes a director
//! (or, for devices, a supervisor) makes, each written with its audit entry
//! in one transaction by `AccountStore::apply`, and what the staff list and
//! the audit log read back.

use rounds_core::admin::{AccountState, AuditAction};
use rounds_core::departments::Department;
use rounds_core::{Role, Staff};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use rounds_core::message::ErrorCode;

/// One administrative change to the accounts.
#[derive(Debug, Clone)]
pub enum AccountChange {
    /// A new member of staff; the username must be free.
    Create {
        staff: Staff,
        username: String,
        password_hash: String,
        /// Made with a temporary password: a new one is set at first sign-in.
        must_change_password: bool,
    },
    /// Name, role and estates become these.
    Update {
        staff: Staff,
    },
    Disable {
        staff_id: String,
    },
    Enable {
        staff_id: String,
    },
    /// A reset (`must_change_password`) ends every session of the person;
    /// their own change keeps them.
    Password {
        staff_id: String,
        password_hash: String,
        must_change_password: bool,
    },
    Revoke {
        device: String,
    },
}

/// Who did what to whom, written with the change it records. `detail`
/// never holds a password or its hash.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// The staff id of whoever made the change.
    pub actor: String,
    pub action: AuditAction,
    /// A staff id, a device id, or whatever a later feature changes.
    pub target: String,
    pub detail: serde_json::Value,
}

impl AuditEntry {
    pub fn new(
        actor: &str,
        action: AuditAction,
        target: &str,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            actor: actor.into(),
            action,
            target: target.into(),
            detail,
        }
    }

    pub(crate) fn detail_text(&self) -> String {
        self.detail.to_string()
    }
}

/// One row of the audit log, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditRow {
    pub id: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub actor: String,
    pub actor_name: String,
    /// An `AuditAction` code; its words are in `GET /v1/labels` (`audit_actions`).
    pub action: String,
    pub target: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// A device of a member of staff, as the staff list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    /// A browser signed in to the console (it signs nothing).
    pub console: bool,
    pub created_at: i64,
    /// When it last finished a sync round.
    pub last_sync_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A member of staff with their account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub name: String,
    pub role: String,
    /// The department the role works in (`GET /v1/departments`); null for
    /// the service centre's heads and area administrators.
    pub department: Option<String>,
    pub estates: Vec<String>,
    /// An `AccountState` code (`account_states` in `GET /v1/labels`).
    pub state: String,
    pub devices: Vec<DeviceInfo>,
}

impl Account {
    pub fn staff(&self) -> Result<Staff, AppError> {
        Ok(Staff {
            id: self.id.clone(),
            name: self.name.clone(),
            role: Role::parse(&self.role)
                .ok_or_else(|| AppError::Internal(format!("unknown role {}", self.role)))?,
            estates: self.estates.clone(),
        })
    }

    pub fn disabled(&self) -> bool {
        self.state == AccountState::Disabled.as_str()
    }
}

/// The rows the backends read, put together into the staff list.
pub(crate) struct AccountRows {
    /// (id, username, name, role, disabled, must change password)
    pub staff: Vec<(String, String, String, String, bool, bool)>,
    /// (staff id, estate id)
    pub estates: Vec<(String, String)>,
    /// (staff id, device)
    pub devices: Vec<(String, DeviceInfo)>,
}

impl AccountRows {
    pub fn into_accounts(self) -> Vec<Account> {
        self.staff
            .into_iter()
            .map(
                |(id, username, name, role, disabled, must_change)| Account {
                    estates: self
                        .estates
                        .iter()
                        .filter(|(s, _)| *s == id)
                        .map(|(_, e)| e.clone())
                        .collect(),
                    devices: self
                        .devices
                        .iter()
                        .filter(|(s, _)| *s == id)
                        .map(|(_, d)| d.clone())
                        .collect(),
                    state: AccountState::of(disabled, must_change).as_str().into(),
                    department: Role::parse(&role)
                        .and_then(Department::of)
                        .map(|d| d.as_str().to_owned()),
                    id,
                    username,
                    name,
                    role,
                },
            )
            .collect()
    }
}

/// Where a member of staff stands, read inside a change's transaction.
pub(crate) struct Standing {
    pub role: String,
    pub disabled: bool,
}

/// Refuses a change that would leave no active director: someone must be
/// able to administer the company. `others` counts the active directors
/// other than the one changed.
pub(crate) fn keep_a_director(
    current: &Standing,
    stays_active_director: bool,
    others: i64,
) -> Result<(), AppError> {
    let is_active_director = current.role == Role::Director.as_str() && !current.disabled;
    if is_active_director && !stays_active_director && others == 0 {
        return Err(AppError::refused(
            ErrorCode::Conflict,
            "这是最后一位在用的服务中心主任,不能停用或改为其他角色;请先任命另一位主任",
            "this is the last active director: they cannot be disabled or given another role until another director is appointed",
        ));
    }
    Ok(())
}

pub(crate) fn username_taken() -> AppError {
    AppError::invalid(
        "username",
        "该用户名已被使用",
        "this username is already taken",
    )
}

/// The member of staff a change names, or 404.
pub(crate) fn staff_not_found(id: &str) -> AppError {
    AppError::NotFound(id.to_owned())
}
