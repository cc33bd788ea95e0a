//! The phone's (and the server's embedded) store: documents, their query
//! tables and blobs in one SQLite file in WAL mode, encrypted on a phone
//! (`at_rest`).
//!
//! A document is kept as a snapshot plus the incremental chunks written since,
//! compacted into a new snapshot once enough chunks pile up. Every write is one
//! transaction that stores the document's new chunk and its query-table row
//! together, so a crash never leaves them apart.

mod at_rest;
mod blobs;
mod cache;
mod migrations;
mod queries;
mod seam;
mod steps;
mod sync_state;

use std::cell::RefCell;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::documents::{self, IndexRow, RecordDoc, RecordError, RecordKind};
use crate::ids::{DeviceId, RecordId};
use crate::message::{Bilingual, ErrorCode, Explain};
use crate::signoff::{DeviceKey, KeyError};
use crate::time::now_millis;

pub use at_rest::{set_aside, StoreKey};
pub use queries::Query;
pub use seam::{DocEdit, DocumentStore};
pub use steps::{Closing, Steps};
pub use sync_state::{heads_from_text, heads_to_text, Changed, Dirty, Outgoing};

/// Chunks a document may gather before it is compacted into one snapshot.
const COMPACT_AFTER_CHUNKS: i64 = 32;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum StoreError {
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Blob(#[from] crate::blobs::BlobError),
    #[error(transparent)]
    Key(#[from] KeyError),
    NotFound(String),
    BlobNotFound(String),
    FutureDatabase {
        found: i64,
        supported: i64,
    },
    /// A failure of a store other than the embedded SQLite (PostgreSQL).
    Backend(String),
    /// The file does not read with the key given (or with none): a wrong or
    /// lost key, an encrypted store opened without one, or not a database.
    WrongKey,
    KeyLength {
        found: usize,
    },
    /// This build's SQLite cannot encrypt (SQLCipher is not linked).
    NoEncryption,
    /// A plain store to encrypt is open in another session.
    InUse,
    /// The encrypted copy of a plain store did not read back the same; the
    /// plain store is kept as it was.
    CopyDiffers,
    File(#[from] std::io::Error),
}

impl Explain for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::Sqlite(_)
            | StoreError::Backend(_)
            | StoreError::NoEncryption
            | StoreError::InUse
            | StoreError::CopyDiffers
            | StoreError::File(_) => ErrorCode::Internal,
            StoreError::WrongKey => ErrorCode::WrongStoreKey,
            StoreError::KeyLength { .. } => ErrorCode::Invalid,
            StoreError::Record(e) => e.code(),
            StoreError::Blob(e) => e.code(),
            StoreError::Key(e) => e.code(),
            StoreError::NotFound(_) | StoreError::BlobNotFound(_) => ErrorCode::NotFound,
            StoreError::FutureDatabase { .. } => ErrorCode::FutureSchema,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            StoreError::Sqlite(e) => {
                Bilingual::new(format!("数据库错误:{e}"), format!("database error: {e}"))
            }
            StoreError::Backend(e) => {
                Bilingual::new(format!("数据库错误:{e}"), format!("database error: {e}"))
            }
            StoreError::Record(e) => e.message(),
            StoreError::Blob(e) => e.message(),
            StoreError::Key(e) => e.message(),
            StoreError::NotFound(id) => {
                Bilingual::new(format!("找不到记录 {id}"), format!("no record {id}"))
            }
            StoreError::BlobNotFound(hash) => Bilingual::new(
                format!("找不到文件 {hash}"),
                format!("no photo or signature {hash}"),
            ),
            StoreError::FutureDatabase { found, supported } => Bilingual::new(
                format!("数据库版本 {found} 比本应用新({supported}),请升级"),
                format!("the database is from a newer release (version {found}, this one reads {supported})"),
            ),
            StoreError::WrongKey => Bilingual::new(
                "无法打开本机数据:密钥不对,或不是 Rounds 数据库",
                "cannot open this phone's data: wrong key or not a Rounds store",
            ),
            StoreError::KeyLength { found } => Bilingual::new(
                format!("数据库密钥应为 32 字节,收到 {found} 字节"),
                format!("the store key must be 32 bytes, not {found}"),
            ),
            StoreError::NoEncryption => Bilingual::new(
                "此版本不能加密本机数据(未包含 SQLCipher)",
                "this build cannot encrypt the phone's data (SQLCipher is not linked)",
            ),
            StoreError::InUse => Bilingual::new(
                "本机数据正在另一个会话中使用,请关闭后重试",
                "the phone's data is open in another session; close it and try again",
            ),
            StoreError::CopyDiffers => Bilingual::new(
                "加密本机数据时副本与原数据不符,原数据未改动",
                "the encrypted copy of the phone's data differs from it; the data is kept as it was",
            ),
            StoreError::File(e) => {
                Bilingual::new(format!("文件错误:{e}"), format!("file error: {e}"))
            }
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            StoreError::Record(e) => e.field(),
            StoreError::Blob(e) => e.field(),
            StoreError::KeyLength { .. } => Some("store_key".into()),
            _ => None,
        }
    }
}

/// Documents kept loaded between edits.
const CACHED_DOCUMENTS: usize = 128;

pub struct Store {
    conn: Connection,
    device: DeviceId,
    key: DeviceKey,
    cache: RefCell<cache::DocCache>,
    /// Open write steps: the outermost is a transaction, inner ones savepoints.
    steps: Steps,
}

/// What `create` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New,
    /// A record with this id was already stored (a retried creation): kept as is.
    AlreadyThere,
}

impl Store {
    /// Opens (or makes) an unencrypted store: the server's, and simulated
    /// phones'. An encrypted one fails as [`StoreError::WrongKey`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // SQLCipher's build keeps temporary tables in memory, so nothing of
        // an encrypted store spills to disk in the clear; a plain store keeps
        // SQLite's usual temporary files, as before SQLCipher was linked.
        conn.pragma_update(None, "temp_store", "FILE")?;
        Self::setup(conn)
    }

    /// Opens (or makes) a phone's store encrypted under `key`. A plain store
    /// left by an earlier release is encrypted first, in place. A wrong key,
    /// or an encrypted file of another phone, is [`StoreError::WrongKey`],
    /// and the file is left untouched.
    pub fn open_encrypted(path: impl AsRef<Path>, key: &StoreKey) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if at_rest::is_plain(path)? {
            at_rest::encrypt_plain(path, key)?;
        }
        let conn = Connection::open(path)?;
        at_rest::unlock(&conn, key)?;
        Self::setup(conn)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self, StoreError> {
        at_rest::check_readable(&conn)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        let (device, key) = Self::identity(&mut conn)?;
        refresh_index(&mut conn, device)?;
        Ok(Store {
            conn,
            device,
            key,
            cache: RefCell::new(cache::DocCache::new(CACHED_DOCUMENTS)),
            // IMMEDIATE: take the write lock now, so a step that reads first
            // never fails later because another connection wrote meanwhile.
            steps: Steps::new("BEGIN IMMEDIATE"),
        })
    }

    /// This device's id and signing key, made on first open and kept.
    fn identity(conn: &mut Connection) -> Result<(DeviceId, DeviceKey), StoreError> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(String, Vec<u8>)> = tx
            .query_row(
                "SELECT device_id, signing_key FROM device WHERE one = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let identity = match found {
            Some((id, key)) => (
                DeviceId::parse(&id).map_err(|e| RecordError::Malformed(e.to_string()))?,
                DeviceKey::from_bytes(&key)?,
            ),
            None => {
                let (id, key) = (DeviceId::new(), DeviceKey::generate()?);
                tx.execute(
                    "INSERT INTO device (one, device_id, signing_key) VALUES (1, ?1, ?2)",
                    params![id.to_string(), key.to_bytes().to_vec()],
                )?;
                (id, key)
            }
        };
        tx.commit()?;
        Ok(identity)
    }

    pub fn device_id(&self) -> DeviceId {
        self.device
    }

    pub fn device_key(&self) -> &DeviceKey {
        &self.key
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` as one write step: a transaction of its own, or a savepoint
    /// inside the step a caller opened with [`DocumentStore::begin`].
    fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.open_step()?;
        match f(&self.conn) {
            Ok(out) => {
                self.close_step(true)?;
                Ok(out)
            }
            Err(e) => {
                let _ = self.close_step(false);
                Err(e)
            }
        }
    }

    fn open_step(&self) -> Result<(), StoreError> {
        let sql = self.steps.open();
        self.conn
            .execute_batch(&sql)
            .inspect_err(|_| self.steps.undo_open())?;
        Ok(())
    }

    fn close_step(&self, keep: bool) -> Result<(), StoreError> {
        let closing = self.steps.close(keep)?;
        let done = self.conn.execute_batch(&closing.sql);
        if !keep || done.is_err() {
            // Documents cached by the undone writes no longer match the disk.
            self.cache.borrow_mut().clear();
        }
        if done.is_err() && closing.outermost {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        Ok(done?)
    }

    /// Applies changes that arrived from elsewhere (sync). A record not yet
    /// stored is created from them. Corrupt bytes, or bytes for another record,
    /// are refused and leave the store as it was.
    pub fn apply_changes(
        &mut self,
        id: &RecordId,
        changes: &[u8],
    ) -> Result<RecordDoc, StoreError> {
        let (doc, version) =
            self.write(|tx| match take_doc(tx, &self.cache, self.device, id)? {
                Some(mut doc) => {
                    doc.apply(changes)?;
                    let (changed, version) = store_changes(tx, &mut doc)?;
                    if changed {
                        mark_changed(tx, id, false)?;
                    }
                    Ok((doc, version))
                }
                None => {
                    let mut doc = RecordDoc::load(changes, self.device)?;
                    if doc.id() != id {
                        return Err(RecordError::Mismatch {
                            expected: id.to_string(),
                            found: doc.id().to_string(),
                        }
                        .into());
                    }
                    let version = store_new(tx, &mut doc)?;
                    mark_changed(tx, id, false)?;
                    Ok((doc, version))
                }
            })?;
        self.cache
            .borrow_mut()
            .put(id.as_str(), version, doc.clone());
        Ok(doc)
    }

    /// Stores a record merged and checked elsewhere (the server's sync),
    /// exactly as checked: the changes it gained since it was loaded from
    /// this store, or the whole record if it is new here. Returns whether
    /// anything was new.
    pub fn store_merged(&mut self, doc: &mut RecordDoc) -> Result<bool, StoreError> {
        let (changed, version) = self.write(|tx| {
            let (changed, version) = match version_if_stored(tx, doc.id())? {
                None => (true, store_new(tx, doc)?),
                Some(_) => store_changes(tx, doc)?,
            };
            if changed {
                mark_changed(tx, doc.id(), false)?;
            }
            Ok((changed, version))
        })?;
        // A record new here was built from the sender's changes under the
        // sender's actor; the copy kept for this store's own edits writes as
        // this store, or its next change would reuse the sender's next seq.
        let mut cached = doc.clone();
        cached.write_as(self.device);
        self.cache
            .borrow_mut()
            .put(doc.id().as_str(), version, cached);
        Ok(changed)
    }

    /// Rewrites a document as one snapshot.
    pub fn compact(&mut self, id: &RecordId) -> Result<(), StoreError> {
        let (doc, version) = self.write(|tx| {
            let mut doc = take_doc(tx, &self.cache, self.device, id)?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            let snapshot = doc.save();
            let version = write_snapshot(tx, &doc, &snapshot)?;
            Ok((doc, version))
        })?;
        self.cache.borrow_mut().put(id.as_str(), version, doc);
        Ok(())
    }

    /// Checks that every document loads and its query row matches it; returns
    /// what does not.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = vec![];
        let mut stmt = self.conn.prepare("SELECT id FROM documents ORDER BY id")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in ids {
            let rid = RecordId::parse(&id).map_err(|e| RecordError::Malformed(e.to_string()))?;
            match read_doc(&self.conn, self.device, &rid) {
                Err(e) => problems.push(format!("{id}: {e}")),
                Ok(doc) => {
                    let expected = documents::index_row(&doc)?;
                    match queries::row(&self.conn, &id)? {
                        Some(row) if row == expected => {}
                        Some(row) => problems.push(format!(
                            "{id}: index says {}, document says {}",
                            row.status, expected.status
                        )),
                        None => problems.push(format!("{id}: no index row")),
                    }
                }
            }
        }
        Ok(problems)
    }

    /// Ids and kinds of every stored record, for sync.
    pub fn record_ids(&self) -> Result<Vec<(RecordId, RecordKind)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind FROM documents ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = vec![];
        for row in rows {
            let (id, kind) = row?;
            let id = RecordId::parse(&id).map_err(|e| RecordError::Malformed(e.to_string()))?;
            let kind = RecordKind::parse(&kind).ok_or(RecordError::UnknownKind(kind))?;
            out.push((id, kind));
        }
        Ok(out)
    }
}

pub(crate) fn read_bytes(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(mut bytes): Option<Vec<u8>> = conn
        .query_row("SELECT snapshot FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
    else {
        return Ok(None);
    };
    // Automerge reads a snapshot followed by change chunks as one document.
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    for chunk in stmt.query_map([id], |r| r.get::<_, Vec<u8>>(0))? {
        bytes.extend_from_slice(&chunk?);
    }
    Ok(Some(bytes))
}

/// Writes a whole snapshot in place of the document's chunks; returns the
/// row's new version.
fn write_snapshot(conn: &Connection, doc: &RecordDoc, snapshot: &[u8]) -> Result<i64, StoreError> {
    let version = conn.prepare_cached(
        "INSERT INTO documents (id, kind, estate_id, snapshot, chunks, updated_at, version, heads) VALUES (?1, ?2, ?3, ?4, 0, ?5, 1, ?6)
         ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot, chunks = 0, updated_at = excluded.updated_at,
            version = documents.version + 1, heads = excluded.heads
         RETURNING version",
    )?
    .query_row(
        params![
            doc.id().as_str(),
            doc.kind().as_str(),
            doc.estate_id(),
            snapshot,
            now_millis(),
            heads_to_text(doc.saved_heads())
        ],
        |r| r.get(0),
    )?;
    conn.prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1")?
        .execute([doc.id().as_str()])?;
    Ok(version)
}

/// Writes a record not stored before, whole, with its query row.
fn store_new(conn: &Connection, doc: &mut RecordDoc) -> Result<i64, StoreError> {
    let snapshot = doc.save();
    let version = write_snapshot(conn, doc, &snapshot)?;
    write_index(conn, doc)?;
    Ok(version)
}

fn read_doc(conn: &Connection, device: DeviceId, id: &RecordId) -> Result<RecordDoc, StoreError> {
    let bytes =
        read_bytes(conn, id.as_str())?.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    Ok(RecordDoc::load(&bytes, device)?)
}

/// The document for an edit inside `conn`'s transaction: the cached one if
/// it is current (taken out until the edit commits), else read from disk.
fn take_doc(
    conn: &Connection,
    cache: &RefCell<cache::DocCache>,
    device: DeviceId,
    id: &RecordId,
) -> Result<Option<RecordDoc>, StoreError> {
    let Some(version) = version_if_stored(conn, id)? else {
        return Ok(None);
    };
    match cache.borrow_mut().take(id.as_str(), version) {
        Some(doc) => Ok(Some(doc)),
        None => read_doc(conn, device, id).map(Some),
    }
}

fn version_if_stored(conn: &Connection, id: &RecordId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT version FROM documents WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?)
}

fn version_of(conn: &Connection, id: &RecordId) -> Result<i64, StoreError> {
    version_if_stored(conn, id)?.ok_or_else(|| StoreError::NotFound(id.to_string()))
}

/// Gives a changed document the next store-wide sequence number, and marks a
/// local edit as not yet synced, inside the caller's transaction.
fn mark_changed(conn: &Connection, id: &RecordId, local: bool) -> Result<(), StoreError> {
    let seq: i64 = conn
        .prepare_cached(
            "UPDATE sync_meta SET last_seq = last_seq + 1 WHERE one = 1 RETURNING last_seq",
        )?
        .query_row([], |r| r.get(0))?;
    conn.prepare_cached("UPDATE documents SET seq = ?2 WHERE id = ?1")?
        .execute(params![id.as_str(), seq])?;
    // Set only when it changes: setting it rewrites its index entry.
    if local {
        conn.prepare_cached("UPDATE documents SET dirty = 1 WHERE id = ?1 AND dirty = 0")?
            .execute([id.as_str()])?;
    }
    Ok(())
}

/// Appends the document's unsaved changes as a chunk (or compacts) and
/// refreshes its query row, inside the caller's transaction. Returns whether
/// there was anything new, and the row's version now.
fn store_changes(conn: &Connection, doc: &mut RecordDoc) -> Result<(bool, i64), StoreError> {
    let chunk = doc.save_incremental();
    let changed = !chunk.is_empty();
    let version = if !changed {
        version_of(conn, doc.id())?
    } else {
        let (chunks, version): (i64, i64) = conn
            .prepare_cached(
                "UPDATE documents SET chunks = chunks + 1, updated_at = ?2, version = version + 1, heads = ?3
                 WHERE id = ?1 RETURNING chunks, version",
            )?
            .query_row(
                params![doc.id().as_str(), now_millis(), heads_to_text(doc.saved_heads())],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
        if chunks > COMPACT_AFTER_CHUNKS {
            let snapshot = doc.save();
            write_snapshot(conn, doc, &snapshot)?
        } else {
            conn.prepare_cached("INSERT INTO doc_chunks (doc_id, seq, bytes) VALUES (?1, ?2, ?3)")?
                .execute(params![doc.id().as_str(), chunks, chunk])?;
            version
        }
    };
    write_index(conn, doc)?;
    Ok((changed, version))
}

fn write_index(conn: &Connection, doc: &RecordDoc) -> Result<(), StoreError> {
    queries::write_row(conn, &documents::index_row(doc)?)
}

/// Derives every query row again when they were written by an older
/// [`documents::index::ROW_VERSION`], in one transaction: the lists never
/// show a mix of old and new rows.
fn refresh_index(conn: &mut Connection, device: DeviceId) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let written: i64 = tx.query_row(
        "SELECT row_version FROM index_meta WHERE one = 1",
        [],
        |r| r.get(0),
    )?;
    if written >= documents::index::ROW_VERSION {
        return Ok(());
    }
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM documents")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        let id = RecordId::parse(&id).map_err(|e| RecordError::Malformed(e.to_string()))?;
        write_index(&tx, &read_doc(&tx, device, &id)?)?;
    }
    tx.execute(
        "UPDATE index_meta SET row_version = ?1 WHERE one = 1",
        [documents::index::ROW_VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

impl DocumentStore for Store {
    fn device_id(&self) -> DeviceId {
        self.device
    }

    fn device_key(&self) -> &DeviceKey {
        &self.key
    }

    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError> {
        let version = version_of(&self.conn, id)?;
        if let Some(doc) = self.cache.borrow().get(id.as_str(), version) {
            return Ok(doc.clone());
        }
        let doc = read_doc(&self.conn, self.device, id)?;
        self.cache
            .borrow_mut()
            .put(id.as_str(), version, doc.clone());
        Ok(doc)
    }

    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError> {
        let version = self.write(|tx| {
            if version_if_stored(tx, doc.id())?.is_some() {
                return Ok(None);
            }
            let version = store_new(tx, doc)?;
            mark_changed(tx, doc.id(), true)?;
            Ok(Some(version))
        })?;
        let Some(version) = version else {
            return Ok(Created::AlreadyThere);
        };
        // A new record is opened and edited next.
        self.cache
            .borrow_mut()
            .put(doc.id().as_str(), version, doc.clone());
        Ok(Created::New)
    }

    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError> {
        let (doc, version) = self.write(|tx| {
            let doc = take_doc(tx, &self.cache, self.device, id)?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            // A refused edit rolls its own operations back, but the document
            // is not put back in the cache until a commit says it matches
            // the disk.
            let mut doc = edit(doc, &self.key)?;
            let (changed, version) = store_changes(tx, &mut doc)?;
            if changed {
                mark_changed(tx, id, true)?;
            }
            Ok((doc, version))
        })?;
        self.cache.borrow_mut().put(id.as_str(), version, doc);
        Ok(())
    }

    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        Store::query(self, q)
    }

    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError> {
        queries::row(&self.conn, id)
    }

    fn last_seq(&self) -> Result<i64, StoreError> {
        Store::last_seq(self)
    }

    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        Store::changed_since(self, seq, estates, limit)
    }

    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        Store::put_blob(self, bytes, mime)
    }

    fn begin(&mut self) -> Result<(), StoreError> {
        self.open_step()
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        self.close_step(true)
    }

    fn rollback(&mut self) -> Result<(), StoreError> {
        self.close_step(false)
    }
}
