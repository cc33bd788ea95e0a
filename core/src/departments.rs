//! The departments of a service centre that work is dispatched to, with the
//! role whose people work in each: one list for the phone, the office and
//! the console (`GET /v1/departments`, and the labels table).

use serde::{Deserialize, Serialize};

use crate::labels::Label;
use crate::people::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    Engineering,
    CustomerService,
    Security,
    Cleaning,
    Landscaping,
}

impl Department {
    /// In the order a screen offers them.
    pub const ALL: [Department; 5] = [
        Department::Engineering,
        Department::CustomerService,
        Department::Security,
        Department::Cleaning,
        Department::Landscaping,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Department::Engineering => "engineering",
            Department::CustomerService => "customer_service",
            Department::Security => "security",
            Department::Cleaning => "cleaning",
            Department::Landscaping => "landscaping",
        }
    }

    pub fn parse(code: &str) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.as_str() == code)
    }

    pub fn label(self) -> Label {
        let (zh, en) = match self {
            Department::Engineering => ("工程部", "Engineering"),
            Department::CustomerService => ("客服部", "Customer service"),
            Department::Security => ("秩序维护部", "Security"),
            Department::Cleaning => ("保洁部", "Cleaning"),
            Department::Landscaping => ("绿化部", "Landscaping"),
        };
        Label { zh, en }
    }

    /// The department someone of `role` works in: a person's department
    /// follows their role. None for the service centre's own (heads and area
    /// administrators).
    pub fn of(role: Role) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.staffed_by() == role)
    }

    /// Whose people do this department's work.
    pub fn staffed_by(self) -> Role {
        match self {
            Department::Engineering => Role::Technician,
            Department::CustomerService => Role::Receptionist,
            Department::Security => Role::Security,
            Department::Cleaning => Role::Cleaning,
            Department::Landscaping => Role::Landscaping,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back_and_are_the_json_names() {
        for d in Department::ALL {
            assert_eq!(Department::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        assert_eq!(Department::parse("accounts"), None);
    }

    #[test]
    fn a_person_is_in_the_department_their_role_staffs() {
        for d in Department::ALL {
            assert_eq!(Department::of(d.staffed_by()), Some(d));
        }
        assert_eq!(
            Department::of(Role::Technician),
            Some(Department::Engineering)
        );
        assert_eq!(Department::of(Role::Director), None);
    }
}
