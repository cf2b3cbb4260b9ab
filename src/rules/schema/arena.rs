//! The spanned tree as a JSON representation the `jsonschema` validator reads directly, so no
//! `serde_json::Value` copy of the document is built for validation.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::Value;

use crate::syntax::{Document, Member, NodeId, NodeKind};

/// Marker type for the representation.
pub struct Arena;

/// A node of a document, or a free-standing string (a property name under `propertyNames`).
#[derive(Clone, Copy)]
pub enum ArenaNode<'a> {
    Doc(&'a Document, NodeId),
    Name(&'a str),
}

impl Json for Arena {
    type Node<'a> = ArenaNode<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();
    const KEYS_PER_LOOKUP: usize = 2;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(ArenaNode<'_>) -> T) -> T {
        f(ArenaNode::Name(string))
    }
}

/// A number as written.
pub struct Num<'a>(&'a str);

impl JsonNumber for Num<'_> {
    fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
    fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
    fn as_f64(&self) -> Option<f64> {
        crate::syntax::parse_number(self.0)
    }
    fn as_str(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        match crate::syntax::number_value(self.0) {
            Value::Number(n) => Cow::Owned(n),
            _ => Cow::Owned(serde_json::Number::from(0)),
        }
    }
}

impl<'a> ArenaNode<'a> {
    fn kind(&self) -> Option<&'a NodeKind> {
        match self {
            ArenaNode::Doc(d, id) => Some(d.kind(*id)),
            ArenaNode::Name(_) => None,
        }
    }
}

impl<'a> Node<'a, Arena> for ArenaNode<'a> {
    type Object = ArenaObject<'a>;
    type Array = ArenaArray<'a>;
    type Number = Num<'a>;

    fn as_object(&self) -> Option<ArenaObject<'a>> {
        match (self, self.kind()) {
            (ArenaNode::Doc(d, _), Some(NodeKind::Object(m))) => Some(ArenaObject(d, m)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<ArenaArray<'a>> {
        match (self, self.kind()) {
            (ArenaNode::Doc(d, _), Some(NodeKind::Array(items))) => Some(ArenaArray(d, items)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match (self, self.kind()) {
            (ArenaNode::Name(s), _) => Some(Cow::Borrowed(s)),
            (ArenaNode::Doc(d, _), Some(NodeKind::String(s))) => Some(Cow::Borrowed(d.text(*s))),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Num<'a>> {
        match (self, self.kind()) {
            (ArenaNode::Doc(d, _), Some(NodeKind::Number(n))) => Some(Num(d.text(*n))),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.kind() {
            Some(NodeKind::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.kind(), Some(NodeKind::Null))
    }

    fn json_type(&self) -> JsonType {
        match self.kind() {
            None | Some(NodeKind::String(_)) => JsonType::String,
            Some(NodeKind::Object(_)) => JsonType::Object,
            Some(NodeKind::Array(_)) => JsonType::Array,
            Some(NodeKind::Number(_)) => JsonType::Number,
            Some(NodeKind::Bool(_)) => JsonType::Boolean,
            Some(NodeKind::Null) => JsonType::Null,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        match self {
            ArenaNode::Doc(d, id) => Cow::Owned(d.to_value(*id)),
            ArenaNode::Name(s) => Cow::Owned(Value::String(s.to_string())),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            ArenaNode::Doc(d, id) => {
                Some(NodeIdentity::tagged(std::ptr::from_ref(*d) as usize, id.0))
            }
            ArenaNode::Name(_) => None,
        }
    }
}

pub struct ArenaObject<'a>(&'a Document, &'a [Member]);

pub struct Members<'a>(&'a Document, std::slice::Iter<'a, Member>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, ArenaNode<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        self.1
            .next()
            .map(|m| (self.0.key(m), ArenaNode::Doc(self.0, m.value)))
    }
}

impl<'a> Object<'a, Arena> for ArenaObject<'a> {
    type Node = ArenaNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        self.1.len()
    }

    fn get(&self, key: &Box<str>) -> Option<ArenaNode<'a>> {
        // The first of duplicate keys counts, as in the model.
        self.1
            .iter()
            .find(|m| self.0.is(m.key, key))
            .map(|m| ArenaNode::Doc(self.0, m.value))
    }

    fn members(&self) -> Members<'a> {
        Members(self.0, self.1.iter())
    }
}

pub struct ArenaArray<'a>(&'a Document, &'a [NodeId]);

pub struct Elements<'a>(&'a Document, std::slice::Iter<'a, NodeId>);

impl<'a> Iterator for Elements<'a> {
    type Item = ArenaNode<'a>;
    fn next(&mut self) -> Option<Self::Item> {
        self.1.next().map(|id| ArenaNode::Doc(self.0, *id))
    }
}

impl<'a> Array<'a, Arena> for ArenaArray<'a> {
    type Node = ArenaNode<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        self.1.len()
    }

    fn elements(&self) -> Elements<'a> {
        Elements(self.0, self.1.iter())
    }
}
