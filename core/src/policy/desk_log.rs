//! The desk log's policy: the desk writes its own shift's entries until it
//! hands over, listing every open item; another desk person takes over,
//! accepting only items that were handed over; a matter's status report
//! comes from its department (or the desk writing down what it was told).

use std::collections::BTreeSet;

use super::table::{Facts, Rule, Table, Writer::*};
use super::{typed, Author, Code, Violation};
use crate::documents::desk_log::{DeskLog, DeskLogDoc, Outcome};
use crate::documents::view::View;
use crate::documents::RecordKind;

const OPEN: &[&str] = &["open"];
const HANDED_OVER: &[&str] = &["handed_over"];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::DeskLog,
    creators: &[Office],
    rules: &[
        Rule::fixed("date"),
        Rule::fixed("shift"),
        Rule::fixed("opened_by").names_author(),
        Rule::fixed("opened_at"),
        Rule::fixed("carried"),
        Rule::append("entries", &[Office]).when(OPEN).item_by("by"),
        Rule::append("closed", &[Office]).item_by("by"),
        Rule::append("reports", &[Anyone]).item_by("by"),
        Rule::once("handed_by", &[Office]).when(OPEN).names_author(),
        Rule::once("handed_at", &[Office]).when(OPEN),
        Rule::once("handover_note", &[Office]).when(OPEN),
        Rule::append("outstanding", &[Office]).when(OPEN),
        Rule::once("taken_by", &[Office])
            .when(HANDED_OVER)
            .names_author(),
        Rule::once("taken_at", &[Office]).when(HANDED_OVER),
        Rule::append("accepted", &[Office]).when(HANDED_OVER),
        Rule::once("next_log", &[Office]).when(HANDED_OVER),
    ],
};

fn refused(code: Code, field: &str, zh: &str, en: &str) -> Result<(), Violation> {
    Err(Violation::new(code, field, zh, en))
}

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: DeskLog = typed(after)?;
    let was: Option<DeskLog> = before.map(typed).transpose()?;
    let facts = was.as_ref().map_or_else(Facts::default, |l| Facts {
        status: l.status().name(),
        assignee: None,
        owner: Some(l.opened_by.clone()),
    });
    super::table::judge(&TABLE, before.map(View::tree), after.tree(), author, &facts)?;
    let Some(was) = was else {
        return Ok(());
    };
    for e in now.entries.iter().filter(|e| !was.entries.contains(e)) {
        let passed_on = e.outcome == Outcome::PassedOn;
        if passed_on != e.department.is_some() || passed_on != e.report_due_at.is_some() {
            return refused(
                Code::BadValue,
                "entries[].department",
                "转交部门的事项须有部门与通报期限,其他事项没有",
                "a matter passed on has a department and a report due time; nothing else has",
            );
        }
        if e.report_due_at.is_some_and(|due| due <= e.at) {
            return refused(
                Code::Deadline,
                "entries[].report_due_at",
                "通报期限须晚于转交时间",
                "the report is due after the matter was passed on",
            );
        }
    }
    for r in now.reports.iter().filter(|r| !was.reports.contains(r)) {
        let department = was.entry(&r.entry).and_then(|e| e.department);
        match department {
            None => {
                return refused(
                    Code::BadValue,
                    "reports[].entry",
                    "只能通报已转交部门的事项",
                    "a status report is on a matter passed to a department",
                )
            }
            Some(d) if !DeskLogDoc::may_report(author.role, d) => {
                return refused(
                    Code::RoleMayNot,
                    "reports[]",
                    "只有该部门或前台可以通报此事项",
                    "only that department, or the desk, reports on this matter",
                )
            }
            Some(_) => {}
        }
    }
    for c in now.closed.iter().filter(|c| !was.closed.contains(c)) {
        if !was.open_items().contains(&c.item) {
            return refused(
                Code::BadValue,
                "closed[].item",
                "只能关闭未完成的事项",
                "only an open item is closed",
            );
        }
    }
    if was.handed_by.is_none() && now.handed_by.is_some() {
        let listed: BTreeSet<&String> = now.outstanding.iter().collect();
        let open = now.open_items();
        if listed != open.iter().collect() {
            return refused(
                Code::Transition,
                "outstanding",
                "交班须列出全部未完成事项",
                "a handover lists every item still open, and nothing else",
            );
        }
    } else if now.outstanding != was.outstanding {
        return refused(
            Code::Transition,
            "outstanding",
            "未完成事项随交班列出",
            "the outstanding items are listed with the handover",
        );
    }
    if was.taken_by.is_none() && now.taken_by.is_some() {
        if now.taken_by == now.handed_by {
            return refused(
                Code::NotAuthor,
                "taken_by",
                "交班人与接班人不能是同一人",
                "the one taking over is not the one handing over",
            );
        }
        if now.accepted.iter().any(|a| !now.outstanding.contains(a)) {
            return refused(
                Code::BadValue,
                "accepted",
                "只能接收交班列出的事项",
                "only items the handover listed are accepted",
            );
        }
        if now.next_log.is_none() {
            return refused(
                Code::Transition,
                "next_log",
                "接班须开启下一班的日志",
                "taking over opens the next shift's log",
            );
        }
    } else if now.accepted != was.accepted || now.next_log != was.next_log {
        return refused(
            Code::Transition,
            "accepted",
            "接收的事项随接班记录",
            "the accepted items are recorded with the takeover",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::departments::Department;
    use crate::documents::desk_log::{DeskLogDoc, EntryDraft, EntryKind, Outcome, Shift};
    use crate::documents::{codec, Record, RecordDoc, Who};
    use crate::ids::RecordId;
    use crate::people::Role;
    use crate::policy::Code;

    use crate::policy::test_support::{judged, who};

    /// A day log with a pending call and a matter passed to engineering.
    fn day_log() -> DeskLogDoc {
        let r1 = who("r1", Role::Receptionist, 1);
        let mut log = DeskLogDoc::open(
            RecordId::new(),
            "e1",
            "2026-12-07",
            Shift::Day,
            &[],
            r1.device_id,
            &r1,
        )
        .unwrap();
        for (id, outcome, department) in [
            ("call", Outcome::Pending, None),
            ("leak", Outcome::PassedOn, Some(Department::Engineering)),
        ] {
            let draft = EntryDraft {
                id: id.into(),
                kind: EntryKind::Matter,
                party: String::new(),
                unit_id: None,
                summary: id.into(),
                outcome,
                department,
            };
            log.add_entry(&draft, department.map(|_| 100), &r1).unwrap();
        }
        log
    }

    fn raw(doc: &mut RecordDoc, by: &Who, fields: serde_json::Value, list: &[(&str, &str)]) {
        doc.change(by, "raw", |d| {
            codec::put_fields(d, &[], &fields)?;
            for (path, item) in list {
                codec::append(d, &[path], item)?;
            }
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_handover_that_leaves_an_open_item_off_is_refused() {
        let r1 = who("r1", Role::Receptionist, 10);
        let mut log = day_log();
        let handover = json!({ "handed_by": "r1", "handed_at": 10 });
        let v = judged(&mut log, &r1, |d| {
            raw(d, &r1, handover, &[("outstanding", "call")])
        })
        .unwrap_err();
        assert_eq!(
            (v.code, v.field.as_str()),
            (Code::Transition, "outstanding")
        );

        let mut log = day_log();
        let handover = json!({ "handed_by": "r1", "handed_at": 10 });
        let all = [("outstanding", "call"), ("outstanding", "leak")];
        judged(&mut log, &r1, |d| raw(d, &r1, handover, &all)).unwrap();
    }

    #[test]
    fn a_takeover_accepts_only_what_was_handed_over_and_not_by_the_same_person() {
        let r1 = who("r1", Role::Receptionist, 10);
        let mut log = day_log();
        log.hand_over("", &r1).unwrap();
        let take = |by: &str| json!({ "taken_by": by, "taken_at": 20, "next_log": "n1" });

        let r2 = who("r2", Role::Receptionist, 20);
        let mut forged = DeskLogDoc::from_record(log.record().clone()).unwrap();
        let v = judged(&mut forged, &r2, |d| {
            raw(d, &r2, take("r2"), &[("accepted", "visitor-never-listed")])
        })
        .unwrap_err();
        assert_eq!(v.field, "accepted");

        let mut own = DeskLogDoc::from_record(log.record().clone()).unwrap();
        let v = judged(&mut own, &r1, |d| raw(d, &r1, take("r1"), &[])).unwrap_err();
        assert_eq!(v.code, Code::NotAuthor);

        judged(&mut log, &r2, |d| {
            raw(d, &r2, take("r2"), &[("accepted", "leak")])
        })
        .unwrap();
        assert_eq!(log.read().unwrap().unaccepted(), ["call"]);
    }

    #[test]
    fn only_the_department_passed_to_or_the_desk_reports_status() {
        let report = |id: &str| json!({ "id": id, "entry": "leak", "by": "", "at": 30, "note": "在修", "finished": false });
        let append = |d: &mut RecordDoc, by: &Who, id: &str| {
            let mut item = report(id);
            item["by"] = by.staff_id.clone().into();
            d.change(by, "raw", |e| codec::append(e, &["reports"], &item))
                .unwrap();
        };
        let mut log = day_log();
        let guard = who("g1", Role::Security, 30);
        let v = judged(&mut log, &guard, |d| append(d, &guard, "x")).unwrap_err();
        assert_eq!(v.code, Code::RoleMayNot);

        let mut log = day_log();
        let tech = who("t1", Role::Technician, 30);
        judged(&mut log, &tech, |d| append(d, &tech, "y")).unwrap();
    }
}
