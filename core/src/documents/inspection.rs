use super::{IndexRow, RecordDoc, RecordError};
pub(crate) fn index_row(_doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    todo!()
}
