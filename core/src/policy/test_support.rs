//! What the policy's tests share: a person at a time, and an edit judged as
//! the server judges a phone's that skipped its own checks.

use crate::documents::{Record, RecordDoc, Who};
use crate::ids::DeviceId;
use crate::people::Role;
use crate::policy::{judge_since, Author, Context, DocLimits, Violation};
use crate::rules::RulesConfig;

pub(super) fn who(staff: &str, role: Role, at: i64) -> Who {
    Who {
        staff_id: staff.into(),
        role,
        device_id: DeviceId::new(),
        at,
    }
}

/// Judges the changes `edit` makes under the default rules.
pub(super) fn judged(
    doc: &mut impl Record,
    by: &Who,
    edit: impl FnOnce(&mut RecordDoc),
) -> Result<(), Violation> {
    let (rules, limits) = (RulesConfig::default(), DocLimits::default());
    let ctx = Context {
        rules: &rules,
        limits: &limits,
    };
    let before = doc.record_mut().heads();
    edit(doc.record_mut());
    judge_since(doc.record_mut(), &before, &Author::from_who(by, None), &ctx)
}
