//! Satisfaction surveys (顾客满意度调查, seed 003 第8篇): the office draws a
//! random sample of an estate's households and sends them the form; staff
//! collect each household's ratings at the door on a phone, or the desk
//! types in a paper form; once counted, the worst items get an owner and a
//! measure (整改), and the survey is compared with the one before.

mod model;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codec;
use super::lifecycle::Who;
use super::required;
use super::{record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::people::Role;
use crate::rules::{draw_sample, new_service_survey_by, RulesConfig};
use crate::time::Millis;
pub use model::{Action, Form, Occasion, Rating, Survey, SurveyItem, SurveyStatus, Via};

/// What the office writes to open a survey; the sample is drawn by core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyDraft {
    pub title: String,
    pub occasion: Occasion,
    /// For a new service: the day it started, "2026-09-01".
    pub service_started: Option<String>,
    pub items: Vec<SurveyItem>,
    /// How many households to survey.
    pub sample_size: u32,
}

/// One household's form as staff or the desk records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDraft {
    pub id: String,
    pub unit_id: String,
    pub ratings: Vec<Rating>,
    pub comments: String,
    pub via: Via,
}

/// An action on one item: its owner and the measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub id: String,
    pub item: String,
    pub owner: String,
    pub measure: String,
}

pub struct SurveyDoc {
    doc: RecordDoc,
}

record_view!(SurveyDoc, RecordKind::Survey, index_row);

fn office(role: Role) -> Result<(), RecordError> {
    if SurveyDoc::may_run(role) {
        Ok(())
    } else {
        Err(RecordError::invalid(
            "role",
            "只有客服前台与主管可以组织满意度调查",
            "only the front desk and heads run satisfaction surveys",
        ))
    }
}

fn date(field: &'static str, text: &str) -> Result<NaiveDate, RecordError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        RecordError::invalid(
            field,
            "日期格式应为 2026-12-07",
            "a date is written like 2026-12-07",
        )
    })
}

/// Each item named, and no id twice.
fn check_items(items: &[SurveyItem]) -> Result<(), RecordError> {
    if items.is_empty() {
        return Err(RecordError::invalid(
            "items",
            "请至少列出一项服务内容",
            "list at least one service item",
        ));
    }
    let mut ids = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let bad = |field, zh: &str, en: &str| RecordError::InvalidItem {
            list: "items",
            index,
            field,
            reason: crate::message::Bilingual::new(zh, en),
        };
        if item.name.trim().is_empty() {
            return Err(bad("name", "服务内容不能为空", "name the service item"));
        }
        if item.id.trim().is_empty() || !ids.insert(item.id.as_str()) {
            return Err(bad(
                "id",
                "服务内容的编号重复或为空",
                "each item has its own id",
            ));
        }
    }
    Ok(())
}

/// A form rates every item of the survey once, and nothing else.
pub fn rates_every_item_once(survey: &Survey, ratings: &[Rating]) -> bool {
    let rated: Vec<&str> = ratings.iter().map(|r| r.item.as_str()).collect();
    let unique: BTreeSet<&str> = rated.iter().copied().collect();
    let items: BTreeSet<&str> = survey.items.iter().map(|i| i.id.as_str()).collect();
    rated.len() == unique.len() && unique == items
}

impl SurveyDoc {
    /// Whether someone of `role` runs surveys (the desk — 客户服务中心 —
    /// and heads).
    pub fn may_run(role: Role) -> bool {
        role.registers()
    }

    /// Opens a survey of the estate whose units are `units`, drawing the
    /// sample from them with the survey's id as the draw's seed.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        id: RecordId,
        estate_id: &str,
        draft: &SurveyDraft,
        units: &[String],
        previous: Option<&str>,
        today: NaiveDate,
        cfg: &RulesConfig,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        office(who.role)?;
        required("estate_id", estate_id)?;
        required("title", &draft.title)?;
        check_items(&draft.items)?;
        let started = match (draft.occasion, draft.service_started.as_deref()) {
            (Occasion::NewService, Some(s)) if !s.trim().is_empty() => {
                let started = date("service_started", s.trim())?;
                if today < started || today > new_service_survey_by(started, cfg) {
                    return Err(RecordError::invalid(
                        "service_started",
                        format!(
                            "新增服务项目须在实施后{}个月内调查",
                            cfg.surveys.new_service_within_months
                        ),
                        format!(
                            "a new service is surveyed within {} months of starting",
                            cfg.surveys.new_service_within_months
                        ),
                    ));
                }
                Some(s.trim().to_owned())
            }
            (Occasion::NewService, _) => {
                return Err(RecordError::invalid(
                    "service_started",
                    "请填写新增服务的开始日期",
                    "give the day the new service started",
                ))
            }
            _ => None,
        };
        let size = draft.sample_size as usize;
        if size == 0 || size > units.len() {
            return Err(RecordError::invalid(
                "sample_size",
                format!("抽样户数应在 1 到 {} 之间", units.len()),
                format!("sample between 1 and {} households", units.len()),
            ));
        }
        let seed = id.to_string();
        let sample = draw_sample(&seed, units, size);
        let items: Vec<SurveyItem> = draft
            .items
            .iter()
            .map(|i| SurveyItem {
                id: i.id.trim().into(),
                name: i.name.trim().into(),
            })
            .collect();
        let skeleton = json!({
            "title": draft.title.trim(),
            "occasion": draft.occasion,
            "service_started": started,
            "items": items,
            "sample_seed": seed,
            "population": units.len() as u32,
            "sample": sample,
            "previous": previous,
            "opened_by": who.staff_id,
            "opened_at": who.at,
            "sent_by": null,
            "sent_at": null,
            "due_at": null,
            "forms": [],
            "closed_by": null,
            "closed_at": null,
            "actions": [],
        });
        let doc = RecordDoc::create(RecordKind::Survey, id, estate_id, device, who, skeleton)?;
        Ok(SurveyDoc { doc })
    }

    pub fn read(&self) -> Result<Survey, RecordError> {
        self.doc.read()
    }

    /// The forms go out; they are due back at `due_at` (company rules).
    pub fn send(&mut self, due_at: Millis, who: &Who) -> Result<(), RecordError> {
        office(who.role)?;
        if self.read()?.status() != SurveyStatus::Draft {
            return Err(RecordError::invalid(
                "sent_at",
                "调查表已发出",
                "the forms are already out",
            ));
        }
        self.doc.change(who, "send", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "sent_by": who.staff_id, "sent_at": who.at, "due_at": due_at }),
            )
        })
    }

    /// Records one household's form, at the door or at the desk.
    pub fn record_form(&mut self, draft: &FormDraft, who: &Who) -> Result<(), RecordError> {
        required("id", &draft.id)?;
        let survey = self.read()?;
        if survey.forms.iter().any(|f| f.id == draft.id) {
            return Ok(()); // a retry of the same form
        }
        if survey.status() != SurveyStatus::Collecting {
            return Err(RecordError::invalid(
                "forms",
                "调查未在回收中",
                "this survey is not collecting forms",
            ));
        }
        if survey.due_at.is_some_and(|due| who.at >= due) {
            return Err(RecordError::invalid(
                "forms",
                "调查表回收期限已过",
                "the forms were due back already",
            ));
        }
        if !survey.sample.contains(&draft.unit_id) {
            return Err(RecordError::invalid(
                "unit_id",
                "该户不在抽样名单中",
                "this household is not in the sample",
            ));
        }
        if survey.returned(&draft.unit_id) {
            return Err(RecordError::invalid(
                "unit_id",
                "该户的调查表已收回",
                "this household's form is already back",
            ));
        }
        if !rates_every_item_once(&survey, &draft.ratings) {
            return Err(RecordError::invalid(
                "ratings",
                "请为每项服务内容选择一个满意程度",
                "rate every service item once",
            ));
        }
        let form = Form {
            id: draft.id.clone(),
            unit_id: draft.unit_id.clone(),
            ratings: draft.ratings.clone(),
            comments: draft.comments.trim().into(),
            via: draft.via,
            by: who.staff_id.clone(),
            at: who.at,
        };
        self.doc
            .change(who, "survey form", |d| codec::append(d, &["forms"], &form))
    }

    /// Collection ends; the survey is counted.
    pub fn close(&mut self, who: &Who) -> Result<(), RecordError> {
        office(who.role)?;
        if self.read()?.status() != SurveyStatus::Collecting {
            return Err(RecordError::invalid(
                "closed_at",
                "只能结束回收中的调查",
                "only a survey collecting forms is closed",
            ));
        }
        self.doc.change(who, "close survey", |d| {
            codec::put_fields(
                d,
                &[],
                &json!({ "closed_by": who.staff_id, "closed_at": who.at }),
            )
        })
    }

    /// Whether someone of `role` assigns the actions (heads: 管业经理).
    pub fn may_assign(role: Role) -> bool {
        role.is_head()
    }

    /// A head gives an item an owner and a measure (整改).
    pub fn assign_action(&mut self, draft: &ActionDraft, who: &Who) -> Result<(), RecordError> {
        if !Self::may_assign(who.role) {
            return Err(RecordError::invalid(
                "owner",
                "只有主管可以安排整改",
                "only heads assign the actions",
            ));
        }
        required("id", &draft.id)?;
        required("owner", &draft.owner)?;
        required("measure", &draft.measure)?;
        let survey = self.read()?;
        if survey.actions.iter().any(|a| a.id == draft.id) {
            return Ok(()); // a retry
        }
        if survey.status() != SurveyStatus::Closed {
            return Err(RecordError::invalid(
                "actions",
                "调查结束统计后再安排整改",
                "actions follow once the survey is counted",
            ));
        }
        if !survey.items.iter().any(|i| i.id == draft.item) {
            return Err(RecordError::NoSuchItem {
                what: "survey item",
                id: draft.item.clone(),
            });
        }
        let action = Action {
            id: draft.id.clone(),
            item: draft.item.clone(),
            owner: draft.owner.trim().into(),
            measure: draft.measure.trim().into(),
            by: who.staff_id.clone(),
            at: who.at,
        };
        self.doc.change(who, "survey action", |d| {
            codec::append(d, &["actions"], &action)
        })
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let survey: Survey = doc.read()?;
    let counted = survey.counted_forms();
    // Each item's counts, so the monthly report needs no other record.
    let items: Vec<_> = survey
        .items
        .iter()
        .map(|item| {
            let ratings = counted
                .iter()
                .flat_map(|f| f.ratings.iter().filter(|r| r.item == item.id))
                .map(|r| r.rating);
            let (mut n, mut satisfied) = (0u32, 0u32);
            for r in ratings {
                n += 1;
                satisfied += u32::from(r.is_satisfied());
            }
            json!({ "item": item.id, "ratings": n, "satisfied": satisfied })
        })
        .collect();
    let status = survey.status();
    Ok(IndexRow {
        id: survey.id.clone(),
        kind: RecordKind::Survey,
        estate_id: survey.estate_id.clone(),
        status: status.name().into(),
        open: status != SurveyStatus::Closed,
        conflicted: false,
        assignee: None,
        unit_id: None,
        category: Some(survey.occasion.as_str().into()),
        emergency: false,
        created_at: survey.opened_at,
        due_at: survey.due_at.filter(|_| status == SurveyStatus::Collecting),
        done_at: survey.closed_at,
        title: survey.title.clone(),
        facts: json!({
            "occasion": survey.occasion,
            "sample": survey.sample.len(),
            "returned": counted.len(),
            "sent_at": survey.sent_at,
            "due_at": survey.due_at,
            "closed_at": survey.closed_at,
            "items": items,
            "previous": survey.previous,
            "actions": survey.actions.len(),
        })
        .into(),
    })
}
