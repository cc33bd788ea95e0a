//! The write policy as data: for every field (or list) of a record, how it
//! may change, by whom and in which states. One walk compares a record before
//! and after a change against its table; what the table cannot say (a
//! transition's graph, a signature) each kind checks in its own module.

use super::tree::Node;
use super::{Author, Code, Violation};
use crate::people::Role;

/// How a field may change after the record is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Written when the record is created, never changed.
    Fixed,
    /// Set once, from empty (null, "", 0) to a value.
    Once,
    /// Changed freely by its writers (a scalar, or a value replaced whole).
    Free,
    /// A list (a log): items are added, never edited, moved or removed.
    Append,
    /// A list of items with ids: items added or removed whole, never edited.
    AddRemove,
    /// A list of items with ids, never removed, whose fields have rules of
    /// their own (`list[].field`).
    Items,
    /// A map of items keyed by id, fixed at creation, whose fields have rules
    /// of their own (`map.*.field`).
    Keys,
}

impl Mode {
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Mode::Fixed => ("创建时写入,不可修改", "set at creation, never changed"),
            Mode::Once => ("只能设置一次", "set once"),
            Mode::Free => ("可修改", "may change"),
            Mode::Append => ("只能追加", "append-only"),
            Mode::AddRemove => ("整项添加或删除", "items added or removed whole"),
            Mode::Items => (
                "逐项追加,项内字段见下",
                "items appended; their fields below",
            ),
            Mode::Keys => (
                "项目创建时固定,项内字段见下",
                "items fixed at creation; their fields below",
            ),
        }
    }
}

/// Who may make a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Anyone,
    /// Reception, supervisors and the director.
    Office,
    /// Supervisors and the director.
    Heads,
    /// Technicians, security, cleaning, landscaping.
    Field,
    Role(Role),
    /// The person the record is assigned to now (before the change).
    Assignee,
    /// The person the record belongs to (who started it, say).
    Owner,
}

impl Writer {
    pub fn describe(self) -> String {
        match self {
            Writer::Anyone => "anyone of the estate".into(),
            Writer::Office => "office (reception, heads)".into(),
            Writer::Heads => "heads (supervisor, director)".into(),
            Writer::Field => "field staff".into(),
            Writer::Role(r) => r.as_str().into(),
            Writer::Assignee => "the assignee".into(),
            Writer::Owner => "the record's owner".into(),
        }
    }

    fn admits(self, author: &Author, facts: &Facts) -> bool {
        let role = author.role;
        match self {
            Writer::Anyone => true,
            Writer::Office => role.registers(),
            Writer::Heads => role.is_head(),
            Writer::Field => role.does_field_work(),
            Writer::Role(r) => role == r,
            Writer::Assignee => facts.assignee.as_deref() == Some(author.staff_id.as_str()),
            Writer::Owner => facts.owner.as_deref() == Some(author.staff_id.as_str()),
        }
    }
}

/// The statuses (`Status::name`, or "conflict") a change may be made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum States {
    Any,
    In(&'static [&'static str]),
}

/// Whether a field names who wrote it, and must then name the author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Nobody,
    /// The field's value is the author's staff id.
    Itself,
    /// Each new item's field of this name is the author's staff id.
    Field(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Dotted keys; `*` any key of a map, `[]` any item of a list.
    pub path: &'static str,
    pub mode: Mode,
    pub writers: &'static [Writer],
    pub states: States,
    pub names: Names,
}

impl Rule {
    const fn new(path: &'static str, mode: Mode) -> Rule {
        Rule {
            path,
            mode,
            writers: &[],
            states: States::Any,
            names: Names::Nobody,
        }
    }
    pub const fn fixed(path: &'static str) -> Rule {
        Rule::new(path, Mode::Fixed)
    }
    pub const fn once(path: &'static str, writers: &'static [Writer]) -> Rule {
        Rule::new(path, Mode::Once).by(writers)
    }
    pub const fn free(path: &'static str, writers: &'static [Writer]) -> Rule {
        Rule::new(path, Mode::Free).by(writers)
    }
    pub const fn append(path: &'static str, writers: &'static [Writer]) -> Rule {
        Rule::new(path, Mode::Append).by(writers)
    }
    pub const fn add_remove(path: &'static str, writers: &'static [Writer]) -> Rule {
        Rule::new(path, Mode::AddRemove).by(writers)
    }
    pub const fn items(path: &'static str, writers: &'static [Writer]) -> Rule {
        Rule::new(path, Mode::Items).by(writers)
    }
    pub const fn keys(path: &'static str) -> Rule {
        Rule::new(path, Mode::Keys)
    }
    const fn by(mut self, writers: &'static [Writer]) -> Rule {
        self.writers = writers;
        self
    }
    pub const fn when(mut self, states: &'static [&'static str]) -> Rule {
        self.states = States::In(states);
        self
    }
    pub const fn names_author(mut self) -> Rule {
        self.names = Names::Itself;
        self
    }
    pub const fn item_by(mut self, field: &'static str) -> Rule {
        self.names = Names::Field(field);
        self
    }
}

/// One record kind's policy.
pub struct Table {
    pub kind: crate::documents::RecordKind,
    /// Who may create the record.
    pub creators: &'static [Writer],
    pub rules: &'static [Rule],
}

/// Every record's envelope: never changed.
pub static ENVELOPE: [Rule; 4] = [
    Rule::fixed("id"),
    Rule::fixed("kind"),
    Rule::fixed("schema"),
    Rule::fixed("estate_id"),
];

/// What the table's writers and states are checked against, read from the
/// record as it stood before the change.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub status: &'static str,
    pub assignee: Option<String>,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Item,
}

#[derive(Debug, Clone, PartialEq)]
enum Pat {
    Key(&'static str),
    AnyKey,
    Item,
}

fn pattern(path: &'static str) -> Vec<Pat> {
    let mut out = vec![];
    for part in path.split('.') {
        let (key, items) = match part.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (part, false),
        };
        out.push(if key == "*" {
            Pat::AnyKey
        } else {
            Pat::Key(key)
        });
        if items {
            out.push(Pat::Item);
        }
    }
    out
}

fn seg_matches(p: &Pat, s: &Seg) -> bool {
    match (p, s) {
        (Pat::Key(k), Seg::Key(s)) => k == s,
        (Pat::AnyKey, Seg::Key(_)) => true,
        (Pat::Item, Seg::Item) => true,
        _ => false,
    }
}

fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Item => out.push_str("[]"),
        }
    }
    out
}

/// Compares `before` (None: the record is being created) with `after`
/// against `table`.
pub(crate) fn judge(
    table: &Table,
    before: Option<&Node>,
    after: &Node,
    author: &Author,
    facts: &Facts,
) -> Result<(), Violation> {
    let rules: Vec<(Vec<Pat>, &Rule)> = ENVELOPE
        .iter()
        .chain(table.rules)
        .map(|r| (pattern(r.path), r))
        .collect();
    let walk = Walk {
        rules,
        author,
        facts,
    };
    if before.is_none() && !table.creators.iter().any(|w| w.admits(author, facts)) {
        return Err(Violation::new(
            Code::RoleMayNot,
            "",
            &format!("{} 无权创建此类记录", author.role.label().zh),
            &format!("a {} may not create a {}", author.role.as_str(), table.kind),
        ));
    }
    walk.node(&mut vec![], before, Some(after), before.is_none())
}

struct Walk<'a> {
    rules: Vec<(Vec<Pat>, &'a Rule)>,
    author: &'a Author,
    facts: &'a Facts,
}

impl Walk<'_> {
    fn exact(&self, path: &[Seg]) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|(p, _)| {
                p.len() == path.len() && p.iter().zip(path).all(|(p, s)| seg_matches(p, s))
            })
            .map(|(_, r)| *r)
    }

    fn has_rules_below(&self, path: &[Seg]) -> bool {
        self.rules.iter().any(|(p, _)| {
            p.len() > path.len() && p.iter().zip(path).all(|(p, s)| seg_matches(p, s))
        })
    }

    /// `new`: the node is being created (with the record, or as a new item).
    fn node(
        &self,
        path: &mut Vec<Seg>,
        before: Option<&Node>,
        after: Option<&Node>,
        new: bool,
    ) -> Result<(), Violation> {
        if !new && before == after {
            return Ok(());
        }
        if let Some(rule) = self.exact(path) {
            return self.rule(rule, path, before, after, new);
        }
        if !self.has_rules_below(path) {
            return Err(Violation::new(
                Code::UnknownField,
                &render(path),
                "不是此类记录的字段",
                "is not a field of this record",
            ));
        }
        match (before, after) {
            (Some(Node::Map(b_id, b)), Some(Node::Map(a_id, a))) if new || b_id == a_id => {
                let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
                for key in keys {
                    path.push(Seg::Key(key.clone()));
                    self.node(path, b.get(key), a.get(key), new)?;
                    path.pop();
                }
                Ok(())
            }
            (None, Some(Node::Map(_, a))) if new => {
                for (key, value) in a.iter() {
                    path.push(Seg::Key(key.clone()));
                    self.node(path, None, Some(value), true)?;
                    path.pop();
                }
                Ok(())
            }
            _ => Err(self.replaced(path)),
        }
    }

    fn replaced(&self, path: &[Seg]) -> Violation {
        Violation::new(
            Code::ContainerReplaced,
            &render(path),
            "不能替换或删除整个结构",
            "a container may not be replaced or removed (others' concurrent edits would be lost)",
        )
    }

    fn allowed(&self, rule: &Rule, path: &[Seg]) -> Result<(), Violation> {
        if !rule
            .writers
            .iter()
            .any(|w| w.admits(self.author, self.facts))
        {
            return Err(Violation::new(
                Code::RoleMayNot,
                &render(path),
                &format!("{}无权修改", self.author.role.label().zh),
                &format!("a {} may not change it", self.author.role.as_str()),
            ));
        }
        match rule.states {
            States::In(states) if !states.contains(&self.facts.status) => Err(Violation::new(
                Code::WrongState,
                &render(path),
                &format!("记录状态“{}”下不能修改", self.facts.status),
                &format!("may not change while the record is {}", self.facts.status),
            )),
            _ => Ok(()),
        }
    }

    fn names_author(&self, node: Option<&Node>, path: &[Seg]) -> Result<(), Violation> {
        match node {
            None | Some(Node::Scalar(serde_json::Value::Null)) => Ok(()),
            Some(Node::Scalar(serde_json::Value::String(s))) if *s == self.author.staff_id => {
                Ok(())
            }
            Some(_) => Err(Violation::new(
                Code::NotAuthor,
                &render(path),
                "必须是本人",
                "must name the person making the change",
            )),
        }
    }

    fn new_item(&self, rule: &Rule, path: &mut Vec<Seg>, item: &Node) -> Result<(), Violation> {
        if let Names::Field(field) = rule.names {
            path.push(Seg::Item);
            path.push(Seg::Key(field.into()));
            let checked = match item.get(field) {
                None => Err(Violation::new(
                    Code::NotAuthor,
                    &render(path),
                    "缺少记录人",
                    "must name the person making the change",
                )),
                some => self.names_author(some, path),
            };
            path.truncate(path.len() - 2);
            checked?;
        }
        if matches!(rule.mode, Mode::Items) {
            path.push(Seg::Item);
            self.node(path, None, Some(item), true)?;
            path.pop();
        }
        Ok(())
    }

    fn rule(
        &self,
        rule: &Rule,
        path: &mut Vec<Seg>,
        before: Option<&Node>,
        after: Option<&Node>,
        new: bool,
    ) -> Result<(), Violation> {
        if matches!(rule.mode, Mode::Fixed | Mode::Once | Mode::Free) {
            if !new {
                match rule.mode {
                    Mode::Fixed => {
                        return Err(Violation::new(
                            Code::FixedField,
                            &render(path),
                            "创建后不能修改",
                            "is set when the record is created and never changed",
                        ))
                    }
                    Mode::Once if !Node::is_unset(before) => {
                        return Err(Violation::new(
                            Code::SetOnce,
                            &render(path),
                            "已设置,不能再改",
                            "is already set and may not change",
                        ))
                    }
                    _ => self.allowed(rule, path)?,
                }
            }
            if rule.names == Names::Itself {
                self.names_author(after, path)?;
            }
            return Ok(());
        }
        if rule.mode == Mode::Keys {
            return self.keyed(rule, path, before, after, new);
        }
        let empty = vec![];
        let (b_items, a_items) = match (before, after) {
            (Some(Node::List(b_id, b)), Some(Node::List(a_id, a))) if new || b_id == a_id => {
                (&**b, &**a)
            }
            (None, Some(Node::List(_, a))) if new => (&empty, &**a),
            _ => return Err(self.replaced(path)),
        };
        let added = match rule.mode {
            Mode::Append => appended(b_items, a_items).ok_or_else(|| append_only(path))?,
            _ => by_id(rule, path, self, b_items, a_items)?,
        };
        if !added.is_empty() && !new {
            self.allowed(rule, path)?;
        }
        for item in added {
            self.new_item(rule, path, item)?;
        }
        Ok(())
    }

    fn keyed(
        &self,
        _rule: &Rule,
        path: &mut Vec<Seg>,
        before: Option<&Node>,
        after: Option<&Node>,
        new: bool,
    ) -> Result<(), Violation> {
        let empty = std::collections::BTreeMap::new();
        let (b, a) = match (before, after) {
            (Some(Node::Map(b_id, b)), Some(Node::Map(a_id, a))) if new || b_id == a_id => {
                (&**b, &**a)
            }
            (None, Some(Node::Map(_, a))) if new => (&empty, &**a),
            _ => return Err(self.replaced(path)),
        };
        if !new && !b.keys().eq(a.keys()) {
            return Err(Violation::new(
                Code::FixedField,
                &render(path),
                "项目在创建时固定",
                "its items are fixed when the record is created",
            ));
        }
        for (key, value) in a {
            path.push(Seg::Key(key.clone()));
            self.node(path, b.get(key), Some(value), new)?;
            path.pop();
        }
        Ok(())
    }
}

fn append_only(path: &[Seg]) -> Violation {
    Violation::new(
        Code::AppendOnly,
        &render(path),
        "只能追加,不能修改或删除已有项",
        "is append-only: existing items may not be changed or removed",
    )
}

/// The items of `after` that are new, if `before` is a subsequence of it
/// (every old item still there, unchanged and in order).
fn appended<'a>(before: &[Node], after: &'a [Node]) -> Option<Vec<&'a Node>> {
    let mut added = vec![];
    let mut old = before.iter().peekable();
    for item in after {
        if old.peek() == Some(&item) {
            old.next();
        } else {
            added.push(item);
        }
    }
    old.peek().is_none().then_some(added)
}

/// For lists of items with ids: the new items, after checking old ones are
/// unchanged (`AddRemove`: or removed) or, for `Items`, still there (their
/// fields are walked against their own rules).
fn by_id<'a>(
    rule: &Rule,
    path: &mut Vec<Seg>,
    walk: &Walk<'_>,
    before: &[Node],
    after: &'a [Node],
) -> Result<Vec<&'a Node>, Violation> {
    let find = |list: &'a [Node], id: &str| list.iter().find(|n| n.item_id() == Some(id));
    let mut removed = false;
    for old in before {
        let id = old.item_id().ok_or_else(|| append_only(path))?;
        match find(after, id) {
            Some(now) if rule.mode == Mode::Items => {
                path.push(Seg::Item);
                walk.node(path, Some(old), Some(now), false)?;
                path.pop();
            }
            Some(now) if now != old => return Err(append_only(path)),
            Some(_) => {}
            None if rule.mode == Mode::AddRemove => removed = true,
            None => return Err(append_only(path)),
        }
    }
    if removed {
        walk.allowed(rule, path)?;
    }
    let mut added = vec![];
    for item in after {
        match item.item_id() {
            Some(id) if before.iter().any(|o| o.item_id() == Some(id)) => {}
            Some(_) => added.push(item),
            None => {
                return Err(Violation::new(
                    Code::Malformed,
                    &render(path),
                    "项目缺少编号",
                    "every item needs an id",
                ))
            }
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_keys_wildcards_and_items() {
        assert_eq!(
            pattern("items.*.photos[]"),
            vec![
                Pat::Key("items"),
                Pat::AnyKey,
                Pat::Key("photos"),
                Pat::Item
            ]
        );
        assert_eq!(
            render(&[Seg::Key("a".into()), Seg::Item, Seg::Key("b".into())]),
            "a[].b"
        );
    }
}
