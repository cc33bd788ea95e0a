//! A record read as a tree of maps, lists and plain scalars, each container
//! with its Automerge object id, as it stood at any heads.
//!
//! The ids matter: a list replaced by an equal-looking new list reads the same
//! as JSON, but a colleague's concurrent additions to the old list would vanish
//! in the merge. The policy therefore compares containers by id as well as by
//! content.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use automerge::legacy::Op;
use automerge::{
    AutoCommit, Change, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValueRef, ValueRef, ROOT,
};
use serde_json::Value as Json;

use super::limits::DocLimits;
use super::{Code, Violation};
use crate::documents::codec::plain_scalar;

/// Containers share their contents, so a record after a change shares with
/// the record before it every object the change did not write into (and
/// comparing the two skips what they share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Map(ObjId, Arc<BTreeMap<String, Node>>),
    List(ObjId, Arc<Vec<Node>>),
    Scalar(Json),
}

impl Node {
    /// The same container, not merely an equal one.
    fn shares(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Map(_, a), Node::Map(_, b)) => Arc::ptr_eq(a, b),
            (Node::List(_, a), Node::List(_, b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(_, entries) => entries.get(key),
            _ => None,
        }
    }

    /// The string field `id` of a map (list items are matched by it).
    pub(crate) fn item_id(&self) -> Option<&str> {
        match self.get("id") {
            Some(Node::Scalar(Json::String(s))) => Some(s),
            _ => None,
        }
    }

    /// Null or the empty string: a field not yet set. (Zero and false are
    /// values: a refused extension's `false` must not read as undecided.)
    pub(crate) fn is_unset(node: Option<&Node>) -> bool {
        match node {
            None => true,
            Some(Node::Scalar(Json::Null)) => true,
            Some(Node::Scalar(Json::String(t))) => t.is_empty(),
            Some(_) => false,
        }
    }
}

/// Reads the document (at `heads`, or as it is now), refusing what no Rounds
/// record holds (Text objects, counters, bytes) and anything past `limits`.
pub(crate) fn read(
    doc: &AutoCommit,
    heads: Option<&[ChangeHash]>,
    limits: &DocLimits,
) -> Result<Node, Violation> {
    let mut reader = Reader {
        doc,
        heads,
        limits,
        nodes: 0,
    };
    reader.object(&ROOT, ObjType::Map, 0, &mut String::new())
}

/// Bounds for reading a record as it is (the judge holds what a change
/// leaves to the real limits): only its depth, which the reader's recursion
/// must not exceed, and far past any real record's.
const READ_BOUNDS: DocLimits = DocLimits {
    max_string_bytes: usize::MAX,
    max_list_len: usize::MAX,
    max_depth: 64,
    max_values: usize::MAX,
};

/// The record as it is now; None if it holds what no Rounds record holds
/// (its typed views then read it the plain way).
pub(crate) fn read_now(doc: &AutoCommit) -> Option<Node> {
    read(doc, None, &READ_BOUNDS).ok()
}

/// The record after `change`, from the record before it (at the change's
/// dependencies), since a change alters nothing but the objects its
/// operations name: each of those is read afresh (at `heads`, or as the
/// document is now), or, for a map the change only put plain values into,
/// takes them from the change itself; every other object is the one before,
/// shared. None when that cannot be told without reading the whole record
/// (something past `limits` or a value no record holds), and the caller
/// reads it whole: the answer, refusals included, is then the whole read's.
pub(crate) fn after_change(
    doc: &AutoCommit,
    before: &Node,
    change: &Change,
    heads: Option<&[ChangeHash]>,
    limits: &DocLimits,
) -> Option<Node> {
    use automerge::legacy::ObjectId;
    let expanded = change.decode();
    let mut touched: HashMap<ObjId, Vec<&Op>> = HashMap::new();
    for op in &expanded.operations {
        let obj = match &op.obj {
            ObjectId::Root => ROOT,
            // Object ids compare by counter and actor; the index is the doc's own.
            ObjectId::Id(id) => ObjId::Id(id.counter(), id.actor().clone(), usize::MAX),
        };
        touched.entry(obj).or_default().push(op);
    }
    let mut reader = Reader {
        doc,
        heads,
        limits: &READ_BOUNDS,
        nodes: 0,
    };
    let after = patched(&mut reader, &touched, before, 0)?;
    check_limits(&after, limits).ok()?;
    Some(after)
}

/// A map after operations that each put a plain value under a key: every
/// operation of a change has a greater id than any in the change's history,
/// so its last one under a key is the value there, whatever conflicts the
/// key held. None for anything else (a deletion, a new object, a list
/// position, a value no record holds), which is read from the document.
fn overlaid(entries: &BTreeMap<String, Node>, ops: &[&Op]) -> Option<BTreeMap<String, Node>> {
    use automerge::legacy::{Key, OpType};
    let mut out = entries.clone();
    for op in ops {
        match (&op.action, &op.key, op.insert) {
            (OpType::Put(value), Key::Map(key), false) => {
                let value = plain_scalar(&ScalarValueRef::from(value.clone()))?;
                out.insert(key.to_string(), Node::Scalar(value));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `node` with every touched object made anew; what holds none of them is
/// `node` itself, shared.
fn patched(
    reader: &mut Reader<'_>,
    touched: &HashMap<ObjId, Vec<&Op>>,
    node: &Node,
    depth: usize,
) -> Option<Node> {
    let mut fresh = |id: &ObjId, ty| reader.object(id, ty, depth, &mut String::new()).ok();
    match node {
        Node::Scalar(_) => Some(node.clone()),
        Node::List(id, _) if touched.contains_key(id) => fresh(id, ObjType::List),
        Node::Map(id, entries) => {
            let overlay = match touched.get(id) {
                None => None,
                Some(ops) => match overlaid(entries, ops) {
                    Some(overlay) => Some(overlay),
                    None => return fresh(id, ObjType::Map),
                },
            };
            let base = overlay.as_ref().unwrap_or(entries);
            let mut changed = vec![];
            for (key, value) in base.iter() {
                if !matches!(value, Node::Scalar(_)) {
                    let new = patched(reader, touched, value, depth + 1)?;
                    if !new.shares(value) {
                        changed.push((key.clone(), new));
                    }
                }
            }
            if overlay.is_none() && changed.is_empty() {
                return Some(node.clone());
            }
            let mut entries = overlay.unwrap_or_else(|| (**entries).clone());
            entries.extend(changed);
            Some(Node::Map(id.clone(), Arc::new(entries)))
        }
        Node::List(id, items) => {
            let mut changed = vec![];
            for (i, value) in items.iter().enumerate() {
                if !matches!(value, Node::Scalar(_)) {
                    let new = patched(reader, touched, value, depth + 1)?;
                    if !new.shares(value) {
                        changed.push((i, new));
                    }
                }
            }
            if changed.is_empty() {
                return Some(node.clone());
            }
            let mut items = (**items).clone();
            for (i, new) in changed {
                items[i] = new;
            }
            Some(Node::List(id.clone(), Arc::new(items)))
        }
    }
}

/// The limits `read` applies, applied to a tree already read, in the same
/// order and with the same refusals.
pub(crate) fn check_limits(node: &Node, limits: &DocLimits) -> Result<(), Violation> {
    let mut nodes = 0;
    checked(node, 0, &mut String::new(), limits, &mut nodes)
}

fn checked(
    node: &Node,
    depth: usize,
    path: &mut String,
    limits: &DocLimits,
    nodes: &mut usize,
) -> Result<(), Violation> {
    let mut count = |n: usize, path: &str| {
        *nodes += n;
        if *nodes > limits.max_values {
            return Err(too_many_values(path, limits));
        }
        Ok(())
    };
    match node {
        Node::Map(_, entries) => {
            if depth > limits.max_depth {
                return Err(too_deep(path));
            }
            count(entries.len(), path)?;
            for (key, value) in entries.iter() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                checked(value, depth + 1, path, limits, nodes)?;
                path.truncate(len);
            }
        }
        Node::List(_, items) => {
            if depth > limits.max_depth {
                return Err(too_deep(path));
            }
            if items.len() > limits.max_list_len {
                return Err(too_long_list(path, limits));
            }
            count(items.len(), path)?;
            let len = path.len();
            path.push_str("[]");
            for item in items.iter() {
                checked(item, depth + 1, path, limits, nodes)?;
            }
            path.truncate(len);
        }
        Node::Scalar(Json::String(text)) if text.len() > limits.max_string_bytes => {
            return Err(too_long_text(path, limits));
        }
        Node::Scalar(_) => {}
    }
    Ok(())
}

struct Reader<'a> {
    doc: &'a AutoCommit,
    heads: Option<&'a [ChangeHash]>,
    limits: &'a DocLimits,
    nodes: usize,
}

impl Reader<'_> {
    fn object(
        &mut self,
        obj: &ObjId,
        ty: ObjType,
        depth: usize,
        path: &mut String,
    ) -> Result<Node, Violation> {
        if depth > self.limits.max_depth {
            return Err(too_deep(path));
        }
        match ty {
            ObjType::Map | ObjType::Table => {
                let items: Vec<_> = match self.heads {
                    Some(h) => self.doc.map_range_at(obj, .., h).collect(),
                    None => self.doc.map_range(obj, ..).collect(),
                };
                self.count(items.len(), path)?;
                let mut entries = BTreeMap::new();
                for item in items.iter() {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&item.key);
                    let node = self.value(item.value.clone(), || item.id(), depth, path)?;
                    path.truncate(len);
                    entries.insert(item.key.to_string(), node);
                }
                Ok(Node::Map(obj.clone(), Arc::new(entries)))
            }
            ObjType::List => {
                let items: Vec<_> = match self.heads {
                    Some(h) => self.doc.list_range_at(obj, .., h).collect(),
                    None => self.doc.list_range(obj, ..).collect(),
                };
                if items.len() > self.limits.max_list_len {
                    return Err(too_long_list(path, self.limits));
                }
                self.count(items.len(), path)?;
                let mut out = Vec::with_capacity(items.len());
                let len = path.len();
                path.push_str("[]");
                for item in items.iter() {
                    out.push(self.value(item.value.clone(), || item.id(), depth, path)?);
                }
                path.truncate(len);
                Ok(Node::List(obj.clone(), Arc::new(out)))
            }
            ObjType::Text => Err(Violation::new(
                Code::BadValue,
                path,
                "不允许文本对象",
                "Automerge Text is not used by any record",
            )),
        }
    }

    fn value(
        &mut self,
        value: ValueRef<'_>,
        id: impl FnOnce() -> ObjId,
        depth: usize,
        path: &mut String,
    ) -> Result<Node, Violation> {
        match value {
            ValueRef::Object(ty) => self.object(&id(), ty, depth + 1, path),
            ValueRef::Scalar(s) => {
                if let automerge::ScalarValueRef::Str(text) = &s {
                    if text.len() > self.limits.max_string_bytes {
                        return Err(too_long_text(path, self.limits));
                    }
                }
                plain_scalar(&s).map(Node::Scalar).ok_or_else(|| {
                    Violation::new(
                        Code::BadValue,
                        path,
                        "不支持的数值类型",
                        "only text, numbers, true/false and null are stored",
                    )
                })
            }
        }
    }

    fn count(&mut self, n: usize, path: &str) -> Result<(), Violation> {
        self.nodes += n;
        if self.nodes > self.limits.max_values {
            return Err(too_many_values(path, self.limits));
        }
        Ok(())
    }
}

fn too_large(path: &str, zh: &str, en: &str) -> Violation {
    Violation::new(Code::TooLarge, path, zh, en)
}

fn too_deep(path: &str) -> Violation {
    too_large(path, "嵌套过深", "nested too deeply")
}

fn too_long_list(path: &str, limits: &DocLimits) -> Violation {
    too_large(
        path,
        &format!("列表超过{}项", limits.max_list_len),
        &format!("list longer than {} items", limits.max_list_len),
    )
}

fn too_long_text(path: &str, limits: &DocLimits) -> Violation {
    too_large(
        path,
        &format!("文字超过{}字节", limits.max_string_bytes),
        &format!("text longer than {} bytes", limits.max_string_bytes),
    )
}

fn too_many_values(path: &str, limits: &DocLimits) -> Violation {
    too_large(
        path,
        &format!("记录超过{}个值", limits.max_values),
        &format!("record holds more than {} values", limits.max_values),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::work_order::*;
    use crate::documents::{Record, RecordDoc, Who};
    use crate::ids::DeviceId;
    use crate::people::Role;
    use crate::places::Personal;

    fn who(staff: &str, role: Role, device: DeviceId, at: i64) -> Who {
        Who {
            staff_id: staff.into(),
            role,
            device_id: device,
            at,
        }
    }

    fn order(device: DeviceId) -> WorkOrderDoc {
        let draft = sample_draft(false);
        WorkOrderDoc::register(&draft, device, &who("r1", Role::Receptionist, device, 1)).unwrap()
    }

    /// Every change since `since`, built from the record before it, equals
    /// the record read whole at that change.
    fn assert_built_as_read(doc: &mut RecordDoc, since: &[ChangeHash]) {
        let limits = DocLimits::default();
        let current = doc.heads();
        let changes = doc.changes_after(since);
        assert!(!changes.is_empty());
        let am = doc.automerge_ref();
        for change in &changes {
            let mut deps = change.deps().to_vec();
            deps.sort();
            let before = read(am, Some(&deps), &limits).unwrap();
            let heads = [change.hash()];
            let at = (current != heads).then_some(&heads[..]);
            let built = after_change(am, &before, change, at, &limits).expect("built");
            assert_eq!(
                built,
                read(am, at, &limits).unwrap(),
                "{:?}",
                change.message()
            );
        }
    }

    #[test]
    fn a_record_after_each_change_is_built_as_a_whole_read_finds_it() {
        let d = DeviceId::new();
        let mut o = order(d);
        let desk = who("r1", Role::Receptionist, d, 2);
        let tech = who("t1", Role::Technician, d, 3);
        let step = |o: &mut WorkOrderDoc, edit: &dyn Fn(&mut WorkOrderDoc)| {
            let since = o.record_mut().heads();
            edit(o);
            assert_built_as_read(o.record_mut(), &since);
        };
        step(&mut o, &|o| o.dispatch("t1", &desk).unwrap());
        step(&mut o, &|o| o.accept(&tech).unwrap());
        step(&mut o, &|o| o.start(&tech).unwrap());
        let material = Material {
            id: "m1".into(),
            name: "水管接头".into(),
            quantity: 2.0,
            unit: "个".into(),
            unit_price_fen: 500,
        };
        step(&mut o, &|o| o.add_material(&material, &tech).unwrap());
        step(&mut o, &|o| o.remove_material("m1", &tech).unwrap());
        let contact = Contact {
            name: Personal("李强".into()),
            phone: Personal("13600136000".into()),
        };
        step(&mut o, &|o| o.set_contact(&contact, &desk).unwrap());
        step(&mut o, &|o| o.add_note("n1", "已联系住户", &desk).unwrap());
        let work = WorkRecord {
            work_done: "更换接头".into(),
            started_at: Some(10),
            ended_at: Some(20),
            prep_minutes: 5,
        };
        step(&mut o, &|o| o.record_work(&work, &tech).unwrap());

        // Two phones change the same fields offline; after the merge, the
        // change made at the older heads is built at its own heads.
        let since = o.record_mut().heads();
        let copy = RecordDoc::load(&o.record_mut().save(), DeviceId::new()).unwrap();
        let mut other = WorkOrderDoc::from_record(copy).unwrap();
        o.set_contact(&contact, &desk).unwrap();
        let again = Contact {
            name: Personal("张伟".into()),
            phone: Personal("13900139000".into()),
        };
        other.set_contact(&again, &desk).unwrap();
        other.add_note("n2", "住户不在家", &desk).unwrap();
        o.record_mut().merge(other.record_mut()).unwrap();
        assert_built_as_read(o.record_mut(), &since);
    }
}
