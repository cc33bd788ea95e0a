//! Recently used documents kept loaded, so an edit does not re-read and
//! re-parse a document's whole history from SQLite every time.
//!
//! Each entry remembers the row version it was loaded at; another connection
//! to the same file (a background sync worker) bumps the version, and the
//! stale entry is then reloaded rather than trusted. The least recently
//! stored entry goes first when the cache is full.

use std::collections::{HashMap, VecDeque};

use crate::documents::RecordDoc;

struct Entry {
    version: i64,
    doc: RecordDoc,
    /// When it was last put, matching its newest place in `recent`.
    stored: u64,
}

pub(super) struct DocCache {
    entries: HashMap<String, Entry>,
    /// Ids in the order they were put, each with when; a place is stale once
    /// its entry was taken or put again later.
    recent: VecDeque<(u64, String)>,
    clock: u64,
    capacity: usize,
}

impl DocCache {
    pub(super) fn new(capacity: usize) -> Self {
        DocCache {
            entries: HashMap::new(),
            recent: VecDeque::new(),
            clock: 0,
            capacity,
        }
    }

    /// Takes the document out if it is current; the caller puts it back
    /// once its edit has committed.
    pub(super) fn take(&mut self, id: &str, version: i64) -> Option<RecordDoc> {
        match self.entries.remove(id) {
            Some(e) if e.version == version => Some(e.doc),
            _ => None,
        }
    }

    pub(super) fn get(&self, id: &str, version: i64) -> Option<&RecordDoc> {
        self.entries
            .get(id)
            .filter(|e| e.version == version)
            .map(|e| &e.doc)
    }

    pub(super) fn put(&mut self, id: &str, version: i64, doc: RecordDoc) {
        self.clock += 1;
        let stored = self.clock;
        self.entries.insert(
            id.to_owned(),
            Entry {
                version,
                doc,
                stored,
            },
        );
        self.recent.push_back((stored, id.to_owned()));
        while self.entries.len() > self.capacity {
            match self.recent.pop_front() {
                Some((when, old)) if self.is_current(when, &old) => {
                    self.entries.remove(&old);
                }
                Some(_) => {}
                None => break,
            }
        }
        // Stale places pile up as entries are taken and put back; drop them
        // now and then (each is dropped once, so this stays cheap).
        if self.recent.len() > self.capacity * 2 {
            let entries = &self.entries;
            self.recent
                .retain(|(when, id)| entries.get(id).is_some_and(|e| e.stored == *when));
        }
    }

    fn is_current(&self, when: u64, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.stored == when)
    }

    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.recent.clear();
    }
}

impl super::Store {
    /// Drops every loaded document (the phone is short of memory, say); the
    /// next read loads from disk.
    pub fn release_memory(&self) {
        self.cache.borrow_mut().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::template::{default_templates, TemplateDoc};
    use crate::documents::{Record, Who};
    use crate::ids::{DeviceId, RecordId};
    use crate::people::Role;

    fn doc() -> RecordDoc {
        let d = DeviceId::new();
        let head = Who {
            staff_id: "h1".into(),
            role: Role::Supervisor,
            device_id: d,
            at: 1,
        };
        TemplateDoc::create(RecordId::new(), "e1", &default_templates()[0], d, &head)
            .unwrap()
            .into_record()
    }

    #[test]
    fn the_document_edited_most_recently_stays_when_the_cache_is_full() {
        let mut cache = DocCache::new(2);
        let one = doc();
        cache.put("a", 1, one.clone());
        cache.put("b", 1, one.clone());
        // "a" is edited again and again (taken, put back); then "c" arrives.
        for v in 2..10 {
            let d = cache.take("a", v - 1).unwrap();
            cache.put("a", v, d);
        }
        cache.put("c", 1, one);
        assert!(cache.get("a", 9).is_some());
        assert!(cache.get("b", 1).is_none());
        assert!(cache.get("c", 1).is_some());
        assert!(cache.recent.len() <= 4);
    }
}
