//! The one error the apps see, made here and only here from the core's errors.
//!
//! Every core error gives its `ErrorCode` and its message in both languages
//! (`rounds_core::message::Explain`), the same the server answers for the
//! same refusal; the apps get a flat enum they can switch on, each variant
//! carrying that code and both halves, so a screen shows the one the user
//! reads.

use rounds_core::blobs::BlobError;
use rounds_core::documents::{RecordError, TransitionError};
use rounds_core::message::{Bilingual, ErrorCode, Explain};
use rounds_core::rules::RulesError;
use rounds_core::session::SessionError;
use rounds_core::store::StoreError;
use rounds_core::sync::SyncError;

/// Every variant's `code` is a `rounds_core::message::ErrorCode` name (the
/// server's, for `SignedOut` and `ServerRefused`).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum RoundsError {
    /// The step is not allowed from where the record is, or not for this role
    /// or person (only the assignee accepts, only a head reviews, …).
    #[error("{code}: {message_en}")]
    NotAllowed {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// Something the step needs is missing (work content, times, the quote, a
    /// signature); `missing` names what, for the screen to highlight.
    #[error("{code}: {message_en}")]
    Incomplete {
        code: String,
        missing: String,
        message_zh: String,
        message_en: String,
    },
    /// A value the user typed or picked is refused; `field` names it.
    #[error("{field}: {message_en}")]
    InvalidInput {
        code: String,
        field: String,
        message_zh: String,
        message_en: String,
    },
    #[error("{code}: {message_en}")]
    NotFound {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// Devices changed the record in ways that disagree; a head must choose.
    #[error("{code}: {message_en}")]
    Conflict {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The record or database comes from a newer release of the app.
    #[error("{code}: {message_en}")]
    UpdateRequired {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// A stored record does not read back; it is left untouched.
    #[error("{code}: {message_en}")]
    DamagedRecord {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The company rules or calendar could not be applied.
    #[error("{code}: {message_en}")]
    Rules {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// A photo or signature file given by path could not be read.
    #[error("{code}: {message_en}")]
    FileUnreadable {
        code: String,
        path: String,
        message_zh: String,
        message_en: String,
    },
    #[error("{code}: {message_en}")]
    Storage {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The phone's store does not open with the key the app gave: the key
    /// the platform kept is lost or another one's. Nothing was changed; the
    /// app may set the store aside (`set_aside_store`) and sign in afresh.
    #[error("{code}: {message_en}")]
    WrongStoreKey {
        code: String,
        message_zh: String,
        message_en: String,
    },
    /// The server could not be reached; what was done here is kept and goes
    /// up at the next sync.
    #[error("{code}: {message_en}")]
    Offline {
        code: String,
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
    #[error("{code}: {message_en}")]
    Cancelled {
        code: String,
        message_zh: String,
        message_en: String,
    },
}

/// The variant `$variant` for core error `$e`, with its code and words.
macro_rules! variant {
    ($variant:ident, $e:expr $(, $field:ident : $value:expr)*) => {{
        let e = &$e;
        said!($variant, e.code(), e.message() $(, $field: $value)*)
    }};
}

/// The variant `$variant` with this code and message.
macro_rules! said {
    ($variant:ident, $code:expr, $message:expr $(, $field:ident : $value:expr)*) => {{
        let code: ErrorCode = $code;
        let Bilingual { zh: message_zh, en: message_en } = $message;
        RoundsError::$variant { code: code.as_str().into(), $($field: $value,)* message_zh, message_en }
    }};
}

impl RoundsError {
    /// The code and both halves, whichever the variant (for Rust callers
    /// and tests; the apps read the fields).
    pub fn said(&self) -> (&str, Bilingual) {
        use RoundsError::*;
        let (code, zh, en) = match self {
            NotAllowed {
                code,
                message_zh,
                message_en,
            }
            | Incomplete {
                code,
                message_zh,
                message_en,
                ..
            }
            | InvalidInput {
                code,
                message_zh,
                message_en,
                ..
            }
            | NotFound {
                code,
                message_zh,
                message_en,
            }
            | Conflict {
                code,
                message_zh,
                message_en,
            }
            | UpdateRequired {
                code,
                message_zh,
                message_en,
            }
            | DamagedRecord {
                code,
                message_zh,
                message_en,
            }
            | Rules {
                code,
                message_zh,
                message_en,
            }
            | FileUnreadable {
                code,
                message_zh,
                message_en,
                ..
            }
            | Storage {
                code,
                message_zh,
                message_en,
            }
            | WrongStoreKey {
                code,
                message_zh,
                message_en,
            }
            | Offline {
                code,
                message_zh,
                message_en,
            }
            | SignedOut {
                code,
                message_zh,
                message_en,
            }
            | ServerRefused {
                code,
                message_zh,
                message_en,
            }
            | Cancelled {
                code,
                message_zh,
                message_en,
            } => (code, message_zh, message_en),
        };
        (code, Bilingual::new(zh, en))
    }

    pub(crate) fn file(path: &str, e: &std::io::Error) -> Self {
        said!(
            FileUnreadable,
            ErrorCode::FileUnreadable,
            Bilingual::new(format!("无法读取文件 {path}:{e}"), format!("cannot read {path}: {e}")),
            path: path.into()
        )
    }

    pub(crate) fn not_signed_in() -> Self {
        said!(
            SignedOut,
            ErrorCode::NotSignedIn,
            Bilingual::new(
                "未登录服务器,请先登录",
                "not signed in to the server; sign in first"
            )
        )
    }
}

impl From<SessionError> for RoundsError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Store(e) => e.into(),
            SessionError::Rules(e) => e.into(),
            e @ SessionError::NotYourEstate { .. } => variant!(NotAllowed, e),
            e @ SessionError::RepairNotDone { .. } => variant!(NotAllowed, e),
        }
    }
}

impl From<SyncError> for RoundsError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e.into(),
            SyncError::Transport(_) => variant!(Offline, e),
            SyncError::Cancelled => variant!(Cancelled, e),
            // The server's own code, as it sent it (a newer server's too).
            // Every 401 means "sign in again": a dead token, a revoked phone,
            // a disabled account (`account_disabled`), or a password reset
            // (`password_change_required`: the app asks for a new password,
            // sets it with `POST /v1/password`, then signs in with it).
            SyncError::Server {
                status,
                code,
                message,
            } => {
                let Bilingual { zh, en } = message;
                if status == 401 {
                    RoundsError::SignedOut {
                        code,
                        message_zh: zh,
                        message_en: en,
                    }
                } else {
                    RoundsError::ServerRefused {
                        code,
                        message_zh: zh,
                        message_en: en,
                    }
                }
            }
            SyncError::TooManyRounds(_) => variant!(ServerRefused, e),
        }
    }
}

impl From<StoreError> for RoundsError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Record(e) => e.into(),
            StoreError::Blob(e) => e.into(),
            StoreError::NotFound(_) | StoreError::BlobNotFound(_) => variant!(NotFound, e),
            StoreError::FutureDatabase { .. } => variant!(UpdateRequired, e),
            StoreError::WrongKey => variant!(WrongStoreKey, e),
            StoreError::KeyLength { .. } => {
                variant!(InvalidInput, e, field: "store_key".into())
            }
            StoreError::Sqlite(_)
            | StoreError::Key(_)
            | StoreError::Backend(_)
            | StoreError::NoEncryption
            | StoreError::InUse
            | StoreError::CopyDiffers
            | StoreError::File(_) => variant!(Storage, e),
        }
    }
}

impl From<RecordError> for RoundsError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::Transition(e) => e.into(),
            RecordError::Invalid { field, .. } => variant!(InvalidInput, e, field: field.into()),
            RecordError::InvalidItem { .. } => {
                variant!(InvalidInput, e, field: e.field().unwrap_or_default())
            }
            RecordError::NoSuchItem { .. } | RecordError::Mismatch { .. } => variant!(NotFound, e),
            RecordError::FutureSchema { .. } => variant!(UpdateRequired, e),
            RecordError::Policy(_) => variant!(NotAllowed, e),
            RecordError::Corrupt(_) | RecordError::Malformed(_) | RecordError::UnknownKind(_) => {
                variant!(DamagedRecord, e)
            }
        }
    }
}

impl From<TransitionError> for RoundsError {
    fn from(e: TransitionError) -> Self {
        match &e {
            TransitionError::Incomplete { missing } => {
                variant!(Incomplete, e, missing: missing.clone())
            }
            TransitionError::NotAllowed { .. }
            | TransitionError::RoleMayNot { .. }
            | TransitionError::NotAssignee => variant!(NotAllowed, e),
            TransitionError::InConflict
            | TransitionError::NoConflict
            | TransitionError::NotACandidate => variant!(Conflict, e),
        }
    }
}

impl From<BlobError> for RoundsError {
    fn from(e: BlobError) -> Self {
        variant!(InvalidInput, e, field: "attachment".into())
    }
}

impl From<RulesError> for RoundsError {
    fn from(e: RulesError) -> Self {
        match e.field() {
            Some(field) => variant!(InvalidInput, e, field: field),
            None => variant!(Rules, e),
        }
    }
}

impl From<rounds_core::ids::IdError> for RoundsError {
    fn from(e: rounds_core::ids::IdError) -> Self {
        variant!(InvalidInput, e, field: "id".into())
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
                code,
                message_zh,
                message_en,
            } => {
                assert_eq!(code, "conflict", "the code the server answers for it");
                assert_eq!(message_zh, "不能从“dispatched”改为“in_progress”");
                assert_eq!(message_en, "cannot go from dispatched to in_progress");
            }
            other => panic!("expected NotAllowed, got {other:?}"),
        }
    }

    /// A reset password and a disabled account reach the app as a sign-in
    /// refusal with the server's own code, so it can ask for a new
    /// password or say the account is disabled.
    #[test]
    fn account_refusals_are_sign_in_refusals_with_their_code() {
        for code in [
            ErrorCode::PasswordChangeRequired,
            ErrorCode::AccountDisabled,
        ] {
            let e: RoundsError = SyncError::Server {
                status: 401,
                code: code.as_str().into(),
                message: Bilingual::new("请设置新密码", "set a new password"),
            }
            .into();
            match e {
                RoundsError::SignedOut { code: got, .. } => assert_eq!(got, code.as_str()),
                other => panic!("expected SignedOut, got {other:?}"),
            }
        }
    }

    #[test]
    fn an_invalid_field_is_named() {
        let e: RoundsError = RecordError::Invalid {
            field: "quantity",
            reason: Bilingual::new("数量必须大于0", "must be more than zero"),
        }
        .into();
        match e {
            RoundsError::InvalidInput {
                code,
                field,
                message_zh,
                message_en,
            } => {
                assert_eq!((code.as_str(), field.as_str()), ("invalid", "quantity"));
                assert_eq!(message_zh, "数量必须大于0");
                assert_eq!(message_en, "must be more than zero");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}
