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

#[cfg(test)]
mod tests {
    use crate::documents::estate::edit::one_of_each;
    use crate::documents::estate::{EstateDoc, EstateEdit};
    use crate::documents::{codec, Record, Who};
    use crate::ids::{DeviceId, RecordId};
    use crate::people::Role;
    use crate::places::Estate;
    use crate::policy::{judge_since, Author, Code, Context, DocLimits};
    use crate::rules::RulesConfig;

    fn who(role: Role, device: DeviceId) -> Who {
        Who {
            staff_id: format!("s-{}", role.as_str()),
            role,
            device_id: device,
            at: 1,
        }
    }

    /// A phone that skips its own check cannot change a resident's phone
    /// unless a head made the change; a head may, and may rename a place.
    #[test]
    fn only_a_head_changes_residents_and_renames_places() {
        let device = DeviceId::new();
        let director = who(Role::Director, device);
        let estate = Estate {
            id: "e1".into(),
            name: "阳光花园".into(),
            buildings: vec![],
            common_areas: vec![],
        };
        let mut doc = EstateDoc::create(RecordId::new(), &estate, device, &director).unwrap();
        let setup = one_of_each();
        let (rules, limits) = (RulesConfig::default(), DocLimits::default());
        let ctx = Context {
            rules: &rules,
            limits: &limits,
        };
        let head = Author::from_who(&director, None);
        judge_since(doc.record_mut(), &[], &head, &ctx).unwrap();
        let before = doc.record_mut().heads();
        doc.edit(&setup, &director).unwrap();
        judge_since(doc.record_mut(), &before, &head, &ctx).unwrap();

        let desk = who(Role::Receptionist, device);
        let before = doc.record_mut().heads();
        let phone = [
            "estate",
            "buildings",
            "0",
            "entrances",
            "0",
            "units",
            "0",
            "residents",
            "0",
        ];
        doc.record_mut()
            .change(&desk, "change phone", |d| {
                let obj = codec::obj_at(d, &phone)?;
                codec::put_json(d, &obj, "phone", &"13900139000".into())
            })
            .unwrap();
        let refused = judge_since(
            doc.record_mut(),
            &before,
            &Author::from_who(&desk, None),
            &ctx,
        )
        .unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_str()),
            (
                Code::RoleMayNot,
                "estate.buildings[].entrances[].units[].residents[].phone"
            )
        );

        let mut doc = EstateDoc::create(RecordId::new(), &estate, device, &director).unwrap();
        doc.edit(&setup[..1], &director).unwrap();
        let before = doc.record_mut().heads();
        doc.edit(
            &[EstateEdit::RenameBuilding {
                building_id: "b1".into(),
                name: "一号楼".into(),
            }],
            &director,
        )
        .unwrap();
        judge_since(doc.record_mut(), &before, &head, &ctx).unwrap();
    }
}
