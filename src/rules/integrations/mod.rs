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
pub(crate) fn operation(
    call: &Call<'_>,
) -> Option<(Option<&'static sdk::Service>, &'static Operation, bool)> {
    let catalog = sdk::catalog();
    if call.sdk {
        let service = catalog.service(call.service)?;
        return Some((Some(service), service.operation(call.action)?, true));
    }
    if let Some(op) = optimized::own_parameters(call.service, call.action) {
        return Some((None, op, false));
    }
    let (svc, name) = optimized::find(call.service, call.action)?.sdk?;
    let service = catalog.service(svc)?;
    Some((Some(service), service.named(name)?, false))
}

/// A Task whose call has a known API operation.
pub(crate) struct Checked<'a> {
    pub state: &'a State,
    pub call: Call<'a>,
    pub resource: NodeId,
    /// The service whose structures the members take (none for an integration's own
    /// parameters).
    pub service: Option<&'static sdk::Service>,
    pub op: &'static Operation,
    /// Whether the members' types bind (see [`operation`]).
    pub typed: bool,
}

/// Every Task the parameter rules can judge (computed once per file).
pub(crate) fn checked<'a, 'c>(ctx: &'c Ctx<'a>) -> &'c [Checked<'a>] {
    ctx.cache.checked.get_or_init(|| {
        calls(ctx)
            .iter()
            .filter_map(|(state, call, resource)| {
                let (service, op, typed) = operation(call)?;
                Some(Checked {
                    state,
                    call: *call,
                    resource: *resource,
                    service,
                    op,
                    typed,
                })
            })
            .collect()
    })
}

/// One parameter a Task passes: its name (without a `.$` suffix), its key and value nodes,
/// and whether the value is computed at run time (a path, a JSONata expression, a
/// placeholder).
#[derive(Clone, Copy)]
pub(crate) struct Arg<'a> {
    pub name: &'a str,
    pub key: Span,
    pub value: NodeId,
    pub dynamic: bool,
}

/// The members of an object a Task passes, as [`Arg`]s; `None` for anything but an object.
fn members_of<'a>(ctx: &Ctx<'a>, node: NodeId) -> Option<Vec<Arg<'a>>> {
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

/// An object a Task passes with what the API takes there: its parameters with the
/// operation's input members, and each literal object below them where the API takes a
/// structure (`Overrides`, `Overrides.ContainerOverrides[0]`) with that structure's.
pub(crate) struct Passed<'a> {
    /// The Task ([`checked`]'s index).
    pub task: usize,
    /// The object (for the parameters: `Parameters` or `Arguments`, else the `Resource`).
    pub object: NodeId,
    /// Where it is, for messages (`NetworkConfiguration.AwsvpcConfiguration`); empty for the
    /// parameters themselves.
    pub path: String,
    /// The structure's name in the model (empty for the parameters), and its members.
    pub structure: &'static str,
    pub members: sdk::Members,
    pub args: Vec<Arg<'a>>,
}

/// Every object the Tasks pass literally, at any depth (computed once per file; each node is
/// visited once): each Task's parameters, then the structures inside them.
pub(crate) fn passed<'a, 'c>(ctx: &'c Ctx<'a>) -> &'c [Passed<'a>] {
    ctx.cache.passed.get_or_init(|| {
        let mut out = Vec::new();
        for (task, c) in checked(ctx).iter().enumerate() {
            // `Parameters`, or JSONata `Arguments`; parameters computed as a whole at run time
            // (`"Arguments": "{% … %}"`) are not judged.
            let node = ctx
                .field(c.state, "Parameters")
                .or_else(|| ctx.field(c.state, "Arguments"));
            let args = match node {
                None => Vec::new(),
                Some(node) => match members_of(ctx, node) {
                    Some(args) => args,
                    None => continue,
                },
            };
            if let Some(service) = c.service {
                for arg in args.iter().filter(|a| !a.dynamic) {
                    if let Some(member) = c.op.input(arg.name) {
                        descend(ctx, service, task, member, arg.name, arg.value, &mut out);
                    }
                }
            }
            out.push(Passed {
                task,
                object: node.unwrap_or(c.resource),
                path: String::new(),
                structure: "",
                members: c.op.input_members(),
                args,
            });
        }
        out
    })
}

/// The structures a member's value holds: itself, the items of a list, the values of a map.
fn descend<'a>(
    ctx: &Ctx<'a>,
    service: &'static sdk::Service,
    task: usize,
    member: sdk::Member,
    path: &str,
    value: NodeId,
    out: &mut Vec<Passed<'a>>,
) {
    let Some(structure) = member.structure else {
        return;
    };
    let Some(members) = service.structure(structure) else {
        return;
    };
    let mut visit = |object: NodeId, path: String| {
        let Some(args) = members_of(ctx, object) else {
            return;
        };
        for arg in args.iter().filter(|a| !a.dynamic) {
            if let Some(inner) = members.get(arg.name) {
                descend(
                    ctx,
                    service,
                    task,
                    inner,
                    &format!("{path}.{}", arg.name),
                    arg.value,
                    out,
                );
            }
        }
        out.push(Passed {
            task,
            object,
            path,
            structure,
            members,
            args,
        });
    };
    match (member.ty, ctx.doc.kind(value)) {
        (sdk::Type::Structure, NodeKind::Object(_)) => visit(value, path.to_string()),
        (sdk::Type::List, NodeKind::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                visit(*item, format!("{path}[{i}]"));
            }
        }
        (sdk::Type::Map, NodeKind::Object(entries)) => {
            for e in entries {
                visit(e.value, format!("{path}.{}", ctx.doc.key(e)));
            }
        }
        _ => {}
    }
}

/// Text a deploy tool fills in (`${Name}`, `#{Name}`, `<NAME>`, `{{name}}`).
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.contains("${")
        || s.contains("#{")
        || s.contains("{{")
        || (s.starts_with('<') && s.ends_with('>'))
}
