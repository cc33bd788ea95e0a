//! A step that changes several records is one transaction: when a later
//! write of it fails, the earlier ones are undone, and the retried step then
//! does the whole thing (a repair's revisit is never left unplanned).

use std::cell::Cell;

use rounds_core::documents::revisit::{Method, Outcome, Satisfaction};
use rounds_core::documents::work_order::*;
use rounds_core::documents::{IndexRow, RecordDoc, RecordKind};
use rounds_core::places::{Personal, Place};
use rounds_core::rules::{RulesConfig, WorkCalendar};
use rounds_core::session::{OrderRequest, Session};
use rounds_core::signoff::DeviceKey;
use rounds_core::store::{Changed, Created, DocEdit, DocumentStore, Query, Store, StoreError};
use rounds_core::{DeviceId, RecordId, Role, Staff};

/// The phone's store, with a fault switch: while `fail_next_create` is set,
/// the next record creation fails as a full disk would.
struct Faulty {
    inner: Store,
    fail_next_create: Cell<bool>,
    /// Or: the next edit of a record of this kind fails.
    fail_next_edit_of: Cell<Option<RecordKind>>,
}

impl Faulty {
    fn new() -> Self {
        Faulty {
            inner: Store::open_in_memory().unwrap(),
            fail_next_create: Cell::new(false),
            fail_next_edit_of: Cell::new(None),
        }
    }
}

fn disk_full() -> StoreError {
    StoreError::Backend("disk full".into())
}

impl DocumentStore for Faulty {
    fn device_id(&self) -> DeviceId {
        self.inner.device_id()
    }
    fn device_key(&self) -> &DeviceKey {
        self.inner.device_key()
    }
    fn load(&self, id: &RecordId) -> Result<RecordDoc, StoreError> {
        self.inner.load(id)
    }
    fn create_doc(&mut self, doc: &mut RecordDoc) -> Result<Created, StoreError> {
        if self.fail_next_create.replace(false) {
            return Err(disk_full());
        }
        self.inner.create_doc(doc)
    }
    fn edit_doc(&mut self, id: &RecordId, edit: &mut DocEdit<'_>) -> Result<(), StoreError> {
        let kind = self.inner.load(id)?.kind();
        if self.fail_next_edit_of.get() == Some(kind) {
            self.fail_next_edit_of.set(None);
            return Err(disk_full());
        }
        self.inner.edit_doc(id, edit)
    }
    fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        self.inner.query(q)
    }
    fn index_row(&self, id: &str) -> Result<Option<IndexRow>, StoreError> {
        DocumentStore::index_row(&self.inner, id)
    }
    fn last_seq(&self) -> Result<i64, StoreError> {
        self.inner.last_seq()
    }
    fn changed_since(
        &self,
        seq: i64,
        estates: &[String],
        limit: usize,
    ) -> Result<Vec<Changed>, StoreError> {
        self.inner.changed_since(seq, estates, limit)
    }
    fn put_blob(&mut self, bytes: &[u8], mime: &str) -> Result<String, StoreError> {
        self.inner.put_blob(bytes, mime)
    }
    fn begin(&mut self) -> Result<(), StoreError> {
        self.inner.begin()
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        self.inner.commit()
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.inner.rollback()
    }
}

fn staff(id: &str, role: Role) -> Staff {
    Staff {
        id: id.into(),
        name: id.into(),
        role,
        estates: vec!["e1".into()],
    }
}

fn session(store: Faulty, who: Staff) -> Session<Faulty> {
    Session::new(store, who, RulesConfig::default(), WorkCalendar::china())
}

/// Switches the person working on the same phone's store.
fn as_(s: Session<Faulty>, who: Staff) -> Session<Faulty> {
    session(s.into_store(), who)
}

fn request() -> OrderRequest {
    OrderRequest {
        id: RecordId::new(),
        source: Source {
            kind: SourceKind::ResidentRequest,
            record_id: None,
            item_id: None,
        },
        category: "plumbing".into(),
        place: Place {
            estate_id: "e1".into(),
            unit_id: Some("u-101".into()),
            common_area_id: None,
            detail: String::new(),
        },
        emergency: false,
        resident: Contact {
            name: Personal("王芳".into()),
            phone: Personal("13800138000".into()),
        },
        content: "厨房水管漏水".into(),
        agreed_due_at: None,
        rework_of: None,
        paid_service: false,
    }
}

/// An order the technician has worked on and may now complete.
fn worked_order() -> (Session<Faulty>, RecordId) {
    let mut s = session(Faulty::new(), staff("reception", Role::Receptionist));
    let id = s.register_order(&request()).unwrap();
    s.dispatch(&id, "tech").unwrap();
    let mut s = as_(s, staff("tech", Role::Technician));
    s.accept(&id).unwrap();
    s.start_work(&id).unwrap();
    let start = s.order(&id).unwrap().work.started_at;
    s.record_work(
        &id,
        &WorkRecord {
            work_done: "换阀门 / replaced the valve".into(),
            started_at: start,
            ended_at: start.map(|t| t + 3_600_000),
            prep_minutes: 10,
        },
    )
    .unwrap();
    (s, id)
}

fn revisits(s: &Session<Faulty>) -> usize {
    s.store()
        .query(&Query {
            kind: Some(RecordKind::Revisit),
            ..Query::default()
        })
        .unwrap()
        .len()
}

#[test]
fn completing_an_order_whose_revisit_cannot_be_stored_keeps_nothing_and_a_retry_does_it_all() {
    let (mut s, id) = worked_order();
    let before = s.order(&id).unwrap();

    s.store().fail_next_create.set(true);
    s.complete(&id)
        .expect_err("the revisit could not be stored");
    let after = s.order(&id).unwrap();
    assert_eq!(
        after.status(),
        before.status(),
        "the order is not completed"
    );
    assert_eq!(revisits(&s), 0);

    let revisit = s.complete(&id).expect("the retry goes through");
    let order = s.order(&id).unwrap();
    assert_eq!(order.status(), Some(OrderStatus::Completed));
    assert_eq!(order.links.revisit_ids, vec![revisit.to_string()]);
    assert_eq!(revisits(&s), 1);
    assert!(s.store().inner.verify().unwrap().is_empty());
}

#[test]
fn a_visit_whose_order_cannot_be_updated_is_not_half_recorded() {
    let (mut s, id) = worked_order();
    // Recording the visit edits the revisit, then the order it followed;
    // the second fails.
    s.complete(&id).unwrap();
    let mut s = as_(s, staff("reception", Role::Receptionist));
    let revisit = s.order(&id).unwrap().links.revisit_ids[0].clone();
    let revisit = RecordId::parse(&revisit).unwrap();

    s.store().fail_next_edit_of.set(Some(RecordKind::WorkOrder));
    let outcome = Outcome {
        method: Some(Method::Phone),
        satisfaction: Some(Satisfaction::Satisfied),
        ..Outcome::default()
    };
    s.record_revisit(&revisit, outcome.clone(), None)
        .expect_err("the order could not be updated");
    assert_eq!(
        s.revisit(&revisit).unwrap().outcome,
        Outcome::default(),
        "the visit is not half-recorded"
    );

    s.record_revisit(&revisit, outcome, None)
        .expect("the retry goes through");
    assert_eq!(
        s.revisit(&revisit).unwrap().outcome.satisfaction,
        Some(Satisfaction::Satisfied)
    );
}
