//! Documents on PostgreSQL: a snapshot plus incremental chunks per record,
//! as in the embedded store, with the query row and the change sequence
//! written in the same transaction as the changes.

use postgres::types::ToSql;
use postgres::{GenericClient, Row, Transaction};
use rounds_core::blobs::verify;
use rounds_core::documents::{index_row, IndexRow, RecordDoc, RecordKind};
use rounds_core::store::{Changed, Query};
use rounds_core::sync::guard::Refusal;
use rounds_core::time::now_millis;
use rounds_core::{DeviceId, RecordId};

use super::{notify, PgDb, DOC_LOCK, SEQ_LOCK};
use crate::db::{Check, DocumentStore, Merged};
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
    let Some(row) = c.query_opt(
        "SELECT snapshot FROM documents WHERE id = $1",
        &[&id.as_str()],
    )?
    else {
        return Ok(None);
    };
    let mut bytes: Vec<u8> = row.get(0);
    // Automerge reads a snapshot followed by change chunks as one document.
    for chunk in c.query(
        "SELECT bytes FROM doc_chunks WHERE doc_id = $1 ORDER BY n",
        &[&id.as_str()],
    )? {
        bytes.extend_from_slice(chunk.get::<_, &[u8]>(0));
    }
    RecordDoc::load(&bytes, device).map(Some).map_err(corrupt)
}

fn write_index(tx: &mut Transaction<'_>, doc: &RecordDoc) -> Result<(), AppError> {
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

fn write_snapshot(tx: &mut Transaction<'_>, doc: &mut RecordDoc) -> Result<(), AppError> {
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

/// Gives the document the next change sequence and tells the other
/// processes. The lock is held to commit, so sequences commit in order.
fn bump_seq(tx: &mut Transaction<'_>, node: &str, doc: &RecordDoc) -> Result<i64, AppError> {
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&SEQ_LOCK])?;
    let seq: i64 = tx.query_one("SELECT nextval('change_seq')", &[])?.get(0);
    tx.execute(
        "UPDATE documents SET seq = $2 WHERE id = $1",
        &[&doc.id().as_str(), &seq],
    )?;
    notify::changed(tx, node, doc.estate_id(), seq)?;
    Ok(seq)
}

fn lock_doc(tx: &mut Transaction<'_>, id: &RecordId) -> Result<(), AppError> {
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

impl DocumentStore for PgDb {
    fn device_id(&self) -> DeviceId {
        self.device
    }

    fn create(&mut self, doc: &mut RecordDoc) -> Result<bool, AppError> {
        let mut tx = self.client.transaction()?;
        lock_doc(&mut tx, doc.id())?;
        if tx
            .query_opt(
                "SELECT 1 FROM documents WHERE id = $1",
                &[&doc.id().as_str()],
            )?
            .is_some()
        {
            return Ok(false);
        }
        write_snapshot(&mut tx, doc)?;
        write_index(&mut tx, doc)?;
        bump_seq(&mut tx, &self.node, doc)?;
        tx.commit()?;
        Ok(true)
    }

    fn load(&mut self, id: &RecordId) -> Result<RecordDoc, AppError> {
        read_doc(&mut self.client, self.device, id)?
            .ok_or_else(|| AppError::NotFound(id.to_string()))
    }

    fn merge(
        &mut self,
        id: &RecordId,
        check: &mut Check<'_>,
    ) -> Result<Result<Merged, Refusal>, AppError> {
        let mut tx = self.client.transaction()?;
        // Another process merging this record waits here until we commit,
        // then reads what we stored: neither side's changes are lost.
        lock_doc(&mut tx, id)?;
        let existing = read_doc(&mut tx, self.device, id)?;
        let mut merged = match check(existing.as_ref()) {
            Ok(m) => m,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let estate = merged.estate_id().to_owned();
        let old_heads = existing.map(|mut d| d.heads()).unwrap_or_default();
        if sorted(merged.heads()) == sorted(old_heads.clone()) {
            return Ok(Ok(Merged { estate, seq: None }));
        }
        let chunks: Option<i32> = tx
            .query_opt(
                "UPDATE documents SET chunks = chunks + 1, updated_at = $2 WHERE id = $1 RETURNING chunks",
                &[&id.as_str(), &now_millis()],
            )?
            .map(|r| r.get(0));
        match chunks {
            Some(n) if n <= COMPACT_AFTER_CHUNKS => {
                let chunk = merged.changes_since(&old_heads);
                tx.execute(
                    "INSERT INTO doc_chunks (doc_id, n, bytes) VALUES ($1, $2, $3)",
                    &[&id.as_str(), &n, &chunk],
                )?;
            }
            _ => write_snapshot(&mut tx, &mut merged)?,
        }
        write_index(&mut tx, &merged)?;
        let seq = bump_seq(&mut tx, &self.node, &merged)?;
        tx.commit()?;
        Ok(Ok(Merged {
            estate,
            seq: Some(seq),
        }))
    }

    fn last_seq(&mut self) -> Result<i64, AppError> {
        Ok(self
            .client
            .query_one("SELECT COALESCE(MAX(seq), 0) FROM documents", &[])?
            .get(0))
    }

    fn changed_since(
        &mut self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, AppError> {
        let rows = self.client.query(
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
    }

    fn query(&mut self, q: &Query) -> Result<Vec<IndexRow>, AppError> {
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
        self.client
            .query(&sql, &params)?
            .iter()
            .map(index_from_row)
            .collect()
    }

    fn index_row(&mut self, id: &str) -> Result<Option<IndexRow>, AppError> {
        self.client
            .query_opt(
                &format!("SELECT {COLUMNS} FROM record_index WHERE id = $1"),
                &[&id],
            )?
            .as_ref()
            .map(index_from_row)
            .transpose()
    }

    fn has_blob(&mut self, hash: &str) -> Result<bool, AppError> {
        Ok(self
            .client
            .query_opt("SELECT 1 FROM blobs WHERE hash = $1", &[&hash])?
            .is_some())
    }

    fn put_blob_checked(&mut self, hash: &str, bytes: &[u8], mime: &str) -> Result<(), AppError> {
        verify(hash, bytes)?;
        self.client.execute(
            "INSERT INTO blobs (hash, mime, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (hash) DO NOTHING",
            &[&hash, &mime, &(bytes.len() as i64), &bytes, &now_millis()],
        )?;
        Ok(())
    }

    fn blob(&mut self, hash: &str) -> Result<(Vec<u8>, String), AppError> {
        let row = self
            .client
            .query_opt("SELECT bytes, mime FROM blobs WHERE hash = $1", &[&hash])?
            .ok_or_else(|| AppError::NotFound(hash.to_owned()))?;
        Ok((row.get(0), row.get(1)))
    }

    fn grant_blob(&mut self, hash: &str, estates: &[String]) -> Result<(), AppError> {
        self.client.execute(
            "INSERT INTO blob_estates (hash, estate_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
            &[&hash, &estates],
        )?;
        Ok(())
    }

    fn blob_readable(&mut self, hash: &str, estates: &[String]) -> Result<bool, AppError> {
        Ok(self
            .client
            .query_opt(
                "SELECT 1 FROM blobs b JOIN blob_estates e ON e.hash = b.hash
                 WHERE b.hash = $1 AND e.estate_id = ANY($2) LIMIT 1",
                &[&hash, &estates],
            )?
            .is_some())
    }
}
