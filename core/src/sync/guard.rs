//! The server's check of changes a device brings, before anything is stored:
//! the record must belong to one of the user's estates, every change new to
//! the server must carry the device's own Automerge actor, and every new
//! transition must be the user's own and one their role may make.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::documents::complaint::ComplaintStatus;
use crate::documents::lifecycle::Status;
use crate::documents::revisit::RevisitStatus;
use crate::documents::work_order::OrderStatus;
use crate::documents::{RecordDoc, RecordError, RecordKind, Transition};
use crate::ids::{DeviceId, RecordId};
use crate::people::Staff;

/// Why a document was refused; each has a stable code for the device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("数据损坏 / the changes are corrupt or truncated: {0}")]
    Corrupt(String),
    #[error("未知的记录类型 / unknown record kind “{0}”")]
    UnknownKind(String),
    #[error("记录来自更新的版本,请先升级服务器 / the record's schema is newer than the server reads: {0}")]
    FutureSchema(String),
    #[error("记录不符 / the changes belong to another record: {0}")]
    Mismatch(String),
    #[error("缺少之前的修改,请重新发送全部 / the server lacks changes these depend on; send the whole record")]
    MissingDeps,
    #[error("无权访问该小区 / you are not assigned to estate {0}")]
    OutsideEstates(String),
    #[error("修改不是本设备做的 / a change was made by another device ({0})")]
    ForeignActor(String),
    #[error("不允许的状态变更 / transition refused: {0}")]
    Transition(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Corrupt(_) => "corrupt",
            Refusal::UnknownKind(_) => "unknown_kind",
            Refusal::FutureSchema(_) => "future_schema",
            Refusal::Mismatch(_) => "mismatch",
            Refusal::MissingDeps => super::codes::MISSING_DEPS,
            Refusal::OutsideEstates(_) => "forbidden_estate",
            Refusal::ForeignActor(_) => "foreign_actor",
            Refusal::Transition(_) => "transition_refused",
        }
    }
}

impl From<RecordError> for Refusal {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::UnknownKind(k) => Refusal::UnknownKind(k),
            e @ RecordError::FutureSchema { .. } => Refusal::FutureSchema(e.to_string()),
            e @ RecordError::Mismatch { .. } => Refusal::Mismatch(e.to_string()),
            e => Refusal::Corrupt(e.to_string()),
        }
    }
}

/// Who is sending: the logged-in staff member and their device.
#[derive(Debug, Clone)]
pub struct Sender<'a> {
    pub staff: &'a Staff,
    pub device: DeviceId,
}

/// Checks `changes` (claimed to be record `id` of `kind`) against what the
/// server holds (`existing`) and returns the merged record if they may be
/// stored. Nothing is written here.
pub fn check_incoming(
    existing: Option<&RecordDoc>,
    id: &RecordId,
    kind: &str,
    changes: &[u8],
    claimed_heads: &[automerge::ChangeHash],
    sender: &Sender<'_>,
) -> Result<RecordDoc, Refusal> {
    let kind = RecordKind::parse(kind).ok_or_else(|| Refusal::UnknownKind(kind.into()))?;
    if let Some(old) = existing {
        if !sender.staff.works_on(old.estate_id()) {
            return Err(Refusal::OutsideEstates(old.estate_id().into()));
        }
    }
    let mut merged = match existing {
        Some(old) => {
            let mut merged = old.clone();
            merged.apply(changes)?;
            merged
        }
        None => RecordDoc::load(changes, sender.device)?,
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
    // Automerge queues changes whose dependencies it lacks instead of failing.
    if claimed_heads
        .iter()
        .any(|h| merged.automerge().get_change_by_hash(h).is_none())
    {
        return Err(Refusal::MissingDeps);
    }
    let old_heads = existing.map(|d| d.clone().heads()).unwrap_or_default();
    for change in merged.automerge().get_changes(&old_heads) {
        if DeviceId::from_actor(change.actor_id()) != Some(sender.device) {
            return Err(Refusal::ForeignActor(change.actor_id().to_hex_string()));
        }
    }
    let new_changes = !merged.automerge().get_changes(&old_heads).is_empty();
    match kind {
        RecordKind::WorkOrder => transitions::<OrderStatus>(existing, &merged, sender)?,
        RecordKind::Revisit => transitions::<RevisitStatus>(existing, &merged, sender)?,
        RecordKind::Complaint => transitions::<ComplaintStatus>(existing, &merged, sender)?,
        RecordKind::Estate if new_changes && !sender.staff.role.registers() => {
            return Err(Refusal::Transition(format!(
                "{:?} may not edit the estate",
                sender.staff.role
            )));
        }
        _ => {}
    }
    Ok(merged)
}

#[derive(Deserialize)]
#[serde(bound = "S: Status")]
struct Events<S> {
    #[serde(default)]
    events: Vec<Transition<S>>,
}

fn read_events<S: Status>(doc: &RecordDoc) -> Result<Vec<Transition<S>>, Refusal> {
    Ok(doc.read::<Events<S>>()?.events)
}

/// Each transition new to the server must be the sender's own, in their
/// role, and a move the status graph allows from the tips it followed.
fn transitions<S: Status>(
    existing: Option<&RecordDoc>,
    merged: &RecordDoc,
    sender: &Sender<'_>,
) -> Result<(), Refusal> {
    let old: Vec<Transition<S>> = existing.map(read_events).transpose()?.unwrap_or_default();
    let known: HashSet<&str> = old.iter().map(|t| t.id.as_str()).collect();
    let all = read_events::<S>(merged)?;
    let by_id: HashMap<&str, &Transition<S>> = all.iter().map(|t| (t.id.as_str(), t)).collect();
    let device = sender.device.to_string();
    for t in all.iter().filter(|t| !known.contains(t.id.as_str())) {
        if t.by != sender.staff.id || t.role != sender.staff.role || t.device != device {
            return Err(Refusal::Transition(format!(
                "“{}” was recorded as {} ({:?}) on {}, not by this user on this device",
                t.to.name(),
                t.by,
                t.role,
                t.device
            )));
        }
        let mut from: Vec<S> = vec![];
        for a in &t.after {
            let prev = by_id
                .get(a.as_str())
                .ok_or_else(|| Refusal::Transition(format!("follows unknown transition {a}")))?;
            if !from.contains(&prev.to) {
                from.push(prev.to);
            }
        }
        match from.as_slice() {
            [] => S::check(S::INITIAL, t.to, t.role),
            [one] => S::check(*one, t.to, t.role),
            // Resolving a conflict: a head picks one of the disagreeing statuses.
            many if sender.staff.role.is_head() && many.contains(&t.to) => Ok(()),
            _ => {
                return Err(Refusal::Transition(
                    "only a head may resolve a conflict, to one of its statuses".into(),
                ))
            }
        }
        .map_err(|e| Refusal::Transition(e.to_string()))?;
    }
    Ok(())
}
