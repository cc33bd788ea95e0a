//! The server's own tables, beside the document store: staff and their
//! passwords and estates, devices and their tokens, and what each device is
//! known to hold of each document (its sync state).

use automerge::ChangeHash;
use rounds_core::store::{heads_from_text, heads_to_text};

use crate::db::Delivery;
use rounds_core::{DeviceId, Role, Staff};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::AppError;

const MIGRATIONS: &[&str] = &[
    // 1: accounts, devices, tokens, per-device sync state.
    "CREATE TABLE staff (
        id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        role TEXT NOT NULL, password_hash TEXT NOT NULL);
     CREATE TABLE staff_estates (
        staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE, estate_id TEXT NOT NULL,
        PRIMARY KEY (staff_id, estate_id));
     CREATE TABLE devices (
        id TEXT PRIMARY KEY, staff_id TEXT NOT NULL REFERENCES staff(id), name TEXT NOT NULL,
        public_key TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
     CREATE TABLE tokens (
        hash TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL);
     -- known_heads: what the device is known to hold. sent_*: what an answer
     -- carried, made known once a later request's cursor confirms delivery.
     CREATE TABLE device_docs (
        device_id TEXT NOT NULL, doc_id TEXT NOT NULL, known_heads TEXT NOT NULL DEFAULT '[]',
        sent_heads TEXT, sent_seq INTEGER, PRIMARY KEY (device_id, doc_id));
     CREATE INDEX device_docs_sent ON device_docs (device_id, sent_seq) WHERE sent_seq IS NOT NULL;",
    // 2: which estates may read a blob (photos are as private as the records).
    "CREATE TABLE blob_estates (hash TEXT NOT NULL, estate_id TEXT NOT NULL, PRIMARY KEY (hash, estate_id));",
];

pub struct Accounts {
    conn: Connection,
}

/// A device signed in with a live token.
#[derive(Debug, Clone)]
pub struct DeviceLogin {
    pub device: DeviceId,
    pub staff: Staff,
}

/// Whether a sign-in as `staff_id` presenting `public_key` may use a device
/// registered to `owner` with `key` (the same rule on both backends).
pub(crate) fn check_device(
    staff_id: &str,
    public_key: &str,
    owner: &str,
    key: &str,
    revoked: Option<i64>,
) -> Result<(), AppError> {
    if revoked.is_some() {
        return Err(AppError::DeviceRevoked);
    }
    if owner != staff_id {
        return Err(AppError::DeviceTaken);
    }
    if key != public_key {
        return Err(AppError::DeviceKeyChanged);
    }
    Ok(())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Accounts {
    pub fn open(path: &std::path::Path) -> Result<Self, AppError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > MIGRATIONS.len() as i64 {
            return Err(AppError::Internal(format!(
                "server database version {found} is newer than this server"
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(Accounts { conn })
    }

    pub fn staff_count(&self) -> Result<i64, AppError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM staff", [], |r| r.get(0))?)
    }

    /// Adds (or replaces) a member of staff with an already hashed password.
    pub fn put_staff(
        &mut self,
        staff: &Staff,
        username: &str,
        password_hash: &str,
    ) -> Result<(), AppError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO staff (id, username, name, role, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET username = ?2, name = ?3, role = ?4, password_hash = ?5",
            params![staff.id, username, staff.name, staff.role.as_str(), password_hash],
        )?;
        tx.execute("DELETE FROM staff_estates WHERE staff_id = ?1", [&staff.id])?;
        for e in &staff.estates {
            tx.execute(
                "INSERT INTO staff_estates (staff_id, estate_id) VALUES (?1, ?2)",
                params![staff.id, e],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn give_estate(&self, staff_id: &str, estate: &str) -> Result<(), AppError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO staff_estates (staff_id, estate_id) VALUES (?1, ?2)",
            params![staff_id, estate],
        )?;
        Ok(())
    }

    pub fn staff(&self, id: &str) -> Result<Option<Staff>, AppError> {
        let Some((name, role)) = self
            .conn
            .query_row("SELECT name, role FROM staff WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?
        else {
            return Ok(None);
        };
        let role =
            Role::parse(&role).ok_or_else(|| AppError::Internal(format!("unknown role {role}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT estate_id FROM staff_estates WHERE staff_id = ?1 ORDER BY estate_id",
        )?;
        let estates = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(Staff {
            id: id.into(),
            name,
            role,
            estates,
        }))
    }

    /// The staff id and password hash for a username.
    pub fn password_of(&self, username: &str) -> Result<Option<(String, String)>, AppError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, password_hash FROM staff WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Binds a device to the staff member and gives it a fresh token (its
    /// earlier tokens stop working). A device id belongs to whoever first
    /// signed in with it, with the public key it first presented: another
    /// member of staff is refused (`DeviceTaken`), and so is another key
    /// (`DeviceKeyChanged`: a reinstalled app is a new device). A revoked
    /// device cannot sign in again.
    pub fn sign_in(
        &mut self,
        staff_id: &str,
        device: DeviceId,
        name: &str,
        public_key: &str,
        token: &str,
    ) -> Result<Staff, AppError> {
        let device = device.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // The first sign-in registers the device; later ones must match it.
        tx.execute(
            "INSERT INTO devices (id, staff_id, name, public_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO NOTHING",
            params![device, staff_id, name, public_key, now()],
        )?;
        let (owner, key, revoked): (String, String, Option<i64>) = tx.query_row(
            "SELECT staff_id, public_key, revoked_at FROM devices WHERE id = ?1",
            [&device],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        check_device(staff_id, public_key, &owner, &key, revoked)?;
        tx.execute(
            "UPDATE devices SET name = ?2 WHERE id = ?1",
            params![device, name],
        )?;
        tx.execute("DELETE FROM tokens WHERE device_id = ?1", [&device])?;
        tx.execute(
            "INSERT INTO tokens (hash, device_id, created_at) VALUES (?1, ?2, ?3)",
            params![token_hash(token), device, now()],
        )?;
        tx.commit()?;
        self.staff(staff_id)?
            .ok_or_else(|| AppError::Internal("staff vanished".into()))
    }

    /// The public key (hex) a device registered with; none for an unknown
    /// device or one that signs nothing (a browser). A revoked device keeps
    /// its key, so what it signed before can still be checked.
    pub fn device_key(&self, device: DeviceId) -> Result<Option<String>, AppError> {
        let key: Option<String> = self
            .conn
            .query_row(
                "SELECT public_key FROM devices WHERE id = ?1",
                [device.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(key.filter(|k| !k.is_empty()))
    }

    /// The live device behind a bearer token.
    pub fn authenticate(&self, token: &str) -> Result<DeviceLogin, AppError> {
        let found: Option<(String, String, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT d.id, d.staff_id, d.revoked_at FROM tokens t JOIN devices d ON d.id = t.device_id WHERE t.hash = ?1",
                [token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (device, staff_id, revoked) = found.ok_or(AppError::Unauthenticated)?;
        if revoked.is_some() {
            return Err(AppError::DeviceRevoked);
        }
        let device = DeviceId::parse(&device).map_err(|e| AppError::Internal(e.to_string()))?;
        let staff = self.staff(&staff_id)?.ok_or(AppError::Unauthenticated)?;
        Ok(DeviceLogin { device, staff })
    }

    /// The staff member a device belongs to.
    pub fn device_owner(&self, device: &str) -> Result<Option<Staff>, AppError> {
        let owner: Option<String> = self
            .conn
            .query_row(
                "SELECT staff_id FROM devices WHERE id = ?1",
                [device],
                |r| r.get(0),
            )
            .optional()?;
        match owner {
            Some(id) => self.staff(&id),
            None => Ok(None),
        }
    }

    /// Its token is kept, so the device hears "revoked" rather than "sign in".
    pub fn revoke(&mut self, device: &str) -> Result<(), AppError> {
        self.conn.execute(
            "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![device, now()],
        )?;
        Ok(())
    }

    /// What the device is known to hold of a document (empty: nothing).
    /// What was sent up to `confirmed` counts as held.
    pub fn known_heads(
        &self,
        device: DeviceId,
        doc: &str,
        confirmed: u64,
    ) -> Result<Vec<ChangeHash>, AppError> {
        let text: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT CASE WHEN sent_seq IS NOT NULL AND sent_seq <= ?3 THEN sent_heads
                        ELSE known_heads END
                 FROM device_docs WHERE device_id = ?1 AND doc_id = ?2",
            )?
            .query_row(params![device.to_string(), doc, confirmed as i64], |r| {
                r.get(0)
            })
            .optional()?;
        text.map(|t| heads_from_text(&t).map_err(|e| AppError::Internal(e.to_string())))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// One round's bookkeeping in one transaction (one commit to disk).
    /// What the device sent is known first, then what the answer carries.
    pub fn record_delivery(&mut self, device: DeviceId, round: &Delivery) -> Result<(), AppError> {
        let device = device.to_string();
        let tx = self.conn.transaction()?;
        {
            tx.prepare_cached(CONFIRM_DELIVERED)?
                .execute(params![device, round.confirmed as i64])?;
            let mut known = tx.prepare_cached(
                "INSERT INTO device_docs (device_id, doc_id, known_heads) VALUES (?1, ?2, ?3)
             ON CONFLICT(device_id, doc_id) DO UPDATE SET known_heads = ?3, sent_heads = NULL, sent_seq = NULL",
            )?;
            for (doc, heads) in &round.known {
                known.execute(params![device, doc, heads_to_text(heads)])?;
            }
            let mut sent = tx.prepare_cached(
                "INSERT INTO device_docs (device_id, doc_id, sent_heads, sent_seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(device_id, doc_id) DO UPDATE SET sent_heads = ?3, sent_seq = ?4",
            )?;
            for (doc, heads, seq) in &round.sent {
                sent.execute(params![device, doc, heads_to_text(heads), seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// The device's cursor says it received everything up to ?2: what was sent
/// up to there is now known to be held.
const CONFIRM_DELIVERED: &str =
    "UPDATE device_docs SET known_heads = sent_heads, sent_heads = NULL, sent_seq = NULL
     WHERE device_id = ?1 AND sent_seq IS NOT NULL AND sent_seq <= ?2";

impl Accounts {
    /// Lets staff of `estates` read a blob.
    pub fn grant_blob(&self, hash: &str, estates: &[String]) -> Result<(), AppError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO blob_estates (hash, estate_id) VALUES (?1, ?2)",
        )?;
        for e in estates {
            stmt.execute(params![hash, e])?;
        }
        Ok(())
    }

    /// Granted to one of `estates`.
    pub fn blob_granted(&self, hash: &str, estates: &[String]) -> Result<bool, AppError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM blob_estates WHERE hash = ?1 AND estate_id = ?2)",
        )?;
        for e in estates {
            if stmt.query_row(params![hash, e], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Everyone assigned to an estate, for revisit quotas in the monthly report.
    pub fn staff_of_estate(&self, estate: &str) -> Result<Vec<(String, Role)>, AppError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.role FROM staff s JOIN staff_estates e ON e.staff_id = s.id WHERE e.estate_id = ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([estate], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = vec![];
        for row in rows {
            let (id, role) = row?;
            if let Some(role) = Role::parse(&role) {
                out.push((id, role));
            }
        }
        Ok(out)
    }
}
