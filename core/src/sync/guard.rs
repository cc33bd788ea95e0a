//! The server's check of what a device brings, in two steps:
//!
//! - [`Incoming::parse`], before any lock is taken: the bytes must be plain
//!   change chunks within the request limits, so no request can make the
//!   server decode far more than it sent;
//! - [`check_incoming`], against the stored record: the record must belong to
//!   one of the user's estates, every change new to the server must carry the
//!   device's own Automerge actor and have every parent stored (orphans are
//!   refused, never parked), and every change must pass the write policy
//!   (`crate::policy`) as made by the signed-in person on this device.

use automerge::{Change, ChangeHash};

use crate::documents::{RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::people::Staff;
use crate::policy::{self, Author, Context, Violation, WireLimits};

/// Why a document was refused; each has a stable code for the device. The
/// details carried are technical (an automerge error, an id), the same in
/// both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum Refusal {
    Corrupt(String),
    UnknownKind(String),
    FutureSchema(String),
    Mismatch(String),
    MissingDeps,
    OutsideEstates(String),
    ForeignActor(String),
    /// The write policy refused a change (`core/POLICY.md`).
    #[error(transparent)]
    Policy(Violation),
}

impl Explain for Refusal {
    fn code(&self) -> ErrorCode {
        match self {
            Refusal::Corrupt(_) => ErrorCode::Corrupt,
            Refusal::UnknownKind(_) => ErrorCode::UnknownKind,
            Refusal::FutureSchema(_) => ErrorCode::FutureSchema,
            Refusal::Mismatch(_) => ErrorCode::Mismatch,
            Refusal::MissingDeps => ErrorCode::MissingDeps,
            Refusal::OutsideEstates(_) => ErrorCode::ForbiddenEstate,
            Refusal::ForeignActor(_) => ErrorCode::ForeignActor,
            Refusal::Policy(v) => v.code(),
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            Refusal::Corrupt(e) => Bilingual::new(
                format!("数据损坏:{e}"),
                format!("the changes are corrupt or truncated: {e}"),
            ),
            Refusal::UnknownKind(k) => Bilingual::new(
                format!("未知的记录类型“{k}”"),
                format!("unknown record kind “{k}”"),
            ),
            Refusal::FutureSchema(e) => Bilingual::new(
                format!("记录来自更新的版本,请先升级服务器:{e}"),
                format!("the record's schema is newer than the server reads: {e}"),
            ),
            Refusal::Mismatch(e) => Bilingual::new(
                format!("记录不符:{e}"),
                format!("the changes belong to another record: {e}"),
            ),
            Refusal::MissingDeps => Bilingual::new(
                "缺少之前的修改,请重新发送全部",
                "the server lacks changes these depend on; send the whole record",
            ),
            Refusal::OutsideEstates(e) => Bilingual::new(
                format!("无权访问该小区 {e}"),
                format!("you are not assigned to estate {e}"),
            ),
            Refusal::ForeignActor(a) => Bilingual::new(
                format!("修改不是本设备做的({a})"),
                format!("a change was made by another device ({a})"),
            ),
            Refusal::Policy(v) => v.message(),
        }
    }

    /// The field a policy refusal names.
    fn field(&self) -> Option<String> {
        match self {
            Refusal::Policy(v) => v.field(),
            _ => None,
        }
    }
}

impl From<RecordError> for Refusal {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::UnknownKind(k) => Refusal::UnknownKind(k),
            e @ RecordError::FutureSchema { .. } => Refusal::FutureSchema(e.message().en),
            e @ RecordError::Mismatch { .. } => Refusal::Mismatch(e.message().en),
            RecordError::Policy(v) => Refusal::Policy(v),
            e => Refusal::Corrupt(e.message().en),
        }
    }
}

impl From<Violation> for Refusal {
    fn from(v: Violation) -> Self {
        Refusal::Policy(v)
    }
}

/// Who is sending: the signed-in staff member, their device, and the public
/// key that device registered when it signed in.
#[derive(Debug, Clone)]
pub struct Sender<'a> {
    pub staff: &'a Staff,
    pub device: DeviceId,
    pub device_key: Option<String>,
}

impl Sender<'_> {
    fn author(&self) -> Author {
        Author {
            staff_id: self.staff.id.clone(),
            role: self.staff.role,
            device: self.device,
            device_key: self.device_key.clone(),
        }
    }
}

/// One document as a device sent it, decoded within the limits.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub id: RecordId,
    pub kind: RecordKind,
    pub heads: Vec<ChangeHash>,
    pub changes: Vec<Change>,
}

impl Incoming {
    /// Decodes without touching storage; everything here is bounded by the
    /// request's size and `limits`.
    pub fn parse(
        id: &RecordId,
        kind: &str,
        bytes: &[u8],
        heads: Vec<ChangeHash>,
        limits: &WireLimits,
    ) -> Result<Self, Refusal> {
        let kind = RecordKind::parse(kind).ok_or_else(|| Refusal::UnknownKind(kind.into()))?;
        if heads.len() > limits.max_heads {
            return Err(Refusal::Policy(Violation::new(
                policy::Code::TooLarge,
                "heads",
                &format!("最多{}个heads", limits.max_heads),
                &format!("at most {} heads per record", limits.max_heads),
            )));
        }
        let changes = policy::limits::parse_changes(bytes, limits)?;
        Ok(Incoming {
            id: id.clone(),
            kind,
            heads,
            changes,
        })
    }
}

/// Checks `incoming` against what the server holds (`existing`) and returns
/// the merged record if it may be stored. Nothing is written here.
pub fn check_incoming(
    existing: Option<&RecordDoc>,
    incoming: &Incoming,
    sender: &Sender<'_>,
    ctx: &Context<'_>,
) -> Result<RecordDoc, Refusal> {
    let (mut merged, old_heads) = merge_incoming(existing, incoming, sender)?;
    judge_incoming(&mut merged, &old_heads, sender, ctx)?;
    Ok(merged)
}

/// The first half of [`check_incoming`]: where the record belongs, whose
/// changes these are, and the merge itself (every parent present). Returns
/// the merged record and the heads the server held before.
pub fn merge_incoming(
    existing: Option<&RecordDoc>,
    incoming: &Incoming,
    sender: &Sender<'_>,
) -> Result<(RecordDoc, Vec<ChangeHash>), Refusal> {
    unpanicked(|| merge(existing, incoming, sender))
}

/// Automerge 0.12 panics on some changes that decode but do not fit the
/// record (an operation in an object it lacks, an actor it has not seen
/// with a sequence number past 1). A device's bytes must not take the server
/// down (a panic here would poison the database lock): the merge works on a
/// copy, so a panic refuses the document and leaves what is stored alone.
fn unpanicked<T>(f: impl FnOnce() -> Result<T, Refusal>) -> Result<T, Refusal> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Refusal::Corrupt(format!(
            "Automerge panicked on these changes: {why}"
        )))
    })
}

fn merge(
    existing: Option<&RecordDoc>,
    incoming: &Incoming,
    sender: &Sender<'_>,
) -> Result<(RecordDoc, Vec<ChangeHash>), Refusal> {
    if let Some(old) = existing {
        if !sender.staff.works_on(old.estate_id()) {
            return Err(Refusal::OutsideEstates(old.estate_id().into()));
        }
    }
    let (id, kind) = (&incoming.id, incoming.kind);
    let mut old = existing.cloned();
    let old_heads = old.as_mut().map(RecordDoc::heads).unwrap_or_default();
    // Changes the server already holds may be anyone's; new ones must be
    // this device's own.
    for change in &incoming.changes {
        let known = old
            .as_mut()
            .is_some_and(|d| d.automerge().get_change_by_hash(&change.hash()).is_some());
        if !known && DeviceId::from_actor(change.actor_id()) != Some(sender.device) {
            return Err(Refusal::ForeignActor(change.actor_id().to_hex_string()));
        }
    }
    keyed_as_their_objects(old.as_mut().map(RecordDoc::automerge), &incoming.changes)?;
    let mut merged = match old {
        Some(mut doc) => {
            doc.apply_checked(incoming.changes.clone())?;
            doc
        }
        None => RecordDoc::from_changes(incoming.changes.clone(), sender.device)?,
    };
    if merged.id() != id || merged.kind() != kind {
        return Err(Refusal::Mismatch(format!(
            "{kind} {id} ≠ {} {}",
            merged.kind(),
            merged.id()
        )));
    }
    if !sender.staff.works_on(merged.estate_id()) {
        return Err(Refusal::OutsideEstates(merged.estate_id().into()));
    }
    // Automerge queues changes whose parents it lacks instead of failing:
    // such a change, or a claimed head, that is not in the merged record
    // means the device must send what it depends on.
    let am = merged.automerge();
    let orphan = incoming
        .changes
        .iter()
        .map(Change::hash)
        .chain(incoming.heads.iter().copied())
        .any(|h| am.get_change_by_hash(&h).is_none());
    if orphan {
        return Err(Refusal::MissingDeps);
    }
    Ok((merged, old_heads))
}

/// Every operation must be in an object that exists, keyed as its type is
/// (a map by name, a list by element). Automerge 0.12 refuses or panics on
/// most that are not, but its release build stores an operation keyed as a
/// list element in a map, where no read sees it (a mark's value of any
/// size, say) and the record's operations are left out of order.
fn keyed_as_their_objects(
    doc: Option<&mut automerge::AutoCommit>,
    changes: &[Change],
) -> Result<(), Refusal> {
    use automerge::legacy::{Key, ObjectId, OpType};
    use automerge::{ObjType, ReadDoc};
    let expanded: Vec<_> = changes.iter().map(Change::decode).collect();
    let mut made = std::collections::HashMap::new();
    for c in &expanded {
        for (op, counter) in c.operations.iter().zip(c.start_op.get()..) {
            if let OpType::Make(ty) = op.action {
                made.insert((counter, c.actor_id.clone()), ty);
            }
        }
    }
    let doc = doc.map(|d| &*d);
    for op in expanded.iter().flat_map(|c| &c.operations) {
        let ty = match &op.obj {
            ObjectId::Root => Some(ObjType::Map),
            ObjectId::Id(id) => made
                .get(&(id.counter(), id.actor().clone()))
                .copied()
                .or_else(|| {
                    let obj = automerge::ObjId::Id(id.counter(), id.actor().clone(), usize::MAX);
                    doc.and_then(|d| d.object_type(&obj).ok())
                }),
        };
        let fits = match (ty, &op.key) {
            (Some(ObjType::Map | ObjType::Table), Key::Map(_)) => !op.insert,
            (Some(ObjType::List | ObjType::Text), Key::Seq(_)) => true,
            _ => false,
        };
        if !fits {
            return Err(Refusal::Corrupt(format!(
                "an operation in {} is not keyed as its object is",
                ty.map_or("no object".to_string(), |t| format!("a {t:?}"))
            )));
        }
    }
    Ok(())
}

/// The second half of [`check_incoming`]: every change the server did not
/// hold (`old_heads`) through the write policy, then the merged whole.
pub fn judge_incoming(
    merged: &mut RecordDoc,
    old_heads: &[ChangeHash],
    sender: &Sender<'_>,
    ctx: &Context<'_>,
) -> Result<(), Refusal> {
    unpanicked(|| {
        policy::judge_since(merged, old_heads, &sender.author(), ctx)?;
        policy::check_merged(merged, ctx.limits)?;
        Ok(())
    })
}
