//! What a refusal says and which kind it is, the same on the phone and the
//! server: a [`Bilingual`] message (zh-CN and English as two values, never
//! one string to split) and an [`ErrorCode`], given by every core error
//! through [`Explain`]. The server answers the code and both halves; the
//! bindings hand them to the apps.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::labels::Label;
use crate::policy;

/// A message for a person, in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Text that reads the same in both languages: an id, a path, a number.
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Bilingual {
            zh: text.clone(),
            en: text,
        }
    }

    /// Each half after its own prefix: "找不到:u-1" and "not found: u-1".
    pub fn after(&self, zh: &str, en: &str) -> Bilingual {
        Bilingual {
            zh: format!("{zh}:{}", self.zh),
            en: format!("{en}: {}", self.en),
        }
    }
}

/// "中文 / English", for logs and for clients that read one `message`.
impl fmt::Display for Bilingual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl From<Label> for Bilingual {
    fn from(l: Label) -> Self {
        Bilingual::new(l.zh, l.en)
    }
}

/// What every core error tells: which kind of refusal it is and what to
/// say to the person who met it.
pub trait Explain {
    fn code(&self) -> ErrorCode;
    fn message(&self) -> Bilingual;
    /// The input at fault, when there is one (`quantity`, `agreed_due_at`,
    /// a write-policy path such as `deadline.due_at`).
    fn field(&self) -> Option<String> {
        None
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// Every kind of refusal, with the snake_case name the server answers
        /// and `server/PROTOCOL.md` documents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    // Signing in and the request itself.
    Unauthenticated = "unauthenticated",
    BadLogin = "bad_login",
    DeviceRevoked = "device_revoked",
    DeviceTaken = "device_taken",
    DeviceKeyChanged = "device_key_changed",
    TooManyAttempts = "too_many_attempts",
    NotSignedIn = "not_signed_in",
    /// The account is disabled: no sign-in, no token works.
    AccountDisabled = "account_disabled",
    /// The password was reset (or is a temporary one): set a new one
    /// (`POST /v1/password`), then sign in with it.
    PasswordChangeRequired = "password_change_required",
    BadRequest = "bad_request",
    BadRange = "bad_range",
    MethodNotAllowed = "method_not_allowed",
    UnsupportedMediaType = "unsupported_media_type",
    TooLarge = "too_large",
    WrongOffset = "wrong_offset",
    HashMismatch = "hash_mismatch",
    // What the rules refuse.
    Forbidden = "forbidden",
    NotFound = "not_found",
    /// Input the rules refuse, shown beside its field.
    Invalid = "invalid",
    /// Something the step needs is missing.
    Incomplete = "incomplete",
    /// A company rule (deadlines, extensions, months) refuses the input.
    Rule = "rule",
    /// The record is not in a state that allows this.
    Conflict = "conflict",
    NotSupported = "not_supported",
    Internal = "internal",
    // A document a device sent, refused on its own.
    BadId = "bad_id",
    Corrupt = "corrupt",
    NotChanges = "not_changes",
    UnknownKind = "unknown_kind",
    FutureSchema = "future_schema",
    Mismatch = "mismatch",
    MissingDeps = "missing_deps",
    ForbiddenEstate = "forbidden_estate",
    ForeignActor = "foreign_actor",
    // The write policy's refusals (`core/POLICY.md`).
    UnknownField = "unknown_field",
    FixedField = "fixed_field",
    SetOnce = "set_once",
    AppendOnly = "append_only",
    ContainerReplaced = "container_replaced",
    RoleMayNot = "role_may_not",
    WrongState = "wrong_state",
    NotAuthor = "not_author",
    TransitionRefused = "transition_refused",
    SignatureRefused = "signature_refused",
    DeadlineRefused = "deadline_refused",
    Malformed = "malformed",
    BadValue = "bad_value",
    SecondRoot = "second_root",
    /// A warning on a stored document: the phone's clock looks wrong.
    ClockSkew = "clock_skew",
    // The phone's side of sync.
    Offline = "offline",
    Cancelled = "cancelled",
    TooManyRounds = "too_many_rounds",
    FileUnreadable = "file_unreadable",
    /// The phone's store does not open with the key it was given.
    WrongStoreKey = "wrong_store_key",
}

impl ErrorCode {
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ErrorCode::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error code {s}")))
    }
}

impl From<policy::Code> for ErrorCode {
    fn from(c: policy::Code) -> Self {
        use policy::Code as P;
        match c {
            P::UnknownField => ErrorCode::UnknownField,
            P::FixedField => ErrorCode::FixedField,
            P::SetOnce => ErrorCode::SetOnce,
            P::AppendOnly => ErrorCode::AppendOnly,
            P::ContainerReplaced => ErrorCode::ContainerReplaced,
            P::RoleMayNot => ErrorCode::RoleMayNot,
            P::WrongState => ErrorCode::WrongState,
            P::NotAuthor => ErrorCode::NotAuthor,
            P::Transition => ErrorCode::TransitionRefused,
            P::Signature => ErrorCode::SignatureRefused,
            P::Deadline => ErrorCode::DeadlineRefused,
            P::Malformed => ErrorCode::Malformed,
            P::BadValue => ErrorCode::BadValue,
            P::TooLarge => ErrorCode::TooLarge,
            P::NotChanges => ErrorCode::NotChanges,
            P::Corrupt => ErrorCode::Corrupt,
            P::SecondRoot => ErrorCode::SecondRoot,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_json_and_are_unique() {
        for &c in ErrorCode::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), c);
        }
        let mut names: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }

    /// The policy's codes are the ones devices have been told all along.
    #[test]
    fn policy_codes_keep_their_names() {
        for c in policy::Code::ALL {
            assert_eq!(ErrorCode::from(c).as_str(), c.as_str());
        }
    }

    /// A half that itself contains " / " stays whole: nothing is split.
    #[test]
    fn halves_are_kept_as_given() {
        let m = Bilingual::new("快了 / 慢了", "ahead / behind");
        assert_eq!(m.zh, "快了 / 慢了");
        assert_eq!(m.en, "ahead / behind");
        assert_eq!(m.to_string(), "快了 / 慢了 / ahead / behind");
    }
}
