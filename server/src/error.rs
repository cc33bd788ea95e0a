//! One error type for every handler, answered as JSON
//! `{code, message, message_zh, message_en, field}`: `code` an `ErrorCode`
//! name, `message` "中文 / English" for clients that show one line, the two
//! halves apart, and for bad input the `field`, so a web form can put the
//! message beside the field. The core's errors bring their own code and
//! words (`Explain`), the same the phone shows for the same refusal.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::blobs::BlobError;
use rounds_core::documents::TransitionError;
use rounds_core::ids::IdError;
use rounds_core::message::{Bilingual, ErrorCode, Explain};
use rounds_core::rules::RulesError;
use rounds_core::session::SessionError;
use rounds_core::store::StoreError;
use rounds_core::sync::ErrorBody;
use rounds_core::RecordError;

/// The variants with a `String` carry language-neutral detail (an id, a
/// hash, a path); anything with words is [`AppError::Refused`].
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum AppError {
    Unauthenticated,
    BadLogin,
    DeviceRevoked,
    /// The account is disabled: no sign-in, and none of its tokens works.
    AccountDisabled,
    /// The right password, but a new one must be set first (after a reset).
    PasswordChangeRequired,
    /// A device id is bound to the staff member who first signed in with it.
    DeviceTaken,
    /// A device presents another public key than it registered with: a
    /// reinstalled app is a new device.
    DeviceKeyChanged,
    /// Sign-in refused for a while after repeated failures.
    TooManyAttempts {
        retry_after_secs: u64,
    },
    /// What was not there.
    NotFound(String),
    BadRequest(String),
    TooLarge(String),
    MethodNotAllowed(String),
    WrongOffset {
        expected: u64,
        got: u64,
    },
    HashMismatch(String),
    /// A refusal in its own words: every core error's, and the server's own.
    Refused {
        code: ErrorCode,
        message: Bilingual,
        /// The input at fault, for a form to show the message beside it.
        field: Option<String>,
    },
    /// Logged in full; the detail is the server's.
    Internal(String),
}

impl AppError {
    pub fn refused(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Refused {
            code,
            message: Bilingual::new(zh, en),
            field: None,
        }
    }

    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::refused(ErrorCode::Forbidden, zh, en)
    }

    /// Bad input in `field`: 422, shown beside it.
    pub fn invalid(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Refused {
            code: ErrorCode::Invalid,
            message: Bilingual::new(zh, en),
            field: Some(field.into()),
        }
    }

    /// A core error as the office sees it: a refusal keeps its code, words
    /// and field; a fault (a damaged record, the database, broken rules
    /// data) is internal.
    pub fn from_core(e: &impl Explain) -> Self {
        let (code, message) = (e.code(), e.message());
        if status_of(code) == StatusCode::INTERNAL_SERVER_ERROR {
            return AppError::Internal(message.en);
        }
        AppError::Refused {
            code,
            message,
            field: e.field(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::BadLogin => ErrorCode::BadLogin,
            AppError::DeviceRevoked => ErrorCode::DeviceRevoked,
            AppError::AccountDisabled => ErrorCode::AccountDisabled,
            AppError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            AppError::DeviceTaken => ErrorCode::DeviceTaken,
            AppError::DeviceKeyChanged => ErrorCode::DeviceKeyChanged,
            AppError::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::TooLarge(_) => ErrorCode::TooLarge,
            AppError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            AppError::WrongOffset { .. } => ErrorCode::WrongOffset,
            AppError::HashMismatch(_) => ErrorCode::HashMismatch,
            AppError::Refused { code, .. } => *code,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn message(&self) -> Bilingual {
        let detail = |d: &str, zh: &str, en: &str| Bilingual::same(d).after(zh, en);
        match self {
            AppError::Unauthenticated => Bilingual::new("请先登录", "sign in first"),
            AppError::BadLogin => Bilingual::new("用户名或密码错误", "wrong username or password"),
            AppError::DeviceRevoked => {
                Bilingual::new("该设备已被停用", "this device has been revoked")
            }
            AppError::AccountDisabled => Bilingual::new(
                "该账号已被停用,请联系服务中心主任",
                "this account has been disabled: ask the service-centre director",
            ),
            AppError::PasswordChangeRequired => Bilingual::new(
                "密码已被重置,请先设置新密码再登录",
                "your password was reset: set a new password, then sign in with it",
            ),
            AppError::DeviceTaken => Bilingual::new(
                "该设备属于另一位员工",
                "this device belongs to another member of staff",
            ),
            AppError::DeviceKeyChanged => Bilingual::new(
                "设备密钥已改变,请以新设备登录",
                "this device's key has changed: a reinstalled app signs in as a new device",
            ),
            AppError::TooManyAttempts { retry_after_secs } => Bilingual::new(
                format!("尝试次数过多,请 {retry_after_secs} 秒后再试"),
                format!("too many sign-in attempts: try again in {retry_after_secs} s"),
            ),
            AppError::NotFound(d) => detail(d, "找不到", "not found"),
            AppError::BadRequest(d) => detail(d, "请求有误", "bad request"),
            AppError::TooLarge(d) => detail(d, "内容过大", "too large"),
            AppError::MethodNotAllowed(d) => detail(d, "不支持此方法", "method not allowed"),
            AppError::WrongOffset { expected, got } => Bilingual::new(
                "上传位置不对",
                format!("upload offset is {expected}, not {got}"),
            ),
            AppError::HashMismatch(h) => {
                Bilingual::new("文件校验失败", format!("the bytes do not match hash {h}"))
            }
            AppError::Refused { message, .. } => message.clone(),
            AppError::Internal(e) => {
                Bilingual::new("服务器内部错误", format!("internal error: {e}"))
            }
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            AppError::Refused { field, .. } => field.clone(),
            _ => None,
        }
    }
}

/// The HTTP status each code is answered with (`server/PROTOCOL.md`).
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        Unauthenticated
        | BadLogin
        | DeviceRevoked
        | NotSignedIn
        | AccountDisabled
        | PasswordChangeRequired => StatusCode::UNAUTHORIZED,
        DeviceTaken | DeviceKeyChanged | WrongOffset | Conflict | WrongState
        | TransitionRefused => StatusCode::CONFLICT,
        TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        BadRequest | BadRange | BadId => StatusCode::BAD_REQUEST,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Forbidden | ForbiddenEstate | RoleMayNot | NotAuthor | ForeignActor => {
            StatusCode::FORBIDDEN
        }
        NotFound => StatusCode::NOT_FOUND,
        TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        HashMismatch | Invalid | Incomplete | Rule | UnknownField | FixedField | SetOnce
        | AppendOnly | ContainerReplaced | SignatureRefused | DeadlineRefused | BadValue => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        NotSupported => StatusCode::NOT_IMPLEMENTED,
        Internal | Corrupt | NotChanges | UnknownKind | FutureSchema | Mismatch | MissingDeps
        | Malformed | SecondRoot | ClockSkew | Offline | Cancelled | TooManyRounds
        | FileUnreadable | WrongStoreKey => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl AppError {
    /// The JSON body every error is answered with.
    pub fn body(&self) -> serde_json::Value {
        let body = ErrorBody::new(self.code(), &self.message(), None);
        let mut json = serde_json::to_value(body).unwrap_or_default();
        // Always present, null when no field is at fault.
        json["field"] = self.field().into();
        json
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // A fault is logged in full and answered with a fixed text: what the
        // database said (table names, values) never reaches a client.
        let this = match self {
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                AppError::Internal("see the server log".into())
            }
            other => other,
        };
        let mut response = (status_of(this.code()), Json(this.body())).into_response();
        if let AppError::TooManyAttempts { retry_after_secs } = this {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for AppError {
            fn from(e: $t) -> Self {
                AppError::from_core(&e)
            }
        }
    )*};
}

// A refusal by the core's rules, as the office sees it: bad input is 422
// with its field, a role that may not is 403, a record in the wrong state
// 409, a record of another kind under the id 404.
from_core!(
    StoreError,
    RecordError,
    TransitionError,
    SessionError,
    RulesError,
    BlobError,
    IdError
);

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

// axum's own rejections, so that a malformed request is answered like
// every other error (see `crate::extract` and `crate::routes::fallbacks`).

fn too_large(status: StatusCode, detail: String) -> Option<AppError> {
    (status == StatusCode::PAYLOAD_TOO_LARGE).then(|| {
        AppError::refused(
            ErrorCode::TooLarge,
            format!("请求体超出上限({detail})"),
            format!("the request body is over the limit ({detail})"),
        )
    })
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        let detail = e.body_text();
        match e {
            J::MissingJsonContentType(_) => AppError::refused(
                ErrorCode::UnsupportedMediaType,
                "请以 application/json 发送",
                "send the body as application/json",
            ),
            J::BytesRejection(b) => b.into(),
            J::JsonSyntaxError(_) => AppError::refused(
                ErrorCode::BadRequest,
                format!("请求体不是有效的 JSON:{detail}"),
                format!("the body is not valid JSON: {detail}"),
            ),
            _ => AppError::refused(
                ErrorCode::BadRequest,
                format!("请求体内容不对:{detail}"),
                format!("the body does not fit: {detail}"),
            ),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for AppError {
    fn from(e: axum::extract::rejection::BytesRejection) -> Self {
        let detail = e.body_text();
        too_large(e.status(), detail.clone()).unwrap_or_else(|| {
            AppError::refused(
                ErrorCode::BadRequest,
                format!("请求体读取失败:{detail}"),
                format!("the body could not be read: {detail}"),
            )
        })
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(e: axum::extract::rejection::PathRejection) -> Self {
        let detail = e.body_text();
        if e.status().is_server_error() {
            return AppError::Internal(detail);
        }
        AppError::refused(
            ErrorCode::BadRequest,
            format!("路径有误:{detail}"),
            format!("bad path: {detail}"),
        )
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        let detail = e.body_text();
        AppError::refused(
            ErrorCode::BadRequest,
            format!("查询参数有误:{detail}"),
            format!("bad query: {detail}"),
        )
    }
}
