//! A record's tree read straight into its typed view, noting on the way the
//! first key the view has no field for (the envelope's `kind` and `schema`
//! aside): the write policy refuses such a key, and reading the tree this
//! way needs neither a JSON copy of the record nor a second walk over it.
//!
//! Errors are serde_json's, with its words, as reading the same record
//! from JSON gives.

use std::cell::RefCell;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Value as Json};

use super::tree::Node;

/// The record as `T`, and the path (`items.x.foo`, `events[].by`) of the
/// first key `T` does not have, in key order.
pub(crate) fn read<T: DeserializeOwned>(node: &Node) -> Result<(T, Option<String>), String> {
    let unknown = RefCell::new(None);
    let value = T::deserialize(De {
        node,
        at: &Path::Root,
        unknown: &unknown,
    })
    .map_err(|e| e.to_string())?;
    Ok((value, unknown.into_inner()))
}

/// Where a value sits, rendered only when a key there is unknown.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Item(&'a Path<'a>),
}

impl Path<'_> {
    fn render(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Item(parent) => {
                parent.render(out);
                out.push_str("[]");
            }
        }
    }
}

#[derive(Clone, Copy)]
struct De<'a> {
    node: &'a Node,
    at: &'a Path<'a>,
    unknown: &'a RefCell<Option<String>>,
}

impl De<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match self.node {
            Node::Map(..) => Unexpected::Map,
            Node::List(..) => Unexpected::Seq,
            Node::Scalar(Json::Null) => Unexpected::Unit,
            Node::Scalar(Json::Bool(b)) => Unexpected::Bool(*b),
            Node::Scalar(Json::Number(n)) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Unexpected::Unsigned(u),
                (_, Some(i), _) => Unexpected::Signed(i),
                (_, _, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
            },
            Node::Scalar(Json::String(s)) => Unexpected::Str(s),
            Node::Scalar(Json::Array(_)) => Unexpected::Seq,
            Node::Scalar(Json::Object(_)) => Unexpected::Map,
        }
    }

    fn map<'de, V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node {
            Node::Map(_, entries) => visitor.visit_map(Entries {
                iter: entries.iter(),
                value: None,
                fields,
                at: self.at,
                unknown: self.unknown,
            }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Map(..) => self.map(None, visitor),
            Node::List(_, items) => visitor.visit_seq(Items {
                iter: items.iter(),
                at: self.at,
                unknown: self.unknown,
            }),
            Node::Scalar(Json::Null) => visitor.visit_unit(),
            Node::Scalar(Json::Bool(b)) => visitor.visit_bool(*b),
            Node::Scalar(Json::Number(n)) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
            },
            Node::Scalar(Json::String(s)) => visitor.visit_str(s),
            // A tree holds no JSON containers as scalars.
            Node::Scalar(_) => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Scalar(Json::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node {
            Node::Map(..) => self.map(Some(fields), visitor),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node {
            Node::Scalar(Json::String(s)) => visitor.visit_enum(s.as_str().into_deserializer()),
            Node::Map(_, entries) => {
                let mut iter = entries.iter();
                match (iter.next(), iter.next()) {
                    (Some((variant, value)), None) => visitor.visit_enum(Variant {
                        variant,
                        value: De {
                            node: value,
                            at: self.at,
                            unknown: self.unknown,
                        },
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            _ => Err(de::Error::invalid_type(self.unexpected(), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Entries<'a> {
    iter: std::collections::btree_map::Iter<'a, String, Node>,
    value: Option<(&'a str, &'a Node)>,
    fields: Option<&'static [&'static str]>,
    at: &'a Path<'a>,
    unknown: &'a RefCell<Option<String>>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        let envelope = matches!(self.at, Path::Root) && matches!(key.as_str(), "kind" | "schema");
        if let Some(fields) = self.fields {
            if !envelope && !fields.contains(&key.as_str()) && self.unknown.borrow().is_none() {
                let mut path = String::new();
                Path::Key(self.at, key).render(&mut path);
                *self.unknown.borrow_mut() = Some(path);
            }
        }
        self.value = Some((key, value));
        seed.deserialize(key.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, node) = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("value is missing"))?;
        seed.deserialize(De {
            node,
            at: &Path::Key(self.at, key),
            unknown: self.unknown,
        })
    }
}

struct Items<'a> {
    iter: std::slice::Iter<'a, Node>,
    at: &'a Path<'a>,
    unknown: &'a RefCell<Option<String>>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some(node) => seed
                .deserialize(De {
                    node,
                    at: &Path::Item(self.at),
                    unknown: self.unknown,
                })
                .map(Some),
        }
    }
}

struct Variant<'a> {
    variant: &'a str,
    value: De<'a>,
}

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = VariantValue<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(self.variant.into_deserializer())?;
        Ok((
            variant,
            VariantValue {
                name: self.variant,
                value: self.value,
            },
        ))
    }
}

struct VariantValue<'a> {
    name: &'a str,
    value: De<'a>,
}

impl VariantValue<'_> {
    fn inner<R>(self, read: impl FnOnce(De<'_>) -> R) -> R {
        let at = Path::Key(self.value.at, self.name);
        read(De {
            node: self.value.node,
            at: &at,
            unknown: self.value.unknown,
        })
    }
}

impl<'de> VariantAccess<'de> for VariantValue<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.inner(|de| serde::Deserialize::deserialize(de))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.inner(|de| seed.deserialize(de))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.inner(|de| de::Deserializer::deserialize_seq(de, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.inner(|de| de::Deserializer::deserialize_struct(de, "", fields, visitor))
    }
}
