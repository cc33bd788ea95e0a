//! The estate's places and residents as one document the office edits and the
//! phones of its staff receive.

use serde_json::json;

use super::codec;
use super::lifecycle::{TransitionError, Who};
use super::{record_view, required, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::places::Estate;

pub(crate) mod edit;
pub use edit::EstateEdit;
use edit::Write;

pub struct EstateDoc {
    doc: RecordDoc,
}

record_view!(EstateDoc, RecordKind::Estate, index_row);

/// Estates are set up by the department heads (`Role::keeps_places`).
fn heads_only(who: &Who) -> Result<(), RecordError> {
    if who.role.keeps_places() {
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
        heads_only(who)?;
        required("name", &estate.name)?;
        required("estate_id", &estate.id)?;
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

    /// Applies `edits` in order as one change: all of them, or (if any is
    /// refused) none. Returns how many changed anything; edits that find the
    /// estate already as they say write nothing, so applying the same list
    /// twice changes nothing the second time.
    pub fn edit(&mut self, edits: &[EstateEdit], who: &Who) -> Result<usize, RecordError> {
        heads_only(who)?;
        let mut estate = self.read()?;
        self.doc.change(who, "edit estate", |d| {
            let mut changed = 0;
            for edit in edits {
                let Some(write) = edit.apply_to(&mut estate)? else {
                    continue;
                };
                changed += 1;
                match write {
                    Write::Append(path, item) => {
                        let path: Vec<&str> = path.iter().map(String::as_str).collect();
                        codec::append(d, &path, &item)?;
                    }
                    Write::Set(path, fields) => {
                        let path: Vec<&str> = path.iter().map(String::as_str).collect();
                        let obj = codec::obj_at(d, &path)?;
                        if let serde_json::Value::Object(fields) = fields {
                            for (k, v) in &fields {
                                codec::put_json(d, &obj, k, v)?;
                            }
                        }
                    }
                }
            }
            Ok(changed)
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
