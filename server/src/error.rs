//! One error type for every handler: answered as JSON `{code, message}` with
//! the message in zh-CN and English, so the phone can show it as it is. The
//! same body also carries `message_zh`, `message_en` and, for bad input, the
//! `field`, so a web form can put the message beside the field.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::documents::TransitionError;
use rounds_core::rules::RulesError;
use rounds_core::session::SessionError;
use rounds_core::store::StoreError;
use rounds_core::sync::ErrorBody;
use rounds_core::RecordError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录 / sign in first")]
    Unauthenticated,
    #[error("用户名或密码错误 / wrong username or password")]
    BadLogin,
    #[error("该设备已被停用 / this device has been revoked")]
    DeviceRevoked,
    /// A device id is bound to the staff member who first signed in with it.
    #[error("该设备属于另一位员工 / this device belongs to another member of staff")]
    DeviceTaken,
    /// A device presents another public key than it registered with: a
    /// reinstalled app is a new device.
    #[error("设备密钥已改变,请以新设备登录 / this device's key has changed: a reinstalled app signs in as a new device")]
    DeviceKeyChanged,
    /// Sign-in refused for a while after repeated failures.
    #[error("尝试次数过多,请 {retry_after_secs} 秒后再试 / too many sign-in attempts: try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("无权操作 / not allowed: {0}")]
    Forbidden(String),
    #[error("找不到 / not found: {0}")]
    NotFound(String),
    #[error("请求有误 / bad request: {0}")]
    BadRequest(String),
    #[error("内容过大 / too large: {0}")]
    TooLarge(String),
    #[error("Content-Range 有误 / bad Content-Range: {0}")]
    BadRange(String),
    #[error("不支持此方法 / method not allowed: {0}")]
    MethodNotAllowed(String),
    #[error("不支持的内容类型 / unsupported content type: {0}")]
    UnsupportedMediaType(String),
    #[error("上传位置不对 / upload offset is {expected}, not {got}")]
    WrongOffset { expected: u64, got: u64 },
    #[error("文件校验失败 / the bytes do not match hash {0}")]
    HashMismatch(String),
    /// Input the rules refuse: answered 422 and shown beside `field`.
    #[error("{zh} / {en}")]
    Invalid {
        code: &'static str,
        field: String,
        zh: String,
        en: String,
    },
    /// The record is not in a state that allows this (already decided, in conflict, …).
    #[error("{0}")]
    Conflict(String),
    #[error("服务器内部错误 / internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadLogin => "bad_login",
            AppError::DeviceRevoked => "device_revoked",
            AppError::DeviceTaken => "device_taken",
            AppError::DeviceKeyChanged => "device_key_changed",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::BadRange(_) => "bad_range",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge(_) => "too_large",
            AppError::WrongOffset { .. } => "wrong_offset",
            AppError::HashMismatch(_) => "hash_mismatch",
            AppError::Invalid { code, .. } => code,
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::BadLogin | AppError::DeviceRevoked => {
                StatusCode::UNAUTHORIZED
            }
            AppError::DeviceTaken | AppError::DeviceKeyChanged => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRange(_) => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::WrongOffset { .. } => StatusCode::CONFLICT,
            AppError::HashMismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
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
        let message = this.to_string();
        let (zh, en) = this.languages();
        let field = match &this {
            AppError::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let body = ErrorBody {
            code: this.code().into(),
            message: message.clone(),
            field: None,
        };
        let mut json = serde_json::to_value(body).unwrap_or_default();
        json["message_zh"] = zh.into();
        json["message_en"] = en.into();
        json["field"] = field.into();
        let mut response = (this.status(), Json(json)).into_response();
        if let AppError::TooManyAttempts { retry_after_secs } = this {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// Every message is written "中文 / English"; a message without the
/// separator is shown the same in both.
pub fn split_languages(message: &str) -> (String, String) {
    match message.split_once(" / ") {
        Some((zh, en)) => (zh.trim().to_owned(), en.trim().to_owned()),
        None => (message.to_owned(), message.to_owned()),
    }
}

impl AppError {
    /// The message in each language; a variant that wraps another message
    /// ("中文 / English" itself) puts each half after its own prefix.
    fn languages(&self) -> (String, String) {
        let (pre_zh, pre_en, inner) = match self {
            AppError::Forbidden(m) => ("无权操作", "not allowed", m),
            AppError::NotFound(m) => ("找不到", "not found", m),
            AppError::BadRequest(m) => ("请求有误", "bad request", m),
            AppError::BadRange(m) => ("Content-Range 有误", "bad Content-Range", m),
            AppError::MethodNotAllowed(m) => ("不支持此方法", "method not allowed", m),
            AppError::UnsupportedMediaType(m) => {
                ("不支持的内容类型", "unsupported content type", m)
            }
            AppError::TooLarge(m) => ("内容过大", "too large", m),
            AppError::Invalid { zh, en, .. } => return (zh.clone(), en.clone()),
            AppError::Conflict(m) => return split_languages(m),
            _ => return split_languages(&self.to_string()),
        };
        let (zh, en) = split_languages(inner);
        (format!("{pre_zh}:{zh}"), format!("{pre_en}: {en}"))
    }

    /// Bad input in `field`, from a message written "中文 / English".
    pub fn invalid(field: impl Into<String>, message: &str) -> Self {
        let (zh, en) = split_languages(message);
        AppError::Invalid {
            code: "invalid",
            field: field.into(),
            zh,
            en,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(id) | StoreError::BlobNotFound(id) => AppError::NotFound(id),
            StoreError::Blob(e) => AppError::BadRequest(e.to_string()),
            StoreError::Record(e) => e.into(),
            e => AppError::Internal(e.to_string()),
        }
    }
}

/// A refusal by the core's rules, as the office sees it: bad input is 422
/// with its field, a role that may not is 403, a record in the wrong state 409.
impl From<RecordError> for AppError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::Invalid { field, reason } => AppError::invalid(field, &reason),
            RecordError::Transition(t) => t.into(),
            e @ RecordError::NoSuchItem { .. } => AppError::NotFound(e.to_string()),
            // A record of another kind under this id (a complaint's id on an
            // order route): there is no such order.
            RecordError::Mismatch { expected, .. } => {
                AppError::NotFound(format!("此编号的 {expected} / {expected} with this id"))
            }
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        let message = e.to_string();
        match e {
            TransitionError::RoleMayNot { .. } | TransitionError::NotAssignee => {
                AppError::Forbidden(message)
            }
            // "resident_consent 业主同意, …": the first word names the field.
            TransitionError::Incomplete { missing } => {
                let field = missing.split_whitespace().next().unwrap_or_default();
                let (zh, en) = split_languages(&message);
                AppError::Invalid {
                    code: "incomplete",
                    field: field.to_owned(),
                    zh,
                    en,
                }
            }
            _ => AppError::Conflict(message),
        }
    }
}

impl From<SessionError> for AppError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Store(e) => e.into(),
            SessionError::NotYourEstate { .. } => AppError::Forbidden(e.to_string()),
            SessionError::Rules(r) => rule_refusal(r),
        }
    }
}

/// The rules' errors are English only; each gets its field and a zh-CN line.
fn rule_refusal(e: RulesError) -> AppError {
    let (field, zh) = match &e {
        RulesError::DeadlineRequired(_) => ("agreed_due_at", "该类维修需由主管设定期限"),
        RulesError::DeadlineFixed(_) => ("agreed_due_at", "该类维修期限固定,请走延期审批"),
        RulesError::DeadlineBeforeReceipt { .. } => ("agreed_due_at", "期限早于受理时间"),
        RulesError::ExtensionNotLater { .. } => ("requested_due", "新期限必须晚于原期限"),
        RulesError::BadMonth { .. } => ("month", "月份不存在"),
        _ => return AppError::Internal(e.to_string()),
    };
    AppError::Invalid {
        code: "rule",
        field: field.into(),
        zh: zh.into(),
        en: e.to_string(),
    }
}

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
        AppError::TooLarge(format!(
            "请求体超出上限 / the request body is over the limit ({detail})"
        ))
    })
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        let detail = e.body_text();
        match e {
            J::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
                "请以 application/json 发送 / send the body as application/json".into(),
            ),
            J::BytesRejection(b) => b.into(),
            J::JsonSyntaxError(_) => AppError::BadRequest(format!(
                "请求体不是有效的 JSON / the body is not valid JSON: {detail}"
            )),
            _ => AppError::BadRequest(format!("请求体内容不对 / the body does not fit: {detail}")),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for AppError {
    fn from(e: axum::extract::rejection::BytesRejection) -> Self {
        let detail = e.body_text();
        too_large(e.status(), detail.clone()).unwrap_or_else(|| {
            AppError::BadRequest(format!(
                "请求体读取失败 / the body could not be read: {detail}"
            ))
        })
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(e: axum::extract::rejection::PathRejection) -> Self {
        let detail = e.body_text();
        if e.status().is_server_error() {
            return AppError::Internal(detail);
        }
        AppError::BadRequest(format!("路径有误 / bad path: {detail}"))
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        AppError::BadRequest(format!("查询参数有误 / bad query: {}", e.body_text()))
    }
}
