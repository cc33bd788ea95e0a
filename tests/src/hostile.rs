//! A hostile phone: a signed-in device that edits records with raw
//! Automerge operations instead of the core's typed views, and sends the
//! changes through `/v1/sync` by hand, the way a modified app would.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use rounds_core::store::DocumentStore;
use rounds_core::sync::{heads_to_hex, to_base64};
use rounds_core::{DeviceId, RecordId};
use serde_json::json;

use crate::{post_sync, Device};

/// A record as the hostile phone holds it: the bytes its store has, loaded
/// into a bare Automerge document writing with the phone's actor.
pub struct Raw {
    pub id: RecordId,
    pub kind: String,
    pub doc: AutoCommit,
    /// What the server already holds (the phone synced it).
    pub base: Vec<ChangeHash>,
}

impl Raw {
    pub fn of(device: &Device, id: &RecordId) -> Raw {
        let mut record = device.store.load(id).expect("the phone holds the record");
        let bytes = record.save();
        Self::from_bytes(id, record.kind().as_str(), &bytes, device.store.device_id())
    }

    pub fn from_bytes(id: &RecordId, kind: &str, bytes: &[u8], actor: DeviceId) -> Raw {
        let mut doc = AutoCommit::load(bytes)
            .expect("load")
            .with_actor(actor.actor());
        let base = doc.get_heads();
        Raw {
            id: id.clone(),
            kind: kind.into(),
            doc,
            base,
        }
    }

    /// A record made from scratch in one change without a message, as a
    /// client that is not Rounds would write it.
    pub fn create(id: &RecordId, kind: &str, root: &serde_json::Value, actor: DeviceId) -> Raw {
        let mut doc = AutoCommit::new().with_actor(actor.actor());
        fill(&mut doc, &ROOT, root);
        doc.commit();
        Raw {
            id: id.clone(),
            kind: kind.into(),
            doc,
            base: vec![],
        }
    }

    /// The object at `path` (map keys, list indexes as digits).
    pub fn obj(&self, path: &[&str]) -> ObjId {
        let mut obj = ROOT;
        for key in path {
            let found = match key.parse::<usize>() {
                Ok(i) if self.doc.object_type(&obj) == Ok(ObjType::List) => {
                    self.doc.get(&obj, i).unwrap()
                }
                _ => self.doc.get(&obj, *key).unwrap(),
            };
            match found {
                Some((Value::Object(_), id)) => obj = id,
                other => panic!("no object at {path:?}: {other:?}"),
            }
        }
        obj
    }

    pub fn len(&self, path: &[&str]) -> usize {
        self.doc.length(self.obj(path))
    }

    /// Sets a scalar in the map at `path`.
    pub fn put(&mut self, path: &[&str], key: &str, value: impl Into<ScalarValue>) -> &mut Self {
        let obj = self.obj(path);
        self.doc.put(&obj, key, value).unwrap();
        self
    }

    /// Appends a map built from JSON to the list at `path`.
    pub fn push_json(&mut self, path: &[&str], value: &serde_json::Value) -> &mut Self {
        let list = self.obj(path);
        let at = self.doc.length(&list);
        let item = self.doc.insert_object(&list, at, ObjType::Map).unwrap();
        fill(&mut self.doc, &item, value);
        self
    }

    pub fn delete(&mut self, path: &[&str], index: usize) -> &mut Self {
        let list = self.obj(path);
        self.doc.delete(&list, index).unwrap();
        self
    }

    /// Commits what was done as one change, with a message like the app's.
    pub fn commit_as(&mut self, by: &str, role: &str, what: &str) -> &mut Self {
        let message = json!({ "by": by, "role": role, "what": what }).to_string();
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(rounds_core::time::now_millis() / 1000),
        );
        self
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The changes made here since `base`, as a sync request would carry them.
    pub fn changes(&mut self) -> Vec<u8> {
        self.doc.save_after(&self.base)
    }

    /// Sends the changes made since `base` with the new heads; returns the
    /// HTTP status and this record's result (or the whole answer).
    pub fn send(&mut self, device: &Device) -> (u16, serde_json::Value) {
        let heads = self.heads();
        let changes = self.changes();
        send_changes(device, &self.id, &self.kind, &heads, &changes)
    }
}

/// Posts one document's changes; returns the status and its result.
pub fn send_changes(
    device: &Device,
    id: &RecordId,
    kind: &str,
    heads: &[ChangeHash],
    changes: &[u8],
) -> (u16, serde_json::Value) {
    let body = json!({
        "cursor": 0,
        "docs": [{ "id": id.to_string(), "kind": kind, "heads": heads_to_hex(heads), "changes": to_base64(changes) }],
    });
    let (status, answer) = post_sync(&device.base, device.http.token().expect("signed in"), &body);
    let result = answer["results"]
        .as_array()
        .and_then(|r| r.first().cloned())
        .unwrap_or(answer);
    (status, result)
}

/// The refusal code of a document result, or "stored".
pub fn outcome(result: &serde_json::Value) -> String {
    match result["error"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None if result["heads"].is_array() => "stored".into(),
        None => format!("unexpected answer {result}"),
    }
}

fn fill(doc: &mut AutoCommit, obj: &ObjId, value: &serde_json::Value) {
    let map = value.as_object().expect("a JSON object");
    for (k, v) in map {
        match v {
            serde_json::Value::Object(_) => {
                let child = doc.put_object(obj, k.as_str(), ObjType::Map).unwrap();
                fill(doc, &child, v);
            }
            serde_json::Value::Array(items) => {
                let child = doc.put_object(obj, k.as_str(), ObjType::List).unwrap();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        serde_json::Value::Object(_) => {
                            let m = doc.insert_object(&child, i, ObjType::Map).unwrap();
                            fill(doc, &m, item);
                        }
                        other => doc.insert(&child, i, scalar(other)).unwrap(),
                    }
                }
            }
            other => doc.put(obj, k.as_str(), scalar(other)).unwrap(),
        }
    }
}

fn scalar(v: &serde_json::Value) -> ScalarValue {
    match v {
        serde_json::Value::Null => ScalarValue::Null,
        serde_json::Value::Bool(b) => ScalarValue::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => ScalarValue::Int(i),
            None => ScalarValue::F64(n.as_f64().unwrap()),
        },
        serde_json::Value::String(s) => ScalarValue::Str(s.as_str().into()),
        _ => unreachable!("containers are handled by fill"),
    }
}
