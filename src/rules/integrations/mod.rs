//! Integrations: the service a Task calls (`arn:aws:states:::service:action`, or
//! `…:aws-sdk:service:action`), the pattern it waits with, and the parameters it passes,
//! checked against the optimized integrations' table and the AWS SDK catalog
//! (`asl::services`). Placeholders and values computed at run time are never judged.

include!(concat!(env!("OUT_DIR"), "/rules_mod_integrations.rs"));

use crate::asl::State;
use crate::asl::services::sdk::{self, Operation};
use crate::asl::services::{self, Call, optimized};
use crate::rules::Ctx;
use crate::rules::resilience::task_resource;
use crate::source::Span;
use crate::syntax::{NodeId, NodeKind};

/// Every Task that calls an integration: the state, its call and its `Resource` node
/// (computed once per file; the integration rules share it).
pub(crate) fn calls<'a, 'c>(ctx: &'c Ctx<'a>) -> &'c [(&'a State, Call<'a>, NodeId)] {
    ctx.cache.calls.get_or_init(|| {
        ctx.model
            .states
            .iter()
            .filter_map(|state| {
                let r = task_resource(ctx, state)?;
                let node = ctx.field(state, "Resource")?;
                Some((state, services::parse(r.raw)?, node))
            })
            .collect()
    })
}

/// The API operation whose input members a call takes, when it is known, and whether its
/// members' types bind (the AWS SDK integrations pass them to the API as they are; an
/// optimized integration may take other shapes, such as an object for a string body).
pub(crate) fn operation(call: &Call<'_>) -> Option<(&'static Operation, bool)> {
    let catalog = sdk::catalog();
    if call.sdk {
        let op = catalog.service(call.service)?.operation(call.action)?;
        return Some((op, true));
    }
    let (svc, name) = optimized::find(call.service, call.action)?.sdk?;
    Some((catalog.service(svc)?.named(name)?, false))
}

/// A Task whose call has a known API operation, with the parameters it passes as an object.
pub(crate) struct Checked<'a> {
    pub state: &'a State,
    pub call: Call<'a>,
    pub resource: NodeId,
    pub op: &'static Operation,
    /// Whether the members' types bind (see [`operation`]).
    pub typed: bool,
    pub args: Vec<Arg<'a>>,
}

/// Every Task the parameter rules can judge (computed once per file).
pub(crate) fn checked<'a, 'c>(ctx: &'c Ctx<'a>) -> &'c [Checked<'a>] {
    ctx.cache.checked.get_or_init(|| {
        calls(ctx)
            .iter()
            .filter_map(|(state, call, resource)| {
                let (op, typed) = operation(call)?;
                Some(Checked {
                    state,
                    call: *call,
                    resource: *resource,
                    op,
                    typed,
                    args: args(ctx, state)?,
                })
            })
            .collect()
    })
}

/// One parameter a Task passes: its name (without a `.$` suffix), its key and value nodes,
/// and whether the value is computed at run time (a path, a JSONata expression, a
/// placeholder).
pub(crate) struct Arg<'a> {
    pub name: &'a str,
    pub key: Span,
    pub value: NodeId,
    pub dynamic: bool,
}

/// The parameters of a Task (`Parameters`, or JSONata `Arguments`); `None` when they are
/// computed as a whole at run time (`"Arguments": "{% … %}"`) or are not an object.
pub(crate) fn args<'a>(ctx: &Ctx<'a>, state: &State) -> Option<Vec<Arg<'a>>> {
    let node = ctx
        .field(state, "Parameters")
        .or_else(|| ctx.field(state, "Arguments"));
    let Some(node) = node else {
        return Some(Vec::new());
    };
    let NodeKind::Object(members) = ctx.doc.kind(node) else {
        return None;
    };
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        let key = ctx.doc.key(m);
        let (name, path) = match key.strip_suffix(".$") {
            Some(n) => (n, true),
            None => (key, false),
        };
        let dynamic = path
            || ctx.doc.as_str(m.value).is_some_and(|s| {
                let t = s.trim();
                (t.starts_with("{%") && t.ends_with("%}")) || is_placeholder(s)
            });
        out.push(Arg {
            name,
            key: m.key_span,
            value: m.value,
            dynamic,
        });
    }
    Some(out)
}

/// Text a deploy tool fills in (`${Name}`, `#{Name}`, `<NAME>`, `{{name}}`).
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.contains("${")
        || s.contains("#{")
        || s.contains("{{")
        || (s.starts_with('<') && s.ends_with('>'))
}
