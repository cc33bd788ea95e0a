//! Documents on PostgreSQL: a snapshot plus incremental chunks per record,
//! as in the embedded store, with the query row and the change sequence
//! written in the same transaction as the changes.

use postgres::types::ToSql;
use postgres::{Client, GenericClient, Row};
use rounds_core::blobs::{hash_bytes, verify, BlobError};
use rounds_core::documents::index::ROW_VERSION;
use rounds_core::documents::{index_row, IndexRow, RecordDoc, RecordKind};
use rounds_core::signoff::DeviceKey;
use rounds_core::store::{
    heads_to_text, Changed, Created, DocEdit, DocumentStore, Outgoing, Query, StoreError,
};
use rounds_core::sync::guard::Refusal;
use rounds_core::time::now_millis;
use rounds_core::{DeviceId, RecordId};

use super::{notify, PgDb, DOC_LOCK, SEQ_LOCK};
use crate::db::{Check, Merged, SyncStore};
use crate::error::AppError;

/// Chunks a document may gather before it is rewritten as one snapshot.
const COMPACT_AFTER_CHUNKS: i32 = 32;

const COLUMNS: &str = "id, kind, estate_id, status, open, conflicted, assignee, unit_id, category, emergency, created_at, due_at, done_at, title, facts";

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("stored data: {e}"))
}

fn read_doc(
    c: &mut impl GenericClient,
    device: DeviceId,
    id: &RecordId,
) -> Result<Option<RecordDoc>, AppError> {
    read_bytes(c, id)?
        .map(|bytes| RecordDoc::load(&bytes, device).map_err(corrupt))
        .transpose()
}

/// The snapshot and its chunks, which Automerge reads as one document.
fn read_bytes(c: &mut impl GenericClient, id: &RecordId) -> Result<Option<Vec<u8>>, AppError> {
    let Some(row) = c.query_opt(
        "SELECT snapshot FROM documents WHERE id = $1",
        &[&id.as_str()],
    )?
    else {
        return Ok(None);
    };
    let mut bytes: Vec<u8> = row.get(0);
    for chunk in c.query(
        "SELECT bytes FROM doc_chunks WHERE doc_id = $1 ORDER BY n",
        &[&id.as_str()],
    )? {
        bytes.extend_from_slice(chunk.get::<_, &[u8]>(0));
    }
    Ok(Some(bytes))
}

/// Derives every query row again when they were written by an older
/// `index::ROW_VERSION`, once, by whichever server process starts first
/// (the others wait on the lock and find it done).
pub(super) fn refresh_index(client: &mut Client, device: DeviceId) -> Result<(), AppError> {
    client.batch_execute("BEGIN")?;
    match derive_rows(client, device) {
        Ok(()) => Ok(client.batch_execute("COMMIT")?),
        Err(e) => {
            client.batch_execute("ROLLBACK")?;
            Err(e)
        }
    }
}

fn derive_rows(client: &mut Client, device: DeviceId) -> Result<(), AppError> {
    let written: i64 = client
        .query_one(
            "SELECT row_version FROM index_meta WHERE one = 1 FOR UPDATE",
            &[],
        )?
        .get(0);
    if written >= ROW_VERSION {
        return Ok(());
    }
    let ids: Vec<String> = client
        .query("SELECT id FROM documents", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in ids {
        let id = RecordId::parse(&id).map_err(corrupt)?;
        if let Some(doc) = read_doc(client, device, &id)? {
            write_index(client, &doc)?;
        }
    }
    client.execute(
        "UPDATE index_meta SET row_version = $1 WHERE one = 1",
        &[&ROW_VERSION],
    )?;
    Ok(())
}

fn write_index(tx: &mut Client, doc: &RecordDoc) -> Result<(), AppError> {
    let r = index_row(doc).map_err(corrupt)?;
    tx.execute(
        &format!(
            "INSERT INTO record_index ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (id) DO UPDATE SET kind = $2, estate_id = $3, status = $4, open = $5, conflicted = $6,
                assignee = $7, unit_id = $8, category = $9, emergency = $10, created_at = $11, due_at = $12,
                done_at = $13, title = $14, facts = $15"
        ),
        &[
            &r.id,
            &r.kind.as_str(),
            &r.estate_id,
            &r.status,
            &r.open,
            &r.conflicted,
            &r.assignee,
            &r.unit_id,
            &r.category,
            &r.emergency,
            &r.created_at,
            &r.due_at,
            &r.done_at,
            &r.title,
            &r.facts.to_string(),
        ],
    )?;
    Ok(())
}

fn write_snapshot(tx: &mut Client, doc: &mut RecordDoc) -> Result<(), AppError> {
    let snapshot = doc.save();
    tx.execute(
        "INSERT INTO documents (id, kind, estate_id, snapshot, chunks, seq, updated_at) VALUES ($1, $2, $3, $4, 0, 0, $5)
         ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, chunks = 0, updated_at = excluded.updated_at",
        &[&doc.id().as_str(), &doc.kind().as_str(), &doc.estate_id(), &snapshot, &now_millis()],
    )?;
    tx.execute(
        "DELETE FROM doc_chunks WHERE doc_id = $1",
        &[&doc.id().as_str()],
    )?;
    Ok(())
}

/// Gives the document the next change sequence (and keeps its heads beside
/// it) and tells the other processes. The lock is held to commit, so
/// sequences commit in order.
fn bump_seq(tx: &mut Client, node: &str, doc: &mut RecordDoc) -> Result<i64, AppError> {
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&SEQ_LOCK])?;
    let seq: i64 = tx.query_one("SELECT nextval('change_seq')", &[])?.get(0);
    tx.execute(
        "UPDATE documents SET seq = $2, heads = $3 WHERE id = $1",
        &[&doc.id().to_string(), &seq, &heads_to_text(&doc.heads())],
    )?;
    notify::changed(tx, node, doc.estate_id(), seq)?;
    Ok(seq)
}

fn lock_doc(tx: &mut Client, id: &RecordId) -> Result<(), AppError> {
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&DOC_LOCK, &id.as_str()],
    )?;
    Ok(())
}

fn sorted(mut heads: Vec<automerge::ChangeHash>) -> Vec<automerge::ChangeHash> {
    heads.sort();
    heads
}

fn index_from_row(r: &Row) -> Result<IndexRow, AppError> {
    let kind: String = r.get(1);
    let facts: String = r.get(14);
    Ok(IndexRow {
        id: r.get(0),
        kind: RecordKind::parse(&kind).unwrap_or(RecordKind::WorkOrder),
        estate_id: r.get(2),
        status: r.get(3),
        open: r.get(4),
        conflicted: r.get(5),
        assignee: r.get(6),
        unit_id: r.get(7),
        category: r.get(8),
        emergency: r.get(9),
        created_at: r.get(10),
        due_at: r.get(11),
        done_at: r.get(12),
        title: r.get(13),
        facts: serde_json::from_str(&facts).map_err(corrupt)?,
    })
}

/// Stores what `merged` gained over `old_heads` (a chunk, or a new
/// snapshot once enough have piled up), its query row and its next change
/// sequence; none when it gained nothing.
fn store_update(
    tx: &mut Client,
    node: &str,
    old_heads: &[automerge::ChangeHash],
    merged: &mut RecordDoc,
) -> Result<Option<i64>, AppError> {
    if sorted(merged.heads()) == sorted(old_heads.to_vec()) {
        return Ok(None);
    }
    let id = merged.id().as_str().to_owned();
    let chunks: Option<i32> = tx
        .query_opt(
            "UPDATE documents SET chunks = chunks + 1, updated_at = $2 WHERE id = $1 RETURNING chunks",
            &[&id, &now_millis()],
        )?
        .map(|r| r.get(0));
    match chunks {
        Some(n) if n <= COMPACT_AFTER_CHUNKS => {
            let chunk = merged.changes_since(old_heads);
            tx.execute(
                "INSERT INTO doc_chunks (doc_id, n, bytes) VALUES ($1, $2, $3)",
                &[&id, &n, &chunk],
            )?;
        }
        _ => write_snapshot(tx, merged)?,
    }
    write_index(tx, merged)?;
    Ok(Some(bump_seq(tx, node, merged)?))
}

impl From<AppError> for StoreError {
    fn from(e: AppError) -> Self {
        super::store_error(e)
    }
}

impl DocumentStore for PgDb {
    fn device_id(&self) -> DeviceId {
        self.device
    }

    fn device_key(&self) -> &DeviceKey {
        &self.key
    }

    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError> {
        self.read(|c| read_doc(c, self.device, id))?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError> {
        let node = self.node.clone();
        self.write(|tx| -> Result<Created, AppError> {
            lock_doc(tx, doc.id())?;
            if tx
                .query_opt(
                    "SELECT 1 FROM documents WHERE id = $1",
                    &[&doc.id().as_str()],
                )?
                .is_some()
            {
                return Ok(Created::AlreadyThere);
            }
            write_snapshot(tx, doc)?;
            write_index(tx, doc)?;
            bump_seq(tx, &node, doc)?;
            Ok(Created::New)
        })
        .map_err(Into::into)
    }

    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError> {
        let (device, node) = (self.device, self.node.clone());
        let key = self.key.clone();
        self.write(|tx| {
            // As a merge does: another process editing this record waits.
            lock_doc(tx, id)?;
            let mut doc =
                read_doc(tx, device, id)?.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            let old_heads = doc.heads();
            let mut edited = edit(doc, &key)?;
            store_update(tx, &node, &old_heads, &mut edited)?;
            Ok(())
        })
    }

    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        Ok(self.read(|c| query_rows(c, q))?)
    }

    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError> {
        Ok(self.read(|c| {
            c.query_opt(
                &format!("SELECT {COLUMNS} FROM record_index WHERE id = $1"),
                &[&id],
            )?
            .as_ref()
            .map(index_from_row)
            .transpose()
        })?)
    }

    fn last_seq(&self) -> Result<i64, StoreError> {
        Ok(self.read(|c| {
            Ok(
                c.query_one("SELECT COALESCE(MAX(seq), 0) FROM documents", &[])?
                    .get(0),
            )
        })?)
    }

    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        Ok(self.read(|c| {
            let rows = c.query(
                "SELECT id, kind, estate_id, seq FROM documents WHERE seq > $1 AND estate_id = ANY($2)
                 ORDER BY seq LIMIT $3",
                &[&seq, &estates, &(limit.min(i64::MAX as usize) as i64)],
            )?;
            rows.iter()
                .map(|r| {
                    let kind: String = r.get(1);
                    Ok(Changed {
                        id: RecordId::parse(r.get(0)).map_err(corrupt)?,
                        kind: RecordKind::parse(&kind).ok_or_else(|| corrupt(&kind))?,
                        estate_id: r.get(2),
                        seq: r.get(3),
                    })
                })
                .collect()
        })?)
    }

    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        if bytes.is_empty() {
            return Err(BlobError::Empty.into());
        }
        let hash = hash_bytes(bytes);
        self.read(|c| insert_blob(c, &hash, bytes, mime))?;
        Ok(hash)
    }

    fn begin(&mut self) -> Result<(), StoreError> {
        Ok(self.open_step()?)
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        Ok(self.close_step(true)?)
    }

    fn rollback(&mut self) -> Result<(), StoreError> {
        Ok(self.close_step(false)?)
    }
}

fn insert_blob(c: &mut Client, hash: &str, bytes: &[u8], mime: &str) -> Result<(), AppError> {
    c.execute(
        "INSERT INTO blobs (hash, mime, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hash) DO NOTHING",
        &[&hash, &mime, &(bytes.len() as i64), &bytes, &now_millis()],
    )?;
    Ok(())
}

fn query_rows(c: &mut Client, q: &Query) -> Result<Vec<IndexRow>, AppError> {
    let mut sql = format!("SELECT {COLUMNS} FROM record_index WHERE true");
    let mut args: Vec<Box<dyn ToSql + Sync>> = vec![];
    let mut add = |clause: &str, v: Box<dyn ToSql + Sync>| {
        args.push(v);
        sql.push_str(&format!(" AND {clause} ${}", args.len()));
    };
    if let Some(k) = q.kind {
        add("kind =", Box::new(k.as_str().to_owned()));
    }
    if let Some(s) = &q.status {
        add("status =", Box::new(s.clone()));
    }
    if let Some(o) = q.open {
        add("open =", Box::new(o));
    }
    if let Some(a) = &q.assignee {
        add("assignee =", Box::new(a.clone()));
    }
    if let Some(u) = &q.unit_id {
        add("unit_id =", Box::new(u.clone()));
    }
    if let Some(t) = q.due_before {
        add("due_at <", Box::new(t));
    }
    if let Some(t) = q.created_from {
        add("created_at >=", Box::new(t));
    }
    if let Some(t) = q.created_until {
        add("created_at <", Box::new(t));
    }
    if let Some(estates) = &q.estates {
        args.push(Box::new(estates.clone()));
        sql.push_str(&format!(" AND estate_id = ANY(${})", args.len()));
    }
    sql.push_str(" ORDER BY due_at IS NULL, due_at, created_at");
    if let Some(n) = q.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    c.query(&sql, &params)?.iter().map(index_from_row).collect()
}

impl SyncStore for PgDb {
    fn merge(
        &mut self,
        id: &RecordId,
        check: &mut Check<'_>,
    ) -> Result<Result<Merged, Refusal>, AppError> {
        let (device, node) = (self.device, self.node.clone());
        self.write(|tx| {
            // Another process merging this record waits here until we
            // commit, then reads what we stored: neither side's changes are
            // lost.
            lock_doc(tx, id)?;
            let existing = read_doc(tx, device, id)?;
            let mut merged = match check(existing.as_ref()) {
                Ok(m) => m,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let estate = merged.estate_id().to_owned();
            let seq = match existing {
                Some(mut old) => store_update(tx, &node, &old.heads(), &mut merged)?,
                None => {
                    write_snapshot(tx, &mut merged)?;
                    write_index(tx, &merged)?;
                    Some(bump_seq(tx, &node, &mut merged)?)
                }
            };
            Ok(Ok(Merged { estate, seq }))
        })
    }

    fn outgoing(
        &mut self,
        id: &RecordId,
        known: &[automerge::ChangeHash],
    ) -> Result<Outgoing, AppError> {
        let not_found = || AppError::NotFound(id.to_string());
        let stored: String = self
            .read(|c| {
                Ok(c.query_opt("SELECT heads FROM documents WHERE id = $1", &[&id.as_str()])?)
            })?
            .ok_or_else(not_found)?
            .get(0);
        Outgoing::from_row(
            &stored,
            known,
            || self.read(|c| read_bytes(c, id))?.ok_or_else(not_found),
            || Ok(self.load(id)?),
        )
    }

    fn has_blob(&mut self, hash: &str) -> Result<bool, AppError> {
        self.read(|c| {
            Ok(
                c.query_opt("SELECT 1 FROM blobs WHERE hash = $1", &[&hash])?
                    .is_some(),
            )
        })
    }

    fn put_blob_checked(&mut self, hash: &str, bytes: &[u8], mime: &str) -> Result<(), AppError> {
        verify(hash, bytes)?;
        self.read(|c| insert_blob(c, hash, bytes, mime))
    }

    fn blob(&mut self, hash: &str) -> Result<(Vec<u8>, String), AppError> {
        let row = self
            .read(|c| Ok(c.query_opt("SELECT bytes, mime FROM blobs WHERE hash = $1", &[&hash])?))?
            .ok_or_else(|| AppError::NotFound(hash.to_owned()))?;
        Ok((row.get(0), row.get(1)))
    }

    fn grant_blob(&mut self, hash: &str, estates: &[String]) -> Result<(), AppError> {
        self.read(|c| {
            c.execute(
                "INSERT INTO blob_estates (hash, estate_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
                &[&hash, &estates],
            )?;
            Ok(())
        })
    }

    fn blob_readable(&mut self, hash: &str, estates: &[String]) -> Result<bool, AppError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT 1 FROM blobs b JOIN blob_estates e ON e.hash = b.hash
                 WHERE b.hash = $1 AND e.estate_id = ANY($2) LIMIT 1",
                &[&hash, &estates],
            )?
            .is_some())
        })
    }
}
