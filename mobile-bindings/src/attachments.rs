//! Photos and signatures, from bytes the camera or signature pad handed over
//! or from a file the camera wrote. Stored once by hash beside the records.

use crate::error::RoundsError;
use crate::orders::SignOff;
use crate::revisits::RevisitAnswer;
use crate::session::{item_id, record_id, Rounds};

/// A stored photo or signature image.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Attachment {
    pub bytes: Vec<u8>,
    pub mime: String,
}

#[uniffi::export]
impl Rounds {
    /// Adds a photo to a work order; returns its hash. Empty `photo_id`: a
    /// new one (the same id added again is kept once).
    pub fn add_order_photo(
        &self,
        id: String,
        photo_id: String,
        bytes: Vec<u8>,
        mime: String,
        caption: String,
    ) -> Result<String, RoundsError> {
        let id = record_id(&id)?;
        let photo_id = item_id(photo_id);
        self.with(|s| s.add_order_photo(&id, &photo_id, &bytes, &mime, &caption))
    }

    /// The same, reading the photo from a file (the camera's output).
    pub fn add_order_photo_file(
        &self,
        id: String,
        photo_id: String,
        path: String,
        mime: String,
        caption: String,
    ) -> Result<String, RoundsError> {
        let bytes = read(&path)?;
        self.add_order_photo(id, photo_id, bytes, mime, caption)
    }

    /// Captures the resident's acceptance with the PNG from the signature pad.
    pub fn sign_off(
        &self,
        id: String,
        resident_name: String,
        signature_png: Vec<u8>,
    ) -> Result<SignOff, RoundsError> {
        let id = record_id(&id)?;
        self.with(|s| s.sign_off(&id, &resident_name, &signature_png))
            .map(Into::into)
    }

    pub fn sign_off_file(
        &self,
        id: String,
        resident_name: String,
        signature_png_path: String,
    ) -> Result<SignOff, RoundsError> {
        let png = read(&signature_png_path)?;
        self.sign_off(id, resident_name, png)
    }

    /// Records an in-person revisit with the signature read from a file.
    pub fn record_revisit_signature_file(
        &self,
        id: String,
        answer: RevisitAnswer,
        signature_png_path: String,
    ) -> Result<(), RoundsError> {
        let png = read(&signature_png_path)?;
        self.record_revisit(id, answer, Some(png))
    }

    /// A stored image, by the hash a record names, to show on a screen.
    pub fn attachment(&self, hash: String) -> Result<Attachment, RoundsError> {
        let (bytes, mime) = self.with(|s| Ok(s.store().blob(&hash)?))?;
        Ok(Attachment { bytes, mime })
    }
}

fn read(path: &str) -> Result<Vec<u8>, RoundsError> {
    std::fs::read(path).map_err(|e| RoundsError::file(path, &e))
}
