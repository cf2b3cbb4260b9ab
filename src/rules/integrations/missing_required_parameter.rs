//! SFN604: a parameter the called API requires, not given.

use super::{Checked, checked, nested};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN604",
    name: "missing-required-parameter",
    category: Integrations,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for Checked {
        state,
        call,
        resource,
        op,
        args,
        ..
    } in checked(ctx)
    {
        let missing: Vec<&str> = op
            .inputs()
            .filter(|m| m.required && !args.iter().any(|a| a.name.eq_ignore_ascii_case(m.name)))
            .map(|m| m.name)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let field = if ctx.field(state, "Arguments").is_some() {
            "Arguments"
        } else {
            "Parameters"
        };
        let node = ctx.field(state, field).unwrap_or(*resource);
        let names = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            ctx.at(
                &RULE,
                node,
                format!(
                    "{}:{} requires {names}, which `{}` does not pass",
                    call.service, call.action, state.name
                ),
            )
            .help(format!(
                "add {names} to `{field}` (a literal, a `.$` path or a JSONata expression)"
            ))
            .note("the API rejects the request at run time (a validation error), and the Task fails"),
        );
    }
    // Required members of the structures passed inside the parameters.
    let tasks = checked(ctx);
    for n in nested(ctx) {
        let call = &tasks[n.task].call;
        let missing: Vec<String> = n
            .members
            .iter()
            .filter(|m| {
                m.required && !n.args.iter().any(|a| a.name.eq_ignore_ascii_case(m.name))
            })
            .map(|m| format!("`{}`", m.name))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let names = missing.join(", ");
        out.push(
            ctx.at(
                &RULE,
                n.object,
                format!(
                    "`{}` (a `{}` of {}:{}) requires {names}, which it does not have",
                    n.path, n.structure, call.service, call.action
                ),
            )
            .help(format!(
                "add {names} (a literal, a `.$` path or a JSONata expression)"
            ))
            .note("the API rejects the request at run time (a validation error), and the Task fails"),
        );
    }
}
