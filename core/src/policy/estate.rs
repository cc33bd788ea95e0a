//! The estate's policy: the office adds buildings, units, residents and
//! common areas; nothing is renamed or removed through sync.

use serde::{Deserialize, Serialize};

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Violation};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::places::Estate;

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Estate,
    creators: &[Office],
    rules: &[
        Rule::fixed("estate.id"),
        Rule::fixed("estate.name"),
        Rule::items("estate.buildings", &[Office]),
        Rule::fixed("estate.buildings[].id"),
        Rule::fixed("estate.buildings[].name"),
        Rule::items("estate.buildings[].entrances", &[Office]),
        Rule::fixed("estate.buildings[].entrances[].id"),
        Rule::fixed("estate.buildings[].entrances[].name"),
        Rule::items("estate.buildings[].entrances[].units", &[Office]),
        Rule::fixed("estate.buildings[].entrances[].units[].id"),
        Rule::fixed("estate.buildings[].entrances[].units[].number"),
        Rule::free("estate.buildings[].entrances[].units[].vacant", &[Office]),
        Rule::append(
            "estate.buildings[].entrances[].units[].residents",
            &[Office],
        ),
        Rule::append("estate.common_areas", &[Office]),
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
