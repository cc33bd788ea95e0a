//! A phone whose clock is hours wrong stamps its changes with wrong times.
//! The changes are stored all the same (field work is never dropped), but
//! the sync answer and the server log say so, for the office to follow up.

use rounds_core::documents::RecordDoc;
use rounds_core::message::{Bilingual, ErrorCode};
use rounds_core::sync::ErrorBody;
use rounds_core::time::Millis;

/// The warning for changes new in `merged`, if any was stamped further than
/// `tolerance` in the future, or further than `tolerance` before a change
/// the phone had already seen (it cannot have edited before that).
pub fn clock_warning(
    existing: Option<&RecordDoc>,
    merged: &RecordDoc,
    now: Millis,
    tolerance: Millis,
) -> Option<ErrorBody> {
    let old = existing.map(|d| d.clone().history()).unwrap_or_default();
    let seen_until = old.iter().map(|h| h.at).max();
    let new: Vec<Millis> = merged
        .clone()
        .history()
        .into_iter()
        .filter(|h| !old.iter().any(|o| o.change == h.change))
        .map(|h| h.at)
        .collect();
    let ahead = new.iter().map(|at| at - now).max().unwrap_or(0);
    let behind = match seen_until {
        Some(seen) => new.iter().map(|at| seen - at).max().unwrap_or(0),
        None => 0,
    };
    let (off, zh, en) = if ahead >= behind {
        (ahead, "快了", "ahead")
    } else {
        (behind, "慢了", "behind")
    };
    let minutes = off / 60_000;
    (off > tolerance).then(|| {
        ErrorBody::new(
            ErrorCode::ClockSkew,
            &Bilingual::new(
                format!("手机时间可能{zh}约 {minutes} 分钟,修改已保存"),
                format!(
                    "the phone's clock looks about {minutes} minutes {en}; the changes were stored"
                ),
            ),
            None,
        )
    })
}
