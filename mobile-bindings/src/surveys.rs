//! Satisfaction surveys (满意度调查) across the boundary: the field screen
//! lists the surveys collecting forms, shows one survey's items and its
//! sampled households (those already back marked), and records a
//! household's form at the door. Every rule is core's.

use rounds_core::documents::survey as core;

use crate::error::RoundsError;
use crate::people::Label;
use crate::queries::{rows, TaskRow};
use crate::revisits::Satisfaction;
use crate::session::{item_id, record_id, Rounds};
use crate::time::{at, Timestamp};

/// One service item the household rates.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SurveyItem {
    pub id: String,
    pub name: String,
}

/// A sampled household, and whether its form is back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SurveyHousehold {
    pub unit_id: String,
    pub returned: bool,
}

/// A survey as the field screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Survey {
    pub id: String,
    pub estate_id: String,
    pub title: String,
    /// Forms are being collected: the screen offers the form.
    pub collecting: bool,
    pub status_label: Label,
    /// When the forms are due back.
    pub due_at: Option<Timestamp>,
    pub items: Vec<SurveyItem>,
    pub households: Vec<SurveyHousehold>,
    pub returned: u32,
}

/// One item's rating on a form.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ItemRating {
    pub item: String,
    pub rating: Satisfaction,
}

#[uniffi::export]
impl Rounds {
    /// The surveys of my estates, newest first.
    pub fn surveys(&self) -> Result<Vec<TaskRow>, RoundsError> {
        self.with(|s| s.surveys()).map(rows)
    }

    pub fn survey(&self, id: String) -> Result<Survey, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.survey(&id)).map(Into::into)
    }

    /// A household's form collected at the door: every item rated once.
    /// Empty `form_id`: a new one; the same one again records once.
    pub fn record_survey_form(
        &self,
        id: String,
        form_id: String,
        unit_id: String,
        ratings: Vec<ItemRating>,
        comments: String,
    ) -> Result<(), RoundsError> {
        let id = record_id(&id)?;
        let form = core::FormDraft {
            id: item_id(form_id),
            unit_id,
            ratings: ratings
                .into_iter()
                .map(|r| core::Rating {
                    item: r.item,
                    rating: r.rating.into(),
                })
                .collect(),
            comments,
            via: core::Via::Door,
        };
        self.with(|s| s.record_survey_form(&id, &form))
    }
}

impl From<core::Survey> for Survey {
    fn from(s: core::Survey) -> Self {
        let status = s.status();
        let households = s
            .sample
            .iter()
            .map(|u| SurveyHousehold {
                unit_id: u.clone(),
                returned: s.returned(u),
            })
            .collect();
        Survey {
            collecting: status == core::SurveyStatus::Collecting,
            status_label: status.label().into(),
            due_at: s.due_at.map(at),
            returned: s.counted_forms().len() as u32,
            households,
            items: s
                .items
                .into_iter()
                .map(|i| SurveyItem {
                    id: i.id,
                    name: i.name,
                })
                .collect(),
            id: s.id,
            estate_id: s.estate_id,
            title: s.title,
        }
    }
}
