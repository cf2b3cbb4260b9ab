//! RFC 6901 JSON pointers over the spanned tree, resolved on demand (never precomputed).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Document, NodeId, NodeKind};

/// Escapes one reference token (`~` → `~0`, `/` → `~1`); borrowed when nothing needs it, as
/// for nearly every key.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl Document {
    /// The node a pointer names, or the deepest node on the way and the unresolved rest.
    pub fn resolve_partial(&self, pointer: &str) -> Option<(NodeId, usize)> {
        let mut cur = self.root?;
        if pointer.is_empty() {
            return Some((cur, 0));
        }
        let tokens: Vec<&str> = pointer
            .strip_prefix('/')
            .unwrap_or(pointer)
            .split('/')
            .collect();
        for (i, raw) in tokens.iter().enumerate() {
            let token = unescape(raw);
            let next = match self.kind(cur) {
                NodeKind::Object(_) => self.get(cur, &token),
                NodeKind::Array(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).copied()),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return Some((cur, tokens.len() - i)),
            }
        }
        Some((cur, 0))
    }

    pub fn resolve(&self, pointer: &str) -> Option<NodeId> {
        match self.resolve_partial(pointer)? {
            (id, 0) => Some(id),
            _ => None,
        }
    }

    /// The pointer of a node, built by walking up its parents. Every diagnostic carries one:
    /// the tokens are borrowed and joined into a single string.
    pub fn pointer(&self, id: NodeId) -> String {
        enum Token<'a> {
            Key(Cow<'a, str>),
            Index(usize),
        }
        let mut tokens = Vec::with_capacity(8);
        let mut cur = id;
        while let Some(parent) = self.node(cur).parent {
            match self.kind(parent) {
                // Siblings are stored in document order, so their ids ascend: a binary search
                // finds the child without scanning a big array or object (a pointer for each
                // of 15,000 Choice rules was quadratic). Merged YAML keys can break the order;
                // then the scan decides.
                NodeKind::Object(_) => {
                    if let Some(m) = self.member_of(parent, cur) {
                        tokens.push(Token::Key(escape(self.key(m))));
                    }
                }
                NodeKind::Array(items) => {
                    let i = items.partition_point(|x| x.0 < cur.0);
                    let found = (items.get(i) == Some(&cur))
                        .then_some(i)
                        .or_else(|| items.iter().position(|x| *x == cur));
                    if let Some(i) = found {
                        tokens.push(Token::Index(i));
                    }
                }
                _ => {}
            }
            cur = parent;
        }
        let mut out = String::with_capacity(tokens.len() * 12);
        for t in tokens.iter().rev() {
            out.push('/');
            match t {
                Token::Key(k) => out.push_str(k),
                // Writing into a String cannot fail.
                Token::Index(i) => {
                    let _ = write!(out, "{i}");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::json;

    #[test]
    fn round_trip() {
        let doc = json::parse(r#"{"States": {"a/b": {"Retry": [{"X": 1}]}}}"#).unwrap();
        let id = doc.resolve("/States/a~1b/Retry/0/X").unwrap();
        assert_eq!(doc.pointer(id), "/States/a~1b/Retry/0/X");
        assert_eq!(doc.resolve_partial("/States/nope/x").unwrap().1, 2);
        assert_eq!(doc.resolve(""), doc.root);
        let doc = json::parse(r#"{"a~b": [0, {"~/": 1}]}"#).unwrap();
        let id = doc.resolve("/a~0b/1/~0~1").unwrap();
        assert_eq!(doc.pointer(id), "/a~0b/1/~0~1");
        assert_eq!(doc.pointer(doc.root.unwrap()), "");
    }
}
