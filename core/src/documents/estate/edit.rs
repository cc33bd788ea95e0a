//! The office's edits of an estate's places and residents, one value each,
//! checked against the estate as it stands: the console's forms and a
//! spreadsheet import both become a list of these, applied as one change.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use crate::documents::RecordError;
use crate::places::{Building, CommonArea, Entrance, Estate, Personal, Resident, Unit};

/// Longest name or number a place may have: a cell pasted by mistake is
/// refused rather than stored.
const MAX_TEXT: usize = 100;

/// One edit. Items are added with the id the caller chose (the console makes
/// one when a form opens, so a retried submit adds nothing twice) and are
/// never deleted: a resident who leaves is marked moved out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum EstateEdit {
    RenameEstate {
        name: String,
    },
    AddBuilding {
        id: String,
        name: String,
    },
    RenameBuilding {
        building_id: String,
        name: String,
    },
    AddEntrance {
        building_id: String,
        id: String,
        name: String,
    },
    RenameEntrance {
        entrance_id: String,
        name: String,
    },
    AddUnit {
        entrance_id: String,
        id: String,
        number: String,
        #[serde(default)]
        vacant: bool,
    },
    RenumberUnit {
        unit_id: String,
        number: String,
    },
    SetVacant {
        unit_id: String,
        vacant: bool,
    },
    AddResident {
        unit_id: String,
        id: String,
        name: String,
        phone: String,
        #[serde(default)]
        owner: bool,
    },
    ChangeResident {
        unit_id: String,
        resident_id: String,
        name: String,
        phone: String,
        owner: bool,
    },
    /// 迁出: the resident stays in the unit's list, marked.
    MoveOut {
        unit_id: String,
        resident_id: String,
    },
    AddCommonArea {
        id: String,
        kind: String,
        name: String,
    },
    ChangeCommonArea {
        area_id: String,
        kind: String,
        name: String,
    },
}

/// What an edit writes, at a path of list indexes into the document.
pub(crate) enum Write {
    /// Appends the item to the list at the path.
    Append(Vec<String>, Json),
    /// Sets these scalar fields of the map at the path.
    Set(Vec<String>, Json),
}

pub(crate) fn text(field: &'static str, value: &str) -> Result<String, RecordError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(RecordError::invalid(field, "不能为空", "must not be empty"));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(RecordError::invalid(
            field,
            format!("不能超过{MAX_TEXT}个字"),
            format!("must be at most {MAX_TEXT} characters"),
        ));
    }
    Ok(value.to_owned())
}

fn taken(field: &'static str, what_zh: &str, what_en: &str, name: &str) -> RecordError {
    RecordError::invalid(
        field,
        format!("已有{what_zh}“{name}”"),
        format!("there is already a {what_en} “{name}”"),
    )
}

fn missing(what: &'static str, id: &str) -> RecordError {
    RecordError::NoSuchItem {
        what,
        id: id.into(),
    }
}

fn path(parts: &[&dyn ToString]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

/// Whether an id is free among every building, entrance, unit, resident
/// and common area of the estate (ids name places across records).
fn id_free(estate: &Estate, id: &str) -> Result<(), RecordError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(RecordError::invalid("id", "不能为空", "must not be empty"));
    }
    let used = estate.buildings.iter().any(|b| {
        b.id == id
            || b.entrances.iter().any(|e| {
                e.id == id
                    || e.units
                        .iter()
                        .any(|u| u.id == id || u.residents.iter().any(|r| r.id == id))
            })
    }) || estate.common_areas.iter().any(|a| a.id == id);
    if used {
        Err(RecordError::invalid(
            "id",
            format!("编号 {id} 已被使用"),
            format!("id {id} is already used"),
        ))
    } else {
        Ok(())
    }
}

fn building_index(estate: &Estate, id: &str) -> Result<usize, RecordError> {
    estate
        .buildings
        .iter()
        .position(|b| b.id == id)
        .ok_or_else(|| missing("building", id))
}

fn entrance_index(estate: &Estate, id: &str) -> Result<(usize, usize), RecordError> {
    for (b, building) in estate.buildings.iter().enumerate() {
        if let Some(e) = building.entrances.iter().position(|e| e.id == id) {
            return Ok((b, e));
        }
    }
    Err(missing("entrance", id))
}

fn unit_index(estate: &Estate, id: &str) -> Result<(usize, usize, usize), RecordError> {
    for (b, building) in estate.buildings.iter().enumerate() {
        for (e, entrance) in building.entrances.iter().enumerate() {
            if let Some(u) = entrance.units.iter().position(|u| u.id == id) {
                return Ok((b, e, u));
            }
        }
    }
    Err(missing("unit", id))
}

fn unit_path(b: usize, e: usize, u: usize) -> Vec<String> {
    path(&[&"estate", &"buildings", &b, &"entrances", &e, &"units", &u])
}

fn resident_index(unit: &Unit, id: &str) -> Result<usize, RecordError> {
    unit.residents
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(|| missing("resident", id))
}

pub(crate) fn check_resident(name: &str, phone: &str) -> Result<(String, String), RecordError> {
    let name = text("name", name)?;
    let phone = phone.trim().to_owned();
    crate::documents::work_order::check_phone(&phone)?;
    Ok((name, phone))
}

pub(crate) fn check_kind(kind: &str) -> Result<String, RecordError> {
    let kind = kind.trim();
    if crate::labels::common_area_kind(kind).is_some() {
        Ok(kind.to_owned())
    } else {
        Err(RecordError::invalid(
            "kind",
            format!("未知的公共区域类型“{kind}”"),
            format!("unknown kind of common area “{kind}”"),
        ))
    }
}

impl EstateEdit {
    /// Applies the edit to `estate` (the document's reading, kept current
    /// through a list of edits) and says what to write, or None when the
    /// estate already is as the edit says. Refuses names that are blank or
    /// that another place of the same level already has: an import finds a
    /// unit by building, entrance and number, so they must stay unique.
    pub(crate) fn apply_to(&self, estate: &mut Estate) -> Result<Option<Write>, RecordError> {
        use EstateEdit::*;
        let set = |path: Vec<String>, fields: Json| Ok(Some(Write::Set(path, fields)));
        match self {
            RenameEstate { name } => {
                let name = text("name", name)?;
                if estate.name == name {
                    return Ok(None);
                }
                estate.name = name.clone();
                set(path(&[&"estate"]), json!({ "name": name }))
            }
            AddBuilding { id, name } => {
                let name = text("name", name)?;
                id_free(estate, id)?;
                if estate.buildings.iter().any(|b| b.name == name) {
                    return Err(taken("name", "楼栋", "building", &name));
                }
                let building = Building {
                    id: id.trim().into(),
                    name,
                    entrances: vec![],
                };
                let item = json!(building);
                estate.buildings.push(building);
                Ok(Some(Write::Append(path(&[&"estate", &"buildings"]), item)))
            }
            RenameBuilding { building_id, name } => {
                let name = text("name", name)?;
                let b = building_index(estate, building_id)?;
                if estate.buildings[b].name == name {
                    return Ok(None);
                }
                if estate.buildings.iter().any(|o| o.name == name) {
                    return Err(taken("name", "楼栋", "building", &name));
                }
                estate.buildings[b].name = name.clone();
                set(
                    path(&[&"estate", &"buildings", &b]),
                    json!({ "name": name }),
                )
            }
            AddEntrance {
                building_id,
                id,
                name,
            } => {
                let name = text("name", name)?;
                let b = building_index(estate, building_id)?;
                id_free(estate, id)?;
                let entrances = &mut estate.buildings[b].entrances;
                if entrances.iter().any(|e| e.name == name) {
                    return Err(taken("name", "单元", "entrance", &name));
                }
                let entrance = Entrance {
                    id: id.trim().into(),
                    name,
                    units: vec![],
                };
                let item = json!(entrance);
                entrances.push(entrance);
                Ok(Some(Write::Append(
                    path(&[&"estate", &"buildings", &b, &"entrances"]),
                    item,
                )))
            }
            RenameEntrance { entrance_id, name } => {
                let name = text("name", name)?;
                let (b, e) = entrance_index(estate, entrance_id)?;
                let entrances = &mut estate.buildings[b].entrances;
                if entrances[e].name == name {
                    return Ok(None);
                }
                if entrances.iter().any(|o| o.name == name) {
                    return Err(taken("name", "单元", "entrance", &name));
                }
                entrances[e].name = name.clone();
                set(
                    path(&[&"estate", &"buildings", &b, &"entrances", &e]),
                    json!({ "name": name }),
                )
            }
            AddUnit {
                entrance_id,
                id,
                number,
                vacant,
            } => {
                let number = text("number", number)?;
                let (b, e) = entrance_index(estate, entrance_id)?;
                id_free(estate, id)?;
                let units = &mut estate.buildings[b].entrances[e].units;
                if units.iter().any(|u| u.number == number) {
                    return Err(taken("number", "房号", "unit", &number));
                }
                let unit = Unit {
                    id: id.trim().into(),
                    number,
                    vacant: *vacant,
                    residents: vec![],
                };
                let item = json!(unit);
                units.push(unit);
                Ok(Some(Write::Append(
                    path(&[&"estate", &"buildings", &b, &"entrances", &e, &"units"]),
                    item,
                )))
            }
            RenumberUnit { unit_id, number } => {
                let number = text("number", number)?;
                let (b, e, u) = unit_index(estate, unit_id)?;
                let units = &mut estate.buildings[b].entrances[e].units;
                if units[u].number == number {
                    return Ok(None);
                }
                if units.iter().any(|o| o.number == number) {
                    return Err(taken("number", "房号", "unit", &number));
                }
                units[u].number = number.clone();
                set(unit_path(b, e, u), json!({ "number": number }))
            }
            SetVacant { unit_id, vacant } => {
                let (b, e, u) = unit_index(estate, unit_id)?;
                let unit = &mut estate.buildings[b].entrances[e].units[u];
                if unit.vacant == *vacant {
                    return Ok(None);
                }
                unit.vacant = *vacant;
                set(unit_path(b, e, u), json!({ "vacant": vacant }))
            }
            AddResident {
                unit_id,
                id,
                name,
                phone,
                owner,
            } => {
                let (name, phone) = check_resident(name, phone)?;
                let (b, e, u) = unit_index(estate, unit_id)?;
                id_free(estate, id)?;
                let resident = Resident {
                    id: id.trim().into(),
                    name: Personal(name),
                    phone: Personal(phone),
                    owner: *owner,
                    moved_out: false,
                };
                let item = json!(resident);
                estate.buildings[b].entrances[e].units[u]
                    .residents
                    .push(resident);
                let mut at = unit_path(b, e, u);
                at.push("residents".into());
                Ok(Some(Write::Append(at, item)))
            }
            ChangeResident {
                unit_id,
                resident_id,
                name,
                phone,
                owner,
            } => {
                let (name, phone) = check_resident(name, phone)?;
                let (b, e, u) = unit_index(estate, unit_id)?;
                let unit = &mut estate.buildings[b].entrances[e].units[u];
                let r = resident_index(unit, resident_id)?;
                let resident = &mut unit.residents[r];
                if resident.name.0 == name && resident.phone.0 == phone && resident.owner == *owner
                {
                    return Ok(None);
                }
                resident.name = Personal(name.clone());
                resident.phone = Personal(phone.clone());
                resident.owner = *owner;
                let mut at = unit_path(b, e, u);
                at.extend(["residents".into(), r.to_string()]);
                set(at, json!({ "name": name, "phone": phone, "owner": owner }))
            }
            MoveOut {
                unit_id,
                resident_id,
            } => {
                let (b, e, u) = unit_index(estate, unit_id)?;
                let unit = &mut estate.buildings[b].entrances[e].units[u];
                let r = resident_index(unit, resident_id)?;
                if unit.residents[r].moved_out {
                    return Ok(None);
                }
                unit.residents[r].moved_out = true;
                let mut at = unit_path(b, e, u);
                at.extend(["residents".into(), r.to_string()]);
                set(at, json!({ "moved_out": true }))
            }
            AddCommonArea { id, kind, name } => {
                let name = text("name", name)?;
                let kind = check_kind(kind)?;
                id_free(estate, id)?;
                if estate.common_areas.iter().any(|a| a.name == name) {
                    return Err(taken("name", "公共区域", "common area", &name));
                }
                let area = CommonArea {
                    id: id.trim().into(),
                    kind,
                    name,
                };
                let item = json!(area);
                estate.common_areas.push(area);
                Ok(Some(Write::Append(
                    path(&[&"estate", &"common_areas"]),
                    item,
                )))
            }
            ChangeCommonArea {
                area_id,
                kind,
                name,
            } => {
                let name = text("name", name)?;
                let kind = check_kind(kind)?;
                let a = estate
                    .common_areas
                    .iter()
                    .position(|a| a.id == *area_id)
                    .ok_or_else(|| missing("common area", area_id))?;
                let area = &estate.common_areas[a];
                if area.name == name && area.kind == kind {
                    return Ok(None);
                }
                if estate
                    .common_areas
                    .iter()
                    .any(|o| o.name == name && o.id != *area_id)
                {
                    return Err(taken("name", "公共区域", "common area", &name));
                }
                estate.common_areas[a].name = name.clone();
                estate.common_areas[a].kind = kind.clone();
                set(
                    path(&[&"estate", &"common_areas", &a]),
                    json!({ "name": name, "kind": kind }),
                )
            }
        }
    }
}
