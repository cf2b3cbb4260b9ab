//! What a rule sees: the tree, the model, the graph, and helpers to report against them.

use crate::asl::graph::StateGraph;
use crate::asl::{Model, State};
use crate::diagnostic::Diagnostic;
use crate::rules::RuleMeta;
use crate::source::Span;
use crate::syntax::{Document, NodeId};

pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub graph: &'a StateGraph,
    pub text: &'a str,
}

impl Ctx<'_> {
    /// A diagnostic on a node's value.
    pub fn at(
        &self,
        rule: &'static RuleMeta,
        node: NodeId,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, message, self.doc.span(node), self.doc.pointer(node))
    }

    /// A diagnostic on the key that names a node (a field name or a state name), falling back
    /// to the value when the node has no key.
    pub fn at_key(
        &self,
        rule: &'static RuleMeta,
        node: NodeId,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = self
            .doc
            .key_span(node)
            .unwrap_or_else(|| self.doc.span(node));
        Diagnostic::new(rule, message, span, self.doc.pointer(node))
    }

    /// A diagnostic on a field of an object: its key when present.
    pub fn at_field(
        &self,
        rule: &'static RuleMeta,
        object: NodeId,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self.doc.get(object, field) {
            Some(n) => self.at_key(rule, n, message),
            None => self.at_key(rule, object, message),
        }
    }

    /// The span of a state's name, for "state defined here" labels.
    pub fn state_name_span(&self, state: &State) -> Span {
        self.doc
            .key_span(state.node)
            .unwrap_or_else(|| self.doc.span(state.node))
    }

    pub fn field(&self, state: &State, key: &str) -> Option<NodeId> {
        self.doc.get(state.node, key)
    }
}

impl Ctx<'_> {
    /// The source span of bytes `range` of a string node's value, when the value appears in
    /// the source verbatim (no escapes); otherwise the whole string's span.
    pub fn inner_span(&self, node: NodeId, range: std::ops::Range<usize>) -> Span {
        let span = self.doc.span(node);
        let Some(value) = self.doc.as_str(node) else {
            return span;
        };
        let raw = &self.text[span.range()];
        let base = if raw == value {
            span.start as usize
        } else if raw.len() >= 2 && &raw[1..raw.len() - 1] == value {
            span.start as usize + 1
        } else {
            return span;
        };
        Span::new(
            base + range.start.min(value.len()),
            base + range.end.min(value.len()),
        )
    }
}
