//! SFN605: a literal parameter of a type the AWS SDK API does not take there.

use super::{checked, passed};
use crate::asl::services::sdk::Type;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeKind;

declare_rule!(RULE {
    code: "SFN605",
    name: "parameter-type-mismatch",
    category: Integrations,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let tasks = checked(ctx);
    for p in passed(ctx) {
        let task = &tasks[p.task];
        // Only AWS SDK integrations pass members to the API as written; an optimized
        // integration may take other shapes (an object for a message body, say).
        if !task.typed {
            continue;
        }
        for arg in p.args.iter().filter(|a| !a.dynamic) {
            let Some(member) = p.members.get(arg.name) else {
                continue;
            };
            let Some(found) = mismatch(
                ctx.doc.kind(arg.value),
                ctx.doc.as_str(arg.value),
                member.ty,
            ) else {
                continue;
            };
            let name = if p.path.is_empty() {
                arg.name.to_string()
            } else {
                format!("{}.{}", p.path, arg.name)
            };
            out.push(
                ctx.at(
                    &RULE,
                    arg.value,
                    format!(
                        "`{name}` of {}:{} takes {}, not {found}",
                        task.call.service,
                        task.call.action,
                        member.ty.name()
                    ),
                )
                .note("the SDK cannot read the request, and the Task fails at run time"),
            );
        }
    }
}

/// What the literal is, when the SDK cannot read it as the member's type. Step Functions
/// coerces scalars (deployed AWS samples pass `"false"` for a boolean) and writes an object
/// given for a string as JSON text (`sfn:sendTaskSuccess`'s `Output`), so only what no
/// coercion turns into the type is reported: a scalar or a list where an object is taken, a
/// scalar or an object where a list is, and where a number or a boolean is, anything but a
/// scalar that reads as one.
fn mismatch(kind: &NodeKind, text: Option<&str>, ty: Type) -> Option<&'static str> {
    let found = match kind {
        NodeKind::String(_) => "a string",
        NodeKind::Number(_) => "a number",
        NodeKind::Bool(_) => "a boolean",
        NodeKind::Object(_) => "an object",
        NodeKind::Array(_) => "a list",
        // A null is an absent member.
        NodeKind::Null => return None,
    };
    let string = || text.unwrap_or_default().trim();
    let fits = match ty {
        Type::Structure | Type::Map => matches!(kind, NodeKind::Object(_)),
        Type::List => matches!(kind, NodeKind::Array(_)),
        Type::Integer | Type::Float => match kind {
            NodeKind::Number(_) => true,
            NodeKind::String(_) => string().parse::<f64>().is_ok(),
            _ => false,
        },
        Type::Boolean => match kind {
            NodeKind::Bool(_) => true,
            NodeKind::String(_) => matches!(string(), "true" | "false"),
            _ => false,
        },
        Type::String | Type::Timestamp | Type::Blob | Type::Other => true,
    };
    (!fits).then_some(found)
}
