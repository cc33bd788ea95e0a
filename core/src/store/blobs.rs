//! Photos and signature images, stored once by hash beside the documents.

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};
use crate::blobs::{hash_bytes, verify, BlobError};
use crate::time::now_millis;

impl Store {
    /// Stores bytes and returns their hash; storing the same bytes twice
    /// keeps one copy.
    pub fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        if bytes.is_empty() {
            return Err(BlobError::Empty.into());
        }
        let hash = hash_bytes(bytes);
        self.conn().execute(
            "INSERT OR IGNORE INTO blobs (hash, mime, size, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash, mime, bytes.len() as i64, bytes, now_millis()],
        )?;
        Ok(hash)
    }

    /// Stores bytes that arrived under a claimed hash, refusing a mismatch.
    pub fn put_blob_checked(
        &mut self,
        hash: &str,
        bytes: &[u8],
        mime: &str,
    ) -> Result<(), StoreError> {
        verify(hash, bytes)?;
        self.put_blob(bytes, mime).map(|_| ())
    }

    pub fn blob(&self, hash: &str) -> Result<(Vec<u8>, String), StoreError> {
        self.conn()
            .query_row(
                "SELECT bytes, mime FROM blobs WHERE hash = ?1",
                [hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::BlobNotFound(hash.to_owned()))
    }

    pub fn has_blob(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM blobs WHERE hash = ?1)",
            [hash],
            |r| r.get(0),
        )?)
    }
}
