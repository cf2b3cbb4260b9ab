//! SFN603: a parameter the called API does not have.

use super::{Checked, checked, nested};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN603",
    name: "unknown-parameter",
    category: Integrations,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for Checked { call, op, args, .. } in checked(ctx) {
        for arg in args {
            if op.input(arg.name).is_some() {
                continue;
            }
            let names: Vec<&str> = op.inputs().map(|m| m.name).collect();
            let mut d = Diagnostic::new(
                &RULE,
                format!(
                    "`{}` is not a parameter of {}:{} ({})",
                    arg.name,
                    call.service,
                    call.action,
                    if names.is_empty() {
                        "it takes none".to_string()
                    } else {
                        format!("it takes {}", list(&names))
                    }
                ),
                arg.key,
                ctx.doc.pointer(arg.value),
            )
            .note("the call fails at run time: the API rejects a request with a member it does not define (parameter names are the API's, in PascalCase)");
            if let Some(s) = did_you_mean(arg.name, names.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    // Members of the structures passed inside the parameters.
    let tasks = checked(ctx);
    for n in nested(ctx) {
        let call = &tasks[n.task].call;
        for arg in &n.args {
            if n.members.get(arg.name).is_some() {
                continue;
            }
            let names: Vec<&str> = n.members.iter().map(|m| m.name).collect();
            let mut d = Diagnostic::new(
                &RULE,
                format!(
                    "`{}` is not a member of `{}` (a `{}` of {}:{}; {})",
                    arg.name,
                    n.path,
                    n.structure,
                    call.service,
                    call.action,
                    if names.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("it has {}", list(&names))
                    }
                ),
                arg.key,
                ctx.doc.pointer(arg.value),
            )
            .note("the call fails at run time: the API rejects a request with a member it does not define (member names are the API's, in PascalCase)");
            if let Some(s) = did_you_mean(arg.name, names.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
}

/// `A`, `B` and 3 more: a short list for a message.
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 6;
    let mut s = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}
