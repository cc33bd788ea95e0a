//! The JSON body of an office form. A value of the wrong type is bad input
//! in a named field (422 with `field`), not a bare 400, so the page can put
//! the message beside the field that holds it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        // Over the body limit is 413 `too_large`, like everywhere else.
        let bytes = Bytes::from_request(req, state).await?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(Form).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            if field == "." || inner.is_syntax() || inner.is_eof() {
                return AppError::BadRequest(inner.to_string());
            }
            AppError::invalid(field, "格式不对", inner.to_string())
        })
    }
}
