//! Schema migrations, from the first release on: `user_version` says which
//! have run; each runs once, in its own transaction.

use rusqlite::Connection;

use super::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: documents, their chunks, the query table, blobs, this device.
    "CREATE TABLE device (one INTEGER PRIMARY KEY CHECK (one = 1), device_id TEXT NOT NULL, signing_key BLOB NOT NULL);
     CREATE TABLE documents (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, estate_id TEXT NOT NULL,
        snapshot BLOB NOT NULL, chunks INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,
        -- bumped by every write, so a cached copy knows when it is stale
        version INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE doc_chunks (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (doc_id, seq));
     CREATE TABLE record_index (
        id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, estate_id TEXT NOT NULL, status TEXT NOT NULL,
        open INTEGER NOT NULL, conflicted INTEGER NOT NULL,
        assignee TEXT, unit_id TEXT, category TEXT, emergency INTEGER NOT NULL,
        created_at INTEGER NOT NULL, due_at INTEGER, done_at INTEGER,
        title TEXT NOT NULL, facts TEXT NOT NULL);
     CREATE INDEX record_index_open_assignee ON record_index (kind, open, assignee);
     CREATE INDEX record_index_open_due ON record_index (kind, open, due_at);
     CREATE INDEX record_index_unit ON record_index (unit_id, created_at);
     CREATE INDEX record_index_estate_created ON record_index (estate_id, kind, created_at);
     CREATE TABLE blobs (
        hash TEXT PRIMARY KEY, mime TEXT NOT NULL, size INTEGER NOT NULL,
        bytes BLOB NOT NULL, created_at INTEGER NOT NULL);",
    // 2: sync. `seq` is a store-wide change counter bumped on every write that
    // changes a document (the server answers "what changed since N" from it);
    // `dirty` marks local edits not yet accepted by the server; `synced_heads`
    // are the heads both sides had at the last sync; `cursor` is the server
    // sequence this device last fully received.
    "ALTER TABLE documents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE documents ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE documents ADD COLUMN synced_heads TEXT NOT NULL DEFAULT '[]';
     UPDATE documents SET dirty = 1;
     CREATE INDEX documents_estate_seq ON documents (estate_id, seq);
     CREATE INDEX documents_dirty ON documents (dirty) WHERE dirty = 1;
     CREATE TABLE sync_meta (
        one INTEGER PRIMARY KEY CHECK (one = 1), last_seq INTEGER NOT NULL, cursor INTEGER NOT NULL);
     INSERT INTO sync_meta (one, last_seq, cursor) VALUES (1, 0, 0);",
    // 3: the heads each document is stored at, so sync can tell what a device
    // lacks, and send it, without decoding the document ('' = not yet known:
    // written by the next change).
    "ALTER TABLE documents ADD COLUMN heads TEXT NOT NULL DEFAULT '';",
    // 4: lists of due records (overdue, revisits due) come out of the index in
    // their order, due time then creation, instead of being sorted.
    "DROP INDEX record_index_open_due;
     CREATE INDEX record_index_open_due_created ON record_index (kind, open, due_at, created_at);",
    // 5: which `index::ROW_VERSION` the rows were derived by (0: unknown, so
    // a store from before this derives them again once).
    "CREATE TABLE index_meta (one INTEGER PRIMARY KEY CHECK (one = 1), row_version INTEGER NOT NULL);
     INSERT INTO index_meta (one, row_version) VALUES (1, 0);",
];

pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::FutureDatabase {
            found,
            supported: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
