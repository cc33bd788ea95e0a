//! The office's staff list as a sheet: one row a person, with their
//! username, name, role and estates. Every row is checked and compared with
//! the accounts the server holds; the office previews the plan and applies
//! it. A person is their username (the key they sign in with), so a
//! re-import updates a name, role or estates instead of making a second
//! account. People missing from a sheet are left as they are: disabling an
//! account is said in the console, never implied by a shorter list.

use std::collections::HashSet;

use serde::Serialize;

use super::{columns, Outcome, Sheet, SheetError};
use crate::admin::{needs_estates, MAX_USERNAME_CHARS};
use crate::labels::Label;
use crate::message::Bilingual;
use crate::people::{Role, Staff};

/// The columns of the sheet, each with the headers offices use for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffColumn {
    Username,
    Name,
    Role,
    Estates,
}

impl StaffColumn {
    pub const ALL: [StaffColumn; 4] = [
        StaffColumn::Username,
        StaffColumn::Name,
        StaffColumn::Role,
        StaffColumn::Estates,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StaffColumn::Username => "username",
            StaffColumn::Name => "name",
            StaffColumn::Role => "role",
            StaffColumn::Estates => "estates",
        }
    }

    /// Every header that means this column; the first is the one a blank
    /// sheet shows.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            StaffColumn::Username => &["用户名", "账号", "登录名", "username", "login"],
            StaffColumn::Name => &["姓名", "员工姓名", "name"],
            StaffColumn::Role => &["岗位", "角色", "职务", "role"],
            StaffColumn::Estates => &["小区", "项目", "负责小区", "estates", "estate"],
        }
    }

    pub fn label(self) -> Label {
        let (zh, en) = match self {
            StaffColumn::Username => ("用户名", "Username"),
            StaffColumn::Name => ("姓名", "Name"),
            StaffColumn::Role => ("岗位", "Role"),
            StaffColumn::Estates => ("小区", "Estates"),
        };
        Label { zh, en }
    }
}

/// The words a sheet may use for a role besides its code and its label:
/// what offices write in their own lists.
const ROLE_WORDS: &[(&str, Role)] = &[
    ("前台", Role::Receptionist),
    ("客服", Role::Receptionist),
    ("维修", Role::Technician),
    ("工程", Role::Technician),
    ("管理员", Role::PropertyAssistant),
    ("主管", Role::Supervisor),
    ("主任", Role::Director),
    ("保安", Role::Security),
    ("秩序", Role::Security),
    ("保洁", Role::Cleaning),
];

/// A role by its code, its Chinese or English label, or a word offices use.
pub fn role_of(cell: &str) -> Option<Role> {
    let key = cell.trim().to_lowercase();
    Role::ALL
        .into_iter()
        .find(|r| {
            let label = r.label();
            r.as_str() == key || label.zh == key || label.en.to_lowercase() == key
        })
        .or_else(|| {
            ROLE_WORDS
                .iter()
                .find(|(word, _)| *word == key)
                .map(|(_, r)| *r)
        })
}

/// An account as the sheet is compared with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub username: String,
    pub staff: Staff,
}

/// An estate a row may name, by its id or its name.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownEstate {
    pub id: String,
    pub name: String,
}

/// One fault of a row, under the column it is in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellError {
    pub column: StaffColumn,
    pub message: Bilingual,
}

/// What a row would do, and to whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowPlan {
    /// The row's number in the sheet.
    pub row: usize,
    pub username: String,
    pub outcome: Outcome,
    pub errors: Vec<CellError>,
    /// The person as the row says (for a good row): the id is the existing
    /// account's for an update, empty for a new one.
    #[serde(skip)]
    pub staff: Option<Staff>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
}

impl Plan {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }
}

fn error(column: StaffColumn, zh: String, en: String) -> CellError {
    CellError {
        column,
        message: Bilingual::new(zh, en),
    }
}

/// Estates named in one cell, split at the separators offices type.
fn estate_names(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', '，', '、', ';', '；', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn read_row(
    get: &dyn Fn(StaffColumn) -> String,
    estates: &[KnownEstate],
) -> Result<(String, String, Role, Vec<String>), Vec<CellError>> {
    let mut errors = vec![];
    let username = get(StaffColumn::Username);
    if username.is_empty()
        || username.chars().any(char::is_whitespace)
        || username.chars().count() > MAX_USERNAME_CHARS
    {
        errors.push(error(
            StaffColumn::Username,
            format!("用户名不能为空、不能含空格,最多 {MAX_USERNAME_CHARS} 个字符"),
            format!("the username must be 1 to {MAX_USERNAME_CHARS} characters without spaces"),
        ));
    }
    let name = get(StaffColumn::Name);
    if name.is_empty() {
        errors.push(error(StaffColumn::Name, "请填写姓名".into(), "enter the name".into()));
    }
    let role_cell = get(StaffColumn::Role);
    let role = role_of(&role_cell);
    if role.is_none() {
        errors.push(error(
            StaffColumn::Role,
            format!("没有这个岗位:{role_cell}"),
            format!("no such role: {role_cell}"),
        ));
    }
    let mut ids = vec![];
    for named in estate_names(&get(StaffColumn::Estates)) {
        match estates.iter().find(|e| e.id == named || e.name == named) {
            Some(e) => ids.push(e.id.clone()),
            None => errors.push(error(
                StaffColumn::Estates,
                format!("没有这个小区:{named}"),
                format!("no such estate: {named}"),
            )),
        }
    }
    ids.sort();
    ids.dedup();
    if let Some(role) = role {
        if ids.is_empty() && needs_estates(role) && errors.is_empty() {
            errors.push(error(
                StaffColumn::Estates,
                "请至少填写一个小区".into(),
                "name at least one estate".into(),
            ));
        }
    }
    match role {
        Some(role) if errors.is_empty() => Ok((username, name, role, ids)),
        _ => Err(errors),
    }
}

/// What importing the sheet would do to the accounts, row by row.
pub fn plan(
    existing: &[Existing],
    estates: &[KnownEstate],
    sheet: &Sheet,
) -> Result<Plan, SheetError> {
    let known: Vec<_> = StaffColumn::ALL.map(|c| (c, c.headers())).to_vec();
    let found = columns(&sheet.headers, &known);
    let missing: Vec<StaffColumn> = [StaffColumn::Username, StaffColumn::Name, StaffColumn::Role]
        .into_iter()
        .filter(|c| !found.contains(&Some(*c)))
        .collect();
    if !missing.is_empty() {
        let zh: Vec<&str> = missing.iter().map(|c| c.label().zh).collect();
        let en: Vec<&str> = missing.iter().map(|c| c.label().en).collect();
        return Err(SheetError::MissingColumns {
            needed: Bilingual::new(zh.join("、"), en.join(", ")),
        });
    }
    let mut seen = HashSet::new();
    let rows = sheet
        .rows
        .iter()
        .map(|row| {
            let get = |column: StaffColumn| {
                found
                    .iter()
                    .position(|c| *c == Some(column))
                    .map_or(String::new(), |i| row.cell(i).trim().to_owned())
            };
            let username = get(StaffColumn::Username);
            let read = read_row(&get, estates).and_then(|read| {
                if seen.insert(read.0.clone()) {
                    Ok(read)
                } else {
                    Err(vec![error(
                        StaffColumn::Username,
                        format!("用户名 {} 在表中出现了两次", read.0),
                        format!("the username {} is in the sheet twice", read.0),
                    )])
                }
            });
            match read {
                Err(errors) => RowPlan {
                    row: row.number,
                    username,
                    outcome: Outcome::Bad,
                    errors,
                    staff: None,
                },
                Ok((username, name, role, estates)) => {
                    let current = existing.iter().find(|e| e.username == username);
                    let staff = Staff {
                        id: current.map_or(String::new(), |c| c.staff.id.clone()),
                        name,
                        role,
                        estates,
                    };
                    let outcome = match current {
                        None => Outcome::Created,
                        Some(c) if c.staff == staff => Outcome::Unchanged,
                        Some(_) => Outcome::Updated,
                    };
                    RowPlan {
                        row: row.number,
                        username,
                        outcome,
                        errors: vec![],
                        staff: Some(staff),
                    }
                }
            }
        })
        .collect();
    Ok(Plan { rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::SheetRow;

    fn sheet(headers: &[&str], rows: &[&[&str]]) -> Sheet {
        Sheet {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| SheetRow {
                    number: i + 2,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn estates() -> Vec<KnownEstate> {
        vec![
            KnownEstate {
                id: "e1".into(),
                name: "翠湖苑".into(),
            },
            KnownEstate {
                id: "e2".into(),
                name: "金桂园".into(),
            },
        ]
    }

    #[test]
    fn roles_are_read_by_code_label_or_office_word() {
        assert_eq!(role_of("technician"), Some(Role::Technician));
        assert_eq!(role_of("维修工"), Some(Role::Technician));
        assert_eq!(role_of("Property assistant"), Some(Role::PropertyAssistant));
        assert_eq!(role_of("前台"), Some(Role::Receptionist));
        assert_eq!(role_of("厨师"), None);
    }

    #[test]
    fn bad_rows_are_named_by_column_and_good_ones_planned() {
        let s = sheet(
            &["用户名*", "姓名", "岗位", "小区"],
            &[
                &["wang", "王师傅", "维修工", "翠湖苑、e2"],
                &["li", "", "厨师", "翠湖苑"],
                &["zhao", "赵", "前台", "银杏湾"],
                &["wang", "王二", "维修工", "e1"],
                &["boss", "刘主任", "主任", ""],
                &["sun", "孙", "保洁", ""],
            ],
        );
        let p = plan(&[], &estates(), &s).unwrap();
        let outcomes: Vec<Outcome> = p.rows.iter().map(|r| r.outcome).collect();
        use Outcome::*;
        assert_eq!(outcomes, [Created, Bad, Bad, Bad, Created, Bad]);
        assert_eq!(p.rows[0].staff.as_ref().unwrap().estates, ["e1", "e2"]);
        let li: Vec<StaffColumn> = p.rows[1].errors.iter().map(|e| e.column).collect();
        assert_eq!(li, [StaffColumn::Name, StaffColumn::Role]);
        assert_eq!(p.rows[2].errors[0].column, StaffColumn::Estates);
        assert!(p.rows[3].errors[0].message.en.contains("twice"));
        // A director works on every estate; a cleaner needs one named.
        assert_eq!(p.rows[5].errors[0].column, StaffColumn::Estates);
    }

    #[test]
    fn a_reimport_updates_by_username_and_leaves_the_same_unchanged() {
        let existing = vec![Existing {
            username: "wang".into(),
            staff: Staff {
                id: "s-1".into(),
                name: "王师傅".into(),
                role: Role::Technician,
                estates: vec!["e1".into()],
            },
        }];
        let same = sheet(&["username", "name", "role", "estates"], &[&["wang", "王师傅", "technician", "e1"]]);
        assert_eq!(plan(&existing, &estates(), &same).unwrap().rows[0].outcome, Outcome::Unchanged);
        let moved = sheet(&["username", "name", "role", "estates"], &[&["wang", "王师傅", "technician", "e2"]]);
        let p = plan(&existing, &estates(), &moved).unwrap();
        assert_eq!(p.rows[0].outcome, Outcome::Updated);
        assert_eq!(p.rows[0].staff.as_ref().unwrap().id, "s-1");
    }

    #[test]
    fn a_sheet_without_a_role_column_is_refused_whole() {
        let s = sheet(&["用户名", "姓名"], &[&["wang", "王"]]);
        assert!(matches!(
            plan(&[], &estates(), &s),
            Err(SheetError::MissingColumns { .. })
        ));
    }
}
