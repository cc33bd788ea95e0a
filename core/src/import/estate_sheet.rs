//! The office's sheet of an estate: one row a unit (and a resident of it) or
//! a common area. Every row is checked and planned against the estate as it
//! stands, into the [`EstateEdit`]s that would make the estate say what the
//! sheet says; the office previews the plan, and applies it as one change.
//!
//! A re-import updates rather than duplicates, by natural keys, because the
//! sheets offices keep have no ids of ours:
//! - a unit is its building's name, its entrance's name and its number
//!   (unique within the entrance, as the estate's edits keep them);
//! - a resident is their name within the unit: a phone changes more often
//!   than a name, and one unit seldom has two residents of one name;
//! - a common area is its name.
//!
//! Residents missing from a sheet are left as they are: a sheet may list
//! only owners, and moving someone out is said in the console, not implied.

use std::collections::HashMap;

use serde::Serialize;

use super::{columns, Outcome, Sheet, SheetError};
use crate::documents::estate::edit::{check_resident, text};
use crate::documents::estate::EstateEdit;
use crate::documents::RecordError;
use crate::labels::{self, Label};
use crate::message::{Bilingual, Explain};
use crate::places::Estate;

/// The columns of the sheet, each with the headers offices use for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EstateColumn {
    Building,
    Entrance,
    Unit,
    Vacant,
    ResidentName,
    Phone,
    Owner,
    CommonArea,
    AreaKind,
}

impl EstateColumn {
    pub const ALL: [EstateColumn; 9] = [
        EstateColumn::Building,
        EstateColumn::Entrance,
        EstateColumn::Unit,
        EstateColumn::Vacant,
        EstateColumn::ResidentName,
        EstateColumn::Phone,
        EstateColumn::Owner,
        EstateColumn::CommonArea,
        EstateColumn::AreaKind,
    ];

    pub fn code(self) -> &'static str {
        use EstateColumn::*;
        match self {
            Building => "building",
            Entrance => "entrance",
            Unit => "unit",
            Vacant => "vacant",
            ResidentName => "resident_name",
            Phone => "phone",
            Owner => "owner",
            CommonArea => "common_area",
            AreaKind => "area_kind",
        }
    }

    /// Every header read as this column; the first is the one a template
    /// shows, the English ones are for sheets made abroad.
    pub fn headers(self) -> &'static [&'static str] {
        use EstateColumn::*;
        match self {
            Building => &["楼栋", "栋", "楼号", "楼栋号", "building"],
            Entrance => &["单元", "单元号", "entrance"],
            Unit => &[
                "房号",
                "房间号",
                "门牌号",
                "户号",
                "unit",
                "unit number",
                "room",
            ],
            Vacant => &["是否空置", "空置", "vacant"],
            ResidentName => &[
                "业主姓名",
                "住户姓名",
                "姓名",
                "业主",
                "resident",
                "resident name",
                "name",
            ],
            Phone => &["电话", "联系电话", "手机", "手机号", "phone", "mobile"],
            Owner => &["身份", "业主/租户", "owner or tenant", "owner"],
            CommonArea => &["公共区域", "公共区域名称", "common area"],
            AreaKind => &["区域类型", "公共区域类型", "area kind", "kind"],
        }
    }

    pub fn label(self) -> Label {
        use EstateColumn::*;
        let (zh, en) = match self {
            Building => ("楼栋", "Building"),
            Entrance => ("单元", "Entrance"),
            Unit => ("房号", "Unit"),
            Vacant => ("是否空置", "Vacant"),
            ResidentName => ("业主姓名", "Resident name"),
            Phone => ("电话", "Phone"),
            Owner => ("身份(业主/租户)", "Owner or tenant"),
            CommonArea => ("公共区域", "Common area"),
            AreaKind => ("区域类型", "Area kind"),
        };
        Label { zh, en }
    }
}

/// One fault of a row, under the column it is in (none: the row as a whole).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellError {
    pub column: Option<EstateColumn>,
    pub message: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowPlan {
    /// The row's number in the sheet.
    pub row: usize,
    /// Where the row is, in the sheet's words ("1栋 2单元 301").
    pub place: String,
    pub outcome: Outcome,
    pub errors: Vec<CellError>,
}

/// What importing the sheet would do: each row's outcome, and the edits of
/// the good rows, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    #[serde(skip)]
    pub edits: Vec<EstateEdit>,
}

impl Plan {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }
}

/// A row read into what it says, before it is compared with the estate.
enum Row {
    Unit {
        building: String,
        entrance: String,
        number: String,
        vacant: Option<bool>,
        resident: Option<(String, String, bool)>,
    },
    Area {
        name: String,
        kind: Option<String>,
    },
}

const YES: &[&str] = &["是", "y", "yes", "true", "1", "空置", "√", "业主", "owner"];
const NO: &[&str] = &[
    "否",
    "n",
    "no",
    "false",
    "0",
    "已入住",
    "入住",
    "租户",
    "住户",
    "tenant",
    "家属",
];

fn yes_no(value: &str) -> Option<Option<bool>> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        Some(None)
    } else if YES.contains(&v.as_str()) {
        Some(Some(true))
    } else if NO.contains(&v.as_str()) {
        Some(Some(false))
    } else {
        None
    }
}

/// The common-area kind a cell names, by code or by its words.
fn area_kind(value: &str) -> Option<&'static str> {
    let v = value.trim().to_lowercase();
    labels::COMMON_AREA_KINDS
        .iter()
        .find(|(code, l)| *code == v || l.zh == v || l.en.to_lowercase() == v)
        .map(|(code, _)| *code)
}

/// The row's fault as a record edit would word it, under its column.
fn fault(column: EstateColumn, e: RecordError) -> CellError {
    CellError {
        column: Some(column),
        message: e.message(),
    }
}

fn cell_error(column: Option<EstateColumn>, zh: String, en: String) -> CellError {
    CellError {
        column,
        message: Bilingual::new(zh, en),
    }
}

/// Reads one row's cells into what it says, or its faults.
fn read_row(get: &dyn Fn(EstateColumn) -> String) -> Result<Row, Vec<CellError>> {
    use EstateColumn::*;
    let mut errors = vec![];
    let (building, entrance, number, area) =
        (get(Building), get(Entrance), get(Unit), get(CommonArea));
    let is_unit = !(building.is_empty() && entrance.is_empty() && number.is_empty());
    if is_unit && !area.is_empty() {
        return Err(vec![cell_error(
            Some(CommonArea),
            "一行只能是一个房号或一个公共区域".into(),
            "a row is either a unit or a common area, not both".into(),
        )]);
    }
    if !is_unit {
        if area.is_empty() {
            return Err(vec![cell_error(
                Some(Building),
                "缺少楼栋、单元、房号(或公共区域)".into(),
                "the building, entrance and unit (or a common area) are missing".into(),
            )]);
        }
        let name = text("name", &area).map_err(|e| vec![fault(CommonArea, e)])?;
        let kind = get(AreaKind);
        let kind = match kind.as_str() {
            "" => None,
            k => match area_kind(k) {
                Some(code) => Some(code.to_owned()),
                None => {
                    return Err(vec![cell_error(
                        Some(AreaKind),
                        format!("未知的区域类型“{k}”"),
                        format!("unknown area kind “{k}”"),
                    )])
                }
            },
        };
        return Ok(Row::Area { name, kind });
    }
    let mut need = |column: EstateColumn, value: &str| match text("name", value) {
        Ok(v) => v,
        Err(e) => {
            errors.push(fault(column, e));
            String::new()
        }
    };
    let building = need(Building, &building);
    let entrance = need(Entrance, &entrance);
    let number = need(Unit, &number);
    let vacant = match yes_no(&get(Vacant)) {
        Some(v) => v,
        None => {
            errors.push(cell_error(
                Some(Vacant),
                format!("“{}”应填“是”或“否”", get(Vacant)),
                format!("“{}” should be yes or no", get(Vacant)),
            ));
            None
        }
    };
    let (name, phone) = (get(ResidentName), get(Phone));
    let mut resident = None;
    if !name.is_empty() || !phone.is_empty() {
        let owner = match yes_no(&get(Owner)) {
            Some(v) => v.unwrap_or(true),
            None => {
                errors.push(cell_error(
                    Some(Owner),
                    format!("“{}”应填“业主”或“租户”", get(Owner)),
                    format!("“{}” should be owner or tenant", get(Owner)),
                ));
                true
            }
        };
        match check_resident(&name, &phone) {
            Ok((name, phone)) => resident = Some((name, phone, owner)),
            Err(e) => {
                let column = if e.field().as_deref() == Some("phone") {
                    Phone
                } else {
                    ResidentName
                };
                errors.push(fault(column, e));
            }
        }
    }
    if errors.is_empty() {
        Ok(Row::Unit {
            building,
            entrance,
            number,
            vacant,
            resident,
        })
    } else {
        Err(errors)
    }
}

fn place_of(get: &dyn Fn(EstateColumn) -> String) -> String {
    use EstateColumn::*;
    let area = get(CommonArea);
    if !area.is_empty() {
        return area;
    }
    [get(Building), get(Entrance), get(Unit)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fresh id for a place the sheet adds.
fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// The edits that make `estate` say what `row` says.
fn edits_for(estate: &Estate, row: &Row) -> Vec<EstateEdit> {
    let mut out = vec![];
    match row {
        Row::Area { name, kind } => match estate.common_areas.iter().find(|a| a.name == *name) {
            None => out.push(EstateEdit::AddCommonArea {
                id: new_id("a"),
                kind: kind.clone().unwrap_or_else(|| "other".into()),
                name: name.clone(),
            }),
            Some(a) => {
                if let Some(kind) = kind.as_ref().filter(|k| **k != a.kind) {
                    out.push(EstateEdit::ChangeCommonArea {
                        area_id: a.id.clone(),
                        kind: kind.clone(),
                        name: name.clone(),
                    });
                }
            }
        },
        Row::Unit {
            building,
            entrance,
            number,
            vacant,
            resident,
        } => {
            let b = estate.buildings.iter().find(|b| b.name == *building);
            let building_id = match b {
                Some(b) => b.id.clone(),
                None => {
                    let id = new_id("b");
                    out.push(EstateEdit::AddBuilding {
                        id: id.clone(),
                        name: building.clone(),
                    });
                    id
                }
            };
            let e = b.and_then(|b| b.entrances.iter().find(|e| e.name == *entrance));
            let entrance_id = match e {
                Some(e) => e.id.clone(),
                None => {
                    let id = new_id("e");
                    out.push(EstateEdit::AddEntrance {
                        building_id,
                        id: id.clone(),
                        name: entrance.clone(),
                    });
                    id
                }
            };
            let u = e.and_then(|e| e.units.iter().find(|u| u.number == *number));
            let unit_id = match u {
                Some(u) => {
                    if let Some(v) = vacant.filter(|v| *v != u.vacant) {
                        out.push(EstateEdit::SetVacant {
                            unit_id: u.id.clone(),
                            vacant: v,
                        });
                    }
                    u.id.clone()
                }
                None => {
                    let id = new_id("u");
                    out.push(EstateEdit::AddUnit {
                        entrance_id,
                        id: id.clone(),
                        number: number.clone(),
                        vacant: vacant.unwrap_or(false),
                    });
                    id
                }
            };
            if let Some((name, phone, owner)) = resident {
                let known = u.and_then(|u| u.current_residents().find(|r| r.name.0 == *name));
                match known {
                    Some(r) if r.phone.0 == *phone && r.owner == *owner => {}
                    Some(r) => out.push(EstateEdit::ChangeResident {
                        unit_id,
                        resident_id: r.id.clone(),
                        name: name.clone(),
                        phone: phone.clone(),
                        owner: *owner,
                    }),
                    None => out.push(EstateEdit::AddResident {
                        unit_id,
                        id: new_id("r"),
                        name: name.clone(),
                        phone: phone.clone(),
                        owner: *owner,
                    }),
                }
            }
        }
    }
    out
}

/// The key a row is found again by in the same sheet, and its resident's.
fn sheet_keys(row: &Row) -> (String, Option<String>) {
    match row {
        Row::Area { name, .. } => (format!("area\u{0}{name}"), None),
        Row::Unit {
            building,
            entrance,
            number,
            resident,
            ..
        } => (
            format!("unit\u{0}{building}\u{0}{entrance}\u{0}{number}"),
            resident.as_ref().map(|(name, ..)| name.clone()),
        ),
    }
}

/// Checks every row of `sheet` and plans it against `estate`.
pub fn plan(estate: &Estate, sheet: &Sheet) -> Result<Plan, SheetError> {
    let known: Vec<(EstateColumn, &[&str])> = EstateColumn::ALL
        .iter()
        .map(|c| (*c, c.headers()))
        .collect();
    let cols = columns(&sheet.headers, &known);
    let has = |c: EstateColumn| cols.contains(&Some(c));
    let units =
        has(EstateColumn::Building) && has(EstateColumn::Entrance) && has(EstateColumn::Unit);
    if !units && !has(EstateColumn::CommonArea) {
        return Err(SheetError::MissingColumns {
            needed: Bilingual::new(
                "需要“楼栋”“单元”“房号”列,或“公共区域”列",
                "the sheet needs columns building, entrance and unit, or common area",
            ),
        });
    }
    let mut working = estate.clone();
    let mut rows = vec![];
    let mut edits = vec![];
    // The first row of each place and resident, and the vacancy it gave.
    let mut seen: HashMap<String, (usize, Option<bool>)> = HashMap::new();
    let mut seen_residents: HashMap<(String, String), usize> = HashMap::new();
    for sheet_row in &sheet.rows {
        let get = |c: EstateColumn| {
            cols.iter()
                .position(|x| *x == Some(c))
                .map_or(String::new(), |i| sheet_row.cell(i).trim().to_owned())
        };
        let place = place_of(&get);
        let mut plan_row = |outcome, errors| {
            rows.push(RowPlan {
                row: sheet_row.number,
                place: place.clone(),
                outcome,
                errors,
            })
        };
        let row = match read_row(&get) {
            Ok(row) => row,
            Err(errors) => {
                plan_row(Outcome::Bad, errors);
                continue;
            }
        };
        let (key, resident) = sheet_keys(&row);
        let vacant = match &row {
            Row::Unit { vacant, .. } => *vacant,
            Row::Area { .. } => None,
        };
        let mut errors = vec![];
        match seen.get(&key) {
            Some((first, _)) if matches!(row, Row::Area { .. }) => errors.push(cell_error(
                Some(EstateColumn::CommonArea),
                format!("与第{first}行重复"),
                format!("repeats row {first}"),
            )),
            Some((first, Some(was))) if vacant.is_some_and(|v| v != *was) => {
                errors.push(cell_error(
                    Some(EstateColumn::Vacant),
                    format!("与第{first}行的空置情况不一致"),
                    format!("says otherwise than row {first} about vacancy"),
                ))
            }
            _ => {}
        }
        if let Some(name) = &resident {
            if let Some(first) = seen_residents.get(&(key.clone(), name.clone())) {
                errors.push(cell_error(
                    Some(EstateColumn::ResidentName),
                    format!("同一房号的同一住户与第{first}行重复"),
                    format!("the same resident of the same unit repeats row {first}"),
                ));
            }
        }
        if !errors.is_empty() {
            plan_row(Outcome::Bad, errors);
            continue;
        }
        let entry = seen.entry(key.clone()).or_insert((sheet_row.number, None));
        entry.1 = entry.1.or(vacant);
        if let Some(name) = resident {
            seen_residents.insert((key, name), sheet_row.number);
        }
        let row_edits = edits_for(&working, &row);
        for edit in &row_edits {
            // The row was checked as an edit checks it, so a refusal here is
            // this code's fault, not the sheet's.
            if let Err(e) = edit.apply_to(&mut working) {
                return Err(SheetError::Unreadable(e.to_string()));
            }
        }
        let added = row_edits.iter().any(|e| {
            matches!(
                e,
                EstateEdit::AddBuilding { .. }
                    | EstateEdit::AddEntrance { .. }
                    | EstateEdit::AddUnit { .. }
                    | EstateEdit::AddResident { .. }
                    | EstateEdit::AddCommonArea { .. }
            )
        });
        let outcome = if added {
            Outcome::Created
        } else if row_edits.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Updated
        };
        plan_row(outcome, vec![]);
        edits.extend(row_edits);
    }
    Ok(Plan { rows, edits })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::SheetRow;

    fn sheet(text: &str) -> Sheet {
        let mut lines = text.lines().enumerate();
        let (_, header) = lines.next().unwrap();
        Sheet {
            headers: header.split(',').map(str::to_owned).collect(),
            rows: lines
                .map(|(i, line)| SheetRow {
                    number: i + 1,
                    cells: line.split(',').map(str::to_owned).collect(),
                })
                .collect(),
        }
    }

    fn empty() -> Estate {
        Estate {
            id: "e1".into(),
            name: "阳光花园".into(),
            buildings: vec![],
            common_areas: vec![],
        }
    }

    fn applied(estate: &Estate, plan: &Plan) -> Estate {
        let mut estate = estate.clone();
        for e in &plan.edits {
            e.apply_to(&mut estate).unwrap();
        }
        estate
    }

    const GOOD: &str = "楼栋,单元,房号,业主姓名,电话,是否空置,公共区域,区域类型
1栋,1单元,101,王芳,13800138000,否,,
1栋,1单元,101,李雷,13900139000,,,
1栋,2单元,201,,,是,,
,,,,,,地下车库,停车场";

    #[test]
    fn a_new_sheet_creates_places_and_a_second_import_changes_nothing() {
        let plan = plan(&empty(), &sheet(GOOD)).unwrap();
        assert_eq!(plan.count(Outcome::Created), 4, "{:?}", plan.rows);
        let estate = applied(&empty(), &plan);
        assert_eq!(estate.buildings.len(), 1);
        assert_eq!(estate.buildings[0].entrances.len(), 2);
        let unit = &estate.buildings[0].entrances[0].units[0];
        assert_eq!(unit.residents.len(), 2);
        assert!(estate.buildings[0].entrances[1].units[0].vacant);
        assert_eq!(estate.common_areas[0].kind, "car_park");

        let again = super::plan(&estate, &sheet(GOOD)).unwrap();
        assert!(again.edits.is_empty(), "{:?}", again.edits);
        assert_eq!(again.count(Outcome::Unchanged), 4);
    }

    #[test]
    fn an_edited_sheet_updates_the_same_unit_and_resident() {
        let estate = applied(&empty(), &plan(&empty(), &sheet(GOOD)).unwrap());
        let edited = GOOD.replace("13800138000", "13700137000");
        let plan = plan(&estate, &sheet(&edited)).unwrap();
        assert_eq!(plan.count(Outcome::Updated), 1);
        let after = applied(&estate, &plan);
        let unit = &after.buildings[0].entrances[0].units[0];
        assert_eq!(unit.residents.len(), 2);
        assert_eq!(unit.residents[0].phone.0, "13700137000");
        assert_eq!(unit.id, estate.buildings[0].entrances[0].units[0].id);
    }

    #[test]
    fn bad_rows_are_listed_by_column_and_plan_nothing() {
        let text = "楼栋,单元,房号,业主姓名,电话,是否空置
1栋,1单元,101,王芳,12345,否
,1单元,102,,,
1栋,1单元,103,,,也许
1栋,1单元,104,赵六,13800138000,
1栋,1单元,104,赵六,13800138001,";
        let plan = plan(&empty(), &sheet(text)).unwrap();
        let bad: Vec<_> = plan
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Bad)
            .map(|r| (r.row, r.errors[0].column))
            .collect();
        assert_eq!(
            bad,
            [
                (2, Some(EstateColumn::Phone)),
                (3, Some(EstateColumn::Building)),
                (4, Some(EstateColumn::Vacant)),
                (6, Some(EstateColumn::ResidentName)),
            ]
        );
        // Only row 5's unit is planned.
        let estate = applied(&empty(), &plan);
        let numbers: Vec<_> = estate.units().map(|u| u.number.as_str()).collect();
        assert_eq!(numbers, ["104"]);
    }

    #[test]
    fn english_headers_are_read_and_a_sheet_without_place_columns_is_refused() {
        let text = "Building,Entrance,Unit,Phone,Resident name\nA,1,101,13800138000,Wang";
        let plan = plan(&empty(), &sheet(text)).unwrap();
        assert_eq!(plan.count(Outcome::Created), 1);
        assert!(matches!(
            super::plan(&empty(), &sheet("姓名,电话\n王芳,13800138000")),
            Err(SheetError::MissingColumns { .. })
        ));
    }
}
