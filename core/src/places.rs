//! Where work happens: estate (小区/项目) → building (栋) → entrance (单元) → unit
//! (房号), plus common areas (公共区域), and the residents of each unit.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A resident's personal data (name, phone). Marked by type so it is never
/// printed into logs by accident and exports can leave it out.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Personal<T>(pub T);

impl<T> Personal<T> {
    pub fn reveal(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Personal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estate {
    pub id: String,
    pub name: String,
    pub buildings: Vec<Building>,
    pub common_areas: Vec<CommonArea>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Building {
    pub id: String,
    pub name: String,
    pub entrances: Vec<Entrance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entrance {
    pub id: String,
    pub name: String,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    /// 房号, e.g. "1-2-302".
    pub number: String,
    #[serde(default)]
    pub vacant: bool,
    #[serde(default)]
    pub residents: Vec<Resident>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resident {
    pub id: String,
    pub name: Personal<String>,
    pub phone: Personal<String>,
    /// Owner (业主) rather than tenant (住户).
    #[serde(default)]
    pub owner: bool,
    /// Moved out (迁出): kept, not deleted, so the unit's history still
    /// names who lived there and an edit made offline never loses its item.
    #[serde(default)]
    pub moved_out: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonArea {
    pub id: String,
    /// lift, car park, plant room, garden, …
    pub kind: String,
    pub name: String,
}

impl Estate {
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.buildings
            .iter()
            .flat_map(|b| b.entrances.iter())
            .flat_map(|e| e.units.iter())
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units().find(|u| u.id == id)
    }

    pub fn common_area(&self, id: &str) -> Option<&CommonArea> {
        self.common_areas.iter().find(|a| a.id == id)
    }

    /// Every place of the estate a field screen offers to pick, so a
    /// defect or an inspection names a real place instead of free words:
    /// the common areas under their kind, then the units under their
    /// building and entrance, in the estate's own order.
    pub fn choices(&self) -> Vec<PlaceChoice> {
        let at = |unit_id: Option<&str>, common_area_id: Option<&str>| Place {
            estate_id: self.id.clone(),
            unit_id: unit_id.map(str::to_owned),
            common_area_id: common_area_id.map(str::to_owned),
            detail: String::new(),
        };
        let areas = self.common_areas.iter().map(|a| PlaceChoice {
            place: at(None, Some(&a.id)),
            group: crate::labels::common_area_kind(&a.kind)
                .map_or_else(|| a.kind.clone(), |l| format!("{} {}", l.zh, l.en)),
            label: a.name.clone(),
        });
        let units = self.buildings.iter().flat_map(|b| {
            b.entrances.iter().flat_map(move |e| {
                e.units.iter().map(move |u| PlaceChoice {
                    place: at(Some(&u.id), None),
                    group: format!("{} {}", b.name, e.name),
                    label: u.number.clone(),
                })
            })
        });
        areas.chain(units).collect()
    }

    /// The building and entrance a unit is in, with the unit.
    pub fn unit_at(&self, id: &str) -> Option<(&Building, &Entrance, &Unit)> {
        self.buildings.iter().find_map(|b| {
            b.entrances
                .iter()
                .find_map(|e| e.units.iter().find(|u| u.id == id).map(|u| (b, e, u)))
        })
    }
}

impl Unit {
    /// The residents living there now (moved-out ones are kept for history).
    pub fn current_residents(&self) -> impl Iterator<Item = &Resident> {
        self.residents.iter().filter(|r| !r.moved_out)
    }
}

/// A place a field screen offers to pick ([`Estate::choices`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceChoice {
    pub place: Place,
    /// The heading it is listed under: "1栋 2单元", or the common area's
    /// kind ("电梯 Lift").
    pub group: String,
    /// The unit's number (房号) or the area's name.
    pub label: String,
}

/// Where a record is: a unit or a common area of one estate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Place {
    pub estate_id: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub common_area_id: Option<String>,
    /// Free words for what ids do not say ("outside the lift on floor 3").
    #[serde(default)]
    pub detail: String,
}

/// Where a phone was, when it knew.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_list_common_areas_by_kind_then_units_by_building_and_entrance() {
        let unit = |id: &str, number: &str| Unit {
            id: id.into(),
            number: number.into(),
            vacant: false,
            residents: vec![],
        };
        let estate = Estate {
            id: "e1".into(),
            name: "阳光花园".into(),
            buildings: vec![Building {
                id: "b1".into(),
                name: "1栋".into(),
                entrances: vec![Entrance {
                    id: "b1-2".into(),
                    name: "2单元".into(),
                    units: vec![unit("u1", "1-2-301"), unit("u2", "1-2-302")],
                }],
            }],
            common_areas: vec![CommonArea {
                id: "e1-lift-a".into(),
                kind: "lift".into(),
                name: "1栋A梯".into(),
            }],
        };
        let choices = estate.choices();
        let shown: Vec<_> = choices
            .iter()
            .map(|c| (c.group.as_str(), c.label.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("电梯 Lift", "1栋A梯"),
                ("1栋 2单元", "1-2-301"),
                ("1栋 2单元", "1-2-302")
            ]
        );
        assert_eq!(
            choices[0].place.common_area_id.as_deref(),
            Some("e1-lift-a")
        );
        assert_eq!(choices[0].place.unit_id, None);
        assert_eq!(choices[2].place.unit_id.as_deref(), Some("u2"));
        assert!(choices.iter().all(|c| c.place.estate_id == "e1"));
    }
}
