//! Recently used documents kept loaded, so an edit does not re-read and
//! re-parse a document's whole history from SQLite every time.
//!
//! Each entry remembers the row version it was loaded at; another connection
//! to the same file (a background sync worker) bumps the version, and the
//! stale entry is then reloaded rather than trusted.

use std::collections::{HashMap, VecDeque};

use crate::documents::RecordDoc;

pub(super) struct DocCache {
    entries: HashMap<String, (i64, RecordDoc)>,
    recent: VecDeque<String>,
    capacity: usize,
}

impl DocCache {
    pub(super) fn new(capacity: usize) -> Self {
        DocCache {
            entries: HashMap::new(),
            recent: VecDeque::new(),
            capacity,
        }
    }

    /// Takes the document out if it is current; the caller puts it back
    /// once its edit has committed.
    pub(super) fn take(&mut self, id: &str, version: i64) -> Option<RecordDoc> {
        match self.entries.remove(id) {
            Some((v, doc)) if v == version => Some(doc),
            _ => None,
        }
    }

    pub(super) fn get(&self, id: &str, version: i64) -> Option<&RecordDoc> {
        self.entries
            .get(id)
            .filter(|(v, _)| *v == version)
            .map(|(_, d)| d)
    }

    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.recent.clear();
    }

    pub(super) fn put(&mut self, id: &str, version: i64, doc: RecordDoc) {
        if self.entries.insert(id.to_owned(), (version, doc)).is_none() {
            self.recent.push_back(id.to_owned());
        }
        while self.entries.len() > self.capacity {
            match self.recent.pop_front() {
                Some(old) => {
                    self.entries.remove(&old);
                }
                None => break,
            }
        }
        // `recent` may still name entries taken out; keep it from growing.
        if self.recent.len() > self.capacity * 2 {
            self.recent.retain(|id| self.entries.contains_key(id));
        }
    }
}

impl super::Store {
    /// Drops every loaded document (the phone is short of memory, say); the
    /// next read loads from disk.
    pub fn release_memory(&self) {
        self.cache.borrow_mut().clear();
    }
}
