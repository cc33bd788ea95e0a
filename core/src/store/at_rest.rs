//! The phone's store at rest: one SQLite file encrypted by SQLCipher under a
//! 32-byte key the platform keeps (Android Keystore, iOS Keychain).
//!
//! The whole workspace links SQLCipher (`rusqlite`'s `bundled-sqlcipher`, see
//! the root `Cargo.toml`): a connection given no key is plain SQLite, file
//! format included, which is how the server and the simulated phones open
//! theirs. A connection given a key encrypts every page, its write-ahead log
//! included. A plain store a phone kept before it had a key is encrypted in
//! place on the first keyed open, and replaced only once the encrypted copy
//! reads back whole.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, ErrorCode as SqliteCode};

use super::StoreError;

/// The key a phone's store is encrypted with: 32 random bytes, made once by
/// the app and kept wrapped by the platform's keystore.
pub struct StoreKey([u8; StoreKey::LEN]);

impl StoreKey {
    pub const LEN: usize = 32;

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StoreError> {
        let key = <[u8; Self::LEN]>::try_from(bytes)
            .map_err(|_| StoreError::KeyLength { found: bytes.len() })?;
        Ok(StoreKey(key))
    }

    /// SQLCipher's raw-key form, `x'…'`: the bytes are the key itself, with
    /// no passphrase derivation (they are random already).
    fn sql_text(&self) -> String {
        format!("x'{}'", hex::encode(self.0))
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        self.0.fill(0);
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    }
}

/// Gives a fresh connection its key; must come before anything reads the file.
pub(super) fn unlock(conn: &Connection, key: &StoreKey) -> Result<(), StoreError> {
    conn.pragma_update(None, "key", key.sql_text())?;
    // Without SQLCipher linked, `PRAGMA key` is silently ignored and the
    // store would be written in the clear: refuse instead.
    let cipher: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if cipher.is_none() {
        return Err(StoreError::NoEncryption);
    }
    Ok(())
}

/// Reads the schema once, so a wrong key, a missing key on an encrypted
/// file, or a file that is no database at all fails here, before any write.
pub(super) fn check_readable(conn: &Connection) -> Result<(), StoreError> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|_| ())
    .map_err(|e| match e.sqlite_error_code() {
        Some(SqliteCode::NotADatabase) => StoreError::WrongKey,
        _ => e.into(),
    })
}

/// Whether `path` is an unencrypted SQLite database (an encrypted one
/// starts with its random salt instead of SQLite's header).
pub(super) fn is_plain(path: &Path) -> Result<bool, StoreError> {
    const HEADER: &[u8; 16] = b"SQLite format 3\0";
    let mut start = [0u8; 16];
    match fs::File::open(path) {
        Ok(mut f) => match f.read_exact(&mut start) {
            Ok(()) => Ok(&start == HEADER),
            // Shorter than a header: empty, SQLite starts it afresh.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
            Err(e) => Err(e.into()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Encrypts the plain store at `path` under `key`, in place: an encrypted
/// copy is written beside it, read back and compared, and only then renamed
/// over the plain file. A crash before the rename leaves the plain store as
/// it was (the half-written copy is removed by the next attempt).
pub(super) fn encrypt_plain(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let copy = beside(path, ".encrypting");
    remove_if_there(&copy)?;
    let before = {
        let plain = Connection::open(path)?;
        plain.busy_timeout(std::time::Duration::from_secs(5))?;
        // Folds the write-ahead log into the file. SQLite refuses (keeping
        // WAL) while another connection has the store open: that one must
        // not see the file replaced under it.
        let mode: String = plain.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(StoreError::InUse);
        }
        let before = contents(&plain)?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            params![copy.to_string_lossy(), key.sql_text()],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        // The schema version is not part of what sqlcipher_export copies.
        let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
        plain.pragma_update(Some("encrypted"), "user_version", version)?;
        plain.execute_batch("DETACH DATABASE encrypted")?;
        before
    };
    let after = {
        let encrypted = Connection::open(&copy)?;
        unlock(&encrypted, key)?;
        check_readable(&encrypted)?;
        contents(&encrypted)?
    };
    if before != after {
        remove_if_there(&copy)?;
        return Err(StoreError::CopyDiffers);
    }
    // Left by WAL mode; empty now, and they must not meet the new file.
    for companion in companions(path) {
        remove_if_there(&companion)?;
    }
    fs::rename(&copy, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Makes the rename itself durable; not every platform can open a
        // directory for this, and the rename is done either way.
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// What the copy must hold to replace the original: the schema version and
/// every table's rows, counted.
fn contents(conn: &Connection) -> Result<Vec<(String, i64)>, StoreError> {
    let mut out = vec![(
        "user_version".to_owned(),
        conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
    )];
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let rows: i64 =
            conn.query_row(&format!("SELECT count(*) FROM main.{quoted}"), [], |r| {
                r.get(0)
            })?;
        out.push((table, rows));
    }
    Ok(out)
}

/// Moves a store that no longer opens (its key is lost) out of the way, with
/// its write-ahead log, so the next open starts an empty one. It replaces a
/// store set aside earlier. Returns where it went. Nothing in it can be read
/// without the lost key: what was not synced is gone.
pub fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let aside = beside(path, ".unreadable");
    for (from, to) in [path.to_owned()]
        .into_iter()
        .chain(companions(path))
        .zip([aside.clone()].into_iter().chain(companions(&aside)))
    {
        remove_if_there(&to)?;
        match fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(aside)
}

/// SQLite's files beside a database in WAL mode.
fn companions(path: &Path) -> [PathBuf; 2] {
    [beside(path, "-wal"), beside(path, "-shm")]
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}
