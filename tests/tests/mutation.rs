//! A real server given mutated sync input: a signed-in technician's honest
//! edit of one of their orders, flipped, cut, spliced with another record's
//! bytes, duplicated, given huge LEB128 lengths, and changes crafted to
//! declare billions of operations or to trip Automerge, each posted through
//! `/v1/sync`. Every answer is prompt: HTTP 200 with this document's verdict
//! (a refusal code, or stored) or 413 for a body past the limit, never 500;
//! nothing refused reaches another phone; the server keeps answering; and
//! the honest edit still goes through at the end.

use std::num::NonZeroU64;
use std::time::Duration;

use automerge::{legacy, Change, ChangeHash, ExpandedChange, ScalarValue};
use rounds_core::documents::work_order::WorkOrderDoc;
use rounds_core::store::{DocumentStore, Query};
use rounds_core::sync::{heads_to_hex, to_base64};
use rounds_core::time::now_millis;
use rounds_core::{RecordId, RecordKind};
use rounds_tests::*;
use serde_json::json;

/// Past this the body is refused whole (413); the server runs with it.
const MAX_BODY: usize = 1_000_000;

fn first(d: &Device, status: &str) -> RecordId {
    let rows = d
        .store
        .query(&Query {
            kind: Some(RecordKind::WorkOrder),
            status: Some(status.into()),
            ..Default::default()
        })
        .unwrap();
    RecordId::parse(&rows.first().expect("an order in that status").id).unwrap()
}

/// Heads of `id` as another phone of the estate receives them.
fn seen_by(watcher: &mut Device, id: &RecordId) -> Vec<String> {
    watcher.sync().expect("the watcher syncs");
    heads(&watcher.store, id)
}

/// A note made on the phone (not yet sent): the changes it would send and
/// its heads after.
fn note(d: &mut Device, id: &RecordId, text: &str) -> (Vec<u8>, Vec<ChangeHash>) {
    let base = d.store.load(id).unwrap().heads();
    let who = d.who(now_millis());
    d.store
        .edit(id, |o: &mut WorkOrderDoc, _| {
            o.add_note(&RecordId::new().to_string(), text, &who)
        })
        .unwrap();
    let mut doc = d.store.load(id).unwrap();
    (doc.changes_since(&base), doc.heads())
}

/// Posts one document with a client that gives up after a minute, so a
/// request the server never answers fails the test instead of hanging it.
fn post(
    what: &str,
    d: &Device,
    id: &RecordId,
    heads: &[ChangeHash],
    changes: &[u8],
) -> (u16, serde_json::Value) {
    let body = json!({
        "cursor": 0,
        "docs": [{ "id": id.to_string(), "kind": "work_order", "heads": heads_to_hex(heads), "changes": to_base64(changes) }],
    });
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let resp = client
        .post(format!("{}/v1/sync", d.base))
        .bearer_auth(d.http.token().expect("signed in"))
        .json(&body)
        .send()
        .unwrap_or_else(|e| panic!("{what}: no answer within a minute: {e}"));
    let status = resp.status().as_u16();
    let answer: serde_json::Value = resp.json().unwrap_or(serde_json::Value::Null);
    let result = answer["results"]
        .as_array()
        .and_then(|r| r.first().cloned())
        .unwrap_or(answer);
    (status, result)
}

// --- Bytes, by hand -------------------------------------------------------

struct Rng(u64);

impl Rng {
    /// xorshift: the same mutations every run.
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Where each change chunk lies: magic, checksum, type, LEB128 length.
fn chunks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = vec![];
    let mut at = 0;
    while bytes.len() >= at + 10 {
        let (mut len, mut shift, mut i) = (0usize, 0, at + 9);
        while let Some(b) = bytes.get(i) {
            len |= usize::from(b & 0x7f) << shift;
            i += 1;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        if i + len > bytes.len() {
            break;
        }
        out.push(at..i + len);
        at = i + len;
    }
    out
}

/// A change of `ops` puts of null at the root key "x", each with `preds`
/// predecessors, written as runs: under a hundred bytes declare any number.
/// (Automerge does not check a change chunk's checksum when it reads one.)
fn runs(actor: &[u8], deps: &[ChangeHash], ops: u64, preds: u64) -> Vec<u8> {
    let run = |count: u64, value: &dyn Fn(&mut Vec<u8>)| {
        let mut d = vec![];
        sleb(&mut d, count.min(i64::MAX as u64) as i64);
        value(&mut d);
        d
    };
    let mut columns: Vec<(u64, Vec<u8>)> = vec![
        (
            0x15,
            run(ops, &|d| {
                uleb(d, 1);
                d.push(b'x');
            }),
        ),
        (0x34, {
            let mut d = vec![];
            uleb(&mut d, ops);
            d
        }),
        (0x42, run(ops, &|d| uleb(d, 1))),
        (0x56, run(ops, &|d| uleb(d, 0))),
        (0x70, run(ops, &|d| uleb(d, preds))),
    ];
    if preds > 0 {
        let total = ops.saturating_mul(preds);
        columns.push((0x71, run(total, &|d| uleb(d, 0))));
        columns.push((0x73, run(total, &|d| sleb(d, 1))));
    }
    let mut data = vec![];
    uleb(&mut data, deps.len() as u64);
    for h in deps {
        data.extend_from_slice(&h.0);
    }
    uleb(&mut data, actor.len() as u64);
    data.extend_from_slice(actor);
    uleb(&mut data, 1); // seq
    uleb(&mut data, 1); // start op
    sleb(&mut data, 0); // time
    uleb(&mut data, 0); // message
    uleb(&mut data, 0); // other actors
    uleb(&mut data, columns.len() as u64);
    for (spec, col) in &columns {
        uleb(&mut data, *spec);
        uleb(&mut data, col.len() as u64);
    }
    for (_, col) in &columns {
        data.extend_from_slice(col);
    }
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1];
    uleb(&mut out, data.len() as u64);
    out.extend(data);
    out
}

/// One change with the given operations, after `deps`, by `actor`.
fn expanded(
    actor: &automerge::ActorId,
    deps: &[ChangeHash],
    seq: u64,
    ops: Vec<legacy::Op>,
) -> Vec<u8> {
    Change::from(ExpandedChange {
        operations: ops,
        actor_id: actor.clone(),
        hash: None,
        seq,
        start_op: NonZeroU64::new(1_000).unwrap(),
        time: 0,
        message: None,
        deps: deps.to_vec(),
        extra_bytes: vec![],
        author: None,
    })
    .raw_bytes()
    .to_vec()
}

struct Input {
    what: String,
    changes: Vec<u8>,
    heads: Vec<ChangeHash>,
}

fn mutated_sync_input_gets_a_prompt_clear_answer_and_stores_nothing_refused(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        backend,
        data.path(),
        &["--max-body-bytes", &MAX_BODY.to_string()],
    );
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut watcher = Device::login(&base, "director");
    tech.sync().unwrap();
    watcher.sync().unwrap();
    let order = first(&tech, "dispatched");
    let other = first(&tech, "in_progress");
    assert_ne!(order, other);
    let stored = tech.store.load(&order).unwrap().heads();
    let actor = tech.store.device_id().actor();

    // The honest edits the mutations start from, held back on the phone.
    let (edit, edit_heads) = note(&mut tech, &order, "住户说下午三点后在家");
    let (more, _) = note(&mut tech, &order, "已备好配件");
    let edit_more: Vec<u8> = [edit.clone(), more].concat();
    let (foreign, _) = note(&mut tech, &other, "另一张单的备注");
    let all_heads = tech.store.load(&order).unwrap().heads();

    let mut rng = Rng(0x0dd_ba11_5eed);
    let mut inputs: Vec<Input> = vec![];
    let mut add = |what: String, changes: Vec<u8>, heads: &[ChangeHash]| {
        inputs.push(Input {
            what,
            changes,
            heads: heads.to_vec(),
        })
    };
    // First what is crafted, before any mutation may have been stored.
    // Run-length columns declaring more than any request may ask for.
    for (ops, preds) in [(1u64 << 40, 0u64), (1, 1 << 40), (200_001, 0)] {
        add(
            format!("{ops} operations of {preds} predecessors in under 100 bytes"),
            runs(actor.to_bytes(), &stored, ops, preds),
            &[],
        );
    }
    // Changes that decode but that Automerge 0.12 cannot apply (it panics).
    let root = legacy::ObjectId::Root;
    let null = || legacy::OpType::Put(ScalarValue::Null);
    let put = |obj: legacy::ObjectId| legacy::Op {
        action: null(),
        obj,
        key: legacy::Key::Map("x".into()),
        pred: vec![].into(),
        insert: false,
    };
    let nowhere = legacy::ObjectId::Id(legacy::OpId(999_999, actor.clone()));
    add(
        "an operation in an object that does not exist".into(),
        expanded(&actor, &stored, 1, vec![put(nowhere)]),
        &[],
    );
    add(
        "a first change numbered 2".into(),
        expanded(&actor, &stored, 2, vec![put(root.clone())]),
        &[],
    );
    add(
        "an operation overwriting one that does not exist".into(),
        expanded(
            &actor,
            &stored,
            1,
            vec![legacy::Op {
                pred: vec![legacy::OpId(999_999, actor.clone())].into(),
                ..put(root)
            }],
        ),
        &[],
    );
    // Huge values: a note of 512 KiB (refused by the document limits) and
    // one of 800 KiB (its body, in base64, past the request limit).
    for kib in [512, 800] {
        let mut raw = rounds_tests::hostile::Raw::of(&tech, &order);
        raw.base = stored.clone();
        let text = "x".repeat(kib << 10);
        let n = json!({ "id": RecordId::new().to_string(), "by": tech.staff.id, "at": now_millis(), "text": text });
        raw.push_json(&["notes"], &n)
            .commit_as(&tech.staff.id, "technician", "add note");
        let heads = raw.heads();
        add(format!("a note of {kib} KiB"), raw.changes(), &heads);
    }
    for i in 0..8 {
        let mut b = edit_more.clone();
        let flips = 1 + rng.below(4);
        for _ in 0..flips {
            let at = rng.below(b.len());
            b[at] ^= 1 << rng.below(8);
        }
        let heads = if i % 2 == 0 { &all_heads[..] } else { &[][..] };
        add(format!("{flips} bits flipped"), b, heads);
    }
    for _ in 0..5 {
        let cut = rng.below(edit_more.len());
        add(
            format!("cut at {cut}"),
            edit_more[..cut].to_vec(),
            &all_heads,
        );
    }
    for _ in 0..2 {
        let skip = 1 + rng.below(edit_more.len() - 1);
        add(
            format!("first {skip} bytes dropped"),
            edit_more[skip..].to_vec(),
            &[],
        );
    }
    for _ in 0..3 {
        let (a, b) = (rng.below(edit_more.len()), rng.below(foreign.len()));
        let spliced = [&edit_more[..a], &foreign[b..]].concat();
        add(
            format!("spliced at {a} with another order's bytes from {b}"),
            spliced,
            &[],
        );
    }
    add(
        "another order's changes after this one's".into(),
        [edit_more.clone(), foreign.clone()].concat(),
        &all_heads,
    );
    let parts = chunks(&edit_more);
    assert_eq!(parts.len(), 2, "two notes, two changes");
    add(
        "a change sent twice".into(),
        [&edit[..], &edit[..]].concat(),
        &edit_heads,
    );
    add(
        "the changes in reverse order".into(),
        [&edit_more[parts[1].clone()], &edit_more[parts[0].clone()]].concat(),
        &all_heads,
    );
    add(
        "the second change alone".into(),
        edit_more[parts[1].clone()].to_vec(),
        &all_heads,
    );
    for value in [u64::MAX, 1 << 63, 1 << 32, 200_001, 5_001] {
        let mut b = edit_more.clone();
        let at = rng.below(b.len());
        let mut leb = vec![];
        uleb(&mut leb, value);
        let end = (at + leb.len()).min(b.len());
        if value % 2 == 0 {
            b.splice(at..at, leb);
        } else {
            b.splice(at..end, leb);
        }
        add(format!("LEB128 {value} at {at}"), b, &all_heads);
    }
    // The chunk length itself, lying.
    for value in [0u64, 1 << 40] {
        let mut b = edit.clone();
        let n = 1 + edit[9..].iter().take_while(|b| *b & 0x80 != 0).count();
        let mut leb = vec![];
        uleb(&mut leb, value);
        b.splice(9..9 + n, leb);
        add(format!("a chunk claiming {value} bytes"), b, &edit_heads);
    }
    assert!(inputs.len() >= 36, "{} inputs", inputs.len());

    let mut answers = vec![];
    for input in &inputs {
        let before = seen_by(&mut watcher, &order);
        let (status, result) = post(&input.what, &tech, &order, &input.heads, &input.changes);
        let what = &input.what;
        let verdict = match status {
            200 => match (result["error"]["code"].as_str(), result["heads"].is_array()) {
                (Some(code), false) if !code.is_empty() => code.to_owned(),
                (None, true) => "stored".to_owned(),
                _ => panic!("{what}: an answer without a verdict: {result}"),
            },
            413 => {
                assert!(
                    to_base64(&input.changes).len() > MAX_BODY - 10_000,
                    "{what}: 413 for a body within the limit"
                );
                "413".to_owned()
            }
            other => panic!("{what}: HTTP {other}: {result}"),
        };
        let after = seen_by(&mut watcher, &order);
        if verdict != "stored" {
            assert_eq!(
                after, before,
                "{what} ({verdict}): nothing reached another phone"
            );
        }
        answers.push((what.clone(), verdict));
    }
    let verdict = |what: &str| {
        answers
            .iter()
            .find(|(w, _)| w.starts_with(what))
            .map(|(_, v)| v.as_str())
            .unwrap()
    };
    for bomb in [
        "1099511627776 operations",
        "1 operations of 1099511627776",
        "200001 operations",
    ] {
        assert_eq!(verdict(bomb), "too_large", "{bomb}");
    }
    assert_eq!(verdict("a note of 512 KiB"), "too_large");
    assert_eq!(verdict("a note of 800 KiB"), "413");
    for trap in [
        "an operation in an object",
        "a first change numbered 2",
        "an operation overwriting",
    ] {
        assert_eq!(verdict(trap), "corrupt", "{trap}");
    }
    for (what, v) in &answers {
        eprintln!("{v:>18}  {what}");
    }
    let refused = answers.iter().filter(|(_, v)| v != "stored").count();
    assert!(refused > answers.len() / 2, "{answers:#?}");

    // The server still answers everyone, and the honest edits go through.
    let mut fresh = Device::login(&base, "reception");
    fresh.sync().expect("a new sign-in syncs");
    note(&mut tech, &order, "修好了,住户满意");
    let summary = tech.sync().expect("the technician syncs");
    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
    let mut mine = tech.store.load(&order).unwrap().heads();
    mine.sort();
    let mine: Vec<String> = mine.iter().map(ToString::to_string).collect();
    assert_eq!(seen_by(&mut watcher, &order), mine);
    assert_eq!(heads(&watcher.store, &other), heads(&tech.store, &other));
    let seen = watcher
        .store
        .get::<WorkOrderDoc>(&order)
        .unwrap()
        .read()
        .expect("the order still reads");
    for text in ["住户说下午三点后在家", "已备好配件", "修好了,住户满意"] {
        assert!(seen.notes.iter().any(|n| n.text == text), "{text}");
    }
}

on_both_backends!(mutated_sync_input_gets_a_prompt_clear_answer_and_stores_nothing_refused);
