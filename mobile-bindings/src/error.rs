//! The one error the apps see, made here and only here from the core's errors.
//!
//! The core's errors are ordinary Rust enums whose messages read "中文 / English";
//! the apps get a flat enum they can switch on, each variant carrying the
//! message in both languages so a screen shows the one the user reads.

use rounds_core::blobs::BlobError;
use rounds_core::documents::{RecordError, TransitionError};
use rounds_core::rules::RulesError;
use rounds_core::session::SessionError;
use rounds_core::store::StoreError;
use rounds_core::sync::SyncError;

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum RoundsError {
    /// The step is not allowed from where the record is, or not for this role
    /// or person (only the assignee accepts, only a head reviews, …).
    #[error("{message_en}")]
    NotAllowed {
        message_zh: String,
        message_en: String,
    },
    /// Something the step needs is missing (work content, times, the quote, a
    /// signature); `missing` names what, for the screen to highlight.
    #[error("{message_en}")]
    Incomplete {
        missing: String,
        message_zh: String,
        message_en: String,
    },
    /// A value the user typed or picked is refused; `field` names it.
    #[error("{field}: {message_en}")]
    InvalidInput {
        field: String,
        message_zh: String,
        message_en: String,
    },
    #[error("{message_en}")]
    NotFound {
        message_zh: String,
        message_en: String,
    },
    /// Devices changed the record in ways that disagree; a head must choose.
    #[error("{message_en}")]
    Conflict {
        message_zh: String,
        message_en: String,
    },
    /// The record or database comes from a newer release of the app.
    #[error("{message_en}")]
    UpdateRequired {
        message_zh: String,
        message_en: String,
    },
    /// A stored record does not read back; it is left untouched.
    #[error("{message_en}")]
    DamagedRecord {
        message_zh: String,
        message_en: String,
    },
    /// The company rules or calendar could not be applied.
    #[error("{message_en}")]
    Rules {
        message_zh: String,
        message_en: String,
    },
    /// A photo or signature file given by path could not be read.
    #[error("{message_en}")]
    FileUnreadable {
        path: String,
        message_zh: String,
        message_en: String,
    },
    #[error("{message_en}")]
    Storage {
        message_zh: String,
        message_en: String,
    },
    /// The server could not be reached; what was done here is kept and goes
    /// up at the next sync.
    #[error("{message_en}")]
    Offline {
        message_zh: String,
        message_en: String,
    },
    /// Signing in was refused (wrong password, a revoked phone), the token is
    /// no longer valid, or this session never signed in: sign in again.
    /// `code` is the server's (`bad_login`, `device_revoked`, …) or
    /// `not_signed_in`.
    #[error("{code}: {message_en}")]
    SignedOut {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The server answered but refused the request; `code` is its reason.
    #[error("{code}: {message_en}")]
    ServerRefused {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The sync was cancelled; what arrived stays, the next sync goes on.
    #[error("{message_en}")]
    Cancelled {
        message_zh: String,
        message_en: String,
    },
}

/// Splits the core's "中文 / English" message; a message in one language only
/// is shown as it is in both.
pub(crate) fn bilingual(text: &str) -> (String, String) {
    match text.split_once(" / ") {
        Some((zh, en)) => (zh.trim().to_owned(), en.trim().to_owned()),
        None => (text.to_owned(), text.to_owned()),
    }
}

macro_rules! variant {
    ($variant:ident, $text:expr $(, $field:ident : $value:expr)*) => {{
        let (message_zh, message_en) = bilingual(&$text);
        RoundsError::$variant { $($field: $value,)* message_zh, message_en }
    }};
}

impl RoundsError {
    pub(crate) fn invalid(field: &str, zh: &str, en: &str) -> Self {
        RoundsError::InvalidInput {
            field: field.into(),
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    pub(crate) fn file(path: &str, e: &std::io::Error) -> Self {
        RoundsError::FileUnreadable {
            path: path.into(),
            message_zh: format!("无法读取文件 {path}:{e}"),
            message_en: format!("cannot read {path}: {e}"),
        }
    }
}

impl From<SessionError> for RoundsError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Store(e) => e.into(),
            SessionError::Rules(e) => e.into(),
            e @ SessionError::NotYourEstate { .. } => variant!(NotAllowed, e.to_string()),
        }
    }
}

impl RoundsError {
    pub(crate) fn not_signed_in() -> Self {
        RoundsError::SignedOut {
            code: "not_signed_in".into(),
            message_zh: "未登录服务器,请先登录".into(),
            message_en: "not signed in to the server; sign in first".into(),
        }
    }
}

impl From<SyncError> for RoundsError {
    fn from(e: SyncError) -> Self {
        let text = e.to_string();
        match e {
            SyncError::Store(e) => e.into(),
            SyncError::Transport(_) => variant!(Offline, text),
            SyncError::Cancelled => variant!(Cancelled, text),
            SyncError::Server {
                status: 401,
                code,
                message,
            } => variant!(SignedOut, message, code: code),
            SyncError::Server { code, message, .. } => {
                variant!(ServerRefused, message, code: code)
            }
            SyncError::TooManyRounds(_) => {
                variant!(ServerRefused, text, code: "too_many_rounds".into())
            }
        }
    }
}

impl From<StoreError> for RoundsError {
    fn from(e: StoreError) -> Self {
        let text = e.to_string();
        match e {
            StoreError::Record(e) => e.into(),
            StoreError::Blob(e) => e.into(),
            StoreError::NotFound(_) | StoreError::BlobNotFound(_) => variant!(NotFound, text),
            StoreError::FutureDatabase { .. } => variant!(UpdateRequired, text),
            StoreError::Sqlite(_) | StoreError::Key(_) | StoreError::Backend(_) => {
                variant!(Storage, text)
            }
        }
    }
}

impl From<RecordError> for RoundsError {
    fn from(e: RecordError) -> Self {
        let text = e.to_string();
        match e {
            RecordError::Transition(e) => e.into(),
            RecordError::Invalid { field, reason } => {
                variant!(InvalidInput, reason, field: field.into())
            }
            RecordError::NoSuchItem { .. } => variant!(NotFound, text),
            RecordError::FutureSchema { .. } => variant!(UpdateRequired, text),
            RecordError::Policy(v) => RoundsError::NotAllowed {
                message_zh: v.zh,
                message_en: format!("{} ({}: {})", v.en, v.code.as_str(), v.field),
            },
            RecordError::Corrupt(_)
            | RecordError::Malformed(_)
            | RecordError::UnknownKind(_)
            | RecordError::Mismatch { .. } => variant!(DamagedRecord, text),
        }
    }
}

impl From<TransitionError> for RoundsError {
    fn from(e: TransitionError) -> Self {
        let text = e.to_string();
        match e {
            TransitionError::Incomplete { missing } => variant!(Incomplete, text, missing: missing),
            TransitionError::NotAllowed { .. }
            | TransitionError::RoleMayNot { .. }
            | TransitionError::NotAssignee => variant!(NotAllowed, text),
            TransitionError::InConflict
            | TransitionError::NoConflict
            | TransitionError::NotACandidate => variant!(Conflict, text),
        }
    }
}

impl From<BlobError> for RoundsError {
    fn from(e: BlobError) -> Self {
        variant!(InvalidInput, e.to_string(), field: "attachment".into())
    }
}

impl From<RulesError> for RoundsError {
    fn from(e: RulesError) -> Self {
        let en = e.to_string();
        // The rules speak English only; say in Chinese which kind of problem it is.
        let (field, zh) = match &e {
            RulesError::DeadlineRequired(_) => {
                ("agreed_due_at", "此类维修需由主管定或与住户约定期限")
            }
            RulesError::DeadlineFixed(_) => ("agreed_due_at", "此类维修期限固定,请走延期申请"),
            RulesError::DeadlineBeforeReceipt { .. } => ("agreed_due_at", "约定期限早于报修时间"),
            RulesError::ExtensionNotLater { .. } => ("requested_due", "延期后的期限必须晚于原期限"),
            _ => {
                return RoundsError::Rules {
                    message_zh: "公司规则或日历无法应用".into(),
                    message_en: en,
                }
            }
        };
        RoundsError::InvalidInput {
            field: field.into(),
            message_zh: zh.into(),
            message_en: en,
        }
    }
}

impl From<rounds_core::ids::IdError> for RoundsError {
    fn from(e: rounds_core::ids::IdError) -> Self {
        RoundsError::invalid("id", "不是有效的记录编号", &e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_transition_keeps_both_languages() {
        let e: RoundsError = SessionError::from(RecordError::from(TransitionError::NotAllowed {
            from: "dispatched",
            to: "in_progress",
        }))
        .into();
        match e {
            RoundsError::NotAllowed {
                message_zh,
                message_en,
            } => {
                assert_eq!(message_zh, "不能从“dispatched”改为“in_progress”");
                assert_eq!(message_en, "cannot go from dispatched to in_progress");
            }
            other => panic!("expected NotAllowed, got {other:?}"),
        }
    }

    #[test]
    fn an_invalid_field_is_named() {
        let e: RoundsError = RecordError::Invalid {
            field: "quantity",
            reason: "数量必须大于0 / must be more than zero".into(),
        }
        .into();
        match e {
            RoundsError::InvalidInput {
                field, message_zh, ..
            } => {
                assert_eq!(field, "quantity");
                assert_eq!(message_zh, "数量必须大于0");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}
