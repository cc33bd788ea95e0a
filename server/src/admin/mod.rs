//! Administering the company's accounts from the office: the staff list with
//! devices ([`staff`]), passwords ([`passwords`]) and the audit log
//! ([`audit`]). Who may do what is core's (`rounds_core::admin`); every
//! change goes through `AccountStore::apply` with its audit entry.

pub mod audit;
pub mod passwords;
pub mod staff;
pub mod staff_import;

use rounds_core::admin;

use crate::error::AppError;
use crate::phone::auth::Authed;

/// Refuses anyone but a director (`rounds_core::admin::manages_accounts`).
pub fn director(who: &Authed) -> Result<(), AppError> {
    if !admin::manages_accounts(who.staff.role) {
        return Err(AppError::forbidden(
            "只有服务中心主任可以管理账号",
            "only the service-centre director may administer accounts",
        ));
    }
    Ok(())
}
