//! The write policy: which changes to a record each person may make.
//!
//! One definition, applied twice: the phone judges its own edit before it
//! commits (so an honest user never makes a change the server will refuse),
//! and the server judges every change a device sends before it stores it.
//! Each change is judged against the record as it stood where that change was
//! made (at its dependencies), so offline work that was allowed when it was
//! done is never refused because something happened elsewhere meanwhile.
//!
//! The decision compares the record before and after the change through the
//! typed views and each kind's table (`table.rs`, rendered in
//! `core/POLICY.md`), never trusting what a change says about itself.

mod company;
mod complaint;
mod customer;
mod describe;
mod desk_log;
mod estate;
mod inspection;
mod key_custody;
pub mod limits;
mod patrol;
mod rectification;
mod renovation;
mod revisit;
mod survey;
pub mod table;
mod template;
#[cfg(test)]
mod test_support;
mod transitions;
pub(crate) mod tree;
pub(crate) mod typed;
mod work_order;

use std::fmt;
use std::sync::Arc;

use automerge::ChangeHash;
use serde::de::DeserializeOwned;

use crate::documents::view::View;
use crate::documents::{RecordDoc, RecordKind, Who};
use crate::ids::DeviceId;
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::people::Role;
use crate::rules::RulesConfig;
pub use describe::policy_markdown;
pub use limits::{DocLimits, WireLimits};
use tree::Node;

/// Who made a change, as the judge knows them: on the server, the signed-in
/// staff member and the device the token belongs to, with the public key that
/// device registered at sign-in; on the phone, the session's person and the
/// phone's own key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub staff_id: String,
    pub role: Role,
    pub device: DeviceId,
    /// Hex of the device's registered Ed25519 public key; a sign-off must be
    /// signed with it.
    pub device_key: Option<String>,
}

impl Author {
    pub fn from_who(who: &Who, device_key: Option<String>) -> Self {
        Author {
            staff_id: who.staff_id.clone(),
            role: who.role,
            device: who.device_id,
            device_key,
        }
    }
}

/// What a judge needs besides the record: the company rules (extensions are
/// approved by whom the rules say) and the size limits.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RulesConfig,
    pub limits: &'a DocLimits,
}

/// Why a change was refused, by kind; each has a stable name for devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    UnknownField,
    FixedField,
    SetOnce,
    AppendOnly,
    ContainerReplaced,
    RoleMayNot,
    WrongState,
    NotAuthor,
    Transition,
    Signature,
    Deadline,
    Malformed,
    BadValue,
    TooLarge,
    NotChanges,
    Corrupt,
    SecondRoot,
}

impl Code {
    pub const ALL: [Code; 17] = [
        Code::UnknownField,
        Code::FixedField,
        Code::SetOnce,
        Code::AppendOnly,
        Code::ContainerReplaced,
        Code::RoleMayNot,
        Code::WrongState,
        Code::NotAuthor,
        Code::Transition,
        Code::Signature,
        Code::Deadline,
        Code::Malformed,
        Code::BadValue,
        Code::TooLarge,
        Code::NotChanges,
        Code::Corrupt,
        Code::SecondRoot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownField => "unknown_field",
            Code::FixedField => "fixed_field",
            Code::SetOnce => "set_once",
            Code::AppendOnly => "append_only",
            Code::ContainerReplaced => "container_replaced",
            Code::RoleMayNot => "role_may_not",
            Code::WrongState => "wrong_state",
            Code::NotAuthor => "not_author",
            Code::Transition => "transition_refused",
            Code::Signature => "signature_refused",
            Code::Deadline => "deadline_refused",
            Code::Malformed => "malformed",
            Code::BadValue => "bad_value",
            Code::TooLarge => "too_large",
            Code::NotChanges => "not_changes",
            Code::Corrupt => "corrupt",
            Code::SecondRoot => "second_root",
        }
    }

    /// What the code means, for `PROTOCOL.md` and error screens.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::UnknownField => "a field this kind of record does not have",
            Code::FixedField => "a field set at creation was changed",
            Code::SetOnce => "a field that is set once was changed again",
            Code::AppendOnly => "an item of a log was changed, moved or removed",
            Code::ContainerReplaced => "a map or list was replaced or removed",
            Code::RoleMayNot => "the author's role may not make this change",
            Code::WrongState => "the change is not allowed in the record's status",
            Code::NotAuthor => "a field that names who wrote it names someone else",
            Code::Transition => "a status change the lifecycle does not allow",
            Code::Signature => "a sign-off not signed by the author's registered device key, or not matching the record",
            Code::Deadline => "the deadline moved without an approved extension",
            Code::Malformed => "the record does not have its kind's shape",
            Code::BadValue => "a value of a type no record uses (Text, counter, bytes)",
            Code::TooLarge => "past a size limit",
            Code::NotChanges => "not plain Automerge change chunks",
            Code::Corrupt => "bytes that do not decode",
            Code::SecondRoot => "a second change without parents (a second creation)",
        }
    }
}

/// A refused change: the rule it broke and the field, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: Code,
    /// The field's path (`deadline.due_at`, `events[].by`); empty for the
    /// record as a whole.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl Violation {
    pub fn new(code: Code, field: &str, zh: &str, en: &str) -> Self {
        Violation {
            code,
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl Explain for Violation {
    fn code(&self) -> ErrorCode {
        self.code.into()
    }

    /// The rule broken, naming the field when there is one.
    fn message(&self) -> Bilingual {
        if self.field.is_empty() {
            Bilingual::new(&self.zh, &self.en)
        } else {
            Bilingual::new(
                format!("“{}”{}", self.field, self.zh),
                format!("{}: {}", self.field, self.en),
            )
        }
    }

    fn field(&self) -> Option<String> {
        (!self.field.is_empty()).then(|| self.field.clone())
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for Violation {}

/// Judges every change of `doc` that `since` does not include, each against
/// the record at its own dependencies, as made by `author`.
///
/// The record before a change is the previous change's result, or the view
/// the record kept of its state before it changed, or else read at the
/// change's dependencies; the record after it is that with the objects the
/// change wrote into read afresh (`tree::after_change`), or else read whole.
/// The last result is kept as the record's view, so the typed view and the
/// query row that follow need not read the document again.
pub fn judge_since(
    doc: &mut RecordDoc,
    since: &[ChangeHash],
    author: &Author,
    ctx: &Context<'_>,
) -> Result<(), Violation> {
    let kind = doc.kind();
    let current = doc.heads();
    let changes = doc.changes_after(since);
    let mut last: Option<(ChangeHash, Arc<View>)> = None;
    let mut creation_seen = !since.is_empty();
    for change in &changes {
        claims(change.message(), author)?;
        let mut deps = change.deps().to_vec();
        deps.sort();
        let am = doc.automerge_ref();
        let before = match (deps.as_slice(), &last) {
            ([], _) if creation_seen => {
                return Err(Violation::new(
                    Code::SecondRoot,
                    "",
                    "记录只能创建一次",
                    "a record is created once; this change has no parents",
                ))
            }
            ([], _) => None,
            ([one], Some((hash, view))) if one == hash => Some(view.clone()),
            (deps, _) => match doc.view_at(deps) {
                Some(view) => {
                    // Read whole, the record would have been held to the limits too.
                    tree::check_limits(view.tree(), ctx.limits)?;
                    Some(view)
                }
                None => Some(Arc::new(View::new(tree::read(am, Some(deps), ctx.limits)?))),
            },
        };
        creation_seen = true;
        let heads = [change.hash()];
        let at = (current != heads).then_some(&heads[..]);
        let after = match before
            .as_deref()
            .and_then(|b| tree::after_change(am, b.tree(), change, at, ctx.limits))
        {
            Some(after) => after,
            None => tree::read(am, at, ctx.limits)?,
        };
        let after = Arc::new(View::new(after));
        judge(kind, before.as_deref(), &after, author, ctx)?;
        last = Some((change.hash(), after));
    }
    if let Some((hash, view)) = last {
        if current == [hash] {
            doc.set_view(view);
        }
    }
    Ok(())
}

/// What a whole merged record must hold whatever each change did: ids unique
/// in every list of items (a change made at old dependencies could reuse an
/// id that arrived since), and the size limits.
pub fn check_merged(doc: &mut RecordDoc, limits: &DocLimits) -> Result<(), Violation> {
    let node = tree::read(doc.automerge(), None, limits)?;
    unique_ids(&node, &mut String::new())
}

fn unique_ids(node: &Node, path: &mut String) -> Result<(), Violation> {
    match node {
        Node::Map(_, entries) => {
            for (key, value) in entries.iter() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                unique_ids(value, path)?;
                path.truncate(len);
            }
        }
        Node::List(_, items) => {
            let mut seen = std::collections::HashSet::new();
            for item in items.iter() {
                if let Some(id) = item.item_id() {
                    if !seen.insert(id) {
                        return Err(Violation::new(
                            Code::AppendOnly,
                            path,
                            &format!("编号“{id}”重复"),
                            &format!("the id “{id}” is used twice"),
                        ));
                    }
                }
                let len = path.len();
                path.push_str("[]");
                unique_ids(item, path)?;
                path.truncate(len);
            }
        }
        Node::Scalar(_) => {}
    }
    Ok(())
}

/// A change's message may say who made it (Rounds writes one); it must not
/// name anyone but the author.
fn claims(message: Option<&str>, author: &Author) -> Result<(), Violation> {
    #[derive(serde::Deserialize)]
    struct Claim {
        by: Option<String>,
        role: Option<String>,
    }
    let Some(claim) = message.and_then(|m| serde_json::from_str::<Claim>(m).ok()) else {
        return Ok(());
    };
    let by_ok = claim.by.is_none_or(|b| b == author.staff_id);
    let role_ok = claim.role.is_none_or(|r| r == author.role.as_str());
    if by_ok && role_ok {
        Ok(())
    } else {
        Err(Violation::new(
            Code::NotAuthor,
            "message",
            "修改说明写的不是本人",
            "the change's message names someone other than its author",
        ))
    }
}

/// A new device signature (a sign-off, a key use) names the author's
/// device and was made with the key that device registered; whether it
/// verifies and what it covers each kind checks.
fn signed_on_own_device(
    author: &Author,
    device: DeviceId,
    device_key: &str,
    field: &str,
) -> Result<(), Violation> {
    let bad = |zh: &str, en: &str| Err(Violation::new(Code::Signature, field, zh, en));
    if device != author.device {
        return bad(
            "签字必须由本设备采集",
            "a signature names the device that made it",
        );
    }
    if author.device_key.as_deref() != Some(device_key) {
        return bad(
            "设备密钥未在服务器登记",
            "not signed with the key this device registered",
        );
    }
    Ok(())
}

/// One change of a record of `kind`: `before` is None for its creation.
fn judge(
    kind: RecordKind,
    before: Option<&View>,
    after: &View,
    author: &Author,
    ctx: &Context<'_>,
) -> Result<(), Violation> {
    use RecordKind as K;
    match kind {
        K::WorkOrder => work_order::judge(before, after, author, ctx),
        K::Revisit => revisit::judge(before, after, author),
        K::Complaint => complaint::judge(before, after, author),
        K::Inspection => inspection::judge(before, after, author),
        K::Rectification => rectification::judge(before, after, author),
        K::Template => template::judge(before, after, author),
        K::PatrolRoute => patrol::judge_route(before, after, author),
        K::PatrolRun => patrol::judge_run(before, after, author),
        K::Estate => estate::judge(before, after, author),
        K::CompanyRules => company::judge(before, after, author),
        K::KeyCustody => key_custody::judge(before, after, author, ctx),
        K::DeskLog => desk_log::judge(before, after, author),
        K::Renovation => renovation::judge(before, after, author),
        K::Survey => survey::judge(before, after, author, ctx),
        K::Customer => customer::judge(before, after, author),
    }
}

/// Every kind's table, for the written policy and its tests.
pub fn tables() -> [&'static table::Table; 15] {
    [
        &work_order::TABLE,
        &revisit::TABLE,
        &complaint::TABLE,
        &inspection::TABLE,
        &rectification::TABLE,
        &template::TABLE,
        &patrol::ROUTE,
        &patrol::RUN,
        &estate::TABLE,
        &company::TABLE,
        &key_custody::TABLE,
        &desk_log::TABLE,
        &renovation::TABLE,
        &survey::TABLE,
        &customer::TABLE,
    ]
}

/// The record as its typed view, refusing a wrong shape and any key the view
/// does not know (the envelope's `kind` and `schema` aside); read once per
/// version of the record, which the next change is judged against.
fn typed<T>(version: &View) -> Result<T, Violation>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    match version.typed::<T>() {
        Err(e) => Err(Violation::new(Code::Malformed, "", "记录结构不对", &e)),
        Ok((_, Some(path))) => Err(unknown(&path)),
        Ok((view, None)) => Ok(view),
    }
}

fn unknown(path: &str) -> Violation {
    Violation::new(
        Code::UnknownField,
        path,
        "不是此类记录的字段",
        "is not a field of this record",
    )
}
