//! SFN604: a parameter the called API requires, not given.

use super::{Checked, checked, passed};
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
    let tasks = checked(ctx);
    for p in passed(ctx) {
        let Checked { state, call, .. } = &tasks[p.task];
        let missing: Vec<String> = p
            .members
            .iter()
            .filter(|m| m.required && !p.args.iter().any(|a| a.name.eq_ignore_ascii_case(m.name)))
            .map(|m| format!("`{}`", m.name))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let names = missing.join(", ");
        let (message, help) = if p.path.is_empty() {
            let field = if ctx.field(state, "Arguments").is_some() {
                "Arguments"
            } else {
                "Parameters"
            };
            (
                format!(
                    "{}:{} requires {names}, which `{}` does not pass",
                    call.service, call.action, state.name
                ),
                format!("add {names} to `{field}` (a literal, a `.$` path or a JSONata expression)"),
            )
        } else {
            (
                format!(
                    "`{}` (a `{}` of {}:{}) requires {names}, which it does not have",
                    p.path, p.structure, call.service, call.action
                ),
                format!("add {names} (a literal, a `.$` path or a JSONata expression)"),
            )
        };
        out.push(
            ctx.at(&RULE, p.object, message)
                .help(help)
                .note("the API rejects the request at run time (a validation error), and the Task fails"),
        );
    }
}
