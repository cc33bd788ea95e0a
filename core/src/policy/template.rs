//! The checklist template's policy: heads publish new versions; a
//! published version never changes.

use super::table::{Rule, Table, Writer::*};
use super::{typed, Author, Code, Violation};
use crate::documents::template::Template;
use crate::documents::view::View;
use crate::documents::RecordKind;

pub(super) static TABLE: Table = Table {
    kind: RecordKind::Template,
    creators: &[Heads],
    rules: &[
        Rule::fixed("checklist_kind"),
        Rule::fixed("name_zh"),
        Rule::fixed("name_en"),
        Rule::fixed("created_by").names_author(),
        Rule::fixed("created_at"),
        Rule::append("versions", &[Heads]).item_by("published_by"),
    ],
};

pub(super) fn judge(before: Option<&View>, after: &View, author: &Author) -> Result<(), Violation> {
    let now: Template = typed(after)?;
    let was: Option<Template> = before.map(typed).transpose()?;
    super::table::judge(
        &TABLE,
        before.map(View::tree),
        after.tree(),
        author,
        &Default::default(),
    )?;
    let is_new = |v: &&crate::documents::template::TemplateVersion| {
        was.as_ref()
            .is_none_or(|w| !w.versions.iter().any(|o| o.id == v.id))
    };
    let highest = was
        .as_ref()
        .and_then(|w| w.versions.iter().map(|v| v.version).max())
        .unwrap_or(0);
    for v in now.versions.iter().filter(is_new) {
        if v.version != highest + 1 || v.items.is_empty() {
            return Err(Violation::new(
                Code::Malformed,
                "versions[]",
                "新版本须编号递增且有检查项",
                "a new version is numbered next and has items",
            ));
        }
    }
    Ok(())
}
