//! The estate's policy: the department heads set up buildings, entrances,
//! units, residents and common areas, and rename them; nothing is removed
//! (a resident who leaves is marked moved out), so an edit made elsewhere
//! at the same time never loses the item it wrote into.

use serde::{Deserialize, Serialize};

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Violation};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::places::Estate;

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Estate,
    creators: &[Heads],
    rules: &[
        Rule::fixed("estate.id"),
        Rule::free("estate.name", &[Heads]),
        Rule::items("estate.buildings", &[Heads]),
        Rule::fixed("estate.buildings[].id"),
        Rule::free("estate.buildings[].name", &[Heads]),
        Rule::items("estate.buildings[].entrances", &[Heads]),
        Rule::fixed("estate.buildings[].entrances[].id"),
        Rule::free("estate.buildings[].entrances[].name", &[Heads]),
        Rule::items("estate.buildings[].entrances[].units", &[Heads]),
        Rule::fixed("estate.buildings[].entrances[].units[].id"),
        Rule::free("estate.buildings[].entrances[].units[].number", &[Heads]),
        Rule::free("estate.buildings[].entrances[].units[].vacant", &[Heads]),
        Rule::items("estate.buildings[].entrances[].units[].residents", &[Heads]),
        Rule::fixed("estate.buildings[].entrances[].units[].residents[].id"),
        Rule::free(
            "estate.buildings[].entrances[].units[].residents[].name",
            &[Heads],
        ),
        Rule::free(
            "estate.buildings[].entrances[].units[].residents[].phone",
            &[Heads],
        ),
        Rule::free(
            "estate.buildings[].entrances[].units[].residents[].owner",
            &[Heads],
        ),
        Rule::free(
            "estate.buildings[].entrances[].units[].residents[].moved_out",
            &[Heads],
        ),
        Rule::items("estate.common_areas", &[Heads]),
        Rule::fixed("estate.common_areas[].id"),
        Rule::free("estate.common_areas[].kind", &[Heads]),
        Rule::free("estate.common_areas[].name", &[Heads]),
    ],
};

#[derive(Clone, Serialize, Deserialize)]
struct Root {
    id: String,
    estate_id: String,
    estate: Estate,
}

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let _: Root = typed(after)?;
    super::table::judge(
        &TABLE,
        before.map(View::tree),
        after.tree(),
        author,
        &Facts::default(),
    )
}
