//! The survey's words and its read model: the sample, the forms that count,
//! and what the survey found.

use serde::{Deserialize, Serialize};

use crate::rules::{survey_result, RulesConfig, Satisfaction, SurveyResult};
use crate::time::Millis;

/// Why a survey is made (第8篇 §4.2): the half-yearly one, a new service
/// within its first months, or a particular matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    Regular,
    NewService,
    Special,
}

impl Occasion {
    pub const ALL: [Occasion; 3] = [Occasion::Regular, Occasion::NewService, Occasion::Special];

    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Regular => "regular",
            Occasion::NewService => "new_service",
            Occasion::Special => "special",
        }
    }

    pub fn parse(code: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.as_str() == code)
    }
}

/// How a form reached Rounds: collected on a phone at the door, or typed
/// in at the desk from the paper form. The same edit either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Door,
    Desk,
}

impl Via {
    pub const ALL: [Via; 2] = [Via::Door, Via::Desk];

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Door => "door",
            Via::Desk => "desk",
        }
    }

    pub fn parse(code: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.as_str() == code)
    }
}

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Sample drawn, forms not yet out.
    Draft,
    /// Forms out, coming back.
    Collecting,
    /// Counted; the worst items get their actions.
    Closed,
}

impl SurveyStatus {
    pub const ALL: [SurveyStatus; 3] = [
        SurveyStatus::Draft,
        SurveyStatus::Collecting,
        SurveyStatus::Closed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Collecting => "collecting",
            SurveyStatus::Closed => "closed",
        }
    }
}

/// One service item the residents rate (维修服务, 保洁, 安全管理, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyItem {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub item: String,
    pub rating: Satisfaction,
}

/// One household's returned form (《顾客满意度征询表》).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    pub id: String,
    pub unit_id: String,
    pub ratings: Vec<Rating>,
    /// The resident's written opinions and wishes (§3 d, §6.1 c, d).
    pub comments: String,
    pub via: Via,
    /// Who recorded it.
    pub by: String,
    pub at: Millis,
}

/// What is done about one item (整改): who owns it and the measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub item: String,
    /// The staff id of the one who carries it out.
    pub owner: String,
    pub measure: String,
    pub by: String,
    pub at: Millis,
}

/// A satisfaction survey of one estate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: String,
    pub estate_id: String,
    /// "2026年下半年满意度调查".
    pub title: String,
    pub occasion: Occasion,
    /// For a new service: the day it started, "2026-09-01".
    pub service_started: Option<String>,
    pub items: Vec<SurveyItem>,
    /// The draw's seed: with the estate's units it draws `sample` again.
    pub sample_seed: String,
    /// How many units the sample was drawn from.
    pub population: u32,
    /// The households surveyed, by unit id.
    pub sample: Vec<String>,
    /// The estate's survey before this one, to compare with.
    pub previous: Option<String>,
    pub opened_by: String,
    pub opened_at: Millis,
    pub sent_by: Option<String>,
    pub sent_at: Option<Millis>,
    /// When the forms are due back (company rules).
    pub due_at: Option<Millis>,
    pub forms: Vec<Form>,
    pub closed_by: Option<String>,
    pub closed_at: Option<Millis>,
    pub actions: Vec<Action>,
}

impl Survey {
    pub fn status(&self) -> SurveyStatus {
        match (self.sent_at, self.closed_at) {
            (_, Some(_)) => SurveyStatus::Closed,
            (Some(_), None) => SurveyStatus::Collecting,
            (None, None) => SurveyStatus::Draft,
        }
    }

    pub fn item_ids(&self) -> Vec<String> {
        self.items.iter().map(|i| i.id.clone()).collect()
    }

    /// The forms that count: the first one recorded for each sampled unit
    /// by the due time. A second form for a unit (the desk typed the paper
    /// one in while a phone, offline, had collected it at the door) is kept
    /// but counted once.
    pub fn counted_forms(&self) -> Vec<&Form> {
        let mut forms: Vec<&Form> = self
            .forms
            .iter()
            .filter(|f| self.sample.contains(&f.unit_id))
            .filter(|f| self.due_at.is_none_or(|due| f.at < due))
            .collect();
        forms.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let mut seen = std::collections::BTreeSet::new();
        forms.retain(|f| seen.insert(f.unit_id.as_str()));
        forms
    }

    /// Whether a form from `unit_id` already counts.
    pub fn returned(&self, unit_id: &str) -> bool {
        self.counted_forms().iter().any(|f| f.unit_id == unit_id)
    }

    /// Sampled households whose form has not come back.
    pub fn outstanding(&self) -> Vec<String> {
        let counted = self.counted_forms();
        self.sample
            .iter()
            .filter(|u| !counted.iter().any(|f| &f.unit_id == *u))
            .cloned()
            .collect()
    }

    /// What the survey found, compared with `previous`'s result.
    pub fn result(&self, previous: Option<&SurveyResult>, cfg: &RulesConfig) -> SurveyResult {
        let forms: Vec<Vec<(String, Satisfaction)>> = self
            .counted_forms()
            .iter()
            .map(|f| {
                f.ratings
                    .iter()
                    .map(|r| (r.item.clone(), r.rating))
                    .collect()
            })
            .collect();
        survey_result(
            &self.item_ids(),
            self.sample.len() as u32,
            &forms,
            previous,
            cfg,
        )
    }
}
