//! The company rules' policy: only a director (or the server, writing the
//! company's rules file as the company) sets the rules and the calendar, each
//! replaced whole, and what is set must be rules and a calendar the company
//! could have loaded from a file.

use super::table::{Rule, Table, Writer};
use super::{typed, Author, Code, Violation};
use crate::documents::company::Stored;
use crate::documents::view::View;
use crate::documents::RecordKind;
use crate::message::Explain;
use crate::people::Role;
use crate::rules::price_list;

const DIRECTOR: &[Writer] = &[Writer::Role(Role::Director)];

pub(super) static TABLE: Table = Table {
    kind: RecordKind::CompanyRules,
    creators: DIRECTOR,
    rules: &[
        Rule::free("rules", DIRECTOR),
        Rule::free("calendar", DIRECTOR),
        Rule::free("changed_by", DIRECTOR).names_author(),
        Rule::free("changed_at", DIRECTOR),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Stored = typed(after)?;
    super::table::judge(
        &TABLE,
        before.map(View::tree),
        after.tree(),
        author,
        &Default::default(),
    )?;
    let was: Option<Stored> = before.map(typed).transpose()?;
    // The price list only grows or retires items, whoever edits it.
    let checked = now
        .company()
        .and_then(|company| match was.map(|w| w.company()) {
            Some(Ok(was)) => {
                price_list::change_refused(&was.rules.price_list, &company.rules.price_list)
            }
            _ => Ok(()),
        });
    if let Err(e) = checked {
        let field = match e.setting() {
            Some(setting) => format!("rules.{setting}"),
            None if matches!(e, crate::rules::RulesError::ConfigJson(_)) => "rules".into(),
            None => "calendar".into(),
        };
        let m = e.message();
        return Err(Violation::new(Code::Malformed, &field, &m.zh, &m.en));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::company::{CompanyRules, CompanyRulesDoc};
    use crate::documents::{Record, Who};
    use crate::ids::DeviceId;
    use crate::policy::{judge_since, Context, DocLimits};
    use crate::rules::RulesConfig;

    fn who(role: Role) -> Who {
        Who {
            staff_id: "d1".into(),
            role,
            device_id: DeviceId::new(),
            at: 1,
        }
    }

    fn judged(
        doc: &mut CompanyRulesDoc,
        since: &[automerge::ChangeHash],
        as_role: Role,
    ) -> Result<(), Violation> {
        let author = Author::from_who(&who(as_role), None);
        let rules = RulesConfig::default();
        let ctx = Context {
            rules: &rules,
            limits: &DocLimits::default(),
        };
        judge_since(doc.record_mut(), since, &author, &ctx)
    }

    #[test]
    fn only_a_director_creates_or_changes_the_company_rules() {
        let director = who(Role::Director);
        let mut doc =
            CompanyRulesDoc::create(&CompanyRules::default(), director.device_id, &director)
                .unwrap();
        assert_eq!(judged(&mut doc, &[], Role::Director), Ok(()));
        // Sent by a supervisor's phone, the creation is refused: its change
        // says a director made it (a hand-made one saying nothing is refused
        // as `role_may_not`, tests/tests/company_rules.rs).
        assert_eq!(
            judged(&mut doc, &[], Role::Supervisor).unwrap_err().code,
            Code::NotAuthor
        );
        let before = doc.record_mut().heads();
        let mut changed = CompanyRules::default();
        changed.rules.repairs.standard_working_days = 5;
        doc.set(&changed, &director).unwrap();
        // The same change, claimed by a supervisor's phone, is refused.
        let mut as_supervisor = CompanyRulesDoc::from_record(doc.record().clone()).unwrap();
        let refused = judged(&mut as_supervisor, &before, Role::Supervisor).unwrap_err();
        assert_eq!(
            refused.code,
            Code::NotAuthor,
            "its message names a director: {refused}"
        );
        assert_eq!(judged(&mut doc, &before, Role::Director), Ok(()));
    }
}
