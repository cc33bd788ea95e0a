//! Administering the company's accounts: what the audit log calls each
//! administrative change, the states an account is in, and who may do what.
//! The server records and enforces them; the console shows their words
//! (`crate::labels`).
//!
//! Who may: the manuals make the service-centre director (服务中心主任)
//! responsible for the centre and its major issues, and the customer-service
//! supervisor (客服主管) the coordinator of ordinary problems and reviewer of
//! records, with no say over who is employed or in which role. So directors
//! administer accounts (create, change role, estates or name, disable,
//! reset passwords) and read the audit log; a supervisor sees the staff of
//! their own estates with their devices and may revoke a lost phone there
//! (as `POST /v1/devices/{id}/revoke` always allowed heads), nothing more.

use serde::{Deserialize, Serialize};

use crate::people::Role;

/// One kind of administrative change, as the audit log records it. Other
/// features add theirs here, so each gets its words in the label table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    StaffCreated,
    StaffChanged,
    StaffDisabled,
    StaffEnabled,
    PasswordReset,
    PasswordChanged,
    DeviceRevoked,
    EstateCreated,
    PlacesEdited,
    PlacesImported,
    TemplateCreated,
    TemplatePublished,
    RulesChanged,
    CalendarReplaced,
}

impl AuditAction {
    pub const ALL: [AuditAction; 14] = [
        AuditAction::StaffCreated,
        AuditAction::StaffChanged,
        AuditAction::StaffDisabled,
        AuditAction::StaffEnabled,
        AuditAction::PasswordReset,
        AuditAction::PasswordChanged,
        AuditAction::DeviceRevoked,
        AuditAction::EstateCreated,
        AuditAction::PlacesEdited,
        AuditAction::PlacesImported,
        AuditAction::TemplateCreated,
        AuditAction::TemplatePublished,
        AuditAction::RulesChanged,
        AuditAction::CalendarReplaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::StaffCreated => "staff_created",
            AuditAction::StaffChanged => "staff_changed",
            AuditAction::StaffDisabled => "staff_disabled",
            AuditAction::StaffEnabled => "staff_enabled",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::DeviceRevoked => "device_revoked",
            AuditAction::EstateCreated => "estate_created",
            AuditAction::PlacesEdited => "places_edited",
            AuditAction::PlacesImported => "places_imported",
            AuditAction::TemplateCreated => "template_created",
            AuditAction::TemplatePublished => "template_published",
            AuditAction::RulesChanged => "rules_changed",
            AuditAction::CalendarReplaced => "calendar_replaced",
        }
    }

    pub fn parse(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

/// Where an account stands, as the staff list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    Active,
    /// Signs in only after setting a new password (after a reset, or made
    /// with a temporary one).
    MustChangePassword,
    /// Cannot sign in; its sessions stopped when it was disabled.
    Disabled,
}

impl AccountState {
    pub const ALL: [AccountState; 3] = [
        AccountState::Active,
        AccountState::MustChangePassword,
        AccountState::Disabled,
    ];

    pub fn of(disabled: bool, must_change_password: bool) -> AccountState {
        match (disabled, must_change_password) {
            (true, _) => AccountState::Disabled,
            (false, true) => AccountState::MustChangePassword,
            (false, false) => AccountState::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::MustChangePassword => "must_change_password",
            AccountState::Disabled => "disabled",
        }
    }
}

/// Creates accounts, changes roles, estates and names, disables and
/// re-enables, resets passwords, reads the audit log.
pub fn manages_accounts(role: Role) -> bool {
    role == Role::Director
}

/// Sees the staff of their estates and their devices, and revokes a device.
pub fn oversees_staff(role: Role) -> bool {
    role.is_head()
}

/// Everyone but a director sees only the records of their estates, so an
/// account of any other role names at least one.
pub fn needs_estates(role: Role) -> bool {
    role != Role::Director
}

/// The longest username: what a sign-in form and a sheet's cell accept.
pub const MAX_USERNAME_CHARS: usize = 64;

/// The fewest characters a password may have: the same for the first
/// director, a new colleague and a changed password.
pub const MIN_PASSWORD_CHARS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_json_names_and_parse_back() {
        for a in AuditAction::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        for s in AccountState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn only_a_director_manages_accounts_and_heads_oversee() {
        let managers: Vec<_> = Role::ALL
            .into_iter()
            .filter(|&r| manages_accounts(r))
            .collect();
        assert_eq!(managers, [Role::Director]);
        assert!(oversees_staff(Role::Supervisor));
        assert!(!oversees_staff(Role::Receptionist));
    }
}
