//! Expressions: intrinsic functions and JSONata inside string values.

include!(concat!(env!("OUT_DIR"), "/rules_mod_expressions.rs"));

use crate::asl::QueryLanguage;
use crate::rules::Ctx;
use crate::syntax::{NodeId, NodeKind};

/// Fields holding nested scopes, which are checked as states of their own.
const NESTED: &[&str] = &["Branches", "ItemProcessor", "Iterator"];

/// Calls `f(key, string node)` for every string in the states of one query language that
/// the site list holds (see [`collect_sites`]), not descending into nested states. `key` is
/// the member key the string sits under. Reads the list every expression rule shares instead
/// of walking the states again.
pub(crate) fn for_each_string(ctx: &Ctx<'_>, ql: QueryLanguage, mut f: impl FnMut(&str, NodeId)) {
    for_each_site(ctx, |site| {
        if site.state.query_language == ql {
            f(site.key, site.node)
        }
    });
}

/// Where a string sits in a state: the state, the state's top-level field, the key right
/// above the string (or the field, for array items), and the string node.
pub(crate) struct Site<'a> {
    pub state: &'a crate::asl::State,
    pub field: &'a str,
    pub key: &'a str,
    pub node: NodeId,
}

/// The string values in every state that expressions can be in (see the filter below), not
/// descending into nested states: (state, top-level field, key right above the string, node).
pub(crate) fn collect_sites<'a>(
    ctx: &Ctx<'a>,
) -> Vec<(crate::asl::StateId, &'a str, &'a str, NodeId)> {
    let doc: &'a crate::syntax::Document = ctx.doc;
    let mut out = Vec::new();
    // One stack for the whole walk, not one allocated per field.
    let mut stack: Vec<(NodeId, &'a str)> = Vec::with_capacity(32);
    for state in &ctx.model.states {
        for m in doc.members(state.node) {
            let field = doc.key(m);
            if NESTED.contains(&field) {
                continue;
            }
            stack.push((m.value, field));
            while let Some((node, key)) = stack.pop() {
                match doc.kind(node) {
                    // Only strings an expression rule can care about: with `$` or `{`, under a `.$`
                    // key, or an intrinsic call. Names, ARNs and types are most strings and skip.
                    NodeKind::String(v) => {
                        let text = doc.text(*v);
                        if key.ends_with(".$")
                            || may_hold_expression(text.as_bytes())
                            || text.starts_with("States.")
                        {
                            out.push((state.id, field, key, node))
                        }
                    }
                    NodeKind::Object(members) => {
                        stack.extend(members.iter().map(|m| (m.value, doc.key(m))))
                    }
                    NodeKind::Array(items) => stack.extend(items.iter().map(|i| (*i, key))),
                    _ => {}
                }
            }
        }
    }
    out
}

/// Whether a string has a `$` or a `{`.
fn may_hold_expression(bytes: &[u8]) -> bool {
    memchr::memchr2(b'$', b'{', bytes).is_some()
}

/// Calls `f` for every string value in every state (computed once per file, see [`Ctx::sites`]).
pub(crate) fn for_each_site<'c, 'a: 'c>(ctx: &'c Ctx<'a>, mut f: impl FnMut(Site<'c>)) {
    for (state, field, key, node) in ctx.sites() {
        f(Site {
            state: ctx.model.state(*state),
            field,
            key,
            node: *node,
        });
    }
}

/// A JSONPath-mode variable reference (`$name…`), as opposed to a path (`$.…`, `$$…`, `$[`).
pub(crate) fn variable_ref(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix('$')?;
    let first = rest.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// Fields of a JSONPath state whose objects are payload templates: keys ending in `.$` are
/// evaluated there (`Result` is literal, so it is not one).
pub(crate) const TEMPLATE_FIELDS: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ItemSelector",
    "Credentials",
    "Assign",
];

/// Calls `f(object)` for every object inside the payload templates of the JSONPath states that
/// holds a `.$` key (computed once per file, see [`Ctx::template_objects`]).
pub(crate) fn for_each_template_object(ctx: &Ctx<'_>, mut f: impl FnMut(NodeId)) {
    for &n in ctx.template_objects() {
        f(n);
    }
}

/// Calls `f(object)` for every object inside the payload templates of the JSONPath states
/// (their `Parameters`, `ResultSelector`, `ItemSelector`, `Credentials`, `Assign`, the
/// `Parameters` of `ItemReader` and `ResultWriter`, and the `Assign` of catchers and Choice
/// rules), not descending into nested states.
pub(crate) fn walk_template_objects(ctx: &Ctx<'_>, mut f: impl FnMut(NodeId)) {
    let doc = ctx.doc;
    let mut stack: Vec<NodeId> = Vec::new();
    for state in ctx
        .model
        .states
        .iter()
        .filter(|s| s.query_language == QueryLanguage::JsonPath)
    {
        for m in doc.members(state.node) {
            match doc.key(m) {
                k if TEMPLATE_FIELDS.contains(&k) => stack.push(m.value),
                "ItemReader" | "ResultWriter" => stack.extend(doc.get(m.value, "Parameters")),
                "Catch" | "Choices" => stack.extend(
                    doc.items(m.value)
                        .iter()
                        .filter_map(|c| doc.get(*c, "Assign")),
                ),
                _ => {}
            }
        }
        while let Some(n) = stack.pop() {
            match doc.kind(n) {
                NodeKind::Object(members) => {
                    f(n);
                    stack.extend(members.iter().map(|m| m.value));
                }
                NodeKind::Array(items) => stack.extend(items.iter().copied()),
                _ => {}
            }
        }
    }
}
