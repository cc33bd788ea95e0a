//! An office edit: one core [`Session`] for the signed-in person over the
//! server's store, so every business rule applies as it does on a phone; then
//! the documents it changed are announced exactly as a sync merge announces
//! them, so connected phones are poked and receive the office's edit.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, Session};
use rounds_core::store::Store;
use rounds_core::Staff;

use crate::accounts::Accounts;
use crate::db::sqlite::SqliteDb;
use crate::error::AppError;
use crate::state::{AppState, Changed, Db};

/// The calendar is parsed once; every request reads the same one.
pub fn calendar() -> WorkCalendar {
    static CAL: OnceLock<WorkCalendar> = OnceLock::new();
    CAL.get_or_init(WorkCalendar::china).clone()
}

/// A clock stopped at one instant: reception registers a call at the time
/// it came in, and demo data is written at the times it pretends.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The embedded store the console's edits run the core's session over; on
/// PostgreSQL they answer "not yet supported" instead of half-working.
pub fn embedded(db: &mut Db) -> Result<&mut SqliteDb, AppError> {
    db.embedded().ok_or_else(|| {
        AppError::refused(
            rounds_core::message::ErrorCode::NotSupported,
            "办公台编辑暂只支持内置数据库",
            "office edits on PostgreSQL (use the embedded SQLite)",
        )
    })
}

/// A session for `staff` over the server's store, at `at` (or now).
pub fn session(store: &mut Store, staff: Staff, at: Option<DateTime<Utc>>) -> Session<&mut Store> {
    let rules = RulesConfig::default();
    match at {
        Some(t) => Session::with_clock(store, staff, rules, calendar(), Box::new(FixedClock(t))),
        None => Session::new(store, staff, rules, calendar()),
    }
}

/// Runs `edit` as the signed-in `staff` (reading the accounts if it needs
/// to) and pokes the devices of every estate whose documents it changed.
pub async fn act<T: Send + 'static>(
    state: &AppState,
    staff: Staff,
    at: Option<DateTime<Utc>>,
    edit: impl FnOnce(&Accounts, &mut Session<&mut Store>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let (out, changed) = state
        .db(move |db| {
            let SqliteDb { store, accounts } = embedded(db)?;
            let before = store.last_seq()?;
            let out = edit(accounts, &mut session(store, staff.clone(), at))?;
            Ok((out, changes_since(store, before, &staff)?))
        })
        .await?;
    for c in changed {
        // No one listening is fine.
        let _ = state.changes.send(c);
    }
    Ok(out)
}

/// What the edit changed, as merges report it: every document whose
/// sequence moved, with its estate, and no device of origin (the server).
pub fn changes_since(store: &Store, before: i64, staff: &Staff) -> Result<Vec<Changed>, AppError> {
    Ok(store
        .changed_since(before, &staff.estates, 10_000)?
        .into_iter()
        .map(|c| Changed {
            estate: c.estate_id,
            seq: c.seq,
            origin: None,
        })
        .collect())
}
