//! `rounds-server demo` killed while it seeds: the next start finishes the
//! data set, with every record, user and signature image there once.

use std::collections::BTreeMap;

use rounds_core::store::Query;
use rounds_core::sync::attachments::attachments_of;
use rounds_core::RecordId;
use rounds_server::demo::{demo_staff, price_list, seed_state, seed_until, ESTATE_A, ESTATE_B};
use rounds_server::state::Db;
use rounds_server::{AppState, Limits};

/// What a user sees of the demo: every record (id → kind, status, title),
/// every user, and whether each image a record names can be read.
#[derive(Debug, PartialEq, Eq)]
struct DataSet {
    records: BTreeMap<String, (String, String, String)>,
    users: Vec<String>,
    unreadable_images: Vec<String>,
}

fn data_set(db: &mut Db) -> DataSet {
    let rows = db.query(&Query::default()).unwrap();
    let records: BTreeMap<_, _> = rows
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                (
                    r.kind.as_str().to_owned(),
                    r.status.clone(),
                    r.title.clone(),
                ),
            )
        })
        .collect();
    assert_eq!(records.len(), rows.len(), "no id listed twice");
    let users = demo_staff()
        .into_iter()
        .filter(|(u, ..)| db.password_of(u).unwrap().is_some())
        .map(|(u, ..)| u.to_owned())
        .collect();
    let mut unreadable_images = vec![];
    for r in &rows {
        let id = RecordId::parse(&r.id).unwrap();
        let hashes = attachments_of(&*db, &id).unwrap();
        for hash in hashes {
            if !db
                .blob_readable(&hash, std::slice::from_ref(&r.estate_id))
                .unwrap()
            {
                unreadable_images.push(hash);
            }
        }
    }
    DataSet {
        records,
        users,
        unreadable_images,
    }
}

fn fresh() -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (AppState::open(dir.path(), Limits::default()).unwrap(), dir)
}

#[test]
fn an_interrupted_seed_is_finished_on_the_next_start_and_nothing_is_doubled() {
    // The demo command gives the company the demo's price list, then seeds.
    let (full, _d) = fresh();
    price_list::adopt(&full).unwrap();
    let company = full.company();
    let writes = full
        .with_db(|db| seed_until(db, &company.rules, &company.calendar, None))
        .unwrap();
    let expected = full.with_db(|db| Ok(data_set(db))).unwrap();
    assert_eq!(expected.users.len(), demo_staff().len());
    assert!(expected.unreadable_images.is_empty(), "{expected:?}");
    let kinds: Vec<&str> = expected.records.values().map(|r| r.0.as_str()).collect();
    for kind in ["estate", "work_order", "complaint", "revisit", "template"] {
        assert!(kinds.contains(&kind), "the demo has a {kind}");
    }
    assert!(writes > 100, "{writes} writes");
    assert!(
        !seed_state(&full).unwrap(),
        "a finished seed is not run again"
    );

    // Killed after the first record, among the users, among the orders,
    // while copying the month (before and after a signature image), and
    // just before the last write.
    for stop in [1, 5, 20, 60, 75, 90, writes - 20, writes - 1] {
        let (state, _dir) = fresh();
        price_list::adopt(&state).unwrap();
        let company = state.company();
        let stopped =
            state.with_db(|db| seed_until(db, &company.rules, &company.calendar, Some(stop)));
        assert!(stopped.is_err(), "stopped after {stop} writes");
        let partial = state.with_db(|db| Ok(data_set(db))).unwrap();
        assert_ne!(partial, expected, "stopped after {stop} writes");

        // The next start finishes it.
        assert!(seed_state(&state).unwrap(), "resumed after {stop} writes");
        let mut resumed = state.with_db(|db| Ok(data_set(db))).unwrap();
        assert_eq!(resumed.users, expected.users, "after {stop}");
        assert_eq!(resumed.unreadable_images, expected.unreadable_images);
        assert_eq!(
            resumed.records.keys().collect::<Vec<_>>(),
            expected.records.keys().collect::<Vec<_>>(),
            "the same records, none doubled, after {stop}"
        );
        // Each as far along its life, under the same title.
        for (id, want) in &expected.records {
            assert_eq!(resumed.records.remove(id).as_ref(), Some(want), "{id}");
        }
        assert!(!seed_state(&state).unwrap(), "and then it is complete");
    }
}

#[test]
fn a_server_with_its_own_staff_is_not_seeded() {
    let (state, _dir) = fresh();
    let staff = rounds_core::Staff {
        id: "s-boss".into(),
        name: "老板".into(),
        role: rounds_core::Role::Director,
        estates: vec![ESTATE_A.into(), ESTATE_B.into()],
    };
    state
        .with_db(|db| db.put_staff(&staff, "boss", "not-a-hash"))
        .unwrap();
    assert!(!seed_state(&state).unwrap());
    let set = state.with_db(|db| Ok(data_set(db))).unwrap();
    assert!(set.records.is_empty() && set.users.is_empty(), "{set:?}");
}
