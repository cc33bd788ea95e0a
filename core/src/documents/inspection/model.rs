//! The inspection's statuses and checklist lines as its document holds them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::documents::lifecycle::{
    self, not_allowed, role_in, Current, Status, Transition, TransitionError,
};
use crate::people::Role;
use crate::places::{GeoPoint, Place};
use crate::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    InProgress,
    Submitted,
    Reviewed,
}

impl Status for InspectionStatus {
    const INITIAL: Self = InspectionStatus::InProgress;
    const ALL: &'static [Self] = &[
        InspectionStatus::InProgress,
        InspectionStatus::Submitted,
        InspectionStatus::Reviewed,
    ];

    fn name(self) -> &'static str {
        match self {
            InspectionStatus::InProgress => "in_progress",
            InspectionStatus::Submitted => "submitted",
            InspectionStatus::Reviewed => "reviewed",
        }
    }

    fn check(from: Self, to: Self, role: Role) -> Result<(), TransitionError> {
        use InspectionStatus::*;
        match (from, to) {
            // Whoever walked it submits it.
            (InProgress, Submitted) => Ok(()),
            // A supervisor reviews, or sends it back to be completed.
            (Submitted, Reviewed) | (Submitted, InProgress) => {
                role_in(to, role, &[Role::Supervisor, Role::Director])
            }
            _ => Err(not_allowed(from, to)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Unchecked,
    Ok,
    Defect,
    NotApplicable,
}

/// Where on site an item was checked ("3F east stairwell").
impl ItemResult {
    pub const ALL: [ItemResult; 4] = [
        ItemResult::Unchecked,
        ItemResult::Ok,
        ItemResult::Defect,
        ItemResult::NotApplicable,
    ];

    /// The name in JSON ("not_applicable").
    pub fn name(self) -> &'static str {
        match self {
            ItemResult::Unchecked => "unchecked",
            ItemResult::Ok => "ok",
            ItemResult::Defect => "defect",
            ItemResult::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ItemPlace {
    pub point: Option<GeoPoint>,
    pub detail: String,
}

/// One checklist line. Each is its own map keyed by item id, so two phones
/// checking different items offline both keep their work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionItem {
    pub id: String,
    /// Its place in the template's order.
    pub position: i64,
    pub title_zh: String,
    pub title_en: String,
    pub result: ItemResult,
    pub note: String,
    /// SHA-256 hashes of photo blobs.
    pub photos: Vec<String>,
    pub place: ItemPlace,
    pub checked_by: Option<String>,
    pub checked_at: Option<Millis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    Rectification,
    WorkOrder,
}

/// A record opened for a defect; that record names this inspection and item back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub item_id: String,
    pub kind: FollowUpKind,
    pub record_id: String,
}

/// An inspection as read from its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: String,
    pub estate_id: String,
    /// building_patrol, vacant_unit_patrol, … (the root “kind” is the record kind).
    pub checklist_kind: String,
    pub title_zh: String,
    pub template_id: String,
    pub template_version: i64,
    pub place: Place,
    pub started_by: String,
    pub started_at: Millis,
    pub location: Option<GeoPoint>,
    pub finished_at: Option<Millis>,
    pub items: BTreeMap<String, InspectionItem>,
    pub follow_ups: Vec<FollowUp>,
    pub events: Vec<Transition<InspectionStatus>>,
    /// The renovation application this renovation patrol checks; absent on
    /// other inspections and on those made before patrols named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renovation_id: Option<String>,
}

impl Inspection {
    pub fn current(&self) -> Current<InspectionStatus> {
        lifecycle::current(&self.events)
    }

    pub fn status(&self) -> Option<InspectionStatus> {
        self.current().status()
    }

    /// The items in the template's order.
    pub fn checklist(&self) -> Vec<&InspectionItem> {
        let mut items: Vec<_> = self.items.values().collect();
        items.sort_by_key(|i| i.position);
        items
    }

    pub fn defects(&self) -> Vec<&InspectionItem> {
        self.checklist()
            .into_iter()
            .filter(|i| i.result == ItemResult::Defect)
            .collect()
    }

    /// What stops submission: unchecked items and defects without a note.
    /// Defects no work order or notice has followed up yet.
    pub fn defects_to_follow_up(&self) -> Vec<&InspectionItem> {
        self.defects()
            .into_iter()
            .filter(|d| !self.follow_ups.iter().any(|f| f.item_id == d.id))
            .collect()
    }

    pub fn missing_for_submission(&self) -> Vec<String> {
        self.checklist()
            .into_iter()
            .filter_map(|i| match i.result {
                ItemResult::Unchecked => Some(format!("{} 未检查 unchecked", i.id)),
                ItemResult::Defect if i.note.trim().is_empty() => {
                    Some(format!("{} 缺陷说明 defect note", i.id))
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InspectionStatus::*;

    #[test]
    fn anyone_submits_and_only_heads_review_or_send_back() {
        assert!(InspectionStatus::check(InProgress, Submitted, Role::Security).is_ok());
        for to in [Reviewed, InProgress] {
            assert!(InspectionStatus::check(Submitted, to, Role::Supervisor).is_ok());
            assert!(InspectionStatus::check(Submitted, to, Role::PropertyAssistant).is_err());
        }
        assert!(InspectionStatus::check(InProgress, Reviewed, Role::Director).is_err());
        assert!(InspectionStatus::check(Reviewed, InProgress, Role::Director).is_err());
    }
}
