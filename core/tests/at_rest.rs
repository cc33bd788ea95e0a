//! The phone's store at rest: encrypted under its key, unreadable without it
//! or with another, a plain store from an earlier release encrypted in place
//! with nothing lost, and a store whose key is lost set aside for a new one.

use crate::common;

use std::path::Path;

use common::*;
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::documents::Record;
use rounds_core::message::{ErrorCode, Explain};
use rounds_core::store::{set_aside, Created, DocumentStore, Store, StoreError, StoreKey};
use rounds_core::{RecordId, Role};

/// The resident's name in `order_draft`, as it is written in a plain store.
const RESIDENT: &str = "王芳";

fn key(byte: u8) -> StoreKey {
    StoreKey::from_bytes(&[byte; StoreKey::LEN]).unwrap()
}

/// Registers one order for unit 301 and returns its id.
fn register(store: &mut Store) -> RecordId {
    let d = store.device_id();
    let mut order = WorkOrderDoc::register(
        &order_draft("u-301", T0 + HOUR),
        d,
        &who("r1", Role::Receptionist, d, T0),
    )
    .unwrap();
    assert_eq!(store.create(&mut order).unwrap(), Created::New);
    order.record().id().clone()
}

/// Every byte SQLite keeps for the store at `path`: the file and its log.
fn on_disk(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        if let Ok(more) = std::fs::read(companion) {
            bytes.extend(more);
        }
    }
    bytes
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

fn refused(result: Result<Store, StoreError>) -> StoreError {
    match result {
        Ok(_) => panic!("the store opened"),
        Err(e) => e,
    }
}

#[test]
fn a_store_written_with_one_key_opens_with_that_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.sqlite3");
    let (id, device) = {
        let mut store = Store::open_encrypted(&path, &key(0xA1)).unwrap();
        (register(&mut store), store.device_id())
    };
    let written = std::fs::read(&path).unwrap();

    let without = refused(Store::open(&path));
    assert!(matches!(without, StoreError::WrongKey), "{without:?}");
    let other = refused(Store::open_encrypted(&path, &key(0xB2)));
    assert!(matches!(other, StoreError::WrongKey), "{other:?}");
    assert_eq!(other.code(), ErrorCode::WrongStoreKey);
    let said = other.message();
    assert_eq!(said.zh, "无法打开本机数据:密钥不对,或不是 Rounds 数据库");
    assert_eq!(
        said.en,
        "cannot open this phone's data: wrong key or not a Rounds store"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        written,
        "refused opens leave the file as it was"
    );

    let store = Store::open_encrypted(&path, &key(0xA1)).unwrap();
    assert_eq!(store.device_id(), device, "the phone keeps its identity");
    let order: WorkOrderDoc = store.get(&id).unwrap();
    assert_eq!(order.record().id(), &id);
    assert_eq!(store.unit_history("u-301").unwrap().len(), 1);
    assert!(store.verify().unwrap().is_empty());
}

#[test]
fn a_residents_name_is_on_disk_in_a_plain_store_and_not_in_an_encrypted_one() {
    let dir = tempfile::tempdir().unwrap();
    let plain_path = dir.path().join("plain.sqlite3");
    let encrypted_path = dir.path().join("encrypted.sqlite3");
    let mut plain = Store::open(&plain_path).unwrap();
    let mut encrypted = Store::open_encrypted(&encrypted_path, &key(7)).unwrap();
    register(&mut plain);
    register(&mut encrypted);
    // Looked at while both are open: what is in the log counts too.
    assert!(holds(&on_disk(&plain_path), RESIDENT));
    assert!(!holds(&on_disk(&encrypted_path), RESIDENT));
    assert!(!holds(&on_disk(&encrypted_path), "SQLite format 3"));
}

#[test]
fn a_plain_store_from_an_earlier_release_is_encrypted_in_place_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.sqlite3");
    let (id, device, pending, photo) = {
        let mut store = Store::open(&path).unwrap();
        let id = register(&mut store);
        let photo = store
            .put_blob(b"\x89PNG a leak on the ceiling", "image/png")
            .unwrap();
        (id, store.device_id(), store.dirty_count().unwrap(), photo)
    };
    assert!(holds(&on_disk(&path), RESIDENT));

    let store = Store::open_encrypted(&path, &key(3)).unwrap();
    assert_eq!(store.device_id(), device);
    let order: WorkOrderDoc = store.get(&id).unwrap();
    assert_eq!(order.record().id(), &id);
    assert_eq!(
        store.dirty_count().unwrap(),
        pending,
        "what waits to sync still waits"
    );
    assert_eq!(
        store.blob(&photo).unwrap().0,
        b"\x89PNG a leak on the ceiling"
    );
    assert!(store.verify().unwrap().is_empty());
    drop(store);

    assert!(!holds(&on_disk(&path), RESIDENT));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("encrypting"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(matches!(refused(Store::open(&path)), StoreError::WrongKey));
    // And it keeps opening with its key.
    assert_eq!(
        Store::open_encrypted(&path, &key(3)).unwrap().device_id(),
        device
    );
}

#[test]
fn a_file_that_is_no_store_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.sqlite3");
    let junk = vec![0x5Au8; 8192];
    std::fs::write(&path, &junk).unwrap();
    assert!(matches!(
        refused(Store::open_encrypted(&path, &key(1))),
        StoreError::WrongKey
    ));
    assert!(matches!(refused(Store::open(&path)), StoreError::WrongKey));
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn a_key_of_the_wrong_length_is_refused_beside_its_field() {
    let e = StoreKey::from_bytes(&[0u8; 16]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Invalid);
    assert_eq!(e.field().as_deref(), Some("store_key"));
    assert_eq!(e.message().en, "the store key must be 32 bytes, not 16");
    assert_eq!(
        format!("{:?}", key(0xEE)),
        "StoreKey(…)",
        "a key never shows in logs"
    );
}

#[test]
fn a_store_whose_key_is_lost_is_set_aside_and_a_new_one_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rounds.sqlite3");
    let old_device = {
        let mut store = Store::open_encrypted(&path, &key(9)).unwrap();
        register(&mut store);
        store.device_id()
    };
    assert!(matches!(
        refused(Store::open_encrypted(&path, &key(10))),
        StoreError::WrongKey
    ));

    let aside = set_aside(&path).unwrap();
    assert!(aside.exists());
    assert!(!path.exists());
    let fresh = Store::open_encrypted(&path, &key(10)).unwrap();
    assert_ne!(fresh.device_id(), old_device, "a new store is a new phone");
    assert!(fresh.unit_history("u-301").unwrap().is_empty());
    // The old one still opens with its own key, should that key come back.
    assert_eq!(
        Store::open_encrypted(&aside, &key(9)).unwrap().device_id(),
        old_device
    );
}
