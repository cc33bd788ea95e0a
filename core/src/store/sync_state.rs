//! What sync needs from the store: which documents changed since a sequence
//! number (the server's side), and which local edits are not yet synced with
//! the heads both sides last had (the device's side).

use automerge::ChangeHash;
use rusqlite::{params, OptionalExtension};

use super::{DocumentStore, Store, StoreError};
use crate::documents::{RecordDoc, RecordError, RecordKind};
use crate::ids::RecordId;

/// A local document with edits the server has not accepted yet.
#[derive(Debug, Clone)]
pub struct Dirty {
    pub id: RecordId,
    pub kind: RecordKind,
    /// The heads both sides had at the last sync (empty: never synced).
    pub synced_heads: Vec<ChangeHash>,
}

/// A document changed after some sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub id: RecordId,
    pub kind: RecordKind,
    pub estate_id: String,
    pub seq: i64,
}

/// What a device lacks of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// It has every change the store has.
    UpToDate,
    /// It lacks `bytes` (changes, or the whole document) to reach `heads`.
    Changes {
        heads: Vec<ChangeHash>,
        bytes: Vec<u8>,
    },
}

impl Outgoing {
    /// What a device that has `known` lacks of a loaded document.
    pub fn of(doc: &mut RecordDoc, known: &[ChangeHash]) -> Outgoing {
        let mut heads = doc.heads();
        if same_heads(&heads, known) {
            return Outgoing::UpToDate;
        }
        heads.sort();
        Outgoing::Changes {
            bytes: doc.changes_since(known),
            heads,
        }
    }

    /// What a device that has `known` lacks, answered from the heads kept
    /// in the document's row (`stored_heads`, empty where not yet kept) and
    /// its stored bytes without decoding it when the device is up to date or
    /// has nothing of it; otherwise from the document `load` gives. Every
    /// backend decides this way.
    pub fn from_row<E: From<StoreError>>(
        stored_heads: &str,
        known: &[ChangeHash],
        bytes: impl FnOnce() -> Result<Vec<u8>, E>,
        load: impl FnOnce() -> Result<RecordDoc, E>,
    ) -> Result<Outgoing, E> {
        if !stored_heads.is_empty() {
            let mut heads = heads_from_text(stored_heads).map_err(StoreError::from)?;
            if same_heads(&heads, known) {
                return Ok(Outgoing::UpToDate);
            }
            if known.is_empty() {
                // Snapshot and chunks as stored read as one document.
                heads.sort();
                return Ok(Outgoing::Changes {
                    heads,
                    bytes: bytes()?,
                });
            }
        }
        Ok(Outgoing::of(&mut load()?, known))
    }
}

fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

pub fn heads_to_text(heads: &[ChangeHash]) -> String {
    serde_json::to_string(&heads.iter().map(ToString::to_string).collect::<Vec<_>>())
        .unwrap_or_default()
}

pub fn heads_from_text(text: &str) -> Result<Vec<ChangeHash>, RecordError> {
    let list: Vec<String> =
        serde_json::from_str(text).map_err(|e| RecordError::Malformed(e.to_string()))?;
    list.iter()
        .map(|h| {
            h.parse()
                .map_err(|_| RecordError::Malformed(format!("“{h}” is not a change hash")))
        })
        .collect()
}

fn parse_id(id: &str) -> Result<RecordId, StoreError> {
    Ok(RecordId::parse(id).map_err(|e| RecordError::Malformed(e.to_string()))?)
}

fn parse_kind(kind: String) -> Result<RecordKind, StoreError> {
    Ok(RecordKind::parse(&kind).ok_or(RecordError::UnknownKind(kind))?)
}

impl Store {
    /// What a device that has `known` of document `id` lacks. Answered from
    /// the stored heads and bytes, without decoding the document, when the
    /// device is up to date or has nothing of it (the common cases when many
    /// devices reconnect); otherwise from the (cached) document.
    pub fn outgoing(&self, id: &RecordId, known: &[ChangeHash]) -> Result<Outgoing, StoreError> {
        let stored: String = self
            .conn()
            .prepare_cached("SELECT heads FROM documents WHERE id = ?1")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        Outgoing::from_row(
            &stored,
            known,
            || {
                super::read_bytes(self.conn(), id.as_str())?
                    .ok_or_else(|| StoreError::NotFound(id.to_string()))
            },
            || self.load(id),
        )
    }

    /// Local documents with unsynced edits, oldest change first, at most `limit`.
    pub fn dirty_docs(&self, limit: usize) -> Result<Vec<Dirty>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, kind, synced_heads FROM documents WHERE dirty = 1 ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = vec![];
        for row in rows {
            let (id, kind, heads) = row?;
            out.push(Dirty {
                id: parse_id(&id)?,
                kind: parse_kind(kind)?,
                synced_heads: heads_from_text(&heads)?,
            });
        }
        Ok(out)
    }

    pub fn dirty_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM documents WHERE dirty = 1", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    /// Records that both sides now hold `heads` of a document. It stays dirty
    /// if it was edited locally past them (an edit made while syncing).
    pub fn mark_synced(&mut self, id: &RecordId, heads: &[ChangeHash]) -> Result<(), StoreError> {
        let mut local = self.load(id)?.heads();
        let mut synced = heads.to_vec();
        local.sort();
        synced.sort();
        self.conn().execute(
            "UPDATE documents SET synced_heads = ?2, dirty = ?3 WHERE id = ?1",
            params![id.as_str(), heads_to_text(heads), local != synced],
        )?;
        Ok(())
    }

    /// Forgets what the server was thought to have of a document, so the next
    /// sync sends all of it.
    pub fn reset_synced(&mut self, id: &RecordId) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE documents SET synced_heads = '[]', dirty = 1 WHERE id = ?1",
            [id.as_str()],
        )?;
        Ok(())
    }

    /// The server sequence this device last fully received.
    pub fn sync_cursor(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT cursor FROM sync_meta WHERE one = 1", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    pub fn set_sync_cursor(&mut self, cursor: u64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE sync_meta SET cursor = ?1 WHERE one = 1",
            [cursor as i64],
        )?;
        Ok(())
    }

    /// The highest sequence number any document has.
    pub fn last_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT last_seq FROM sync_meta WHERE one = 1", [], |r| {
                r.get(0)
            })?)
    }

    pub fn doc_seq(&self, id: &RecordId) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT seq FROM documents WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Documents of `estates` changed after `seq`, in sequence order, at most `limit`.
    pub fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        let marks = (0..estates.len())
            .map(|i| format!("?{}", i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, kind, estate_id, seq FROM documents WHERE seq > ?1 AND estate_id IN ({marks}) ORDER BY seq LIMIT ?2"
        );
        let mut args: Vec<rusqlite::types::Value> = vec![seq.into(), (limit as i64).into()];
        args.extend(estates.iter().map(|e| e.clone().into()));
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = vec![];
        for row in rows {
            let (id, kind, estate_id, seq) = row?;
            out.push(Changed {
                id: parse_id(&id)?,
                kind: parse_kind(kind)?,
                estate_id,
                seq,
            });
        }
        Ok(out)
    }
}
