//! Every field record is its own small Automerge document: a year of an estate
//! is many small documents, so each record's history stays small.
//!
//! [`RecordDoc`] is the untyped envelope (id, kind, schema version, bytes);
//! each record type (`WorkOrderDoc`, `InspectionDoc`, …) is a typed view over
//! it, and nothing outside this module touches a raw key. The merge rule of
//! every field is written in `core/MERGE.md`.

pub(crate) mod codec;
pub mod company;
pub mod complaint;
pub mod customer;
pub mod desk_log;
pub mod estate;
pub mod history;
pub mod index;
pub mod inspection;
pub mod key_custody;
pub mod lifecycle;
pub mod patrol;
pub mod rectification;
pub mod renovation;
pub mod revisit;
pub mod survey;
pub mod template;
pub(crate) mod view;
pub mod work_order;

use std::fmt;

use automerge::transaction::CommitOptions;
use automerge::{AutoCommit, AutomergeError, ChangeHash, ReadDoc, Value, ROOT};
use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, RecordId};
use crate::message::{Bilingual, ErrorCode, Explain};
pub use index::IndexRow;
pub use lifecycle::{Current, Transition, TransitionError, Who};

/// The kinds of record, each with the newest schema version this build reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Estate,
    Template,
    Inspection,
    Rectification,
    PatrolRoute,
    PatrolRun,
    WorkOrder,
    Revisit,
    Complaint,
    /// The company's rules and calendar (`company.rs`), one company-wide.
    CompanyRules,
    /// A resident's key in custody (`key_custody.rs`), one per key.
    KeyCustody,
    /// The front desk's work log of one shift (`desk_log.rs`).
    DeskLog,
    /// A unit's renovation application (`renovation.rs`), one per application.
    Renovation,
    /// A satisfaction survey of one estate (`survey.rs`).
    Survey,
    /// A company customer with its revisit schedule (`customer.rs`).
    Customer,
}

impl RecordKind {
    pub const ALL: [RecordKind; 15] = [
        RecordKind::Estate,
        RecordKind::Template,
        RecordKind::Inspection,
        RecordKind::Rectification,
        RecordKind::PatrolRoute,
        RecordKind::PatrolRun,
        RecordKind::WorkOrder,
        RecordKind::Revisit,
        RecordKind::Complaint,
        RecordKind::CompanyRules,
        RecordKind::KeyCustody,
        RecordKind::DeskLog,
        RecordKind::Renovation,
        RecordKind::Survey,
        RecordKind::Customer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Estate => "estate",
            RecordKind::Template => "template",
            RecordKind::Inspection => "inspection",
            RecordKind::Rectification => "rectification",
            RecordKind::PatrolRoute => "patrol_route",
            RecordKind::PatrolRun => "patrol_run",
            RecordKind::WorkOrder => "work_order",
            RecordKind::Revisit => "revisit",
            RecordKind::Complaint => "complaint",
            RecordKind::CompanyRules => "company_rules",
            RecordKind::KeyCustody => "key_custody",
            RecordKind::DeskLog => "desk_log",
            RecordKind::Renovation => "renovation",
            RecordKind::Survey => "survey",
            RecordKind::Customer => "customer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The newest schema this build understands; a document from a newer
    /// release is refused rather than misread.
    pub fn schema(self) -> i64 {
        1
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum RecordError {
    Corrupt(#[from] AutomergeError),
    Malformed(String),
    UnknownKind(String),
    FutureSchema {
        kind: RecordKind,
        found: i64,
        supported: i64,
    },
    Mismatch {
        expected: String,
        found: String,
    },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    Invalid {
        field: &'static str,
        reason: Bilingual,
    },
    NoSuchItem {
        what: &'static str,
        id: String,
    },
    /// Bad input in one line of a list (`items[2].title_zh`), for a form to
    /// show the reason beside that line.
    InvalidItem {
        list: &'static str,
        index: usize,
        field: &'static str,
        reason: Bilingual,
    },
    /// The edit breaks the write policy (`core/POLICY.md`).
    #[error(transparent)]
    Policy(#[from] crate::policy::Violation),
}

impl Explain for RecordError {
    fn code(&self) -> ErrorCode {
        match self {
            RecordError::Corrupt(_) => ErrorCode::Corrupt,
            RecordError::Malformed(_) => ErrorCode::Malformed,
            RecordError::UnknownKind(_) => ErrorCode::UnknownKind,
            RecordError::FutureSchema { .. } => ErrorCode::FutureSchema,
            // A record of another kind under this id: for whoever asked for
            // this kind, there is no such record.
            RecordError::Mismatch { .. } => ErrorCode::NotFound,
            RecordError::Transition(e) => e.code(),
            RecordError::Invalid { .. } | RecordError::InvalidItem { .. } => ErrorCode::Invalid,
            RecordError::NoSuchItem { .. } => ErrorCode::NotFound,
            RecordError::Policy(v) => v.code(),
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            RecordError::Corrupt(e) => Bilingual::new(
                format!("文档数据损坏:{e}"),
                format!("document bytes are corrupt or truncated: {e}"),
            ),
            RecordError::Malformed(m) => Bilingual::new(
                format!("文档结构不对:{m}"),
                format!("document does not have the expected shape: {m}"),
            ),
            RecordError::UnknownKind(k) => Bilingual::new(
                format!("未知的记录类型“{k}”"),
                format!("unknown record kind “{k}”"),
            ),
            RecordError::FutureSchema {
                kind,
                found,
                supported,
            } => Bilingual::new(
                "记录来自更新的版本,请升级应用",
                format!("{kind} schema {found} is newer than this app reads ({supported}); please update"),
            ),
            RecordError::Mismatch { expected, found } => Bilingual::new(
                format!("找不到此编号的{expected}(该编号是{found})"),
                format!("no {expected} with this id (it is a {found})"),
            ),
            RecordError::Transition(e) => e.message(),
            // The field is named apart (`field()`), for a form to show the
            // reason beside it.
            RecordError::Invalid { reason, .. } => reason.clone(),
            RecordError::InvalidItem { index, reason, .. } => {
                reason.after(&format!("第{}项", index + 1), &format!("line {}", index + 1))
            }
            RecordError::NoSuchItem { what, id } => Bilingual::new(
                format!("找不到{what} {id}"),
                format!("{what} {id} not found in this record"),
            ),
            RecordError::Policy(v) => v.message(),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            RecordError::Invalid { field, .. } => Some((*field).into()),
            RecordError::InvalidItem {
                list, index, field, ..
            } => Some(format!("{list}[{index}].{field}")),
            RecordError::Transition(e) => e.field(),
            RecordError::Policy(v) => v.field(),
            _ => None,
        }
    }
}

/// Refuses an empty or blank text field.
pub(crate) fn required(field: &'static str, value: &str) -> Result<(), RecordError> {
    if value.trim().is_empty() {
        Err(RecordError::invalid(field, "不能为空", "must not be empty"))
    } else {
        Ok(())
    }
}

impl RecordError {
    pub(crate) fn invalid(
        field: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        RecordError::Invalid {
            field,
            reason: Bilingual::new(zh, en),
        }
    }
}

/// Common keys every record carries at its root.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Envelope {
    id: String,
    kind: String,
    schema: i64,
    estate_id: String,
}

/// One record's Automerge document with its identity checked.
#[derive(Debug, Clone)]
pub struct RecordDoc {
    id: RecordId,
    kind: RecordKind,
    estate_id: String,
    doc: AutoCommit,
    /// The heads last written to storage: Automerge forgets them on load,
    /// and an incremental save would then repeat the whole history.
    saved: Vec<ChangeHash>,
    views: view::Views,
    /// The changes from one version to another as the write policy last
    /// read them, so the save that follows need not collect them again.
    read_changes: Option<ReadChanges>,
}

#[derive(Debug, Clone)]
struct ReadChanges {
    since: Vec<ChangeHash>,
    heads: Vec<ChangeHash>,
    bytes: Vec<u8>,
}

impl RecordDoc {
    /// A new document whose first change writes the envelope and every
    /// container the record will use (see `codec`).
    pub(crate) fn create(
        kind: RecordKind,
        id: RecordId,
        estate_id: &str,
        device: DeviceId,
        who: &Who,
        skeleton: serde_json::Value,
    ) -> Result<Self, RecordError> {
        let mut doc = AutoCommit::new().with_actor(device.actor());
        let envelope = Envelope {
            id: id.to_string(),
            kind: kind.as_str().into(),
            schema: kind.schema(),
            estate_id: estate_id.into(),
        };
        let mut root = codec::to_json(&envelope)?;
        if let (Some(root), serde_json::Value::Object(rest)) = (root.as_object_mut(), skeleton) {
            // A record field named like an envelope key would overwrite it and
            // make the saved document unreadable.
            if let Some(key) = rest.keys().find(|k| root.contains_key(k.as_str())) {
                return Err(RecordError::Malformed(format!(
                    "“{key}” is reserved for the envelope"
                )));
            }
            root.extend(rest);
        }
        codec::init_root(&mut doc, &root)?;
        let mut record = RecordDoc {
            id,
            kind,
            estate_id: estate_id.into(),
            doc,
            saved: vec![],
            views: view::Views::default(),
            read_changes: None,
        };
        record.commit(who, "create");
        Ok(record)
    }

    /// Loads saved bytes, refusing corrupt data, unknown kinds and schemas
    /// from the future. Changes made on this replica carry `device`'s actor.
    pub fn load(bytes: &[u8], device: DeviceId) -> Result<Self, RecordError> {
        let mut doc = AutoCommit::load(bytes)?.with_actor(device.actor());
        let saved = doc.get_heads();
        let mut record = Self::from_doc(doc)?;
        record.saved = saved;
        // Read now, so copies of the record (the store's cache keeps one)
        // share one reading rather than each making its own.
        record.views.now(&record.doc);
        Ok(record)
    }

    fn from_doc(doc: AutoCommit) -> Result<Self, RecordError> {
        let env: Envelope = read_envelope(&doc)?;
        let kind = RecordKind::parse(&env.kind).ok_or(RecordError::UnknownKind(env.kind))?;
        if env.schema > kind.schema() {
            return Err(RecordError::FutureSchema {
                kind,
                found: env.schema,
                supported: kind.schema(),
            });
        }
        let id = RecordId::parse(&env.id).map_err(|e| RecordError::Malformed(e.to_string()))?;
        Ok(RecordDoc {
            id,
            kind,
            estate_id: env.estate_id,
            doc,
            saved: vec![],
            views: view::Views::default(),
            read_changes: None,
        })
    }

    pub fn id(&self) -> &RecordId {
        &self.id
    }

    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    pub fn estate_id(&self) -> &str {
        &self.estate_id
    }

    pub fn save(&mut self) -> Vec<u8> {
        let bytes = self.doc.save();
        self.saved = self.doc.get_heads();
        bytes
    }

    /// The changes since this record was loaded or last saved.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        let heads = self.doc.get_heads();
        let bytes = match self.read_changes.take() {
            Some(read) if read.since == self.saved && read.heads == heads => read.bytes,
            _ => self.doc.save_after(&self.saved),
        };
        self.saved = heads;
        bytes
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The heads as of the last load or save: what a store holds of it.
    pub fn saved_heads(&self) -> &[ChangeHash] {
        &self.saved
    }

    /// The encoded changes this replica has that `have` does not.
    pub fn changes_since(&mut self, have: &[ChangeHash]) -> Vec<u8> {
        self.doc.save_after(have)
    }

    /// Applies changes from elsewhere. Checked first against a strict load of
    /// the whole document (Automerge's incremental load silently drops a
    /// damaged tail): bytes that are corrupt, truncated, or that would turn
    /// this record into another one leave it as it was. Returns how many
    /// operations were new.
    pub fn apply(&mut self, changes: &[u8]) -> Result<usize, RecordError> {
        self.views.before_change(&mut self.doc);
        let mut all = self.doc.save();
        all.extend_from_slice(changes);
        let checked = Self::from_doc(AutoCommit::load(&all)?)?;
        self.expect_same(&checked)?;
        Ok(self.doc.load_incremental(changes)?)
    }

    /// Applies changes already decoded (each verified as it was parsed, so
    /// nothing needs re-reading): the server's merge. On an error the record
    /// may hold part of them; callers apply to a copy.
    pub fn apply_checked(&mut self, changes: Vec<automerge::Change>) -> Result<(), RecordError> {
        self.views.before_change(&mut self.doc);
        self.doc.apply_changes(changes)?;
        let env = read_envelope(&self.doc)?;
        if env.id != self.id.as_str()
            || env.kind != self.kind.as_str()
            || env.estate_id != self.estate_id
        {
            return Err(RecordError::Mismatch {
                expected: format!("{} {} in {}", self.kind, self.id, self.estate_id),
                found: format!("{} {} in {}", env.kind, env.id, env.estate_id),
            });
        }
        Ok(())
    }

    /// A record made from decoded changes alone (one the server did not hold).
    pub fn from_changes(
        changes: Vec<automerge::Change>,
        device: DeviceId,
    ) -> Result<Self, RecordError> {
        let mut doc = AutoCommit::new().with_actor(device.actor());
        doc.apply_changes(changes)?;
        Self::from_doc(doc)
    }

    /// Changes made on this replica from now on carry `device`'s actor.
    pub(crate) fn write_as(&mut self, device: DeviceId) {
        self.doc.set_actor(device.actor());
    }

    /// Merges another replica of the same record.
    pub fn merge(&mut self, other: &mut RecordDoc) -> Result<(), RecordError> {
        self.expect_same(other)?;
        self.views.before_change(&mut self.doc);
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    fn expect_same(&self, other: &RecordDoc) -> Result<(), RecordError> {
        if other.id != self.id || other.kind != self.kind || other.estate_id != self.estate_id {
            return Err(RecordError::Mismatch {
                expected: format!("{} {} in {}", self.kind, self.id, self.estate_id),
                found: format!("{} {} in {}", other.kind, other.id, other.estate_id),
            });
        }
        Ok(())
    }

    /// Writes one person's edit as one change, or nothing at all if `edit`
    /// fails: a refused edit never leaves half its operations behind.
    pub(crate) fn change<T>(
        &mut self,
        who: &Who,
        what: &str,
        edit: impl FnOnce(&mut codec::Editor<'_>) -> Result<T, RecordError>,
    ) -> Result<T, RecordError> {
        let before = self.views.now(&self.doc).cloned();
        self.views.before_change(&mut self.doc);
        let before = before.as_deref().map(view::View::tree);
        let out = match edit(&mut codec::Editor::new(&mut self.doc, before)) {
            Ok(v) => {
                self.commit(who, what);
                Ok(v)
            }
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        };
        self.views.unchanged(&mut self.doc);
        out
    }

    fn commit(&mut self, who: &Who, what: &str) {
        // The message carries who and what, so the office can read the
        // history without a separate audit log.
        let message = serde_json::json!({
            "by": who.staff_id, "role": who.role, "what": what,
        });
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message.to_string())
                .with_time(who.at / 1000),
        );
    }

    /// The record as a typed value, from its view (read once per version).
    pub(crate) fn read<T>(&self) -> Result<T, RecordError>
    where
        T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    {
        match self.views.now(&self.doc) {
            Some(view) => view
                .typed()
                .map(|(value, _)| value)
                .map_err(RecordError::Malformed),
            None => codec::read(&self.doc),
        }
    }

    /// The changes after `since`, for the write policy.
    pub(crate) fn changes_after(&mut self, since: &[ChangeHash]) -> Vec<automerge::Change> {
        let changes = self.doc.get_changes(since);
        self.read_changes = Some(ReadChanges {
            since: since.to_vec(),
            heads: self.doc.get_heads(),
            bytes: changes
                .iter()
                .flat_map(|c| c.raw_bytes())
                .copied()
                .collect(),
        });
        changes
    }

    /// The document, to read.
    pub(crate) fn automerge_ref(&self) -> &AutoCommit {
        &self.doc
    }

    /// The record at `heads` (sorted), if its view there is kept.
    pub(crate) fn view_at(&self, heads: &[ChangeHash]) -> Option<std::sync::Arc<view::View>> {
        self.views.at(heads)
    }

    /// The record as it is now, read by the write policy.
    pub(crate) fn set_view(&mut self, view: std::sync::Arc<view::View>) {
        self.views.set_now(view);
    }

    /// The record as it was at `heads` (a signed version, say).
    pub(crate) fn read_at<T: serde::de::DeserializeOwned>(
        &mut self,
        heads: &[ChangeHash],
    ) -> Result<T, RecordError> {
        let old = self.doc.fork_at(heads)?;
        codec::read(&old)
    }

    pub(crate) fn automerge(&mut self) -> &mut AutoCommit {
        self.views.before_change(&mut self.doc);
        &mut self.doc
    }
}

fn read_envelope(doc: &AutoCommit) -> Result<Envelope, RecordError> {
    let field = |key: &str| -> Result<automerge::ScalarValue, RecordError> {
        match doc.get(ROOT, key)? {
            Some((Value::Scalar(s), _)) => Ok(s.into_owned()),
            _ => Err(RecordError::Malformed(format!("no “{key}” at the root"))),
        }
    };
    let text = |key: &str| -> Result<String, RecordError> {
        field(key)?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| RecordError::Malformed(format!("“{key}” is not text")))
    };
    let schema = field("schema")?
        .as_i64()
        .ok_or_else(|| RecordError::Malformed("“schema” is not a number".into()))?;
    Ok(Envelope {
        id: text("id")?,
        kind: text("kind")?,
        schema,
        estate_id: text("estate_id")?,
    })
}

/// Implemented by each typed view so the store and sync can handle any record.
pub trait Record: Sized {
    const KIND: RecordKind;
    fn from_record(doc: RecordDoc) -> Result<Self, RecordError>;
    fn record(&self) -> &RecordDoc;
    fn record_mut(&mut self) -> &mut RecordDoc;
    fn into_record(self) -> RecordDoc;
    /// The row this record puts in the query tables.
    fn index_row(&self) -> Result<IndexRow, RecordError>;
}

pub(crate) fn expect_kind(doc: &RecordDoc, kind: RecordKind) -> Result<(), RecordError> {
    if doc.kind() == kind {
        Ok(())
    } else {
        Err(RecordError::Mismatch {
            expected: kind.to_string(),
            found: doc.kind().to_string(),
        })
    }
}

/// Implements [`Record`] for a typed view `struct X { doc: RecordDoc }`.
macro_rules! record_view {
    ($view:ident, $kind:expr, $index:path) => {
        impl $crate::documents::Record for $view {
            const KIND: $crate::documents::RecordKind = $kind;
            fn from_record(
                doc: $crate::documents::RecordDoc,
            ) -> Result<Self, $crate::documents::RecordError> {
                $crate::documents::expect_kind(&doc, $kind)?;
                Ok($view { doc })
            }
            fn record(&self) -> &$crate::documents::RecordDoc {
                &self.doc
            }
            fn record_mut(&mut self) -> &mut $crate::documents::RecordDoc {
                &mut self.doc
            }
            fn into_record(self) -> $crate::documents::RecordDoc {
                self.doc
            }
            fn index_row(
                &self,
            ) -> Result<$crate::documents::IndexRow, $crate::documents::RecordError> {
                $index(&self.doc)
            }
        }
    };
}
pub(crate) use record_view;

/// The query-table row of any record, for code that handles them all (store,
/// sync, office).
pub fn index_row(doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    use RecordKind as K;
    match doc.kind() {
        K::Estate => estate::index_row(doc),
        K::Template => template::index_row(doc),
        K::Inspection => inspection::index_row(doc),
        K::Rectification => rectification::index_row(doc),
        K::PatrolRoute => patrol::route_index_row(doc),
        K::PatrolRun => patrol::run_index_row(doc),
        K::WorkOrder => work_order::index_row(doc),
        K::Revisit => revisit::index_row(doc),
        K::Complaint => complaint::index_row(doc),
        K::CompanyRules => company::index_row(doc),
        K::KeyCustody => key_custody::index_row(doc),
        K::DeskLog => desk_log::index_row(doc),
        K::Renovation => renovation::index_row(doc),
        K::Survey => survey::index_row(doc),
        K::Customer => customer::index_row(doc),
    }
}
