//! An estate's places and residents through a session: a head creates an
//! estate and edits it, each edit list judged by the write policy as one
//! change, as any phone's edit is.

use super::{Session, SessionError};
use crate::documents::estate::{EstateDoc, EstateEdit};
use crate::documents::RecordKind;
use crate::ids::RecordId;
use crate::places::{Estate, PlaceChoice};
use crate::store::{DocumentStore, Query, StoreError};

impl<S: DocumentStore> Session<S> {
    /// A new, empty estate named `name` under the short id `estate_id`
    /// (which records name). The person must already be given the estate
    /// (`Staff::estates`): who creates an estate works on it.
    pub fn create_estate(
        &mut self,
        id: RecordId,
        estate_id: &str,
        name: &str,
    ) -> Result<RecordId, SessionError> {
        let estate = Estate {
            id: estate_id.into(),
            name: name.trim().into(),
            buildings: vec![],
            common_areas: vec![],
        };
        let doc = EstateDoc::create(id, &estate, self.store().device_id(), &self.who())?;
        self.create(doc)
    }

    /// The record of the estate `estate_id` and what it says now.
    pub fn estate(&self, estate_id: &str) -> Result<(RecordId, Estate), SessionError> {
        self.check_estate(estate_id)?;
        let row = self
            .store()
            .query(&Query {
                kind: Some(RecordKind::Estate),
                estates: Some(vec![estate_id.into()]),
                ..Query::default()
            })?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound(estate_id.into()))?;
        let id = RecordId::parse(&row.id).map_err(|_| StoreError::NotFound(row.id.clone()))?;
        let estate = self.get::<EstateDoc>(&id)?.read()?;
        Ok((id, estate))
    }

    /// The places of `estate_id` a field screen offers to pick.
    pub fn place_choices(&self, estate_id: &str) -> Result<Vec<PlaceChoice>, SessionError> {
        Ok(self.estate(estate_id)?.1.choices())
    }

    /// Applies `edits` to the estate as one change (all or none); returns
    /// how many changed anything.
    pub fn edit_estate(
        &mut self,
        estate_id: &str,
        edits: &[EstateEdit],
    ) -> Result<usize, SessionError> {
        let (id, _) = self.estate(estate_id)?;
        self.edit(&id, |doc: &mut EstateDoc, who, _| doc.edit(edits, who))
    }
}

#[cfg(test)]
mod tests {
    use crate::documents::estate::edit::one_of_each;
    use crate::documents::estate::EstateEdit;
    use crate::people::{Role, Staff};
    use crate::rules::{RulesConfig, WorkCalendar};
    use crate::session::Session;
    use crate::store::Store;
    use crate::RecordId;

    fn session(role: Role) -> Session<Store> {
        let staff = Staff {
            id: format!("s-{}", role.as_str()),
            name: "刘洋".into(),
            role,
            estates: vec!["e-new".into()],
        };
        Session::new(
            Store::open_in_memory().unwrap(),
            staff,
            RulesConfig::default(),
            WorkCalendar::china(),
        )
    }

    #[test]
    fn a_head_sets_up_an_estate_and_reception_may_not() {
        let mut s = session(Role::Director);
        s.create_estate(RecordId::new(), "e-new", "新苑").unwrap();
        let edits = one_of_each();
        assert_eq!(s.edit_estate("e-new", &edits).unwrap(), 4);
        // Adding what is there is refused by its id, not added twice.
        assert!(s.edit_estate("e-new", &edits[..1]).is_err());
        let renames = [
            EstateEdit::RenameBuilding {
                building_id: "b1".into(),
                name: "一号楼".into(),
            },
            EstateEdit::MoveOut {
                unit_id: "u1".into(),
                resident_id: "r1".into(),
            },
        ];
        assert_eq!(s.edit_estate("e-new", &renames).unwrap(), 2);
        assert_eq!(s.edit_estate("e-new", &renames).unwrap(), 0);
        let (_, estate) = s.estate("e-new").unwrap();
        assert_eq!(estate.buildings[0].name, "一号楼");
        let unit = estate.unit("u1").unwrap();
        assert!(unit.residents[0].moved_out);
        assert_eq!(unit.current_residents().count(), 0);

        let store = s.into_store();
        let mut desk = Session::new(
            store,
            Staff {
                id: "s-reception".into(),
                name: "张敏".into(),
                role: Role::Receptionist,
                estates: vec!["e-new".into()],
            },
            RulesConfig::default(),
            WorkCalendar::china(),
        );
        let refused = desk.edit_estate(
            "e-new",
            &[EstateEdit::SetVacant {
                unit_id: "u1".into(),
                vacant: true,
            }],
        );
        assert!(refused.is_err());
        assert!(!desk.estate("e-new").unwrap().1.unit("u1").unwrap().vacant);
    }

    #[test]
    fn a_bad_edit_in_a_list_keeps_none_of_it() {
        let mut s = session(Role::Supervisor);
        s.create_estate(RecordId::new(), "e-new", "新苑").unwrap();
        let edits = [
            EstateEdit::AddBuilding {
                id: "b1".into(),
                name: "1栋".into(),
            },
            EstateEdit::AddBuilding {
                id: "b2".into(),
                name: "1栋".into(),
            },
        ];
        let err = s.edit_estate("e-new", &edits).unwrap_err();
        assert!(err.to_string().contains("1栋"), "{err}");
        assert!(s.estate("e-new").unwrap().1.buildings.is_empty());
    }
}
