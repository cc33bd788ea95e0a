//! Where work happens: the core's `Place` (estate, unit or common area).

use rounds_core::places as core;

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
