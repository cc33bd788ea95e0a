//! A satisfaction survey's policy: the office opens it with its items and
//! drawn sample, fixed from then on, and sends the forms, due back when the
//! company rules say; anyone of the estate records a sampled household's
//! form while it collects, rating every item once; the office closes it;
//! heads give the items their actions.

use std::collections::BTreeSet;

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Code, Context, Violation};
use crate::documents::survey::{rates_every_item_once, Survey};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::rules::forms_due;
use crate::time::{from_millis, to_millis};

const DRAFT: &[&str] = &["draft"];
const COLLECTING: &[&str] = &["collecting"];
const CLOSED: &[&str] = &["closed"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Survey,
    creators: &[Office],
    rules: &[
        Rule::fixed("title"),
        Rule::fixed("occasion"),
        Rule::fixed("service_started"),
        Rule::fixed("items"),
        Rule::fixed("sample_seed"),
        Rule::fixed("population"),
        Rule::fixed("sample"),
        Rule::fixed("previous"),
        Rule::fixed("opened_by").names_author(),
        Rule::fixed("opened_at"),
        Rule::once("sent_by", &[Office]).when(DRAFT).names_author(),
        Rule::once("sent_at", &[Office]).when(DRAFT),
        Rule::once("due_at", &[Office]).when(DRAFT),
        Rule::append("forms", &[Anyone])
            .when(COLLECTING)
            .item_by("by"),
        Rule::once("closed_by", &[Office])
            .when(COLLECTING)
            .names_author(),
        Rule::once("closed_at", &[Office]).when(COLLECTING),
        Rule::append("actions", &[Heads]).when(CLOSED).item_by("by"),
    ],
};

fn refused(code: Code, field: &str, zh: &str, en: &str) -> Result<(), Violation> {
    Err(Violation::new(code, field, zh, en))
}

pub(super) fn judge(
    before: Option<&View>,
    after: &View,
    author: &Author,
    ctx: &Context<'_>,
) -> Result<(), Violation> {
    let now: Survey = typed(after)?;
    let was: Option<Survey> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |s| Facts {
        status: s.status().name(),
        assignee: None,
        owner: Some(s.opened_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let Some(was) = was else {
        let units: BTreeSet<&String> = now.sample.iter().collect();
        let items: BTreeSet<&String> = now.items.iter().map(|i| &i.id).collect();
        if now.sample.is_empty()
            || units.len() != now.sample.len()
            || now.sample.len() > now.population as usize
        {
            return refused(
                Code::BadValue,
                "sample",
                "抽样名单须为不重复的住户,且不多于小区户数",
                "the sample names each household once, no more than the estate has",
            );
        }
        if items.is_empty() || items.len() != now.items.len() {
            return refused(
                Code::BadValue,
                "items",
                "服务内容须至少一项且编号不重复",
                "a survey has at least one item, each with its own id",
            );
        }
        return Ok(());
    };
    if let (None, Some(sent), Some(due)) = (was.sent_at, now.sent_at, now.due_at) {
        if due != to_millis(forms_due(from_millis(sent), ctx.rules)) {
            return refused(
                Code::Deadline,
                "due_at",
                "回收期限与公司规则不符",
                "the forms are not due back when the company rules say",
            );
        }
    }
    if was.sent_at.is_none() && now.sent_at.is_some() != now.due_at.is_some() {
        return refused(
            Code::Transition,
            "due_at",
            "发出调查表须写明回收期限",
            "sending the forms sets when they are due back",
        );
    }
    for f in now.forms.iter().filter(|f| !was.forms.contains(f)) {
        if !now.sample.contains(&f.unit_id) {
            return refused(
                Code::BadValue,
                "forms[].unit_id",
                "该户不在抽样名单中",
                "this household is not in the sample",
            );
        }
        if !rates_every_item_once(&now, &f.ratings) {
            return refused(
                Code::BadValue,
                "forms[].ratings",
                "每项服务内容须评价一次",
                "a form rates every item once",
            );
        }
    }
    for a in now.actions.iter().filter(|a| !was.actions.contains(a)) {
        if !now.items.iter().any(|i| i.id == a.item) || a.owner.trim().is_empty() {
            return refused(
                Code::BadValue,
                "actions[].item",
                "整改须针对调查的服务内容并指定负责人",
                "an action is on an item of the survey and names its owner",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::documents::survey::*;
    use crate::documents::{codec, Record, RecordDoc, Who};
    use crate::ids::RecordId;
    use crate::people::Role;
    use crate::policy::Code;
    use crate::rules::{forms_due, RulesConfig, Satisfaction};
    use crate::time::{from_millis, to_millis};

    use crate::policy::test_support::{judged, who};

    const T: i64 = 1_790_040_000_000;

    fn survey() -> SurveyDoc {
        let r1 = who("r1", Role::Receptionist, T);
        let draft = SurveyDraft {
            title: "下半年满意度调查".into(),
            occasion: Occasion::Regular,
            service_started: None,
            items: vec![SurveyItem {
                id: "repairs".into(),
                name: "维修服务".into(),
            }],
            sample_size: 2,
        };
        let units: Vec<String> = ["u1", "u2", "u3"].map(String::from).into();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
        SurveyDoc::open(
            RecordId::new(),
            "e1",
            &draft,
            &units,
            None,
            today,
            &RulesConfig::default(),
            r1.device_id,
            &r1,
        )
        .unwrap()
    }

    fn raw_form(doc: &mut RecordDoc, by: &Who, unit: &str, items: &[&str]) {
        let ratings: Vec<_> = items
            .iter()
            .map(|i| json!({"item": i, "rating": Satisfaction::Satisfied}))
            .collect();
        let form = json!({"id": format!("f-{unit}"), "unit_id": unit, "ratings": ratings,
            "comments": "", "via": "door", "by": by.staff_id, "at": by.at});
        doc.change(by, "raw", |d| codec::append(d, &["forms"], &form))
            .unwrap();
    }

    #[test]
    fn forms_are_due_when_the_rules_say() {
        let r1 = who("r1", Role::Receptionist, T);
        let mut s = survey();
        let v = judged(&mut s, &r1, |d| {
            d.change(&r1, "raw", |e| {
                codec::put_fields(
                    e,
                    &[],
                    &json!({"sent_by": "r1", "sent_at": T, "due_at": T + 1}),
                )
            })
            .unwrap()
        })
        .unwrap_err();
        assert_eq!((v.code, v.field.as_str()), (Code::Deadline, "due_at"));
        let due = to_millis(forms_due(from_millis(T), &RulesConfig::default()));
        let mut s = survey();
        judged(&mut s, &r1, |d| {
            d.change(&r1, "raw", |e| {
                codec::put_fields(
                    e,
                    &[],
                    &json!({"sent_by": "r1", "sent_at": T, "due_at": due}),
                )
            })
            .unwrap()
        })
        .unwrap();
    }

    #[test]
    fn a_form_comes_from_a_sampled_household_and_rates_every_item() {
        let r1 = who("r1", Role::Receptionist, T);
        let mut s = survey();
        s.send(
            to_millis(forms_due(from_millis(T), &RulesConfig::default())),
            &r1,
        )
        .unwrap();
        let sample = s.read().unwrap().sample;
        let outside = ["u1", "u2", "u3"]
            .into_iter()
            .find(|u| !sample.iter().any(|s| s == u))
            .unwrap();
        let tech = who("t1", Role::Technician, T + 10);
        let mut copy = SurveyDoc::from_record(s.record().clone()).unwrap();
        let v = judged(&mut copy, &tech, |d| {
            raw_form(d, &tech, outside, &["repairs"])
        })
        .unwrap_err();
        assert_eq!(v.field, "forms[].unit_id");
        let mut copy = SurveyDoc::from_record(s.record().clone()).unwrap();
        let v = judged(&mut copy, &tech, |d| raw_form(d, &tech, &sample[0], &[])).unwrap_err();
        assert_eq!(v.field, "forms[].ratings");
        judged(&mut s, &tech, |d| {
            raw_form(d, &tech, &sample[0], &["repairs"])
        })
        .unwrap();
        assert_eq!(s.read().unwrap().counted_forms().len(), 1);
    }

    #[test]
    fn only_heads_assign_actions_after_the_count() {
        let r1 = who("r1", Role::Receptionist, T);
        let mut s = survey();
        s.send(
            to_millis(forms_due(from_millis(T), &RulesConfig::default())),
            &r1,
        )
        .unwrap();
        s.close(&r1).unwrap();
        let action = |by: &Who| {
            json!({"id": "a1", "item": "repairs", "owner": "s-tech", "measure": "加派人手",
                "by": by.staff_id, "at": by.at})
        };
        let mut copy = SurveyDoc::from_record(s.record().clone()).unwrap();
        let v = judged(&mut copy, &r1, |d| {
            d.change(&r1, "raw", |e| codec::append(e, &["actions"], &action(&r1)))
                .unwrap()
        })
        .unwrap_err();
        assert_eq!(v.code, Code::RoleMayNot);
        let head = who("h1", Role::Supervisor, T + 20);
        judged(&mut s, &head, |d| {
            d.change(&head, "raw", |e| {
                codec::append(e, &["actions"], &action(&head))
            })
            .unwrap()
        })
        .unwrap();
    }
}
