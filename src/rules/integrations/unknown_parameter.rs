//! SFN603: a parameter the called API does not have.

use super::{checked, passed};
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
    let tasks = checked(ctx);
    for p in passed(ctx) {
        let call = &tasks[p.task].call;
        for arg in &p.args {
            if p.members.get(arg.name).is_some() {
                continue;
            }
            let names: Vec<&str> = p.members.iter().map(|m| m.name).collect();
            let listed = if names.is_empty() {
                "none".to_string()
            } else {
                list(&names)
            };
            let message = if p.path.is_empty() {
                format!(
                    "`{}` is not a parameter of {}:{} (it takes {listed})",
                    arg.name, call.service, call.action
                )
            } else {
                format!(
                    "`{}` is not a member of `{}` (a `{}` of {}:{}; it has {listed})",
                    arg.name, p.path, p.structure, call.service, call.action
                )
            };
            let mut d = Diagnostic::new(&RULE, message, arg.key, ctx.doc.pointer(arg.value))
                .note("the call fails at run time: the API rejects a request with a member it does not define (names are the API's, in PascalCase)");
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
