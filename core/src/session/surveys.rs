//! Satisfaction surveys through a session: the office opens one with the
//! estate's occupied units to draw from, sends the forms, staff record
//! households' forms at the door or the desk, the office counts it, and
//! heads give the worst items their actions. The half-yearly report reads
//! the survey beside the one before it.

use chrono::{Datelike, NaiveDate};

use crate::documents::survey::{
    ActionDraft, FormDraft, Survey, SurveyDoc, SurveyDraft, SurveyItem,
};
use crate::documents::{IndexRow, RecordKind};
use crate::ids::RecordId;
use crate::labels::SURVEY_ITEMS;
use crate::rules::{self, local_date, SurveyResult};
use crate::store::{DocumentStore, Query};
use crate::time::to_millis;

use super::{Session, SessionError};

/// A survey with what it found, beside the survey before it.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyReport {
    pub survey: Survey,
    pub result: SurveyResult,
    pub previous: Option<(Survey, SurveyResult)>,
    /// Items the result asks to act on that no action names yet.
    pub without_action: Vec<String>,
}

/// When an estate's next half-yearly survey is due.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyDue {
    pub estate_id: String,
    /// The day the last half-yearly survey's forms went out.
    pub last_sent: Option<NaiveDate>,
    /// None when the estate was never surveyed: due now.
    pub due: Option<NaiveDate>,
    /// Never surveyed, or the due day has come.
    pub due_now: bool,
}

impl<S: DocumentStore> Session<S> {
    /// The estate's surveys, newest first.
    fn estate_surveys(&self, estate_id: &str) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.store().query(&Query {
            kind: Some(RecordKind::Survey),
            estates: Some(vec![estate_id.into()]),
            ..Query::default()
        })?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }

    /// The items a new survey of the estate starts from: its last survey's,
    /// or the service items core lists.
    pub fn survey_items(&self, estate_id: &str) -> Result<Vec<SurveyItem>, SessionError> {
        self.check_estate(estate_id)?;
        if let Some(last) = self.estate_surveys(estate_id)?.first() {
            return Ok(self.survey(&parse_id(&last.id)?)?.items);
        }
        Ok(SURVEY_ITEMS
            .iter()
            .map(|(id, label)| SurveyItem {
                id: (*id).into(),
                name: label.zh.into(),
            })
            .collect())
    }

    /// Opens a survey of `estate_id`, drawing its sample from the estate's
    /// occupied units; it is compared with the estate's last counted survey.
    pub fn open_survey(
        &mut self,
        id: RecordId,
        estate_id: &str,
        draft: &SurveyDraft,
    ) -> Result<RecordId, SessionError> {
        let (_, estate) = self.estate(estate_id)?;
        let units: Vec<String> = estate
            .units()
            .filter(|u| !u.vacant)
            .map(|u| u.id.clone())
            .collect();
        let previous = self
            .estate_surveys(estate_id)?
            .into_iter()
            .find(|r| r.status == "closed")
            .map(|r| r.id);
        let today = local_date(self.now(), self.rules.time_zone);
        let doc = SurveyDoc::open(
            id,
            estate_id,
            draft,
            &units,
            previous.as_deref(),
            today,
            &self.rules,
            self.store().device_id(),
            &self.who(),
        )?;
        self.create(doc)
    }

    pub fn survey(&self, id: &RecordId) -> Result<Survey, SessionError> {
        Ok(self.get::<SurveyDoc>(id)?.read()?)
    }

    /// The forms go out, due back when the company rules say.
    pub fn send_survey(&mut self, id: &RecordId) -> Result<(), SessionError> {
        let due = to_millis(rules::forms_due(self.now(), &self.rules));
        self.edit(id, |s: &mut SurveyDoc, who, _| s.send(due, who))
    }

    /// One household's form, collected at the door or typed in at the desk.
    pub fn record_survey_form(
        &mut self,
        id: &RecordId,
        form: &FormDraft,
    ) -> Result<(), SessionError> {
        self.edit(id, |s: &mut SurveyDoc, who, _| s.record_form(form, who))
    }

    pub fn close_survey(&mut self, id: &RecordId) -> Result<(), SessionError> {
        self.edit(id, |s: &mut SurveyDoc, who, _| s.close(who))
    }

    pub fn assign_survey_action(
        &mut self,
        id: &RecordId,
        action: &ActionDraft,
    ) -> Result<(), SessionError> {
        self.edit(id, |s: &mut SurveyDoc, who, _| s.assign_action(action, who))
    }

    /// What the survey found, beside the survey before it.
    pub fn survey_report(&self, id: &RecordId) -> Result<SurveyReport, SessionError> {
        let survey = self.survey(id)?;
        let previous = match &survey.previous {
            Some(p) => {
                let before = self.survey(&parse_id(p)?)?;
                let result = before.result(None, &self.rules);
                Some((before, result))
            }
            None => None,
        };
        let result = survey.result(previous.as_ref().map(|(_, r)| r), &self.rules);
        let without_action = result
            .to_act_on()
            .into_iter()
            .filter(|i| !survey.actions.iter().any(|a| &a.item == i))
            .collect();
        Ok(SurveyReport {
            survey,
            result,
            previous,
            without_action,
        })
    }

    /// The yearly report (第8篇): the estate's surveys sent in `year`,
    /// oldest first, each with what it found, and what they found together.
    pub fn survey_year(
        &self,
        estate_id: &str,
        year: i32,
    ) -> Result<(Vec<SurveyReport>, rules::YearResult), SessionError> {
        self.check_estate(estate_id)?;
        let tz = self.rules.time_zone;
        let mut sent: Vec<(i64, String)> = self
            .estate_surveys(estate_id)?
            .into_iter()
            .filter_map(|r| Some((r.facts["sent_at"].as_i64()?, r.id)))
            .filter(|(at, _)| local_date(crate::time::from_millis(*at), tz).year() == year)
            .collect();
        sent.sort();
        let reports = sent
            .iter()
            .map(|(_, id)| self.survey_report(&parse_id(id)?))
            .collect::<Result<Vec<_>, _>>()?;
        let results: Vec<SurveyResult> = reports.iter().map(|r| r.result.clone()).collect();
        Ok((reports, rules::year_result(&results)))
    }

    /// The surveys of my estates, newest first.
    pub fn surveys(&self) -> Result<Vec<IndexRow>, SessionError> {
        let mut rows = self.records(RecordKind::Survey)?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rows)
    }

    /// When each of my estates' next half-yearly survey is due.
    pub fn surveys_due(&self) -> Result<Vec<SurveyDue>, SessionError> {
        let tz = self.rules.time_zone;
        let today = local_date(self.now(), tz);
        let mut due = vec![];
        for estate_id in &self.staff.estates {
            let last_sent = self
                .estate_surveys(estate_id)?
                .iter()
                .filter(|r| r.category.as_deref() == Some("regular"))
                .filter_map(|r| r.facts["sent_at"].as_i64())
                .max()
                .map(|ms| local_date(crate::time::from_millis(ms), tz));
            let next = last_sent.map(|d| rules::next_survey_due(d, &self.rules));
            due.push(SurveyDue {
                estate_id: estate_id.clone(),
                last_sent,
                due: next,
                due_now: next.is_none_or(|d| d <= today),
            });
        }
        Ok(due)
    }
}

fn parse_id(id: &str) -> Result<RecordId, SessionError> {
    RecordId::parse(id).map_err(|_| crate::store::StoreError::NotFound(id.into()).into())
}
