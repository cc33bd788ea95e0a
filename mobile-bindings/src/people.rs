//! Who is signed in on the phone: the core's `Staff` and `Role`.

use rounds_core::people as core;

/// What a member of staff does; decides which steps they may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    /// 客服中心前台 / 接待员
    Receptionist,
    /// 工程 / 维修工
    Technician,
    /// 物业助理 / 管理员
    PropertyAssistant,
    /// 客服主管
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

impl From<Role> for core::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Receptionist => core::Role::Receptionist,
            Role::Technician => core::Role::Technician,
            Role::PropertyAssistant => core::Role::PropertyAssistant,
            Role::Supervisor => core::Role::Supervisor,
            Role::Director => core::Role::Director,
            Role::Security => core::Role::Security,
            Role::Cleaning => core::Role::Cleaning,
            Role::Landscaping => core::Role::Landscaping,
        }
    }
}

impl From<core::Role> for Role {
    fn from(r: core::Role) -> Self {
        match r {
            core::Role::Receptionist => Role::Receptionist,
            core::Role::Technician => Role::Technician,
            core::Role::PropertyAssistant => Role::PropertyAssistant,
            core::Role::Supervisor => Role::Supervisor,
            core::Role::Director => Role::Director,
            core::Role::Security => Role::Security,
            core::Role::Cleaning => Role::Cleaning,
            core::Role::Landscaping => Role::Landscaping,
        }
    }
}

/// The role's name for a screen, zh-CN first.
#[uniffi::export]
pub fn role_label(role: Role) -> Label {
    core::Role::from(role).label().into()
}

/// A name to show, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Label {
    pub zh: String,
    pub en: String,
}

/// The core's table is the one source of the words.
impl From<rounds_core::labels::Label> for Label {
    fn from(l: rounds_core::labels::Label) -> Self {
        Label {
            zh: l.zh.into(),
            en: l.en.into(),
        }
    }
}

/// The person signed in, as the server's account told the app.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Estates this person works on; they see records of these and no others.
    pub estates: Vec<String>,
}

impl From<StaffMember> for core::Staff {
    fn from(s: StaffMember) -> Self {
        core::Staff {
            id: s.id,
            name: s.name,
            role: s.role.into(),
            estates: s.estates,
        }
    }
}

impl From<&core::Staff> for StaffMember {
    fn from(s: &core::Staff) -> Self {
        StaffMember {
            id: s.id.clone(),
            name: s.name.clone(),
            role: s.role.into(),
            estates: s.estates.clone(),
        }
    }
}
