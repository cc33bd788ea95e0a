//! Staff and their roles. Residents live with the places they belong to (see `places`).

use serde::{Deserialize, Serialize};

/// What a member of staff does; decides which transitions they may make and which
/// revisit quota applies to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 客服中心前台 / 接待员
    Receptionist,
    /// 工程 / 维修工
    Technician,
    /// 物业助理 / 管理员 (area administrator)
    PropertyAssistant,
    /// 客服主管 (department head for review and extensions)
    Supervisor,
    /// 物业服务中心主任
    Director,
    /// 秩序维护
    Security,
    /// 清洁
    Cleaning,
    /// 绿化
    Landscaping,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Receptionist,
        Role::Technician,
        Role::PropertyAssistant,
        Role::Supervisor,
        Role::Director,
        Role::Security,
        Role::Cleaning,
        Role::Landscaping,
    ];

    /// Roles that receive dispatched work and record it on site.
    pub fn does_field_work(self) -> bool {
        matches!(
            self,
            Role::Technician | Role::Security | Role::Cleaning | Role::Landscaping
        )
    }

    /// Department heads: review records, approve returns and extensions.
    pub fn is_head(self) -> bool {
        matches!(self, Role::Supervisor | Role::Director)
    }

    /// Area administrators (管理员): sent to site when a resident's account
    /// differs from the department's.
    pub fn administers_an_area(self) -> bool {
        self == Role::PropertyAssistant
    }

    /// Who may read residents' names and phones (DOMAIN.md: privacy): the
    /// office that takes their calls and the area administrators who visit
    /// them; everyone else sees that a unit has residents, not who.
    pub fn sees_residents(self) -> bool {
        self.registers() || self.administers_an_area()
    }

    /// Who sets up estates, their places and residents: the department
    /// heads (the manuals name no one else for it).
    pub fn keeps_places(self) -> bool {
        self.is_head()
    }

    /// Office roles that register and dispatch.
    pub fn registers(self) -> bool {
        matches!(self, Role::Receptionist | Role::Supervisor | Role::Director)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Receptionist => "receptionist",
            Role::Technician => "technician",
            Role::PropertyAssistant => "property_assistant",
            Role::Supervisor => "supervisor",
            Role::Director => "director",
            Role::Security => "security",
            Role::Cleaning => "cleaning",
            Role::Landscaping => "landscaping",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A member of staff as the core sees them. Accounts and passwords live on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Estates this person works on; they see records of these and no others.
    pub estates: Vec<String>,
}

impl Staff {
    /// Whether this person sees the records of `estate_id`: those of their
    /// estates, and the company-wide ones (the company's rules), which
    /// everyone receives; who may change those the write policy says.
    pub fn works_on(&self, estate_id: &str) -> bool {
        estate_id == crate::documents::company::COMPANY_SCOPE
            || self.estates.iter().any(|e| e == estate_id)
    }

    /// The estates whose records this person receives, with the
    /// company-wide scope.
    pub fn scopes(&self) -> Vec<String> {
        let mut scopes = self.estates.clone();
        scopes.push(crate::documents::company::COMPANY_SCOPE.into());
        scopes
    }
}
