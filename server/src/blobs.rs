//! Photos and signature images by hash: uploaded once, resumably (each PUT
//! carries a `Content-Range`; HEAD tells how much of an upload arrived), and
//! stored only when the bytes match the hash. A blob is readable by staff of
//! the estates of those who uploaded it: knowing a hash is not enough. To
//! everyone else it looks absent, and uploading the bytes (proving they have
//! them) grants their estates too.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::blobs::{check_hash, verify};

use crate::auth::Authed;
use crate::error::AppError;
use crate::extract::{Body, Path};
use crate::state::AppState;

fn partial_path(state: &AppState, hash: &str) -> std::path::PathBuf {
    state.uploads.join(format!("{hash}.part"))
}

fn checked(hash: &str) -> Result<(), AppError> {
    check_hash(hash).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// `bytes START-END/TOTAL` → (start, total).
fn content_range(headers: &HeaderMap, len: usize) -> Result<(u64, u64), AppError> {
    let Some(v) = headers.get(header::CONTENT_RANGE) else {
        return Ok((0, len as u64));
    };
    let bad = || {
        AppError::BadRequest(
            "Content-Range 应为 bytes START-END/TOTAL / must be bytes START-END/TOTAL".into(),
        )
    };
    let v = v
        .to_str()
        .map_err(|_| bad())?
        .strip_prefix("bytes ")
        .ok_or_else(bad)?;
    let (range, total) = v.split_once('/').ok_or_else(bad)?;
    let (start, end) = range.split_once('-').ok_or_else(bad)?;
    let (start, end, total): (u64, u64, u64) = (
        start.parse().map_err(|_| bad())?,
        end.parse().map_err(|_| bad())?,
        total.parse().map_err(|_| bad())?,
    );
    if end + 1 - start != len as u64 || end >= total {
        return Err(bad());
    }
    Ok((start, total))
}

/// Stored and readable by `who`.
async fn readable(state: &AppState, who: &Authed, hash: &str) -> Result<bool, AppError> {
    let (h, estates) = (hash.to_owned(), who.staff.estates.clone());
    state.db(move |db| db.blob_readable(&h, &estates)).await
}

/// HEAD /v1/blobs/{hash}: 200 when stored; otherwise 404 with `Upload-Offset`.
pub async fn head(
    State(state): State<AppState>,
    who: Authed,
    Path(hash): Path<String>,
) -> Result<Response, AppError> {
    checked(&hash)?;
    if readable(&state, &who, &hash).await? {
        return Ok(StatusCode::OK.into_response());
    }
    let offset = tokio::fs::metadata(partial_path(&state, &hash))
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    Ok((
        StatusCode::NOT_FOUND,
        [("upload-offset", HeaderValue::from(offset))],
    )
        .into_response())
}

/// PUT /v1/blobs/{hash}: one chunk of an upload.
pub async fn put(
    State(state): State<AppState>,
    who: Authed,
    Path(hash): Path<String>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Json<serde_json::Value>, AppError> {
    checked(&hash)?;
    if readable(&state, &who, &hash).await? {
        return Ok(Json(serde_json::json!({ "stored": true })));
    }
    let (start, total) = content_range(&headers, body.len())?;
    if total > state.limits.max_blob_bytes {
        return Err(AppError::TooLarge(format!(
            "{total} bytes > {}",
            state.limits.max_blob_bytes
        )));
    }
    let path = partial_path(&state, &hash);
    let have = tokio::fs::metadata(&path)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    if start != have {
        return Err(AppError::WrongOffset {
            expected: have,
            got: start,
        });
    }
    let mut all = if have > 0 {
        tokio::fs::read(&path).await?
    } else {
        vec![]
    };
    all.extend_from_slice(&body);
    if (all.len() as u64) < total {
        tokio::fs::write(&path, &all).await?;
        return Ok(Json(
            serde_json::json!({ "stored": false, "received": all.len() }),
        ));
    }
    let _ = tokio::fs::remove_file(&path).await;
    if verify(&hash, &all).is_err() {
        return Err(AppError::HashMismatch(hash));
    }
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let estates = who.staff.estates.clone();
    state
        .db(move |db| {
            db.put_blob_checked(&hash, &all, &mime)?;
            db.grant_blob(&hash, &estates)
        })
        .await?;
    Ok(Json(serde_json::json!({ "stored": true })))
}

/// GET /v1/blobs/{hash}
pub async fn get(
    State(state): State<AppState>,
    who: Authed,
    Path(hash): Path<String>,
) -> Result<Response, AppError> {
    checked(&hash)?;
    if !readable(&state, &who, &hash).await? {
        return Err(AppError::NotFound(hash));
    }
    let (bytes, mime) = state.db(move |db| db.blob(&hash)).await?;
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}
