//! Where work happens: the core's `Place` (estate, unit or common area).

use rounds_core::places as core;

use crate::error::RoundsError;
use crate::session::Rounds;

/// A unit or a common area of one estate.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Place {
    pub estate_id: String,
    #[uniffi(default)]
    pub unit_id: Option<String>,
    #[uniffi(default)]
    pub common_area_id: Option<String>,
    /// Free words for what ids do not say ("outside the lift on floor 3").
    #[uniffi(default)]
    pub detail: String,
}

impl From<Place> for core::Place {
    fn from(p: Place) -> Self {
        core::Place {
            estate_id: p.estate_id,
            unit_id: p.unit_id,
            common_area_id: p.common_area_id,
            detail: p.detail,
        }
    }
}

impl From<core::Place> for Place {
    fn from(p: core::Place) -> Self {
        Place {
            estate_id: p.estate_id,
            unit_id: p.unit_id,
            common_area_id: p.common_area_id,
            detail: p.detail,
        }
    }
}

/// A resident's name and phone, as reception typed them.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct Contact {
    #[uniffi(default)]
    pub name: String,
    #[uniffi(default)]
    pub phone: String,
}

impl From<Contact> for rounds_core::documents::work_order::Contact {
    fn from(c: Contact) -> Self {
        rounds_core::documents::work_order::Contact {
            name: core::Personal(c.name),
            phone: core::Personal(c.phone),
        }
    }
}

impl From<rounds_core::documents::work_order::Contact> for Contact {
    fn from(c: rounds_core::documents::work_order::Contact) -> Self {
        Contact {
            name: c.name.0,
            phone: c.phone.0,
        }
    }
}

/// A place to pick on a field screen, under its heading ("1栋 2单元", or a
/// common area's kind), instead of typing where.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlaceChoice {
    pub place: Place,
    pub group: String,
    /// The unit's number (房号) or the area's name.
    pub label: String,
}

impl From<core::PlaceChoice> for PlaceChoice {
    fn from(c: core::PlaceChoice) -> Self {
        PlaceChoice {
            place: c.place.into(),
            group: c.group,
            label: c.label,
        }
    }
}

#[uniffi::export]
impl Rounds {
    /// The places of an estate I work on, as the last sync brought them:
    /// its common areas by kind, then its units by building and entrance.
    pub fn places(&self, estate_id: String) -> Result<Vec<PlaceChoice>, RoundsError> {
        self.with(|s| s.place_choices(&estate_id))
            .map(|c| c.into_iter().map(Into::into).collect())
    }
}
