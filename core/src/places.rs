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
