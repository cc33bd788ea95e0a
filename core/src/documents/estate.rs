//! The estate's places and residents as one document the office edits and the
//! phones of its staff receive.

use serde_json::json;

use super::codec;
use super::lifecycle::{TransitionError, Who};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::{CommonArea, Estate, Resident};

pub struct EstateDoc {
    doc: RecordDoc,
}

record_view!(EstateDoc, RecordKind::Estate, index_row);

fn office_only(who: &Who) -> Result<(), RecordError> {
    if who.role.registers() {
        Ok(())
    } else {
        Err(TransitionError::RoleMayNot {
            role: who.role,
            to: "estate edited",
        }
        .into())
    }
}

impl EstateDoc {
    /// The record id is separate from the estate's short id (`estate.id`), which
    /// is what other records name.
    pub fn create(
        id: RecordId,
        estate: &Estate,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        office_only(who)?;
        required("name", &estate.name)?;
        let skeleton = json!({ "estate": estate });
        let doc = RecordDoc::create(RecordKind::Estate, id, &estate.id, device, who, skeleton)?;
        Ok(EstateDoc { doc })
    }

    pub fn read(&self) -> Result<Estate, RecordError> {
        #[derive(Clone, serde::Deserialize)]
        struct Root {
            estate: Estate,
        }
        Ok(self.doc.read::<Root>()?.estate)
    }

    fn unit_path(estate: &Estate, unit_id: &str) -> Option<[String; 8]> {
        for (b, building) in estate.buildings.iter().enumerate() {
            for (e, entrance) in building.entrances.iter().enumerate() {
                if let Some(u) = entrance.units.iter().position(|u| u.id == unit_id) {
                    return Some([
                        "estate".into(),
                        "buildings".into(),
                        b.to_string(),
                        "entrances".into(),
                        e.to_string(),
                        "units".into(),
                        u.to_string(),
                        "residents".into(),
                    ]);
                }
            }
        }
        None
    }

    pub fn add_resident(
        &mut self,
        unit_id: &str,
        resident: &Resident,
        who: &Who,
    ) -> Result<(), RecordError> {
        office_only(who)?;
        required("name", &resident.name.0)?;
        super::work_order::check_phone(&resident.phone.0)?;
        let estate = self.read()?;
        let path = Self::unit_path(&estate, unit_id).ok_or_else(|| RecordError::NoSuchItem {
            what: "unit",
            id: unit_id.into(),
        })?;
        self.doc.change(who, "add resident", |d| {
            codec::append(
                d,
                &path.iter().map(String::as_str).collect::<Vec<_>>(),
                resident,
            )
        })
    }

    pub fn add_common_area(&mut self, area: &CommonArea, who: &Who) -> Result<(), RecordError> {
        office_only(who)?;
        self.doc.change(who, "add common area", |d| {
            codec::append(d, &["estate", "common_areas"], area)
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let estate = EstateDoc { doc: doc.clone() }.read()?;
    Ok(IndexRow {
        id: doc.id().to_string(),
        kind: RecordKind::Estate,
        estate_id: estate.id.clone(),
        status: "active".into(),
        open: false,
        conflicted: false,
        assignee: None,
        unit_id: None,
        category: None,
        emergency: false,
        created_at: 0,
        due_at: None,
        done_at: None,
        title: estate.name.clone(),
        facts: json!({ "units": estate.units().count() }).into(),
    })
}
