//! A hostile phone: a signed-in technician of the right estate sends
//! hand-made Automerge changes through `/v1/sync`. Every attack is refused
//! with its code, nothing of it is stored or reaches another phone, and an
//! honest edit of the same record still goes through.

use automerge::transaction::Transactable;
use automerge::ObjType;
use rounds_core::documents::complaint::ComplaintDoc;
use rounds_core::documents::lifecycle;
use rounds_core::documents::work_order::{OrderStatus, WorkOrder, WorkOrderDoc};
use rounds_core::signoff::DeviceKey;
use rounds_core::store::{DocumentStore, Query};
use rounds_core::time::now_millis;
use rounds_core::{DeviceId, RecordId, RecordKind};
use rounds_tests::hostile::{outcome, send_changes, Raw};
use rounds_tests::*;
use serde_json::json;

fn first(d: &Device, kind: RecordKind, status: Option<&str>) -> RecordId {
    let rows = d
        .store
        .query(&Query {
            kind: Some(kind),
            status: status.map(Into::into),
            ..Default::default()
        })
        .unwrap();
    RecordId::parse(&rows.first().expect("a record of that kind").id).unwrap()
}

fn order(d: &Device, id: &RecordId) -> WorkOrder {
    d.store.get::<WorkOrderDoc>(id).unwrap().read().unwrap()
}

/// The record's latest transition: what a new one must follow.
fn tip(o: &WorkOrder) -> String {
    lifecycle::tips(&o.events)[0].id.clone()
}

fn transition(d: &Device, after: &str, to: &str, assignee: Option<&str>) -> serde_json::Value {
    json!({
        "id": uuid(), "after": [after], "to": to, "by": d.staff.id, "role": d.staff.role,
        "device": d.store.device_id().to_string(), "at": now_millis(), "reason": null,
        "assignee": assignee,
    })
}

fn uuid() -> String {
    RecordId::new().to_string()
}

/// Heads of `id` as another phone of the estate receives them.
fn seen_by(watcher: &mut Device, id: &RecordId) -> Vec<String> {
    watcher.sync().unwrap();
    heads(&watcher.store, id)
}

struct Attack {
    what: &'static str,
    code: &'static str,
    raw: Raw,
}

fn a_hostile_phone_is_refused_field_by_field_and_nothing_is_stored(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_demo(backend, data.path());
    let base = server.base();
    let mut tech = Device::login(&base, "tech");
    let mut desk = Device::login(&base, "reception");
    let mut watcher = Device::login(&base, "director");
    let tech2 = Device::login(&base, "tech2");
    for d in [&mut tech, &mut desk, &mut watcher] {
        d.sync().unwrap();
    }
    let dispatched = first(&tech, RecordKind::WorkOrder, Some("dispatched"));
    let completed = first(&tech, RecordKind::WorkOrder, Some("in_progress"));
    let template = first(&tech, RecordKind::Template, None);

    // Reception notes something on the dispatched order; the technician
    // honestly finishes the other one. Both go through the same policy.
    let who = desk.who(now_millis());
    desk.store
        .edit(&dispatched, |o: &mut WorkOrderDoc, _| {
            o.add_note(&uuid(), "住户下午在家", &who)
        })
        .unwrap();
    assert!(desk.sync().unwrap().refused.is_empty());
    let who = tech.who(now_millis());
    tech.store
        .edit(&completed, |o: &mut WorkOrderDoc, _| {
            o.record_work(
                &rounds_core::documents::work_order::WorkRecord {
                    work_done: "更换水龙头阀芯".into(),
                    started_at: Some(now_millis() - 3_600_000),
                    ended_at: Some(now_millis()),
                    prep_minutes: 10,
                },
                &who,
            )?;
            o.complete(&who)
        })
        .unwrap();
    let summary = tech.sync().unwrap();
    assert!(summary.refused.is_empty(), "{:?}", summary.refused);
    assert_eq!(
        order(&tech, &completed).status(),
        Some(OrderStatus::Completed)
    );

    let d_order = order(&tech, &dispatched);
    let c_order = order(&tech, &completed);
    let last = d_order.events.len() - 1;
    let last_s = last.to_string();
    let mut attacks: Vec<Attack> = vec![];
    let mut attack = |what, code, id: &RecordId, edit: &dyn Fn(&mut Raw)| {
        let mut raw = Raw::of(&tech, id);
        edit(&mut raw);
        raw.commit_as(&tech.staff.id, "technician", what);
        attacks.push(Attack { what, code, raw });
    };

    attack(
        "rewrite a stored transition to reviewed",
        "append_only",
        &dispatched,
        &|r| {
            r.put(&["events", &last_s], "to", "reviewed");
        },
    );
    attack(
        "rewrite who made a transition",
        "append_only",
        &dispatched,
        &|r| {
            r.put(&["events", &last_s], "by", "s-supervisor").put(
                &["events", &last_s],
                "role",
                "supervisor",
            );
        },
    );
    attack("delete a transition", "append_only", &dispatched, &|r| {
        r.delete(&["events"], 0);
    });
    let t = transition(&tech, &tip(&c_order), "reviewed", None);
    attack(
        "review their own order",
        "transition_refused",
        &completed,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let t = transition(&tech, &tip(&c_order), "closed", None);
    attack(
        "close their own order",
        "transition_refused",
        &completed,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let t = transition(&tech, &tip(&d_order), "registered", None);
    attack(
        "reset an order to registered",
        "transition_refused",
        &dispatched,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let t = transition(&tech, &tip(&d_order), "dispatched", Some("s-tech"));
    attack(
        "dispatch to themselves",
        "transition_refused",
        &dispatched,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let t = transition(&tech, &tip(&d_order), "accepted", Some("s-tech2"));
    attack(
        "accept and hand the order on",
        "transition_refused",
        &dispatched,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let mut t = transition(&tech, &tip(&d_order), "accepted", None);
    t["by"] = json!("s-tech2");
    attack(
        "a transition in a colleague's name",
        "not_author",
        &dispatched,
        &|r| {
            r.push_json(&["events"], &t);
        },
    );
    let later = d_order.deadline.due_at + 7 * 86_400_000;
    attack("move the deadline", "role_may_not", &dispatched, &|r| {
        r.put(&["deadline"], "due_at", later);
    });
    let note = d_order.notes.len() - 1;
    let note_s = note.to_string();
    attack(
        "rewrite reception's note",
        "append_only",
        &dispatched,
        &|r| {
            r.put(&["notes", &note_s], "text", "住户不在家");
        },
    );
    attack(
        "write the head's review",
        "role_may_not",
        &completed,
        &|r| {
            r.put(&["review"], "by", "s-supervisor")
                .put(&["review"], "comment", "同意");
        },
    );
    let note = json!({ "id": uuid(), "by": "s-tech2", "at": now_millis(), "text": "替同事写" });
    attack(
        "a note in a colleague's name",
        "not_author",
        &dispatched,
        &|r| {
            r.push_json(&["notes"], &note);
        },
    );
    attack(
        "a field no work order has",
        "unknown_field",
        &dispatched,
        &|r| {
            r.put(&[], "bonus_fen", 50_000);
        },
    );
    attack(
        "replace the notes list with a copy",
        "container_replaced",
        &dispatched,
        &|r| {
            let root = r.obj(&[]);
            r.doc.put_object(&root, "notes", ObjType::List).unwrap();
        },
    );
    attack("a Text object", "bad_value", &dispatched, &|r| {
        let work = r.obj(&["work"]);
        r.doc.put_object(&work, "work_done", ObjType::Text).unwrap();
    });
    let big = "漏".repeat(400_000);
    let note = json!({ "id": uuid(), "by": "s-tech", "at": now_millis(), "text": big });
    attack("a note of 1 MiB", "too_large", &dispatched, &|r| {
        r.push_json(&["notes"], &note);
    });
    attack(
        "publish a checklist version",
        "role_may_not",
        &template,
        &|r| {
            let v = json!({ "id": uuid(), "version": 99, "items": [{"id": "x", "title_zh": "无", "title_en": ""}],
                        "published_by": "s-tech", "published_at": now_millis() });
            r.push_json(&["versions"], &v);
        },
    );

    // Sign-offs: with a key the server never registered for this phone,
    // naming another phone, and rewriting or deleting a stored one.
    let signed = |key: &DeviceKey, device: DeviceId| {
        let s = key.sign(
            device,
            &c_order.accepted_work(),
            &"a".repeat(64),
            "王芳",
            now_millis(),
            vec![],
        );
        serde_json::to_value(s).unwrap()
    };
    let stranger = DeviceKey::generate().unwrap();
    let forged = signed(&stranger, tech.store.device_id());
    let t = transition(&tech, &tip(&c_order), "signed_off", None);
    attack(
        "sign off with an unregistered key",
        "signature_refused",
        &completed,
        &|r| {
            r.push_json(&["signoffs"], &forged)
                .push_json(&["events"], &t);
        },
    );
    let elsewhere = signed(tech.store.device_key(), tech2.store.device_id());
    attack(
        "sign off naming another phone",
        "signature_refused",
        &completed,
        &|r| {
            r.push_json(&["signoffs"], &elsewhere)
                .push_json(&["events"], &t);
        },
    );

    let mut refused = vec![];
    for a in &mut attacks {
        let before = seen_by(&mut watcher, &a.raw.id);
        let (status, result) = a.raw.send(&tech);
        assert_eq!(status, 200, "{}: {result}", a.what);
        refused.push((a.what, outcome(&result), a.code));
        assert_eq!(
            seen_by(&mut watcher, &a.raw.id),
            before,
            "{}: nothing reached another phone",
            a.what
        );
    }
    for (what, got, want) in &refused {
        assert_eq!(got, want, "{what}");
    }

    // Reception dispatches a complaint to a department there is none of:
    // the phone's own check is skipped, the server's is not.
    let complaint = first(&desk, RecordKind::Complaint, Some("received"));
    let events = desk
        .store
        .get::<ComplaintDoc>(&complaint)
        .unwrap()
        .read()
        .unwrap()
        .events;
    let mut t = transition(&desk, "", "dispatched", Some("accounts"));
    // A complaint still as received has no transition to follow yet.
    t["after"] = json!(lifecycle::tips(&events)
        .iter()
        .map(|t| t.id.clone())
        .collect::<Vec<_>>());
    let mut raw = Raw::of(&desk, &complaint);
    raw.push_json(&["events"], &t);
    raw.commit_as(&desk.staff.id, "receptionist", "dispatch to no department");
    let (_, result) = raw.send(&desk);
    assert_eq!(
        outcome(&result),
        "transition_refused",
        "a complaint dispatched to no department: {result}"
    );

    // Records made from scratch: already reviewed, or of a kind a
    // technician may not create.
    let id = RecordId::new();
    let mut raw = Raw::create(
        &id,
        "patrol_route",
        &json!({ "id": id.to_string(), "kind": "patrol_route", "schema": 1, "estate_id": ESTATE_A,
                 "name": "夜间巡更", "created_by": "s-tech", "created_at": now_millis(),
                 "checkpoints": [{"code": "A1", "name": "大门", "expected": null, "radius_m": 30.0}],
                 "schedule": {"daily_starts": ["22:00"]} }),
        tech.store.device_id(),
    );
    assert_eq!(
        outcome(&raw.send(&tech).1),
        "role_may_not",
        "a technician's patrol route"
    );
    let id = RecordId::new();
    let mut raw = Raw::create(
        &id,
        "inspection",
        &json!({ "id": id.to_string(), "kind": "inspection", "schema": 1, "estate_id": ESTATE_A,
                 "checklist_kind": "building_patrol", "title_zh": "楼栋巡查", "template_id": template.to_string(),
                 "template_version": 1, "place": {"estate_id": ESTATE_A, "unit_id": null, "common_area_id": null, "detail": ""},
                 "started_by": "s-tech", "started_at": now_millis(), "location": null, "finished_at": now_millis(),
                 "items": {}, "follow_ups": [],
                 "events": [transition(&tech, "x", "reviewed", None)] }),
        tech.store.device_id(),
    );
    let (_, result) = raw.send(&tech);
    assert_eq!(
        outcome(&result),
        "transition_refused",
        "an inspection born reviewed: {result}"
    );

    // Bytes that are not what a phone sends.
    let mut raw = Raw::of(&tech, &dispatched);
    let whole = raw.doc.save();
    let heads = raw.heads();
    assert_eq!(
        outcome(&send_changes(&tech, &dispatched, "work_order", &heads, &whole).1),
        "not_changes",
        "a whole compressed document"
    );
    let too_many: Vec<_> = std::iter::repeat_n(heads[0], 65).collect();
    assert_eq!(
        outcome(&send_changes(&tech, &dispatched, "work_order", &too_many, &[]).1),
        "too_large",
        "65 heads"
    );
    let mut second = Raw::create(
        &dispatched,
        "work_order",
        &json!({ "id": dispatched.to_string(), "kind": "work_order", "schema": 1, "estate_id": ESTATE_A }),
        tech.store.device_id(),
    );
    second.base = raw.heads();
    let bytes = second.changes();
    let mut merged = Raw::of(&tech, &dispatched);
    merged.doc.load_incremental(&bytes).unwrap();
    let heads = merged.heads();
    assert_eq!(
        outcome(&send_changes(&tech, &dispatched, "work_order", &heads, &bytes).1),
        "second_root",
        "a second creation of the record"
    );

    // An orphan: a change whose parent the server lacks, with no heads, in
    // a colleague's name (their device id and next sequence number).
    let mut colleague = Raw::of(&tech, &dispatched);
    colleague.doc.set_actor(tech2.store.device_id().actor());
    let n = json!({ "id": uuid(), "by": "s-tech2", "at": now_millis(), "text": "一" });
    colleague
        .push_json(&["notes"], &n)
        .commit_as("s-tech2", "technician", "add note");
    let parent = colleague.heads();
    let n2 = json!({ "id": uuid(), "by": "s-tech2", "at": now_millis(), "text": "二" });
    colleague
        .push_json(&["notes"], &n2)
        .commit_as("s-tech2", "technician", "add note");
    let orphan = colleague.doc.save_after(&parent);
    assert_eq!(
        outcome(&send_changes(&tech, &dispatched, "work_order", &[], &orphan).1),
        "foreign_actor",
        "an orphan in a colleague's name"
    );
    let mut mine = Raw::of(&tech, &dispatched);
    let n = json!({ "id": uuid(), "by": "s-tech", "at": now_millis(), "text": "一" });
    mine.push_json(&["notes"], &n)
        .commit_as("s-tech", "technician", "add note");
    let parent = mine.heads();
    mine.push_json(&["notes"], &n2.clone())
        .commit_as("s-tech", "technician", "add note");
    let orphan = mine.doc.save_after(&parent);
    assert_eq!(
        outcome(&send_changes(&tech, &dispatched, "work_order", &[], &orphan).1),
        "missing_deps",
        "an orphan with no heads is refused, never parked"
    );

    // Honest edits of the same records still go through, the colleague's too.
    let who = tech.who(now_millis());
    tech.store
        .edit(&dispatched, |o: &mut WorkOrderDoc, _| {
            o.add_note(&uuid(), "已联系住户", &who)
        })
        .unwrap();
    let image = tech
        .store
        .put_blob(&[0x89, b'P', b'N', b'G', 1, 2, 3], "image/png")
        .unwrap();
    let who = tech.who(now_millis());
    tech.store
        .edit(&completed, |o: &mut WorkOrderDoc, key| {
            o.sign_off("王芳", &image, key, &who).map(|_| ())
        })
        .unwrap();
    let summary = tech.sync().unwrap();
    assert!(
        summary.refused.is_empty(),
        "honest edits: {:?}",
        summary.refused
    );
    let mut tech2 = tech2;
    tech2.sync().unwrap();
    let who = tech2.who(now_millis());
    tech2
        .store
        .edit(&dispatched, |o: &mut WorkOrderDoc, _| {
            o.add_note(&uuid(), "同事的备注", &who)
        })
        .unwrap();
    let summary = tech2.sync().unwrap();
    assert!(
        summary.refused.is_empty(),
        "the colleague's edit: {:?}",
        summary.refused
    );
    watcher.sync().unwrap();
    let seen = order(&watcher, &completed);
    assert_eq!(seen.status(), Some(OrderStatus::SignedOff));
    assert!(seen.signoff_validity().is_valid());
    assert!(order(&watcher, &dispatched)
        .notes
        .iter()
        .any(|n| n.text == "同事的备注"));
    // Operators see the refusals counted; a technician may not look.
    let metrics = |d: &Device| {
        reqwest::blocking::Client::new()
            .get(format!("{base}/metrics"))
            .bearer_auth(d.http.token().unwrap())
            .send()
            .unwrap()
    };
    assert_eq!(metrics(&tech).status().as_u16(), 403);
    let text = metrics(&watcher).text().unwrap();
    let refused_total: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("rounds_sync_docs_refused_total "))
        .and_then(|v| v.parse().ok())
        .expect("a refusal counter");
    assert!(refused_total >= refused.len() as f64, "{text}");
    // The office's history names whom the server verified for each change.
    let (status, record) = get_json(
        &base,
        watcher.http.token().unwrap(),
        &format!("/v1/records/{completed}"),
    );
    assert_eq!(status, 200);
    let last = record["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["staff_id"].as_str(), last["verified"].as_bool()),
        (Some("s-tech"), Some(true)),
        "{last}"
    );
}

on_both_backends!(a_hostile_phone_is_refused_field_by_field_and_nothing_is_stored);
