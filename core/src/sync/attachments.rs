//! Photos and signatures travel beside the documents, by hash: the ones a
//! record names go up before the record does, and the ones a received record
//! names come down after it.

use crate::documents::inspection::InspectionDoc;
use crate::documents::rectification::RectificationDoc;
use crate::documents::revisit::RevisitDoc;
use crate::documents::work_order::WorkOrderDoc;
use crate::documents::{Record, RecordKind};
use crate::ids::RecordId;
use crate::store::{DocumentStore, Store, StoreError};

/// The blob hashes record `id` names, in the order the record lists them,
/// each once. Records that hold no images name none.
pub fn attachments_of(
    store: &(impl DocumentStore + ?Sized),
    id: &RecordId,
) -> Result<Vec<String>, StoreError> {
    let doc = store.load(id)?;
    let mut hashes: Vec<String> = match doc.kind() {
        RecordKind::WorkOrder => {
            let order = WorkOrderDoc::from_record(doc)?.read()?;
            let photos = order.photos.into_iter().map(|p| p.hash);
            let signatures = order.signoffs.into_iter().map(|s| s.signature_image);
            photos.chain(signatures).collect()
        }
        RecordKind::Inspection => {
            let inspection = InspectionDoc::from_record(doc)?.read()?;
            let mut items: Vec<_> = inspection.items.into_values().collect();
            items.sort_by_key(|i| i.position);
            items.into_iter().flat_map(|i| i.photos).collect()
        }
        RecordKind::Rectification => {
            let notice = RectificationDoc::from_record(doc)?.read()?;
            notice.reports.into_iter().flat_map(|r| r.photos).collect()
        }
        RecordKind::Revisit => {
            let revisit = RevisitDoc::from_record(doc)?.read()?;
            revisit.outcome.signature_image.into_iter().collect()
        }
        RecordKind::Estate
        | RecordKind::Template
        | RecordKind::PatrolRoute
        | RecordKind::PatrolRun
        | RecordKind::Complaint
        | RecordKind::CompanyRules
        | RecordKind::KeyCustody
        | RecordKind::DeskLog
        | RecordKind::Renovation
        | RecordKind::Customer => vec![],
        RecordKind::Survey => vec![],
    };
    let mut seen = std::collections::HashSet::new();
    hashes.retain(|h| seen.insert(h.clone()));
    Ok(hashes)
}

/// What waits to go up: records edited here and not yet accepted by the
/// server, and the photos and signatures they name that this phone holds.
/// A blob the server already has is counted until its record goes up (the
/// phone does not ask the server to count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pending {
    pub records: u64,
    pub attachments: u64,
}

pub fn pending_upload(store: &Store) -> Result<Pending, StoreError> {
    let records = store.dirty_count()?;
    let mut hashes = std::collections::HashSet::new();
    for dirty in store.dirty_docs(u32::MAX as usize)? {
        for hash in attachments_of(store, &dirty.id)? {
            if store.has_blob(&hash)? {
                hashes.insert(hash);
            }
        }
    }
    Ok(Pending {
        records,
        attachments: hashes.len() as u64,
    })
}
