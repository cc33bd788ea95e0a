//! The work order's policy: the table, and what it cannot say (transitions,
//! the resident's sign-off, deadlines and extensions).

use super::table::{Facts, Rule, Table, Writer, Writer::*};
use super::transitions::{self, by_assignee, needs_reason};
use super::{typed, Author, Code, Context, Violation};
use crate::documents::lifecycle::Status;
use crate::documents::view::View;
use crate::documents::work_order::{OrderStatus, WorkOrder};
use crate::documents::RecordKind;
use crate::message::Explain;
use crate::people::Role;
use crate::rules::{self, RepairClass};
use crate::signoff::SignOffValidity;
use crate::time::from_millis;

/// While the technician's record is open: from dispatch to the sign-off.
const WORKING: &[&str] = &[
    "dispatched",
    "accepted",
    "in_progress",
    "completed",
    "signed_off",
];
/// Before work starts (a quote must come first).
const BEFORE_WORK: &[&str] = &["registered", "dispatched", "accepted"];
/// Not yet finished: deadlines and extensions still matter.
const UNFINISHED: &[&str] = &["registered", "dispatched", "accepted", "in_progress"];
const SIGNING: &[&str] = &["completed", "signed_off"];
/// The work is finished: a paid job's fee may be collected, at completion
/// or at the revisit (seed 003 §6.5), closed orders included.
const FINISHED: &[&str] = &["completed", "signed_off", "reviewed", "revisited", "closed"];
/// Who collects a fee: the technician at completion, the service centre at
/// the revisit.
const COLLECTORS: &[Writer] = &[Office, Assignee, Role(Role::PropertyAssistant)];
const REVIEWING: &[&str] = &["signed_off"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::WorkOrder,
    creators: &[Office, Field, Role(Role::PropertyAssistant)],
    rules: &[
        Rule::fixed("received_at"),
        Rule::fixed("registered_by").names_author(),
        Rule::fixed("source"),
        Rule::fixed("category"),
        Rule::fixed("place"),
        Rule::fixed("emergency"),
        Rule::fixed("content"),
        Rule::free("resident.name", &[Office, Assignee]),
        Rule::free("resident.phone", &[Office, Assignee]),
        Rule::fixed("deadline.class"),
        Rule::free("deadline.due_at", &[Heads]).when(UNFINISHED),
        Rule::once("deadline.set_by", &[Heads])
            .names_author()
            .when(UNFINISHED),
        Rule::append("events", &[Anyone]),
        Rule::free("work.work_done", &[Assignee]).when(WORKING),
        Rule::free("work.started_at", &[Assignee]).when(WORKING),
        Rule::free("work.ended_at", &[Assignee]).when(WORKING),
        Rule::free("work.prep_minutes", &[Assignee]).when(WORKING),
        Rule::add_remove("materials", &[Assignee]).when(WORKING),
        Rule::free("fees.paid_service", &[Office, Assignee]).when(BEFORE_WORK),
        Rule::free("fees.quoted_fen", &[Office, Assignee]).when(BEFORE_WORK),
        Rule::free("fees.quoted_at", &[Office, Assignee]).when(BEFORE_WORK),
        Rule::free("fees.quote_lines", &[Office, Assignee]).when(BEFORE_WORK),
        Rule::free("fees.materials_fee_fen", &[Office, Assignee]).when(WORKING),
        Rule::free("fees.labour_fee_fen", &[Office, Assignee]).when(WORKING),
        Rule::once("fees.collected_fen", COLLECTORS).when(FINISHED),
        Rule::once("fees.payment_method", COLLECTORS).when(FINISHED),
        Rule::once("fees.collected_by", COLLECTORS)
            .when(FINISHED)
            .names_author(),
        Rule::once("fees.collected_at", COLLECTORS).when(FINISHED),
        Rule::once("fees.receipt_no", COLLECTORS).when(FINISHED),
        Rule::append("notes", &[Anyone]).item_by("by"),
        Rule::append("photos", &[Anyone]).item_by("by"),
        Rule::append("signoffs", &[Office, Assignee]).when(SIGNING),
        Rule::free("review.by", &[Heads])
            .when(REVIEWING)
            .names_author(),
        Rule::free("review.at", &[Heads]).when(REVIEWING),
        Rule::free("review.comment", &[Heads]).when(REVIEWING),
        Rule::items("extensions", &[Office, Assignee])
            .when(UNFINISHED)
            .item_by("requested_by"),
        Rule::fixed("extensions[].id"),
        Rule::fixed("extensions[].requested_by"),
        Rule::fixed("extensions[].requested_at"),
        Rule::fixed("extensions[].reason"),
        Rule::fixed("extensions[].requested_due"),
        Rule::fixed("extensions[].approver"),
        Rule::fixed("extensions[].needs_resident_consent"),
        Rule::once("extensions[].resident_consent", &[Office, Assignee]),
        Rule::once("extensions[].approved", &[Heads]),
        Rule::once("extensions[].decided_by", &[Heads]).names_author(),
        Rule::once("extensions[].decided_at", &[Heads]),
        Rule::fixed("links.complaint_id"),
        Rule::fixed("links.rework_of"),
        Rule::append("links.revisit_ids", &[Anyone]),
    ],
};

fn facts(o: &WorkOrder) -> Facts {
    Facts {
        status: o.status().map_or("conflict", Status::name),
        assignee: o.assignee(),
        owner: Some(o.registered_by.clone()),
    }
}

pub(super) fn judge(
    before: Option<&View>,
    after: &View,
    author: &Author,
    ctx: &Context<'_>,
) -> Result<(), Violation> {
    let now: WorkOrder = typed(after)?;
    let was: Option<WorkOrder> = before.map(typed).transpose()?;
    let facts = was.as_ref().map(facts).unwrap_or_default();
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let empty = vec![];
    let old_events = was.as_ref().map_or(&empty, |w| &w.events);
    let steps = transitions::judge(old_events, &now.events, author, |s| {
        s == OrderStatus::Dispatched
    })?;
    signoffs(was.as_ref(), &now, author)?;
    if was.is_none() && now.deadline.set_by.is_some() && !author.role.is_head() {
        // Created with a head's deadline by someone who is not one.
        return Err(Violation::new(
            Code::RoleMayNot,
            "deadline.set_by",
            "期限须由主管设定",
            "a head sets this deadline",
        ));
    }
    for step in &steps {
        use OrderStatus::*;
        match (step.from, step.t.to) {
            (Some(Dispatched), Accepted) => by_assignee(step, author)?,
            // Accepting comes before the visit that prices the job; the work
            // itself waits for the quote (报价在先).
            (Some(Accepted), InProgress) => {
                by_assignee(step, author)?;
                if now.fees.paid_service && now.fees.quoted_fen.is_none() {
                    return Err(refused(
                        "fees.quoted_fen",
                        "有偿服务须先报价",
                        "a paid job is quoted before work starts",
                    ));
                }
            }
            (Some(InProgress), Completed) => {
                by_assignee(step, author)?;
                let missing = now.missing_for_completion();
                if !missing.is_empty() {
                    return Err(refused(
                        "work",
                        &format!("缺少:{}", missing.join(", ")),
                        &format!("incomplete: {} missing", missing.join(", ")),
                    ));
                }
            }
            (_, SignedOff) => {
                let new_signoff = now.signoffs.iter().any(|s| {
                    was.as_ref()
                        .is_none_or(|w| !w.signoffs.iter().any(|o| o.id == s.id))
                });
                if !new_signoff || !now.signoff_validity().is_valid() {
                    return Err(Violation::new(
                        Code::Signature,
                        "signoffs",
                        "验收需要一份有效的新签字",
                        "a sign-off transition needs a new, valid sign-off",
                    ));
                }
            }
            (_, Reviewed) => {
                if !now.signoff_validity().is_valid() {
                    let crate::labels::Label { zh, en } = now.signoff_validity().label();
                    return Err(Violation::new(Code::Signature, "signoffs", zh, en));
                }
                if now.review.by.as_deref() != Some(author.staff_id.as_str()) {
                    return Err(refused(
                        "review.by",
                        "审核须由本人签名",
                        "a review is signed by its reviewer",
                    ));
                }
            }
            (Some(Completed), InProgress) | (_, Returned) | (Some(Returned), Registered) => {
                needs_reason(step)?;
            }
            _ => {}
        }
    }
    if let Some(was) = &was {
        if was.review != now.review && !steps.iter().any(|s| s.t.to == OrderStatus::Reviewed) {
            return Err(refused(
                "review",
                "审核意见随审核一起记录",
                "a review is written with the reviewed status",
            ));
        }
        if was.work.started_at.is_some() && quote_changed(was, &now) {
            return Err(refused(
                "fees.quoted_fen",
                "开工后不能再报价",
                "quote before work starts",
            ));
        }
        if !was.signoffs.is_empty()
            && now
                .materials
                .iter()
                .filter(|m| was.materials.contains(m))
                .count()
                < was.materials.len()
        {
            return Err(Violation::new(
                Code::AppendOnly,
                "materials",
                "签字后材料只能追加",
                "once signed, materials are only added, never removed",
            ));
        }
        if quote_changed(was, &now) {
            quote(&now, ctx)?;
        }
        extensions(was, &now, author, ctx)?;
        collection(was, &now, author)?;
    } else if now.fees.quoted_fen.is_some() {
        quote(&now, ctx)?;
    }
    if was.is_none() && now.fees.collected_fen.is_some() {
        return Err(refused(
            "fees.collected_fen",
            "新工单不能已收费",
            "a new order has collected nothing",
        ));
    } else if was.is_none() && (!now.extensions.is_empty() || !now.signoffs.is_empty()) {
        return Err(refused(
            "extensions",
            "新工单不能带延期或签字",
            "a new order carries no extension or sign-off",
        ));
    }
    Ok(())
}

/// A fee is collected whole, once, from a paid job, never more than it was
/// charged, by the author, with how it was paid and the receipt; the charge
/// may not then drop below what was collected.
fn collection(was: &WorkOrder, now: &WorkOrder, author: &Author) -> Result<(), Violation> {
    let Some(amount) = now.fees.collected_fen else {
        return Ok(());
    };
    if was.fees.collected_fen.is_none() {
        if let Some((_, why)) = was.fees.collection_refused(amount) {
            return Err(refused("fees.collected_fen", why.zh, why.en));
        }
        let f = &now.fees;
        let whole = f.payment_method.is_some()
            && f.collected_at.is_some()
            && f.collected_by.as_deref() == Some(author.staff_id.as_str())
            && f.receipt_no
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
        if !whole {
            return Err(refused(
                "fees.receipt_no",
                "收费须写明收款方式、收款人、时间和收据号",
                "a collection names how it was paid, who took it, when, and the receipt",
            ));
        }
    }
    if now.fees.charged_fen() < amount {
        return Err(refused(
            "fees.collected_fen",
            "应收费用不能低于已收金额",
            "the charge may not drop below what was collected",
        ));
    }
    Ok(())
}

fn refused(field: &str, zh: &str, en: &str) -> Violation {
    Violation::new(Code::Transition, field, zh, en)
}

fn quote_changed(was: &WorkOrder, now: &WorkOrder) -> bool {
    let quote = |f: &crate::documents::work_order::Fees| {
        (
            f.paid_service,
            f.quoted_fen,
            f.quoted_at,
            f.quote_lines.clone(),
        )
    };
    quote(&was.fees) != quote(&now.fees)
}

/// A quote is priced from the company's price list as it stood when it was
/// made: the phone's prices are checked, never taken.
fn quote(now: &WorkOrder, ctx: &Context<'_>) -> Result<(), Violation> {
    let (Some(quoted_fen), Some(at)) = (now.fees.quoted_fen, now.fees.quoted_at) else {
        return Ok(());
    };
    rules::price_list::check_quote(&ctx.rules.price_list, &now.fees.quote_lines, quoted_fen, at)
        .map_err(|r| {
            Violation::new(
                Code::BadValue,
                &format!("fees.quote_lines[{}].{}", r.index, r.field),
                r.why.zh,
                r.why.en,
            )
        })
}

/// A new sign-off names the author's device, is signed with the key that
/// device registered, and covers the record exactly as it stands.
fn signoffs(was: Option<&WorkOrder>, now: &WorkOrder, author: &Author) -> Result<(), Violation> {
    let is_new =
        |s: &&crate::signoff::SignOff| was.is_none_or(|w| !w.signoffs.iter().any(|o| o.id == s.id));
    for s in now.signoffs.iter().filter(is_new) {
        let bad = |zh: &str, en: &str| Err(Violation::new(Code::Signature, "signoffs[]", zh, en));
        super::signed_on_own_device(author, s.device_id, &s.device_key, "signoffs[]")?;
        match s.validity(&now.accepted_work()) {
            SignOffValidity::Valid => {}
            SignOffValidity::BadSignature => {
                return bad("设备签名不符", "the device signature does not verify")
            }
            _ => {
                return bad(
                    "签字内容与记录不符",
                    "the sign-off does not cover the record as it stands",
                )
            }
        }
    }
    Ok(())
}

/// A new extension asks the approver the rules name; a decision is made by
/// someone the rules allow; the deadline moves only with an approval.
fn extensions(
    was: &WorkOrder,
    now: &WorkOrder,
    author: &Author,
    ctx: &Context<'_>,
) -> Result<(), Violation> {
    let bad = |code: Code, zh: &str, en: &str| Err(Violation::new(code, "extensions[]", zh, en));
    let mut approved_due = None;
    for ext in &now.extensions {
        let approval = ext.approval();
        match was.extensions.iter().find(|e| e.id == ext.id) {
            None => {
                let class =
                    RepairClass::parse(&was.deadline.class).unwrap_or(RepairClass::Standard);
                let expected = rules::required_approval(
                    from_millis(was.received_at),
                    class,
                    from_millis(was.deadline.due_at),
                    from_millis(ext.requested_due),
                    ctx.rules,
                )
                .map_err(|e| {
                    let m = e.message();
                    Violation::new(Code::Deadline, "extensions[].requested_due", &m.zh, &m.en)
                })?;
                if expected != approval {
                    return bad(
                        Code::RoleMayNot,
                        "审批人与规则不符",
                        "the approver is not the one the rules name",
                    );
                }
                if ext.approved.is_some()
                    || ext.decided_by.is_some()
                    || ext.resident_consent.is_some()
                {
                    return bad(
                        Code::SetOnce,
                        "新申请不能已有审批",
                        "a new request is undecided",
                    );
                }
            }
            Some(old) if old.approved.is_none() && ext.approved.is_some() => {
                if !ext.may_be_decided_by(author.role) {
                    return bad(
                        Code::RoleMayNot,
                        "无权审批该延期",
                        "may not decide this extension",
                    );
                }
                if ext.approved == Some(true) {
                    if ext.needs_resident_consent && ext.resident_consent != Some(true) {
                        return bad(
                            Code::Transition,
                            "需业主同意",
                            "needs the resident's consent first",
                        );
                    }
                    approved_due = Some(ext.requested_due);
                }
            }
            Some(_) => {}
        }
    }
    // A head-set category's deadline, set the once by the head who signs it.
    let set_now = was.deadline.set_by.is_none() && now.deadline.set_by.is_some();
    if set_now && was.deadline.class != RepairClass::HeadSet.as_str() {
        return Err(Violation::new(
            Code::Deadline,
            "deadline.set_by",
            "此类别的期限由规则确定",
            "this category's deadline comes from the rules",
        ));
    }
    if was.deadline.due_at != now.deadline.due_at
        && approved_due != Some(now.deadline.due_at)
        && !set_now
    {
        return Err(Violation::new(
            Code::Deadline,
            "deadline.due_at",
            "期限只能随批准的延期改变",
            "the deadline moves only with an approved extension",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::documents::lifecycle;
    use crate::documents::work_order::*;
    use crate::documents::{codec, Record, Who};
    use crate::ids::DeviceId;
    use crate::people::Role;
    use crate::policy::{judge_since, Author, Code, Context, DocLimits};
    use crate::rules::RulesConfig;

    fn who(staff: &str, role: Role, device: DeviceId) -> Who {
        Who {
            staff_id: staff.into(),
            role,
            device_id: device,
            at: 1,
        }
    }

    /// The policy's judgement of `order`'s changes since `since`, made by `by`.
    fn judged(
        order: &mut WorkOrderDoc,
        since: &[automerge::ChangeHash],
        by: &Who,
    ) -> Result<(), crate::policy::Violation> {
        let rules = RulesConfig::default();
        let limits = DocLimits::default();
        let ctx = Context {
            rules: &rules,
            limits: &limits,
        };
        judge_since(order.record_mut(), since, &Author::from_who(by, None), &ctx)
    }

    /// A phone that skips its own check and starts a paid job before the
    /// quote is refused by the policy; accepting it unquoted is not.
    #[test]
    fn a_paid_job_is_refused_a_start_before_its_quote_but_may_be_accepted() {
        let device = DeviceId::new();
        let desk = who("r1", Role::Receptionist, device);
        let tech = who("t1", Role::Technician, device);
        let draft = sample_draft(true);
        let mut order = WorkOrderDoc::register(&draft, device, &desk).unwrap();
        order.dispatch("t1", &desk).unwrap();
        let dispatched = order.record_mut().heads();
        order.accept(&tech).unwrap();
        judged(&mut order, &dispatched, &tech).unwrap();

        let accepted = order.record_mut().heads();
        let events = order.read().unwrap().events;
        let start = lifecycle::next(&events, OrderStatus::InProgress, &tech, None, None).unwrap();
        order
            .record_mut()
            .change(&tech, "start", |d| codec::append(d, &["events"], &start))
            .unwrap();
        let refused = judged(&mut order, &accepted, &tech).unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_str()),
            (Code::Transition, "fees.quoted_fen")
        );
    }

    /// A phone that writes a collection itself is held to the same rule:
    /// never more than charged, never a second time, always by its author.
    #[test]
    fn a_fee_written_around_the_session_is_refused_twice_or_above_the_charge() {
        let device = DeviceId::new();
        let desk = who("r1", Role::Receptionist, device);
        let tech = who("t1", Role::Technician, device);
        let mut order = WorkOrderDoc::register(&sample_draft(true), device, &desk).unwrap();
        order.dispatch("t1", &desk).unwrap();
        order.accept(&tech).unwrap();
        order.quote(5_000, &tech).unwrap();
        order.start(&tech).unwrap();
        order
            .record_work(
                &WorkRecord {
                    work_done: "换龙头".into(),
                    started_at: Some(1),
                    ended_at: Some(2),
                    prep_minutes: 0,
                },
                &tech,
            )
            .unwrap();
        order.charge(2_000, 3_000, &tech).unwrap();
        order.complete(&tech).unwrap();
        let write = |order: &mut WorkOrderDoc, fields: serde_json::Value| {
            let since = order.record_mut().heads();
            order
                .record_mut()
                .change(&tech, "collect", |d| {
                    codec::put_fields(d, &["fees"], &fields)
                })
                .unwrap();
            judged(order, &since, &tech)
        };
        let whole = |amount: i64, receipt: &str| {
            serde_json::json!({ "collected_fen": amount, "payment_method": "cash",
                "collected_by": "t1", "collected_at": 3, "receipt_no": receipt })
        };
        let mut above = WorkOrderDoc::from_record(order.record().clone()).unwrap();
        let refused = write(&mut above, whole(5_001, "SJ-1")).unwrap_err();
        assert_eq!(refused.field.as_str(), "fees.collected_fen");
        let mut unsigned = WorkOrderDoc::from_record(order.record().clone()).unwrap();
        let mut as_other = whole(5_000, "SJ-1");
        as_other["collected_by"] = "r1".into();
        assert_eq!(
            write(&mut unsigned, as_other).unwrap_err().code,
            Code::NotAuthor
        );

        write(&mut order, whole(5_000, "SJ-1")).unwrap();
        let again = write(&mut order, whole(4_000, "SJ-2")).unwrap_err();
        assert_eq!(again.code, Code::SetOnce);
    }
}
