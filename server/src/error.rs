//! One error type for every handler: answered as JSON `{code, message}` with
//! the message in zh-CN and English, so the phone can show it as it is.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::store::StoreError;
use rounds_core::sync::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录 / sign in first")]
    Unauthenticated,
    #[error("用户名或密码错误 / wrong username or password")]
    BadLogin,
    #[error("该设备已被停用 / this device has been revoked")]
    DeviceRevoked,
    #[error("无权操作 / not allowed: {0}")]
    Forbidden(String),
    #[error("找不到 / not found: {0}")]
    NotFound(String),
    #[error("请求有误 / bad request: {0}")]
    BadRequest(String),
    #[error("内容过大 / too large: {0}")]
    TooLarge(String),
    #[error("上传位置不对 / upload offset is {expected}, not {got}")]
    WrongOffset { expected: u64, got: u64 },
    #[error("文件校验失败 / the bytes do not match hash {0}")]
    HashMismatch(String),
    #[error("暂不支持 / not yet supported: {0}")]
    NotSupported(String),
    #[error("服务器内部错误 / internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadLogin => "bad_login",
            AppError::DeviceRevoked => "device_revoked",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge(_) => "too_large",
            AppError::WrongOffset { .. } => "wrong_offset",
            AppError::HashMismatch(_) => "hash_mismatch",
            AppError::NotSupported(_) => "not_supported",
            AppError::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::BadLogin | AppError::DeviceRevoked => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::WrongOffset { .. } => StatusCode::CONFLICT,
            AppError::HashMismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotSupported(_) => StatusCode::NOT_IMPLEMENTED,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!("internal error: {e}");
        }
        let body = ErrorBody {
            code: self.code().into(),
            message: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(id) | StoreError::BlobNotFound(id) => AppError::NotFound(id),
            StoreError::Blob(e) => AppError::BadRequest(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
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

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        match e {
            J::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::TooLarge(b.body_text())
            }
            e => AppError::BadRequest(e.body_text()),
        }
    }
}
