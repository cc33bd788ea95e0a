//! Photos and signature images are content-addressed blobs: stored once by
//! their SHA-256, referenced by that hash from documents, never inside a CRDT.

use sha2::{Digest, Sha256};

use crate::message::{Bilingual, ErrorCode, Explain};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}", self.message())]
pub enum BlobError {
    NotAHash(String),
    HashMismatch { expected: String, actual: String },
    Empty,
}

impl Explain for BlobError {
    fn code(&self) -> ErrorCode {
        match self {
            BlobError::NotAHash(_) | BlobError::Empty => ErrorCode::BadRequest,
            BlobError::HashMismatch { .. } => ErrorCode::HashMismatch,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            BlobError::NotAHash(h) => Bilingual::new(
                format!("“{h}”不是SHA-256哈希"),
                format!("“{h}” is not a SHA-256 hash (64 lowercase hex digits)"),
            ),
            BlobError::HashMismatch { expected, actual } => Bilingual::new(
                "内容与哈希不符",
                format!("the bytes hash to {actual}, not {expected}"),
            ),
            BlobError::Empty => {
                Bilingual::new("文件为空", "an empty file is not a photo or signature")
            }
        }
    }
}

pub fn hash_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn check_hash(hash: &str) -> Result<(), BlobError> {
    if hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(BlobError::NotAHash(hash.to_owned()))
    }
}

/// Checks bytes that arrive under a claimed hash (an upload, say).
pub fn verify(expected: &str, bytes: &[u8]) -> Result<(), BlobError> {
    check_hash(expected)?;
    if bytes.is_empty() {
        return Err(BlobError::Empty);
    }
    let actual = hash_bytes(bytes);
    if actual == expected {
        Ok(())
    } else {
        Err(BlobError::HashMismatch {
            expected: expected.to_owned(),
            actual,
        })
    }
}
