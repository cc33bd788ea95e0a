//! The server's own tables, beside the document store: staff and their
//! passwords and estates, devices and their tokens, and what each device is
//! known to hold of each document (its sync state).

use automerge::ChangeHash;
use rounds_core::store::{heads_from_text, heads_to_text};

use crate::db::admin::{
    keep_a_director, staff_not_found, username_taken, Account, AccountChange, AccountRows,
    AuditEntry, AuditRow, DeviceInfo, Standing,
};
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
    // 3: administering accounts: disabled accounts, passwords to change at
    // the next sign-in, each device's last sync, and the audit log.
    "ALTER TABLE staff ADD COLUMN disabled_at INTEGER;
     ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE devices ADD COLUMN last_sync_at INTEGER;
     CREATE INDEX devices_staff ON devices (staff_id);
     CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor_id TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);",
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

/// Whether a token's device and account still let it work (both backends).
pub(crate) fn check_session(revoked: Option<i64>, disabled: Option<i64>) -> Result<(), AppError> {
    if disabled.is_some() {
        return Err(AppError::AccountDisabled);
    }
    if revoked.is_some() {
        return Err(AppError::DeviceRevoked);
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
        set_estates(&tx, staff)?;
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
        let found: Option<(String, String, Option<i64>, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT d.id, d.staff_id, d.revoked_at, s.disabled_at FROM tokens t
                 JOIN devices d ON d.id = t.device_id JOIN staff s ON s.id = d.staff_id
                 WHERE t.hash = ?1",
                [token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (device, staff_id, revoked, disabled) = found.ok_or(AppError::Unauthenticated)?;
        check_session(revoked, disabled)?;
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
        revoke_device(&self.conn, device)
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
            tx.prepare_cached("UPDATE devices SET last_sync_at = ?2 WHERE id = ?1")?
                .execute(params![device, now()])?;
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

fn revoke_device(conn: &Connection, device: &str) -> Result<(), AppError> {
    conn.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![device, now()],
    )?;
    Ok(())
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

/// Administering accounts (`crate::db::admin`).
impl Accounts {
    pub fn apply(
        &mut self,
        change: &AccountChange,
        audit: &AuditEntry,
    ) -> Result<Vec<String>, AppError> {
        // Immediate: the last-director check and the change see one state.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ended = apply_change(&tx, change)?;
        insert_audit(&tx, audit)?;
        tx.commit()?;
        Ok(ended)
    }

    pub fn record_audit(&self, entry: &AuditEntry) -> Result<(), AppError> {
        insert_audit(&self.conn, entry)
    }

    pub fn audit_log(&self, before: Option<i64>, limit: i64) -> Result<Vec<AuditRow>, AppError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.at, a.actor_id, COALESCE(s.name, ''), a.action, a.target, a.detail
             FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id
             WHERE ?1 IS NULL OR a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![before, limit], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                actor_name: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                detail: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn accounts(&self) -> Result<Vec<Account>, AppError> {
        let staff = self
            .conn
            .prepare_cached(
                "SELECT id, username, name, role, disabled_at IS NOT NULL, must_change_password
                 FROM staff ORDER BY username",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let estates = self
            .conn
            .prepare_cached("SELECT staff_id, estate_id FROM staff_estates ORDER BY estate_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let devices = self
            .conn
            .prepare_cached(
                "SELECT staff_id, id, name, public_key = '', created_at, last_sync_at, revoked_at
                 FROM devices ORDER BY created_at",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    DeviceInfo {
                        id: r.get(1)?,
                        name: r.get(2)?,
                        console: r.get(3)?,
                        created_at: r.get(4)?,
                        last_sync_at: r.get(5)?,
                        revoked_at: r.get(6)?,
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(AccountRows {
            staff,
            estates,
            devices,
        }
        .into_accounts())
    }

    pub fn standing(&self, staff_id: &str) -> Result<Option<(bool, bool)>, AppError> {
        Ok(self
            .conn
            .query_row(
                "SELECT disabled_at IS NOT NULL, must_change_password FROM staff WHERE id = ?1",
                [staff_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

fn insert_audit(conn: &Connection, e: &AuditEntry) -> Result<(), AppError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        now(),
        e.actor,
        e.action.as_str(),
        e.target,
        e.detail_text()
    ])?;
    Ok(())
}

fn standing_of(conn: &Connection, id: &str) -> Result<Standing, AppError> {
    conn.query_row(
        "SELECT role, disabled_at IS NOT NULL FROM staff WHERE id = ?1",
        [id],
        |r| {
            Ok(Standing {
                role: r.get(0)?,
                disabled: r.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| staff_not_found(id))
}

fn other_directors(conn: &Connection, id: &str) -> Result<i64, AppError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM staff WHERE role = 'director' AND disabled_at IS NULL AND id <> ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// The devices of a member of staff not yet revoked.
fn live_devices(conn: &Connection, id: &str) -> Result<Vec<String>, AppError> {
    Ok(conn
        .prepare_cached("SELECT id FROM devices WHERE staff_id = ?1 AND revoked_at IS NULL")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

fn set_estates(conn: &Connection, staff: &Staff) -> Result<(), AppError> {
    conn.execute("DELETE FROM staff_estates WHERE staff_id = ?1", [&staff.id])?;
    for e in &staff.estates {
        conn.execute(
            "INSERT INTO staff_estates (staff_id, estate_id) VALUES (?1, ?2)",
            params![staff.id, e],
        )?;
    }
    Ok(())
}

fn apply_change(conn: &Connection, change: &AccountChange) -> Result<Vec<String>, AppError> {
    match change {
        AccountChange::Create {
            staff,
            username,
            password_hash,
            must_change_password,
        } => {
            let taken: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM staff WHERE username = ?1 OR id = ?2)",
                params![username, staff.id],
                |r| r.get(0),
            )?;
            if taken {
                return Err(username_taken());
            }
            conn.execute(
                "INSERT INTO staff (id, username, name, role, password_hash, must_change_password)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    staff.id,
                    username,
                    staff.name,
                    staff.role.as_str(),
                    password_hash,
                    must_change_password
                ],
            )?;
            set_estates(conn, staff)?;
            Ok(vec![])
        }
        AccountChange::Update { staff } => {
            let current = standing_of(conn, &staff.id)?;
            keep_a_director(
                &current,
                staff.role == Role::Director,
                other_directors(conn, &staff.id)?,
            )?;
            conn.execute(
                "UPDATE staff SET name = ?2, role = ?3 WHERE id = ?1",
                params![staff.id, staff.name, staff.role.as_str()],
            )?;
            set_estates(conn, staff)?;
            // Their sessions go on; each request reads the new estates.
            Ok(vec![])
        }
        AccountChange::Disable { staff_id } => {
            let current = standing_of(conn, staff_id)?;
            keep_a_director(&current, false, other_directors(conn, staff_id)?)?;
            conn.execute(
                "UPDATE staff SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL",
                params![staff_id, now()],
            )?;
            live_devices(conn, staff_id)
        }
        AccountChange::Enable { staff_id } => {
            standing_of(conn, staff_id)?;
            conn.execute(
                "UPDATE staff SET disabled_at = NULL WHERE id = ?1",
                [staff_id],
            )?;
            Ok(vec![])
        }
        AccountChange::Password {
            staff_id,
            password_hash,
            must_change_password,
        } => {
            standing_of(conn, staff_id)?;
            conn.execute(
                "UPDATE staff SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
                params![staff_id, password_hash, must_change_password],
            )?;
            if !must_change_password {
                return Ok(vec![]);
            }
            // A reset: whoever holds a session must sign in again.
            conn.execute(
                "DELETE FROM tokens WHERE device_id IN (SELECT id FROM devices WHERE staff_id = ?1)",
                [staff_id],
            )?;
            live_devices(conn, staff_id)
        }
        AccountChange::Revoke { device } => {
            revoke_device(conn, device)?;
            Ok(vec![device.clone()])
        }
    }
}
