//! The office's lists after an upgrade: list rows an older release derived
//! (a status it named differently, a fact it did not keep) are derived again
//! from the documents when the server opens its database, once, on SQLite
//! and on PostgreSQL.

use std::path::Path;

use rounds_core::documents::index::ROW_VERSION;
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::{Record, Who};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, Role};
use rounds_tests::*;

/// The rows as an older release might have left them, marked as derived by
/// `version`.
fn age_rows(backend: &Backend, data: &Path, version: i64) {
    let sql = format!(
        "UPDATE record_index SET status = 'as_the_old_code_said';
         UPDATE index_meta SET row_version = {version};"
    );
    match backend {
        Backend::Sqlite => rusqlite::Connection::open(data.join("rounds.db"))
            .unwrap()
            .execute_batch(&sql)
            .unwrap(),
        Backend::Postgres { url } => postgres::Client::connect(url, postgres::NoTls)
            .unwrap()
            .batch_execute(&sql)
            .unwrap(),
    }
}

fn status(backend: &Backend, data: &Path, id: &RecordId) -> String {
    backend.with_storage(data, |db| {
        db.index_row(id.as_str()).unwrap().unwrap().status
    })
}

fn old_rows_are_derived_again_when_the_database_is_opened(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let id = backend.with_storage(data.path(), |db| {
        let draft = order_draft(ESTATE_A, "e-sunshine-2-1-301", "卫生间漏水");
        let who = Who {
            staff_id: "s-reception".into(),
            role: Role::Receptionist,
            device_id: db.device_id(),
            at: now_millis(),
        };
        let mut order = WorkOrderDoc::register(&draft, db.device_id(), &who).unwrap();
        db.create_doc(order.record_mut()).unwrap();
        draft.id
    });

    age_rows(backend, data.path(), ROW_VERSION);
    assert_eq!(
        status(backend, data.path(), &id),
        "as_the_old_code_said",
        "rows of the current derivation are left alone"
    );
    age_rows(backend, data.path(), 0);
    assert_eq!(status(backend, data.path(), &id), "registered");
}

#[test]
fn old_rows_are_derived_again_on_sqlite() {
    old_rows_are_derived_again_when_the_database_is_opened(&Backend::Sqlite);
}

#[test]
fn old_rows_are_derived_again_on_postgres() {
    if let Some(pg) = Backend::postgres() {
        old_rows_are_derived_again_when_the_database_is_opened(&pg);
    }
}
