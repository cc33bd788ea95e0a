//! Where a request reaches: the record an id names and the estates a
//! person works on. One answer for every office handler: an id that is not
//! a record id, like a record of another estate, does not exist for them
//! (404); an estate they do not work on is refused by name (403).

use rounds_core::session::SessionError;
use rounds_core::RecordId;

use crate::error::AppError;
use crate::phone::auth::Authed;

/// The record an id in a path or a form names.
pub fn record_id(id: &str) -> Result<RecordId, AppError> {
    RecordId::parse(id).map_err(|_| AppError::NotFound(id.to_owned()))
}

/// The estate asked for, if the signed-in person works on it.
pub fn own_estate(who: &Authed, estate: &str) -> Result<String, AppError> {
    if who.staff.works_on(estate) {
        Ok(estate.to_owned())
    } else {
        Err(SessionError::NotYourEstate {
            estate_id: estate.to_owned(),
        }
        .into())
    }
}

/// The estate asked for, or all of the person's when none is.
pub fn estates(who: &Authed, asked: Option<&String>) -> Result<Vec<String>, AppError> {
    match asked {
        Some(e) => Ok(vec![own_estate(who, e)?]),
        None => Ok(who.staff.estates.clone()),
    }
}

/// A record read by id: of another estate, it does not exist for them.
pub fn visible(who: &Authed, id: &RecordId, estate: &str) -> Result<(), AppError> {
    if who.staff.works_on(estate) {
        Ok(())
    } else {
        Err(AppError::NotFound(id.to_string()))
    }
}
