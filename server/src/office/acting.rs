//! An office edit: one core [`Session`] for the signed-in person over the
//! server's store, so every business rule applies as it does on a phone; then
//! the documents it changed are announced exactly as a sync merge announces
//! them, so connected phones are poked and receive the office's edit.

use chrono::{DateTime, Utc};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{Clock, Session};
use rounds_core::store::DocumentStore;
use rounds_core::{RecordId, Staff};

use crate::company::CompanyRules;
use crate::error::AppError;
use crate::state::{AppState, Changed, Db};

/// A clock stopped at one instant: reception registers a call at the time
/// it came in, and demo data is written at the times it pretends.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A session for `staff` over the server's store, under the company's
/// `rules` and `calendar` (`AppState::company`), at `at`
/// (or now).
pub fn session<S: DocumentStore>(
    store: S,
    staff: Staff,
    rules: &RulesConfig,
    calendar: &WorkCalendar,
    at: Option<DateTime<Utc>>,
) -> Session<S> {
    let (rules, calendar) = (rules.clone(), calendar.clone());
    match at {
        Some(t) => Session::with_clock(store, staff, rules, calendar, Box::new(FixedClock(t))),
        None => Session::new(store, staff, rules, calendar),
    }
}

/// A session as `staff` at `at`, under the company's rules in force.
pub fn session_under<S: DocumentStore>(
    store: S,
    staff: Staff,
    company: &CompanyRules,
    at: DateTime<Utc>,
) -> Session<S> {
    session(store, staff, &company.rules, &company.calendar, Some(at))
}

/// Runs `edit` as the signed-in `staff` at `at` (or the state's now), as one
/// transaction, and pokes the devices of every estate whose documents it
/// changed.
pub async fn act<T: Send + 'static>(
    state: &AppState,
    staff: Staff,
    at: Option<DateTime<Utc>>,
    edit: impl FnOnce(&mut Session<&mut Db>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let company = state.company();
    let at = at.unwrap_or_else(|| state.now());
    let (out, changed) = state
        .db(move |db| {
            let before = db.last_seq()?;
            db.begin()?;
            let out = match edit(&mut session_under(&mut *db, staff.clone(), &company, at)) {
                Ok(out) => out,
                Err(e) => {
                    // The edit's own error says what went wrong.
                    let _ = db.rollback();
                    return Err(e);
                }
            };
            db.commit()?;
            Ok((out, changes_since(db, before, &staff)?))
        })
        .await?;
    state.announce(changed).await?;
    Ok(out)
}

/// What the edit changed, as merges report it: every document whose
/// sequence moved, with its estate, and no device of origin (the server).
pub fn changes_since(
    store: &(impl DocumentStore + ?Sized),
    before: i64,
    staff: &Staff,
) -> Result<Vec<Changed>, AppError> {
    Ok(store
        .changed_since(before, &staff.scopes(), 10_000)?
        .into_iter()
        .map(|c| Changed {
            estate: c.estate_id,
            seq: c.seq,
            origin: None,
        })
        .collect())
}

/// One step of the session on the record named `id` in a request's path, as
/// the signed-in person, answered with what `answer` reads of the record
/// after it: the handlers of the office's buttons.
pub async fn step_on<T: Send + 'static>(
    state: &AppState,
    who: crate::phone::auth::Authed,
    id: &str,
    edit: impl FnOnce(&mut Session<&mut Db>, &RecordId) -> Result<(), AppError> + Send + 'static,
    answer: fn(&Session<&mut Db>, &RecordId) -> Result<T, AppError>,
) -> Result<axum::Json<T>, AppError> {
    let id = crate::office::scope::record_id(id)?;
    let out = act(state, who.staff, None, move |s| {
        edit(s, &id)?;
        answer(s, &id)
    })
    .await?;
    Ok(axum::Json(out))
}

/// Reads through a session for the signed-in person at the state's now,
/// writing nothing: the office's views of one record.
pub async fn read_as<T: Send + 'static>(
    state: &AppState,
    who: crate::phone::auth::Authed,
    view: impl FnOnce(&Session<&mut Db>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let company = state.company();
    let now = state.now();
    state
        .db(move |db| view(&session_under(&mut *db, who.staff, &company, now)))
        .await
}
