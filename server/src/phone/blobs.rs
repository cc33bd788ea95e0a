//! Photos and signature images by hash: uploaded once, resumably (each PUT
//! carries a `Content-Range`; HEAD tells how much of an upload arrived), and
//! stored only when the bytes match the hash. A blob is readable by staff of
//! the estates of those who uploaded it: knowing a hash is not enough. To
//! everyone else it looks absent, and uploading the bytes (proving they have
//! them) grants their estates too.
//!
//! An unfinished upload belongs to the device sending it (another device
//! uploading the same hash starts its own), and one left untouched for
//! `Limits::partial_upload_max_age` is dropped when uploads next happen.
//! A blob is served with the type its bytes show (never the type an
//! uploader claimed) and `X-Content-Type-Options: nosniff`, so an upload
//! cannot become a page in the console's origin.

use std::path::{Path as FsPath, PathBuf};
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rounds_core::blobs::{check_hash, verify};
use rounds_core::DeviceId;

use crate::error::AppError;
use crate::extract::{Body, Path};
use crate::phone::auth::Authed;
use crate::state::AppState;

const PARTIAL: &str = ".part";

/// Where `device`'s unfinished upload of `hash` is kept.
fn partial_path(state: &AppState, device: DeviceId, hash: &str) -> PathBuf {
    state.uploads.join(format!("{device}-{hash}{PARTIAL}"))
}

/// Drops unfinished uploads nobody has added to for longer than `max_age`.
fn sweep_partials(dir: &FsPath, max_age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let is_partial = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(PARTIAL));
        let touched = entry.metadata().and_then(|m| m.modified());
        let stale = touched.is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > max_age));
        if is_partial && stale {
            tracing::info!(file = %path.display(), "dropping an abandoned partial upload");
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The media type the bytes show: the image formats phones send, otherwise
/// `application/octet-stream`.
pub fn sniff(bytes: &[u8]) -> &'static str {
    const HEIC_BRANDS: [&[u8]; 6] = [b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"];
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && HEIC_BRANDS.contains(&&bytes[8..12]) {
        "image/heic"
    } else {
        "application/octet-stream"
    }
}

fn checked(hash: &str) -> Result<(), AppError> {
    Ok(check_hash(hash)?)
}

/// `bytes START-END/TOTAL` → (start, total).
fn content_range(headers: &HeaderMap, len: usize) -> Result<(u64, u64), AppError> {
    let Some(v) = headers.get(header::CONTENT_RANGE) else {
        return Ok((0, len as u64));
    };
    let bad = || {
        AppError::refused(
            rounds_core::message::ErrorCode::BadRange,
            "应为 bytes START-END/TOTAL,END 不小于 START 且小于 TOTAL,与本次字节数相符",
            "must be bytes START-END/TOTAL with START <= END < TOTAL, matching the bytes sent",
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
    // Checked: an END before START (or at u64::MAX) is refused, not a panic.
    let count = end
        .checked_sub(start)
        .and_then(|n| n.checked_add(1))
        .ok_or_else(bad)?;
    if count != len as u64 || end >= total {
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
    let offset = tokio::fs::metadata(partial_path(&state, who.device, &hash))
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
    let (dir, max_age) = (state.uploads.clone(), state.limits.partial_upload_max_age);
    tokio::task::spawn_blocking(move || sweep_partials(&dir, max_age))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let path = partial_path(&state, who.device, &hash);
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
    let received = have + body.len() as u64;
    if received < total {
        use tokio::io::AsyncWriteExt;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .await?;
        file.write_all(&body).await?;
        file.flush().await?;
        return Ok(Json(
            serde_json::json!({ "stored": false, "received": received }),
        ));
    }
    let mut all = if have > 0 {
        tokio::fs::read(&path).await?
    } else {
        vec![]
    };
    all.extend_from_slice(&body);
    let _ = tokio::fs::remove_file(&path).await;
    if verify(&hash, &all).is_err() {
        return Err(AppError::HashMismatch(hash));
    }
    // What the bytes are, not what the uploader said they are.
    let mime = sniff(&all).to_owned();
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
    let (bytes, _claimed) = state.db(move |db| db.blob(&hash)).await?;
    // Blobs stored before the type was sniffed carry the uploader's claim:
    // serve what the bytes are.
    let mime = sniff(&bytes);
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_type_is_what_the_bytes_show() {
        let mut webp = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
        webp.extend([0; 8]);
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        for (bytes, mime) in [
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "image/png"),
            (&[0xFF, 0xD8, 0xFF, 0xE1, 0, 0][..], "image/jpeg"),
            (&b"GIF89a\x01\0\x01\0"[..], "image/gif"),
            (&webp[..], "image/webp"),
            (&heic[..], "image/heic"),
            (
                &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
                "application/octet-stream",
            ),
            (&b"<!doctype html><script>"[..], "application/octet-stream"),
            (&b"RIFF\0\0\0\0WAVE"[..], "application/octet-stream"),
            (&b""[..], "application/octet-stream"),
        ] {
            assert_eq!(sniff(bytes), mime, "{bytes:?}");
        }
    }
}
