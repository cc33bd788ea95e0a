//! A connected phone hears of others' changes within a second; photos go up
//! resumably, once, and come down verified.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::DocumentStore;
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::*;

fn a_connected_technician_is_poked_within_a_second_of_a_dispatch(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    let tech = Device::login(&base, "tech");
    desk.sync().unwrap();

    let (tx, rx) = mpsc::channel();
    let events = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap()
        .get(format!("{base}/v1/events"))
        .bearer_auth(tech.http.token().unwrap())
        .send()
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    std::thread::spawn(move || {
        for line in BufReader::new(events).lines().map_while(Result::ok) {
            if line == "event: changed" && tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));

    let row = &desk
        .store
        .query(&rounds_core::store::Query {
            kind: Some(rounds_core::RecordKind::WorkOrder),
            status: Some("registered".into()),
            ..Default::default()
        })
        .unwrap()[0];
    let id = RecordId::parse(&row.id).unwrap();
    let who = desk.who(now_millis());
    desk.store
        .edit(&id, |o: &mut WorkOrderDoc, _| o.dispatch("s-tech", &who))
        .unwrap();
    let sent = Instant::now();
    desk.sync().unwrap();
    let poked = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the technician is poked");
    assert!(poked.duration_since(sent) < Duration::from_secs(1));
}

fn a_photo_upload_resumes_after_a_cut_and_arrives_once_verified(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut desk = Device::login(&base, "reception");
    // A JPEG's first bytes, then anything: the server serves what the bytes are.
    let mut photo: Vec<u8> = vec![0xFF, 0xD8, 0xFF, 0xE0];
    photo.extend((4..700_000u32).map(|i| (i * 7 % 251) as u8));
    let hash = tech.store.put_blob(&photo, "image/jpeg").unwrap();

    // The first chunk arrived before the connection dropped.
    let client = reqwest::blocking::Client::new();
    let cut = client
        .put(format!("{base}/v1/blobs/{hash}"))
        .bearer_auth(tech.http.token().unwrap())
        .header("content-range", format!("bytes 0-99999/{}", photo.len()))
        .body(photo[..100_000].to_vec())
        .send()
        .unwrap();
    assert!(cut.status().is_success());
    // A chunk at the wrong offset is refused with where to resume.
    let wrong = client
        .put(format!("{base}/v1/blobs/{hash}"))
        .bearer_auth(tech.http.token().unwrap())
        .header("content-range", format!("bytes 5-9/{}", photo.len()))
        .body(photo[5..10].to_vec())
        .send()
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 409);

    tech.http.upload_blob(&tech.store, &hash).unwrap();
    tech.http.upload_blob(&tech.store, &hash).unwrap();
    desk.http.download_blob(&mut desk.store, &hash).unwrap();
    assert_eq!(
        desk.store.blob(&hash).unwrap(),
        (photo, "image/jpeg".to_string())
    );

    // Another estate's staff cannot fetch it by knowing the hash.
    let mut tech_b = Device::login(&base, "tech-b");
    assert!(tech_b.http.download_blob(&mut tech_b.store, &hash).is_err());
    let token_b = tech_b.http.token().unwrap().to_owned();
    assert_eq!(
        get_json(&base, &token_b, &format!("/v1/blobs/{hash}")).0,
        404
    );
}

on_both_backends!(
    a_connected_technician_is_poked_within_a_second_of_a_dispatch,
    a_photo_upload_resumes_after_a_cut_and_arrives_once_verified,
);
