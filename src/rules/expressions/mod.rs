//! Expressions: intrinsic functions and JSONata inside string values.

pub mod invalid_intrinsic_call;
pub mod jsonata_syntax_error;

use crate::asl::QueryLanguage;
use crate::rules::Ctx;
use crate::syntax::{NodeId, NodeKind};

/// Fields holding nested scopes, which are checked as states of their own.
const NESTED: &[&str] = &["Branches", "ItemProcessor", "Iterator"];

/// Calls `f(key, string node)` for every string in the states of one query language,
/// not descending into nested states. `key` is the member key the string sits under.
pub(crate) fn for_each_string(ctx: &Ctx<'_>, ql: QueryLanguage, mut f: impl FnMut(&str, NodeId)) {
    for state in ctx.model.states.iter().filter(|s| s.query_language == ql) {
        let mut stack: Vec<(NodeId, &str)> = ctx
            .doc
            .members(state.node)
            .iter()
            .filter(|m| !NESTED.contains(&&*m.key))
            .map(|m| (m.value, &*m.key))
            .collect();
        while let Some((node, key)) = stack.pop() {
            match ctx.doc.kind(node) {
                NodeKind::String(_) => f(key, node),
                NodeKind::Object(members) => {
                    stack.extend(members.iter().map(|m| (m.value, &*m.key)))
                }
                NodeKind::Array(items) => stack.extend(items.iter().map(|i| (*i, key))),
                _ => {}
            }
        }
    }
}
