//! The one place that turns typed values into Automerge operations and back.
//!
//! Values are written as plain scalars, maps and lists (never Automerge Text:
//! nobody types into a phone number together). A scalar is only written when it
//! differs from what the document holds, so an edit that changes nothing makes
//! no operation and cannot win a concurrent edit it did not mean to touch.
//! Containers are created once, when a record is created, never lazily: two
//! replicas that each created the same nested map offline would otherwise keep
//! only one of them.

use automerge::transaction::Transactable;
use automerge::{
    AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, ScalarValueRef, Value, ValueRef, ROOT,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

use super::RecordError;
use crate::policy::tree::Node;

/// Reads the whole document into a typed value.
pub(crate) fn read<T: DeserializeOwned>(doc: &AutoCommit) -> Result<T, RecordError> {
    let json = object_json(doc, &ROOT, ObjType::Map);
    serde_json::from_value(json).map_err(|e| RecordError::Malformed(e.to_string()))
}

/// The object as JSON, walked with range iterators: linear in its size,
/// where a `get` per key or index (as `AutoSerde` does) is quadratic in a
/// long list such as a year of notes.
fn object_json(doc: &AutoCommit, obj: &ObjId, ty: ObjType) -> Json {
    let value = |v: ValueRef<'_>, id: &dyn Fn() -> ObjId| match v {
        ValueRef::Object(ty) => object_json(doc, &id(), ty),
        ValueRef::Scalar(s) => scalar_json(&s),
    };
    match ty {
        ObjType::Map | ObjType::Table => Json::Object(
            doc.map_range(obj, ..)
                .map(|item| {
                    let id = || item.id();
                    (item.key.to_string(), value(item.value.clone(), &id))
                })
                .collect(),
        ),
        ObjType::List => Json::Array(
            doc.list_range(obj, ..)
                .map(|item| {
                    let id = || item.id();
                    value(item.value.clone(), &id)
                })
                .collect(),
        ),
        ObjType::Text => Json::String(doc.text(obj).unwrap_or_default()),
    }
}

/// A scalar as the app reads it: anything that is not plain data reads as null.
fn scalar_json(s: &ScalarValueRef<'_>) -> Json {
    plain_scalar(s).unwrap_or_else(|| match s {
        ScalarValueRef::Timestamp(i) | ScalarValueRef::Counter(i) => Json::from(*i),
        _ => Json::Null,
    })
}

/// A plain scalar (text, number, bool, null) as JSON, or None for what no
/// record stores. A whole number written as a float (as JavaScript clients
/// may write 0 or -5) reads as the integer it is, so typed fields in fen or
/// milliseconds accept it.
pub(crate) fn plain_scalar(s: &ScalarValueRef<'_>) -> Option<Json> {
    Some(match s {
        ScalarValueRef::Str(s) => Json::String(s.to_string()),
        ScalarValueRef::Int(i) => Json::from(*i),
        ScalarValueRef::Uint(u) => Json::from(*u),
        ScalarValueRef::F64(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            Json::from(*f as i64)
        }
        ScalarValueRef::F64(f) => Json::Number(serde_json::Number::from_f64(*f)?),
        ScalarValueRef::Boolean(b) => Json::Bool(*b),
        ScalarValueRef::Null => Json::Null,
        ScalarValueRef::Bytes(_)
        | ScalarValueRef::Counter(_)
        | ScalarValueRef::Timestamp(_)
        | ScalarValueRef::Unknown { .. } => return None,
    })
}

/// The object at a path from the root: map keys, and list indexes as digits.
pub(crate) fn obj_at(doc: &AutoCommit, path: &[&str]) -> Result<ObjId, RecordError> {
    let mut obj = ROOT;
    for key in path {
        let found = match (doc.object_type(&obj)?, key.parse::<usize>()) {
            (ObjType::List, Ok(index)) => doc.get(&obj, index)?,
            _ => doc.get(&obj, *key)?,
        };
        match found {
            Some((Value::Object(_), id)) => obj = id,
            _ => return Err(RecordError::Malformed(format!("missing object {path:?}"))),
        }
    }
    Ok(obj)
}

/// A scalar as Automerge stores it. Integers stay integers so money (fen) and
/// instants (ms) never pass through floating point.
fn scalar(v: &Json) -> Option<ScalarValue> {
    Some(match v {
        Json::Null => ScalarValue::Null,
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        Json::Number(n) => match n.as_i64() {
            Some(i) => ScalarValue::Int(i),
            None => ScalarValue::F64(n.as_f64()?),
        },
        Json::Array(_) | Json::Object(_) => return None,
    })
}

fn same_scalar(doc: &AutoCommit, obj: &ObjId, key: &str, new: &ScalarValue) -> bool {
    matches!(doc.get(obj, key), Ok(Some((Value::Scalar(old), _))) if old.as_ref() == new)
}

/// The document an edit writes into, with the record as it stood when the
/// edit began (its view, when read), so what the edit looks up first need
/// not be read from Automerge again.
pub(crate) struct Editor<'a> {
    doc: &'a mut AutoCommit,
    before: Option<&'a Node>,
}

impl<'a> Editor<'a> {
    pub(crate) fn new(doc: &'a mut AutoCommit, before: Option<&'a Node>) -> Self {
        Editor { doc, before }
    }

    /// The record's map at `path` as it stood, while nothing is written yet.
    fn known_map(
        &self,
        path: &[&str],
    ) -> Option<(&ObjId, &std::collections::BTreeMap<String, Node>)> {
        if self.doc.pending_ops() > 0 {
            return None;
        }
        let mut node = self.before?;
        for key in path {
            node = match node {
                Node::Map(_, entries) => entries.get(*key)?,
                Node::List(_, items) => items.get(key.parse::<usize>().ok()?)?,
                Node::Scalar(_) => return None,
            };
        }
        match node {
            Node::Map(id, entries) => Some((id, entries)),
            _ => None,
        }
    }
}

impl std::ops::Deref for Editor<'_> {
    type Target = AutoCommit;
    fn deref(&self) -> &AutoCommit {
        self.doc
    }
}

impl std::ops::DerefMut for Editor<'_> {
    fn deref_mut(&mut self) -> &mut AutoCommit {
        self.doc
    }
}

/// Whether `new` is what `old` (a value of the record's view) holds, when
/// the view can tell: text, true/false and null read as they are stored, but
/// a number reads the same whether stored as an integer or a float, so an
/// equal number is asked of the document.
fn known_same(old: Option<&Node>, new: &ScalarValue) -> Option<bool> {
    let Some(Node::Scalar(old)) = old else {
        return Some(false);
    };
    match (old, new) {
        (Json::String(a), ScalarValue::Str(b)) => Some(a.as_str() == b.as_str()),
        (Json::Bool(a), ScalarValue::Boolean(b)) => Some(a == b),
        (Json::Null, ScalarValue::Null) => Some(true),
        (Json::Number(a), ScalarValue::Int(b)) if a.as_i64() != Some(*b) => Some(false),
        (Json::Number(_), ScalarValue::Int(_) | ScalarValue::F64(_)) => None,
        (Json::Number(_), _) | (_, ScalarValue::Int(_) | ScalarValue::F64(_)) => Some(false),
        (Json::String(_) | Json::Bool(_) | Json::Null, _) => Some(false),
        (Json::Array(_) | Json::Object(_), _) => None,
    }
}

/// Writes `value` under `key`: scalars only when changed, objects as maps and
/// arrays as lists, created fresh. Use `put_fields` to update an existing map.
pub(crate) fn put_json(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: &Json,
) -> Result<(), RecordError> {
    if let Some(s) = scalar(value) {
        if !same_scalar(doc, obj, key, &s) {
            doc.put(obj, key, s)?;
        }
        return Ok(());
    }
    match value {
        Json::Object(map) => {
            let child = doc.put_object(obj, key, ObjType::Map)?;
            for (k, v) in map {
                put_json(doc, &child, k, v)?;
            }
        }
        Json::Array(items) => {
            let child = doc.put_object(obj, key, ObjType::List)?;
            for (i, v) in items.iter().enumerate() {
                insert_json(doc, &child, i, v)?;
            }
        }
        _ => unreachable!("scalars handled above"),
    }
    Ok(())
}

fn insert_json(
    doc: &mut AutoCommit,
    list: &ObjId,
    index: usize,
    value: &Json,
) -> Result<(), RecordError> {
    if let Some(s) = scalar(value) {
        doc.insert(list, index, s)?;
        return Ok(());
    }
    match value {
        Json::Object(map) => {
            let child = doc.insert_object(list, index, ObjType::Map)?;
            for (k, v) in map {
                put_json(doc, &child, k, v)?;
            }
        }
        Json::Array(items) => {
            let child = doc.insert_object(list, index, ObjType::List)?;
            for (i, v) in items.iter().enumerate() {
                insert_json(doc, &child, i, v)?;
            }
        }
        _ => unreachable!("scalars handled above"),
    }
    Ok(())
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Json, RecordError> {
    serde_json::to_value(value).map_err(|e| RecordError::Malformed(e.to_string()))
}

/// Updates the scalar fields of the existing map at `path` from a struct's
/// fields; each field is its own last-writer-wins register, so two people
/// editing different fields both keep their edit.
pub(crate) fn put_fields<T: Serialize>(
    ed: &mut Editor<'_>,
    path: &[&str],
    fields: &T,
) -> Result<(), RecordError> {
    let fields = to_json(fields)?;
    // What the fields hold now, from the view, read before anything is written.
    let (obj, known) = match ed.known_map(path) {
        Some((obj, entries)) => {
            let known: Vec<Option<bool>> = match &fields {
                Json::Object(map) => map
                    .iter()
                    .map(|(k, v)| scalar(v).and_then(|new| known_same(entries.get(k), &new)))
                    .collect(),
                _ => vec![],
            };
            (obj.clone(), known)
        }
        None => (obj_at(ed, path)?, vec![]),
    };
    match fields {
        Json::Object(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                match (known.get(i).copied().flatten(), scalar(v)) {
                    (Some(true), _) => {}
                    (Some(false), Some(s)) => {
                        ed.put(&obj, k.as_str(), s)?;
                    }
                    _ => put_json(ed, &obj, k, v)?,
                }
            }
            Ok(())
        }
        other => Err(RecordError::Malformed(format!(
            "fields must be an object, got {other}"
        ))),
    }
}

/// Appends an item to the list at `path`. Concurrent appends all survive.
pub(crate) fn append<T: Serialize>(
    doc: &mut AutoCommit,
    path: &[&str],
    item: &T,
) -> Result<(), RecordError> {
    let list = obj_at(doc, path)?;
    let end = doc.length(&list);
    insert_json(doc, &list, end, &to_json(item)?)
}

/// The map inside the list at `path` whose `id` field is `id`.
pub(crate) fn find_item(
    doc: &AutoCommit,
    path: &[&str],
    id: &str,
) -> Result<Option<(usize, ObjId)>, RecordError> {
    let list = obj_at(doc, path)?;
    for i in 0..doc.length(&list) {
        if let Some((Value::Object(ObjType::Map), item)) = doc.get(&list, i)? {
            if matches!(doc.get(&item, "id")?, Some((Value::Scalar(s), _)) if s.as_str() == Some(id))
            {
                return Ok(Some((i, item)));
            }
        }
    }
    Ok(None)
}

/// Removes the item with `id` from the list at `path`; returns whether it was there.
pub(crate) fn remove_item(
    doc: &mut AutoCommit,
    path: &[&str],
    id: &str,
) -> Result<bool, RecordError> {
    let list = obj_at(doc, path)?;
    match find_item(doc, path, id)? {
        Some((index, _)) => {
            doc.delete(&list, index)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Updates the scalar fields of one item of a list, found by id.
pub(crate) fn update_item<T: Serialize>(
    doc: &mut AutoCommit,
    path: &[&str],
    id: &str,
    fields: &T,
) -> Result<bool, RecordError> {
    let Some((_, item)) = find_item(doc, path, id)? else {
        return Ok(false);
    };
    if let Json::Object(map) = to_json(fields)? {
        for (k, v) in &map {
            put_json(doc, &item, k, v)?;
        }
    }
    Ok(true)
}

/// Creates the record's skeleton: every container it will ever write into.
pub(crate) fn init_root(doc: &mut AutoCommit, skeleton: &Json) -> Result<(), RecordError> {
    match skeleton {
        Json::Object(map) => {
            for (k, v) in map {
                put_json(doc, &ROOT, k, v)?;
            }
            Ok(())
        }
        _ => Err(RecordError::Malformed("skeleton must be an object".into())),
    }
}
