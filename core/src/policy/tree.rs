//! A record read as a tree of maps, lists and plain scalars, each container
//! with its Automerge object id, as it stood at any heads.
//!
//! The ids matter: a list replaced by an equal-looking new list reads the same
//! as JSON, but a colleague's concurrent additions to the old list would vanish
//! in the merge. The policy therefore compares containers by id as well as by
//! content.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ValueRef, ROOT};
use serde_json::Value as Json;

use super::limits::DocLimits;
use super::{Code, Violation};
use crate::documents::codec::plain_scalar;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Map(ObjId, BTreeMap<String, Node>),
    List(ObjId, Vec<Node>),
    Scalar(Json),
}

impl Node {
    pub(crate) fn to_json(&self) -> Json {
        match self {
            Node::Map(_, entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Node::List(_, items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Node::Scalar(s) => s.clone(),
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
            return Err(too_large(path, "嵌套过深", "nested too deeply"));
        }
        match ty {
            ObjType::Map | ObjType::Table => {
                let items: Vec<_> = match self.heads {
                    Some(h) => self.doc.map_range_at(obj, .., h).collect(),
                    None => self.doc.map_range(obj, ..).collect(),
                };
                self.count(items.len(), path)?;
                let mut entries = BTreeMap::new();
                for item in items {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&item.key);
                    let node = self.value(item.value.clone(), || item.id(), depth, path)?;
                    path.truncate(len);
                    entries.insert(item.key.to_string(), node);
                }
                Ok(Node::Map(obj.clone(), entries))
            }
            ObjType::List => {
                let items: Vec<_> = match self.heads {
                    Some(h) => self.doc.list_range_at(obj, .., h).collect(),
                    None => self.doc.list_range(obj, ..).collect(),
                };
                if items.len() > self.limits.max_list_len {
                    return Err(too_large(
                        path,
                        &format!("列表超过{}项", self.limits.max_list_len),
                        &format!("list longer than {} items", self.limits.max_list_len),
                    ));
                }
                self.count(items.len(), path)?;
                let mut out = Vec::with_capacity(items.len());
                let len = path.len();
                path.push_str("[]");
                for item in items {
                    out.push(self.value(item.value.clone(), || item.id(), depth, path)?);
                }
                path.truncate(len);
                Ok(Node::List(obj.clone(), out))
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
                        return Err(too_large(
                            path,
                            &format!("文字超过{}字节", self.limits.max_string_bytes),
                            &format!("text longer than {} bytes", self.limits.max_string_bytes),
                        ));
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
            return Err(too_large(
                path,
                &format!("记录超过{}个值", self.limits.max_values),
                &format!("record holds more than {} values", self.limits.max_values),
            ));
        }
        Ok(())
    }
}

fn too_large(path: &str, zh: &str, en: &str) -> Violation {
    Violation::new(Code::TooLarge, path, zh, en)
}
