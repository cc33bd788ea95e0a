//! A deposited key's policy: the property side registers, checks and asks to
//! use it; each use is signed by a property and a security person, each on
//! their own phone with its registered key, before the seal is opened and
//! again when it is resealed; the front desk and area administrators lend it
//! against an ID. Nothing is written on a key handed back.

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Code, Context, Violation};
use crate::documents::key_custody::{
    use_digest, KeyCustody, KeyStatus, Side, SignStep, SiteStep, UseStatus,
};
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::people::Role;

const PROPERTY: &[super::table::Writer] = &[Role(Role::PropertyAssistant), Heads];
const ON_SITE: &[super::table::Writer] =
    &[Role(Role::PropertyAssistant), Heads, Role(Role::Security)];
/// `Role::sees_residents`: those who write an ID number may read one.
const LENDERS: &[super::table::Writer] = &[Office, Role(Role::PropertyAssistant)];
const HELD: &[&str] = &["in_custody", "in_use", "lent"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::KeyCustody,
    creators: PROPERTY,
    rules: &[
        Rule::fixed("place"),
        Rule::fixed("resident_name"),
        Rule::fixed("description"),
        Rule::fixed("seal_no"),
        Rule::fixed("received_by").names_author(),
        Rule::fixed("received_at"),
        Rule::fixed("first_check_due_at"),
        Rule::append("checks", PROPERTY).when(HELD).item_by("by"),
        Rule::append("uses", PROPERTY)
            .when(HELD)
            .item_by("requested_by"),
        Rule::append("use_signatures", ON_SITE)
            .when(HELD)
            .item_by("staff_id"),
        Rule::append("use_steps", ON_SITE).when(HELD).item_by("by"),
        Rule::items("loans", LENDERS).when(HELD).item_by("lent_by"),
        Rule::fixed("loans[].id"),
        Rule::fixed("loans[].borrower"),
        Rule::fixed("loans[].id_document"),
        Rule::fixed("loans[].id_number"),
        Rule::fixed("loans[].lent_by"),
        Rule::fixed("loans[].lent_at"),
        Rule::once("loans[].returned_at", LENDERS),
        Rule::once("loans[].returned_to", LENDERS).names_author(),
        Rule::once("handed_back_by", PROPERTY).names_author(),
        Rule::once("handed_back_at", PROPERTY),
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
    let now: KeyCustody = typed(after)?;
    let was: Option<KeyCustody> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |k| Facts {
        status: k.status().name(),
        assignee: None,
        owner: Some(k.received_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let keys = &ctx.rules.keys;
    let tz = ctx.rules.time_zone;
    let Some(was) = was else {
        if now.first_check_due_at != keys.next_check_due(now.received_at, tz) {
            return refused(
                Code::Deadline,
                "first_check_due_at",
                "首次核对期限与公司规则不符",
                "the first check is not due when the company rules say",
            );
        }
        let empty = now.checks.is_empty()
            && now.uses.is_empty()
            && now.use_signatures.is_empty()
            && now.use_steps.is_empty()
            && now.loans.is_empty()
            && now.handed_back_at.is_none();
        return if empty {
            Ok(())
        } else {
            refused(
                Code::Transition,
                "",
                "新登记的钥匙不能带核对、使用或外借记录",
                "a newly deposited key carries no check, use or loan",
            )
        };
    };
    for c in now.checks.iter().filter(|c| !was.checks.contains(c)) {
        if c.next_due_at != keys.next_check_due(c.at, tz) {
            return refused(
                Code::Deadline,
                "checks[].next_due_at",
                "下次核对期限与公司规则不符",
                "the next check is not due when the company rules say",
            );
        }
    }
    for u in now.uses.iter().filter(|u| !was.uses.contains(u)) {
        if u.present.len() < 2 || u.reason.trim().is_empty() {
            return refused(
                Code::Transition,
                "uses[].present",
                "开封须有二人以上在场并写明事由",
                "a use names its reason and two or more people present",
            );
        }
    }
    signatures(&was, &now, author)?;
    site_steps(&was, &now)?;
    loans(&was, &now)?;
    if was.handed_back_at.is_none()
        && now.handed_back_at.is_some()
        && was.status() != KeyStatus::InCustody
    {
        return refused(
            Code::Transition,
            "handed_back_at",
            "钥匙在使用或外借中,不能交还",
            "the key is in use or lent and cannot be handed back",
        );
    }
    Ok(())
}

/// A new signature is the author's own, for the side of their role, made
/// on the device they signed in on with the key it registered, and covers
/// the use as it stands; the two sides are two people on two phones.
fn signatures(was: &KeyCustody, now: &KeyCustody, author: &Author) -> Result<(), Violation> {
    let field = "use_signatures[]";
    let bad = |zh: &str, en: &str| refused(Code::Signature, field, zh, en);
    for s in now
        .use_signatures
        .iter()
        .filter(|s| !was.use_signatures.iter().any(|o| o.id == s.id))
    {
        if Side::of(author.role) != Some(s.side) {
            return refused(
                Code::RoleMayNot,
                field,
                "签字人的岗位与所签部门不符",
                "the signer's role does not sign for that side",
            );
        }
        super::signed_on_own_device(author, s.device_id, &s.device_key, field)?;
        if !s.verifies() {
            return bad("设备签名不符", "the device signature does not verify");
        }
        let Some(u) = was.use_by_id(&s.use_id) else {
            return bad("没有这次使用登记", "no such use in the register");
        };
        if s.digest != use_digest(now, u, s.step, &s.seal_no) {
            return bad(
                "签字内容与使用登记不符",
                "the signature does not cover the use as registered",
            );
        }
        if was.signature(&s.use_id, s.step, s.side).is_some() {
            return bad("该部门已签字", "that side has signed already");
        }
        let other = match s.side {
            Side::Property => Side::Security,
            Side::Security => Side::Property,
        };
        if let Some(o) = was.signature(&s.use_id, s.step, other) {
            if o.staff_id == s.staff_id || o.device_id == s.device_id {
                return bad(
                    "双方须由两人在两部手机上签字",
                    "the two sides sign as two people on two phones",
                );
            }
        }
        let status = was.use_status(&s.use_id);
        match s.step {
            SignStep::Approve if status != UseStatus::Requested => {
                return bad("此次使用已批准", "this use is already approved")
            }
            SignStep::Reseal if status != UseStatus::Opened => {
                return bad(
                    "钥匙开封后才能重新封存",
                    "a key is resealed after it was opened",
                )
            }
            SignStep::Reseal if s.seal_no.trim().is_empty() => {
                return bad("重新封存须写封条编号", "a resealing names the new seal")
            }
            _ => {}
        }
    }
    Ok(())
}

/// The seal is opened only for a use both sides approved, and the entry
/// register is written only while it is open.
fn site_steps(was: &KeyCustody, now: &KeyCustody) -> Result<(), Violation> {
    for s in now.use_steps.iter().filter(|s| !was.use_steps.contains(s)) {
        let status = was.use_status(&s.use_id);
        let ok = match s.step {
            SiteStep::Opened => status == UseStatus::Approved,
            SiteStep::Entered => status == UseStatus::Opened && !s.note.trim().is_empty(),
        };
        if !ok {
            return refused(
                Code::Transition,
                "use_steps[]",
                "须物业部、保安部双方签字后才能开封,入室登记须在开封后",
                "the seal is opened only once both sides signed; entry is registered while open",
            );
        }
    }
    Ok(())
}

/// A key is lent from the box, one loan at a time, against a named ID.
fn loans(was: &KeyCustody, now: &KeyCustody) -> Result<(), Violation> {
    let new: Vec<_> = now
        .loans
        .iter()
        .filter(|l| !was.loans.iter().any(|o| o.id == l.id))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    if new.len() > 1 || was.status() != KeyStatus::InCustody {
        return refused(
            Code::Transition,
            "loans[]",
            "钥匙不在箱内,不能外借",
            "the key is not in the box and cannot be lent",
        );
    }
    let l = new[0];
    if l.borrower.0.trim().is_empty()
        || l.id_document.trim().is_empty()
        || l.id_number.0.trim().is_empty()
    {
        return refused(
            Code::Transition,
            "loans[].id_number",
            "外借须登记借用人及证件",
            "a loan names the borrower and the ID document left",
        );
    }
    if l.returned_at.is_some() {
        return refused(
            Code::Transition,
            "loans[].returned_at",
            "新借出的钥匙不能已归还",
            "a new loan is not returned yet",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::documents::key_custody::*;
    use crate::documents::{codec, Record, Who};
    use crate::ids::{DeviceId, RecordId};
    use crate::people::Role;
    use crate::places::Place;
    use crate::policy::{judge_since, Author, Code, Context, DocLimits};
    use crate::rules::RulesConfig;
    use crate::signoff::DeviceKey;

    /// A property assistant's phone that writes a signature for the
    /// security side itself, properly signed with its own key: refused, the
    /// assistant does not sign for security.
    #[test]
    fn a_signature_for_the_other_side_is_refused() {
        let device = DeviceId::new();
        let key = DeviceKey::generate().unwrap();
        let a = Who {
            staff_id: "a1".into(),
            role: Role::PropertyAssistant,
            device_id: device,
            at: 1_790_040_000_000,
        };
        let rules = RulesConfig::default();
        let draft = KeyDeposit {
            id: RecordId::new(),
            place: Place {
                estate_id: "e1".into(),
                unit_id: Some("u1".into()),
                ..Place::default()
            },
            resident_name: "李强".into(),
            description: "入户门钥匙".into(),
            seal_no: "F-1".into(),
        };
        let mut k = KeyCustodyDoc::deposit(&draft, &rules, device, &a).unwrap();
        let req = UseRequest {
            id: "u1".into(),
            reason: "维修".into(),
            present: vec!["周敏".into(), "陈刚".into()],
            contractor: String::new(),
        };
        k.request_use(&req, &a).unwrap();
        let before = k.record_mut().heads();
        let now = k.read().unwrap();
        let digest = use_digest(&now, &now.uses[0], SignStep::Approve, "");
        let message = KeyUseSignature::message(&digest, "a1", Side::Security, a.at, &device);
        let forged = KeyUseSignature {
            id: "sig".into(),
            use_id: "u1".into(),
            step: SignStep::Approve,
            side: Side::Security,
            staff_id: "a1".into(),
            seal_no: String::new(),
            signed_at: a.at,
            device_id: device,
            device_key: key.public_hex(),
            digest,
            device_signature: key.sign_message(&message),
        };
        k.record_mut()
            .change(&a, "forged", |d| {
                codec::append(d, &["use_signatures"], &forged)
            })
            .unwrap();
        let limits = DocLimits::default();
        let ctx = Context {
            rules: &rules,
            limits: &limits,
        };
        let author = Author::from_who(&a, Some(key.public_hex()));
        let refused = judge_since(k.record_mut(), &before, &author, &ctx).unwrap_err();
        assert_eq!(refused.code, Code::RoleMayNot);
    }
}
