//! A renovation application's policy: the desk and area administrators
//! register it, issue passes and keep the deposit; the heads approve or
//! refuse it and extend its period; the works are accepted on site by area
//! administrators, engineering or the heads; the deposit is refunded only
//! after a passed acceptance.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Code, Violation};
use crate::documents::renovation::{Renovation, RenovationStatus};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::people::Role;

/// `Role::sees_residents`: those who write owners' phones and workers' IDs.
const KEEPERS: &[super::table::Writer] = &[Office, Role(Role::PropertyAssistant)];
const HEADS: &[super::table::Writer] = &[Heads];
/// Who reports works finished: the desk, administrators and engineering.
const REPORTERS: &[super::table::Writer] = &[
    Office,
    Role(Role::PropertyAssistant),
    Role(Role::Technician),
];
const ACCEPTORS: &[super::table::Writer] =
    &[Heads, Role(Role::PropertyAssistant), Role(Role::Technician)];
const APPLIED: &[&str] = &["applied"];
const APPROVED: &[&str] = &["approved"];
const WORKING: &[&str] = &["permitted", "awaiting_acceptance", "rectifying"];
const FINISHABLE: &[&str] = &["permitted", "rectifying"];
const AWAITING: &[&str] = &["awaiting_acceptance"];
const BEFORE_ACCEPTANCE: &[&str] = &[
    "applied",
    "approved",
    "permitted",
    "awaiting_acceptance",
    "rectifying",
];
const ACCEPTED: &[&str] = &["accepted"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Renovation,
    creators: KEEPERS,
    rules: &[
        Rule::fixed("place"),
        Rule::fixed("owner_name"),
        Rule::fixed("owner_phone"),
        Rule::fixed("contractor"),
        Rule::fixed("contractor_phone"),
        Rule::fixed("work"),
        Rule::fixed("planned_start"),
        Rule::fixed("planned_end"),
        Rule::fixed("deposit_fen"),
        Rule::fixed("applied_by").names_author(),
        Rule::fixed("applied_at"),
        Rule::once("approved_by", HEADS)
            .when(APPLIED)
            .names_author(),
        Rule::once("approved_at", HEADS).when(APPLIED),
        Rule::once("refused_by", HEADS).when(APPLIED).names_author(),
        Rule::once("refused_at", HEADS).when(APPLIED),
        Rule::once("refused_reason", HEADS).when(APPLIED),
        Rule::once("permit_no", KEEPERS).when(APPROVED),
        Rule::once("permit_issued_by", KEEPERS)
            .when(APPROVED)
            .names_author(),
        Rule::once("permit_issued_at", KEEPERS).when(APPROVED),
        Rule::append("passes", KEEPERS)
            .when(WORKING)
            .item_by("issued_by"),
        Rule::append("extensions", HEADS)
            .when(WORKING)
            .item_by("by"),
        Rule::append("completions", REPORTERS)
            .when(FINISHABLE)
            .item_by("by"),
        Rule::append("acceptances", ACCEPTORS)
            .when(AWAITING)
            .item_by("by"),
        Rule::once("deposit_taken_by", KEEPERS)
            .when(BEFORE_ACCEPTANCE)
            .names_author(),
        Rule::once("deposit_taken_at", KEEPERS).when(BEFORE_ACCEPTANCE),
        Rule::once("deposit_refunded_by", KEEPERS)
            .when(ACCEPTED)
            .names_author(),
        Rule::once("deposit_refunded_at", KEEPERS).when(ACCEPTED),
    ],
};

fn refused(code: Code, field: &str, zh: &str, en: &str) -> Result<(), Violation> {
    Err(Violation::new(code, field, zh, en))
}

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Renovation = typed(after)?;
    let was: Option<Renovation> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |r| Facts {
        status: r.status().name(),
        assignee: None,
        owner: Some(r.applied_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let Some(was) = was else {
        return created(&now);
    };
    if now.approved_at.is_some() && now.refused_at.is_some() {
        return refused(
            Code::Transition,
            "approved_at",
            "同一申请不能既批准又不批准",
            "an application is approved or refused, not both",
        );
    }
    if now.refused_at.is_some() && now.refused_reason.trim().is_empty() {
        return refused(
            Code::Transition,
            "refused_reason",
            "不批准须写明原因",
            "a refusal gives its reason",
        );
    }
    if now.permit_issued_at.is_some() && now.permit_no.trim().is_empty() {
        return refused(
            Code::Transition,
            "permit_no",
            "施工许可证须有编号",
            "a permit has its number",
        );
    }
    for p in now.passes.iter().filter(|p| !was.passes.contains(p)) {
        if p.name.0.trim().is_empty() || p.id_number.0.trim().is_empty() {
            return refused(
                Code::Transition,
                "passes[].id_number",
                "工作证须登记姓名和身份证号",
                "a pass names the worker and their ID number",
            );
        }
        if p.valid_until <= p.issued_at {
            return refused(
                Code::BadValue,
                "passes[].valid_until",
                "工作证有效期须晚于发证时间",
                "a pass is valid until a time after it is issued",
            );
        }
    }
    for e in now
        .extensions
        .iter()
        .filter(|e| !was.extensions.contains(e))
    {
        if e.until <= was.period_end() || e.reason.trim().is_empty() {
            return refused(
                Code::Transition,
                "extensions[].until",
                "延期须写明原因,且晚于现在的施工期限",
                "an extension gives its reason and runs past the period as it stands",
            );
        }
    }
    for c in now
        .completions
        .iter()
        .filter(|c| !was.completions.contains(c))
    {
        // The working days are counted by the phone's calendar; the server
        // holds it to a due time after the completion.
        if c.acceptance_due_at <= c.at {
            return refused(
                Code::Deadline,
                "completions[].acceptance_due_at",
                "验收期限须在完工之后",
                "acceptance is due after the works were finished",
            );
        }
    }
    for a in now
        .acceptances
        .iter()
        .filter(|a| !was.acceptances.contains(a))
    {
        if !a.passed && a.defects.trim().is_empty() {
            return refused(
                Code::Transition,
                "acceptances[].defects",
                "验收不合格须写明问题",
                "a failed acceptance names its defects",
            );
        }
    }
    if was.deposit_taken_at.is_none() && now.deposit_taken_at.is_some() && now.deposit_fen <= 0 {
        return refused(
            Code::Transition,
            "deposit_taken_at",
            "此申请不收押金",
            "this application asks no deposit",
        );
    }
    if was.deposit_refunded_at.is_none()
        && now.deposit_refunded_at.is_some()
        && (was.status() != RenovationStatus::Accepted || !was.deposit_held())
    {
        return refused(
            Code::Transition,
            "deposit_refunded_at",
            "验收合格后才能退还押金",
            "the deposit is refunded only after a passed acceptance",
        );
    }
    Ok(())
}

/// A new application is registered with its form and nothing after it.
fn created(now: &Renovation) -> Result<(), Violation> {
    if now.place.unit_id.as_deref().is_none_or(str::is_empty) {
        return refused(
            Code::BadValue,
            "place",
            "装修申请须有房号",
            "an application names its unit",
        );
    }
    if now.planned_end <= now.planned_start || now.deposit_fen < 0 {
        return refused(
            Code::BadValue,
            "planned_end",
            "施工期限或押金不对",
            "the planned period or the deposit is wrong",
        );
    }
    if now.status() != RenovationStatus::Applied
        || !now.passes.is_empty()
        || !now.extensions.is_empty()
        || !now.completions.is_empty()
        || now.deposit_taken_at.is_some()
    {
        return refused(
            Code::Transition,
            "",
            "新的装修申请不能带审批、许可、工作证或验收记录",
            "a new application carries no decision, permit, pass or acceptance",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::documents::renovation::*;
    use crate::documents::{codec, Record, Who};
    use crate::ids::{DeviceId, RecordId};
    use crate::people::Role;
    use crate::places::Place;
    use crate::policy::{judge_since, Author, Code, Context, DocLimits};
    use crate::rules::RulesConfig;

    /// A phone that writes the deposit refunded straight into the document,
    /// before any acceptance: refused, whatever the phone says of itself.
    #[test]
    fn a_refund_before_a_passed_acceptance_is_refused() {
        let device = DeviceId::new();
        let who = |staff: &str, role| Who {
            staff_id: staff.into(),
            role,
            device_id: device,
            at: 1_790_040_000_000,
        };
        let desk = who("r1", Role::Receptionist);
        let head = who("s1", Role::Supervisor);
        let draft = RenovationApplication {
            id: RecordId::new(),
            place: Place {
                estate_id: "e1".into(),
                unit_id: Some("u1".into()),
                ..Place::default()
            },
            owner_name: "李强".into(),
            owner_phone: String::new(),
            contractor: "安居装饰".into(),
            contractor_phone: String::new(),
            work: "铺地板".into(),
            planned_start: 1_790_040_000_000,
            planned_end: 1_791_040_000_000,
            deposit_fen: 100_000,
        };
        let mut r = RenovationDoc::apply(&draft, device, &desk).unwrap();
        r.approve(&head).unwrap();
        r.issue_permit("ZX-1", &head).unwrap();
        r.take_deposit(&desk).unwrap();
        let before = r.record_mut().heads();
        r.record_mut()
            .change(&desk, "forged refund", |d| {
                codec::put_fields(
                    d,
                    &[],
                    &json!({ "deposit_refunded_by": "r1", "deposit_refunded_at": desk.at }),
                )
            })
            .unwrap();
        let rules = RulesConfig::default();
        let limits = DocLimits::default();
        let ctx = Context {
            rules: &rules,
            limits: &limits,
        };
        let author = Author::from_who(&desk, None);
        let refused = judge_since(r.record_mut(), &before, &author, &ctx).unwrap_err();
        assert_eq!(refused.code, Code::WrongState);
    }
}
