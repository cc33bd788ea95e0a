//! A token's event stream ends as soon as the token stops working: the
//! console signs out, or the phone signs in again (which replaces its
//! token), in the process that holds the stream or, on PostgreSQL, in
//! another one. Other devices' streams go on.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::DocumentStore;
use rounds_core::time::now_millis;
use rounds_core::RecordId;
use rounds_tests::*;
use serde_json::json;

/// How long a stream may take to end or be poked before the story fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// An open `GET /v1/events`: its `changed` events, and a note when it ends.
struct Events {
    changed: mpsc::Receiver<()>,
    ended: mpsc::Receiver<()>,
}

fn listen(base: &str, token: &str) -> Events {
    let resp = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .unwrap()
        .get(format!("{base}/v1/events"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (changed_tx, changed) = mpsc::channel();
    let (ended_tx, ended) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(resp).lines().map_while(Result::ok) {
            if line == "event: changed" {
                let _ = changed_tx.send(());
            }
        }
        let _ = ended_tx.send(());
    });
    Events { changed, ended }
}

impl Events {
    fn assert_ends(&self, what: &str) {
        self.ended
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("{what}: the event stream is still open"));
    }

    /// Still open: a change made elsewhere reaches it.
    fn assert_poked(&self, what: &str) {
        self.changed
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("{what}: no poke arrived"));
        assert!(self.ended.try_recv().is_err(), "{what}: the stream ended");
    }
}

fn console_login(base: &str, username: &str) -> String {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/console/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.json::<serde_json::Value>().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn console_logout(base: &str, token: &str) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/console/logout"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

/// The desk dispatches a registered order: a change phones are poked about.
fn dispatch_one(desk: &mut Device) {
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
    desk.sync().unwrap();
}

fn signing_out_of_the_console_ends_its_event_stream(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let token = console_login(&base, "supervisor");
    let events = listen(&base, &token);
    console_logout(&base, &token);
    events.assert_ends("after signing out");
}

fn signing_in_again_ends_the_old_tokens_stream_and_no_one_elses(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut desk = Device::login(&base, "reception");
    desk.sync().unwrap();
    let mut tech = Device::login(&base, "tech");
    let colleague = Device::login(&base, "tech2");
    let old = listen(&base, tech.http.token().unwrap());
    let theirs = listen(&base, colleague.http.token().unwrap());

    tech.http
        .login(&tech.store, "tech", PASSWORD, "tech's phone")
        .unwrap();
    old.assert_ends("after the phone signed in again");

    let new = listen(&base, tech.http.token().unwrap());
    dispatch_one(&mut desk);
    new.assert_poked("the new token's stream");
    theirs.assert_poked("a colleague's stream");
}

/// On PostgreSQL: the stream is held by one process, the sign-out or the
/// new sign-in goes through another.
#[test]
fn a_session_ended_through_another_server_process_on_postgres_ends_the_stream_here() {
    let Some(pg) = Backend::postgres() else {
        return;
    };
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s1 = Server::start_demo(&pg, d1.path());
    let s2 = Server::start_demo(&pg, d2.path());

    let token = console_login(&s1.base(), "supervisor");
    let events = listen(&s1.base(), &token);
    console_logout(&s2.base(), &token);
    events.assert_ends("signed out through the other process");

    let mut desk = Device::login(&s2.base(), "reception");
    desk.sync().unwrap();
    let tech = Device::login(&s1.base(), "tech");
    let colleague = Device::login(&s1.base(), "tech2");
    let old = listen(&s1.base(), tech.http.token().unwrap());
    let theirs = listen(&s1.base(), colleague.http.token().unwrap());
    let mut again = rounds_core::sync::http::HttpSync::new(&s2.base()).unwrap();
    again
        .login(&tech.store, "tech", PASSWORD, "tech's phone")
        .unwrap();
    old.assert_ends("signed in again through the other process");
    dispatch_one(&mut desk);
    theirs.assert_poked("a colleague's stream");
}

on_both_backends!(
    signing_out_of_the_console_ends_its_event_stream,
    signing_in_again_ends_the_old_tokens_stream_and_no_one_elses,
);
