//! What the editor features need from a definition: which state or transition is under the
//! cursor, where a state is named, and the symbol tree. Built from the same model as the rules.

use crate::asl::graph::transitions;
use crate::asl::{Definition, Model, ScopeId, StateId};
use crate::source::Span;
use crate::syntax::{Document, NodeId, NodeKind};

/// A read definition, seen from the cursor.
pub struct Nav<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
}

/// A place in the definition that names a state.
#[derive(Clone, Debug)]
pub struct Mention {
    pub scope: ScopeId,
    pub name: String,
    /// The string node (a transition target or `StartAt`), or the state's key.
    pub span: Span,
    pub declaration: bool,
}

impl<'a> Nav<'a> {
    pub fn of(def: &'a Definition) -> Nav<'a> {
        Nav {
            doc: &def.doc,
            model: &def.model,
        }
    }

    /// The key span of a state (its name where it is declared).
    pub fn key_span(&self, s: StateId) -> Span {
        let st = self.model.state(s);
        self.doc.key_span(st.node).unwrap_or(self.doc.span(st.node))
    }

    /// Every place that names a state: declarations, transitions, `StartAt`s.
    pub fn mentions(&self) -> Vec<Mention> {
        let mut out = Vec::new();
        for scope in &self.model.scopes {
            if let Some(t) = &scope.start_at {
                out.push(Mention {
                    scope: scope.id,
                    name: t.name.to_string(),
                    span: self.doc.span(t.node),
                    declaration: false,
                });
            }
        }
        for st in &self.model.states {
            out.push(Mention {
                scope: st.scope,
                name: st.name.to_string(),
                span: self.key_span(st.id),
                declaration: true,
            });
            for (t, _) in transitions(st) {
                out.push(Mention {
                    scope: st.scope,
                    name: t.name.to_string(),
                    span: self.doc.span(t.node),
                    declaration: false,
                });
            }
        }
        out
    }

    pub fn mention_at(&self, offset: usize) -> Option<Mention> {
        self.mentions()
            .into_iter()
            .filter(|m| m.span.start as usize <= offset && offset <= m.span.end as usize)
            .min_by_key(|m| m.span.len())
    }

    /// The span of a string without its quotes (for edits of a name).
    pub fn inner(&self, text: &str, span: Span) -> Span {
        let s = &text[span.range()];
        if s.len() >= 2 && (s.starts_with('"') || s.starts_with('\'')) {
            Span::new(span.start as usize + 1, span.end as usize - 1)
        } else {
            span
        }
    }

    /// The deepest node containing an offset, and the key it is the value of.
    pub fn node_at(&self, offset: usize) -> Option<(NodeId, Option<String>)> {
        let mut cur = self.doc.root?;
        let mut key = None;
        loop {
            let next = match self.doc.kind(cur) {
                NodeKind::Object(members) => members.iter().find_map(|m| {
                    let ks = m.key_span;
                    let vs = self.doc.span(m.value);
                    if ks.start as usize <= offset && offset <= ks.end as usize {
                        Some((m.value, Some(self.doc.key(m).to_string()), true))
                    } else if vs.start as usize <= offset && offset <= vs.end as usize {
                        Some((m.value, Some(self.doc.key(m).to_string()), false))
                    } else {
                        None
                    }
                }),
                NodeKind::Array(items) => items.iter().find_map(|i| {
                    let s = self.doc.span(*i);
                    (s.start as usize <= offset && offset <= s.end as usize)
                        .then_some((*i, None, false))
                }),
                _ => None,
            };
            match next {
                Some((n, k, on_key)) => {
                    key = k.or(key);
                    if on_key {
                        return Some((n, key));
                    }
                    cur = n;
                }
                None => return Some((cur, key)),
            }
        }
    }

    /// The state whose object contains a node.
    pub fn state_of(&self, mut n: NodeId) -> Option<StateId> {
        loop {
            if let Some(s) = self.model.states.iter().find(|s| s.node == n) {
                return Some(s.id);
            }
            n = self.doc.node(n).parent?;
        }
    }
}
