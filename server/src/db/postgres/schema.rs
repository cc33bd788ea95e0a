//! The PostgreSQL schema and its migrations, run once per database under an
//! advisory lock so processes starting together do not race.

use postgres::Client;
use rounds_core::signoff::DeviceKey;
use rounds_core::DeviceId;

use super::SCHEMA_LOCK;
use crate::error::AppError;

const MIGRATIONS: &[&str] = &[
    // 1: the same tables as the embedded store and accounts, with `seq` from
    // a SEQUENCE shared by every process.
    "CREATE TABLE server_identity (one integer PRIMARY KEY CHECK (one = 1), device_id text NOT NULL);
     CREATE SEQUENCE change_seq;
     CREATE TABLE documents (
        id text PRIMARY KEY, kind text NOT NULL, estate_id text NOT NULL,
        snapshot bytea NOT NULL, chunks integer NOT NULL DEFAULT 0,
        seq bigint NOT NULL, updated_at bigint NOT NULL);
     CREATE INDEX documents_estate_seq ON documents (estate_id, seq);
     CREATE INDEX documents_seq ON documents (seq);
     CREATE TABLE doc_chunks (
        doc_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n integer NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (doc_id, n));
     CREATE TABLE record_index (
        id text PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        kind text NOT NULL, estate_id text NOT NULL, status text NOT NULL,
        open boolean NOT NULL, conflicted boolean NOT NULL,
        assignee text, unit_id text, category text, emergency boolean NOT NULL,
        created_at bigint NOT NULL, due_at bigint, done_at bigint,
        title text NOT NULL, facts text NOT NULL);
     CREATE INDEX record_index_open_assignee ON record_index (kind, open, assignee);
     CREATE INDEX record_index_open_due ON record_index (kind, open, due_at);
     CREATE INDEX record_index_unit ON record_index (unit_id, created_at);
     CREATE INDEX record_index_estate_created ON record_index (estate_id, kind, created_at);
     CREATE TABLE blobs (
        hash text PRIMARY KEY, mime text NOT NULL, size bigint NOT NULL,
        bytes bytea NOT NULL, created_at bigint NOT NULL);
     CREATE TABLE staff (
        id text PRIMARY KEY, username text NOT NULL UNIQUE, name text NOT NULL,
        role text NOT NULL, password_hash text NOT NULL);
     CREATE TABLE staff_estates (
        staff_id text NOT NULL REFERENCES staff(id) ON DELETE CASCADE, estate_id text NOT NULL,
        PRIMARY KEY (staff_id, estate_id));
     CREATE TABLE devices (
        id text PRIMARY KEY, staff_id text NOT NULL REFERENCES staff(id), name text NOT NULL,
        public_key text NOT NULL, created_at bigint NOT NULL, revoked_at bigint);
     CREATE TABLE tokens (
        hash text PRIMARY KEY, device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        created_at bigint NOT NULL);
     CREATE TABLE device_docs (
        device_id text NOT NULL, doc_id text NOT NULL, known_heads text NOT NULL DEFAULT '[]',
        sent_heads text, sent_seq bigint, PRIMARY KEY (device_id, doc_id));
     CREATE INDEX device_docs_sent ON device_docs (device_id, sent_seq) WHERE sent_seq IS NOT NULL;",
    // 2: which estates may read a blob (photos are as private as the records).
    "CREATE TABLE blob_estates (hash text NOT NULL, estate_id text NOT NULL, PRIMARY KEY (hash, estate_id));",
    // 3: the server's signing key, so office edits that sign (and every
    // process) use one key, as a phone's store keeps its own.
    "ALTER TABLE server_identity ADD COLUMN signing_key bytea;",
    // 4: each document's heads in its row, so a sync answer can tell a device
    // that is up to date (or has nothing of it) without decoding it; empty
    // until the document is next written.
    "ALTER TABLE documents ADD COLUMN heads text NOT NULL DEFAULT '';",
    // 5: administering accounts: disabled accounts, passwords to change at
    // the next sign-in, each device's last sync, and the audit log.
    "ALTER TABLE staff ADD COLUMN disabled_at bigint;
     ALTER TABLE staff ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
     ALTER TABLE devices ADD COLUMN last_sync_at bigint;
     CREATE INDEX devices_staff ON devices (staff_id);
     CREATE TABLE audit_log (
        id bigserial PRIMARY KEY, at bigint NOT NULL, actor_id text NOT NULL,
        action text NOT NULL, target text NOT NULL, detail text NOT NULL);",
    // 6: which `index::ROW_VERSION` the query rows were derived by (0: unknown,
    // so a database from before this derives them again once).
    "CREATE TABLE index_meta (one integer PRIMARY KEY CHECK (one = 1), row_version bigint NOT NULL);
     INSERT INTO index_meta (one, row_version) VALUES (1, 0);",
];

pub fn migrate(client: &mut Client) -> Result<(), AppError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&SCHEMA_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS rounds_schema (version integer NOT NULL)")?;
    let found: i64 = tx
        .query_opt("SELECT version::bigint FROM rounds_schema", &[])?
        .map(|r| r.get(0))
        .unwrap_or(0);
    if found > MIGRATIONS.len() as i64 {
        return Err(AppError::Internal(format!(
            "database schema version {found} is newer than this server"
        )));
    }
    for sql in MIGRATIONS.iter().skip(found as usize) {
        tx.batch_execute(sql)?;
    }
    tx.execute("DELETE FROM rounds_schema", &[])?;
    tx.execute(
        "INSERT INTO rounds_schema (version) VALUES ($1)",
        &[&(MIGRATIONS.len() as i32)],
    )?;
    tx.commit()?;
    Ok(())
}

/// The server's own actor and signing key, made by whichever process comes
/// first.
pub fn server_identity(client: &mut Client) -> Result<(DeviceId, DeviceKey), AppError> {
    let key = DeviceKey::generate().map_err(|e| AppError::Internal(e.to_string()))?;
    client.execute(
        "INSERT INTO server_identity (one, device_id, signing_key) VALUES (1, $1, $2) ON CONFLICT (one) DO NOTHING",
        &[&DeviceId::new().to_string(), &key.to_bytes().to_vec()],
    )?;
    // A database from before migration 3 has an actor and no key yet.
    client.execute(
        "UPDATE server_identity SET signing_key = $1 WHERE one = 1 AND signing_key IS NULL",
        &[&key.to_bytes().to_vec()],
    )?;
    let row = client.query_one(
        "SELECT device_id, signing_key FROM server_identity WHERE one = 1",
        &[],
    )?;
    let id: String = row.get(0);
    let key: Vec<u8> = row.get(1);
    Ok((
        DeviceId::parse(&id).map_err(|e| AppError::Internal(e.to_string()))?,
        DeviceKey::from_bytes(&key).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}
