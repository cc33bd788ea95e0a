//! The company's rules and working calendar (公司规则与工作日历) as one
//! company-wide document: the server writes the company's rules file into
//! it, a director edits it in the console, and every signed-in phone
//! receives it, so a phone offline counts the same deadlines and quotas as
//! the office.
//!
//! The rules and the calendar are each replaced whole, never merged setting
//! by setting: two directors' edits made apart keep one of them, never a mix
//! that neither checked.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::lifecycle::{TransitionError, Who};
use super::{codec, record_view, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::people::{Role, Staff};
use crate::rules::{RulesConfig, RulesError, WorkCalendar};
use crate::time::Millis;

/// The `estate_id` of company-wide records: every signed-in person receives
/// them, whatever their estates.
pub const COMPANY_SCOPE: &str = "company";

/// The one document's id, the same on every server and phone, so a company
/// never has two.
const ID: &str = "00000000-0000-7000-8000-00000000c0de";

pub fn company_rules_id() -> RecordId {
    RecordId::parse(ID).expect("a valid UUID")
}

/// Who the server writes the company's rules file as: the company itself,
/// with a director's say over its rules.
pub fn company_author() -> Staff {
    Staff {
        id: COMPANY_SCOPE.into(),
        name: "公司 / the company".into(),
        role: Role::Director,
        estates: vec![],
    }
}

/// The rules a company applies and the working days they count.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRules {
    pub rules: RulesConfig,
    pub calendar: WorkCalendar,
}

impl Default for CompanyRules {
    /// The manuals' numbers and the shipped calendar of mainland China.
    fn default() -> Self {
        CompanyRules {
            rules: RulesConfig::default(),
            calendar: WorkCalendar::china(),
        }
    }
}

/// The document as stored: the rules by the names of their fields, the
/// calendar in the format of `calendar-cn.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Stored {
    pub id: String,
    pub estate_id: String,
    pub rules: Value,
    pub calendar: Value,
    pub changed_by: String,
    pub changed_at: Millis,
}

impl Stored {
    /// The rules and calendar it holds, checked as a rules file is.
    pub(crate) fn company(&self) -> Result<CompanyRules, RulesError> {
        Ok(CompanyRules {
            rules: RulesConfig::from_value(&self.rules)?,
            calendar: WorkCalendar::from_json(&self.calendar.to_string())?,
        })
    }
}

pub struct CompanyRulesDoc {
    doc: RecordDoc,
}

record_view!(CompanyRulesDoc, RecordKind::CompanyRules, index_row);

/// Only a director changes the company's rules.
fn directors_only(who: &Who) -> Result<(), RecordError> {
    if who.role == Role::Director {
        Ok(())
    } else {
        Err(TransitionError::RoleMayNot {
            role: who.role,
            to: "company rules changed",
        }
        .into())
    }
}

fn invalid(field: &'static str, e: RulesError) -> RecordError {
    RecordError::Invalid {
        field,
        reason: crate::message::Explain::message(&e),
    }
}

fn stored_values(company: &CompanyRules) -> Result<(Value, Value), RecordError> {
    company.rules.validate().map_err(|e| invalid("rules", e))?;
    Ok((codec::to_json(&company.rules)?, company.calendar.to_json()))
}

impl CompanyRulesDoc {
    pub fn create(
        company: &CompanyRules,
        device: DeviceId,
        who: &Who,
    ) -> Result<Self, RecordError> {
        directors_only(who)?;
        let (rules, calendar) = stored_values(company)?;
        let skeleton = json!({
            "rules": rules,
            "calendar": calendar,
            "changed_by": who.staff_id,
            "changed_at": who.at,
        });
        let doc = RecordDoc::create(
            RecordKind::CompanyRules,
            company_rules_id(),
            COMPANY_SCOPE,
            device,
            who,
            skeleton,
        )?;
        Ok(CompanyRulesDoc { doc })
    }

    /// The rules and calendar in force.
    pub fn read(&self) -> Result<CompanyRules, RecordError> {
        let stored: Stored = self.doc.read()?;
        stored.company().map_err(|e| invalid("rules", e))
    }

    /// Who last changed them, and when.
    pub fn changed(&self) -> Result<(String, Millis), RecordError> {
        let stored: Stored = self.doc.read()?;
        Ok((stored.changed_by, stored.changed_at))
    }

    /// Replaces the rules, the calendar or both with `company`; returns
    /// whether anything changed (the same again writes nothing).
    pub fn set(&mut self, company: &CompanyRules, who: &Who) -> Result<bool, RecordError> {
        directors_only(who)?;
        let now = self.read().ok();
        let rules_differ = now.as_ref().is_none_or(|n| n.rules != company.rules);
        let calendar_differs = now.as_ref().is_none_or(|n| n.calendar != company.calendar);
        if !rules_differ && !calendar_differs {
            return Ok(false);
        }
        if let Some(now) = &now {
            crate::rules::price_list::change_refused(
                &now.rules.price_list,
                &company.rules.price_list,
            )
            .map_err(|e| invalid("rules", e))?;
        }
        let (rules, calendar) = stored_values(company)?;
        self.doc.change(who, "set company rules", |d| {
            let root = automerge::ROOT;
            if rules_differ {
                codec::put_json(d, &root, "rules", &rules)?;
            }
            if calendar_differs {
                codec::put_json(d, &root, "calendar", &calendar)?;
            }
            codec::put_json(d, &root, "changed_by", &json!(who.staff_id))?;
            codec::put_json(d, &root, "changed_at", &json!(who.at))
        })?;
        Ok(true)
    }
}

pub(crate) fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    let stored: Stored = doc.read()?;
    let calendar = WorkCalendar::from_json(&stored.calendar.to_string()).ok();
    Ok(IndexRow {
        id: stored.id.clone(),
        kind: RecordKind::CompanyRules,
        estate_id: stored.estate_id.clone(),
        status: "active".into(),
        open: false,
        conflicted: false,
        assignee: None,
        unit_id: None,
        category: None,
        emergency: false,
        created_at: 0,
        due_at: None,
        done_at: Some(stored.changed_at),
        title: "公司规则与工作日历".into(),
        facts: json!({
            "calendar_years": calendar.as_ref().map(WorkCalendar::years),
            "provisional_years": calendar.as_ref().map(WorkCalendar::provisional_years),
            "changed_by": stored.changed_by,
        })
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Record;

    fn who(role: Role, at: Millis) -> Who {
        Who {
            staff_id: "d1".into(),
            role,
            device_id: DeviceId::new(),
            at,
        }
    }

    #[test]
    fn a_director_replaces_the_rules_and_the_same_again_writes_nothing() {
        let director = who(Role::Director, 1);
        let mut doc =
            CompanyRulesDoc::create(&CompanyRules::default(), director.device_id, &director)
                .unwrap();
        assert_eq!(doc.read().unwrap(), CompanyRules::default());
        let mut company = CompanyRules::default();
        company.rules.repairs.standard_working_days = 5;
        assert!(doc.set(&company, &who(Role::Supervisor, 2)).is_err());
        assert!(doc.set(&company, &who(Role::Director, 3)).unwrap());
        assert!(!doc.set(&company, &who(Role::Director, 4)).unwrap());
        assert_eq!(doc.read().unwrap().rules.repairs.standard_working_days, 5);
        assert_eq!(doc.changed().unwrap(), ("d1".into(), 3));
        let row = doc.index_row().unwrap();
        assert_eq!(row.estate_id, COMPANY_SCOPE);
        assert_eq!(row.facts["provisional_years"], json!([2027]));
    }

    #[test]
    fn invalid_rules_are_refused_before_anything_is_written() {
        let director = who(Role::Director, 1);
        let mut doc =
            CompanyRulesDoc::create(&CompanyRules::default(), director.device_id, &director)
                .unwrap();
        let mut bad = CompanyRules::default();
        bad.rules.revisits.complaint_sample_percent = 120.0;
        let err = doc.set(&bad, &director).unwrap_err();
        assert!(
            err.to_string().contains("complaint_sample_percent"),
            "{err}"
        );
        assert_eq!(doc.read().unwrap(), CompanyRules::default());
    }
}
