//! SFN312: a variable assigned but never read.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN312",
    name: "unused-variable",
    category: Expressions,
    severity: Info,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    let read: rustc_hash::FxHashSet<&str> = vars
        .reads
        .values()
        .flatten()
        .map(|r| r.name.as_str())
        .collect();
    let mut reported = rustc_hash::FxHashSet::default();
    for (_, a) in &vars.assignments {
        if read.contains(a.name.as_str()) || a.name == "states" || !reported.insert(a.name.clone())
        {
            continue;
        }
        out.push(
            ctx.at_key(
                &RULE,
                a.key_node,
                format!("variable `${}` is assigned but never read", a.name),
            )
            .help("remove the assignment, or use the variable"),
        );
    }
}
