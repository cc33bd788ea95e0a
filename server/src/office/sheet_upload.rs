//! What every sheet import of the office shares: the uploaded file read into
//! a sheet (within a size the largest estate's sheet is well under), the
//! apply's choice to leave bad rows out, and its refusal while they stand.

use rounds_core::import::read::read;
use rounds_core::import::Sheet;
use rounds_core::message::ErrorCode;
use serde::Deserialize;

use crate::error::AppError;

/// Largest sheet accepted: a few thousand units' rows are well under it.
pub const MAX_SHEET_BYTES: usize = 5 << 20;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ApplyParams {
    /// Save the good rows and leave the bad ones out.
    #[serde(default)]
    pub skip_bad: bool,
}

/// The uploaded file as a sheet, or why it is none.
pub fn read_upload(bytes: &[u8]) -> Result<Sheet, AppError> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(AppError::refused(
            ErrorCode::TooLarge,
            format!("文件超过{}MB", MAX_SHEET_BYTES >> 20),
            format!("the file is larger than {} MB", MAX_SHEET_BYTES >> 20),
        ));
    }
    read(bytes).map_err(|e| AppError::from_core(&e))
}

/// An apply may go on when no row is bad, or when it leaves them out.
pub fn may_apply(bad: usize, skip_bad: bool) -> Result<(), AppError> {
    if bad > 0 && !skip_bad {
        return Err(AppError::invalid(
            "skip_bad",
            format!("有{bad}行错误:改正后重新上传,或跳过这些行"),
            format!("{bad} rows have errors: fix them and upload again, or skip them"),
        ));
    }
    Ok(())
}
