use super::{IndexRow, RecordDoc, RecordError};
pub(crate) fn route_index_row(_doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    todo!()
}
pub(crate) fn run_index_row(_doc: &RecordDoc) -> Result<IndexRow, RecordError> {
    todo!()
}
