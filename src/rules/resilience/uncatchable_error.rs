//! SFN407: a retrier or catcher for `States.Runtime`, which is never retried or caught.

use crate::asl::errors::NEVER_HANDLED;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN407",
    name: "uncatchable-error",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let entries = state
            .retry
            .iter()
            .map(|r| ("retried", &r.error_equals))
            .chain(state.catch.iter().map(|c| ("caught", &c.error_equals)));
        for (verb, names) in entries {
            for n in names.iter().filter(|n| NEVER_HANDLED.contains(&&*n.name)) {
                let why = "a runtime error (such as a path that matches nothing) always fails the execution";
                out.push(
                    ctx.at(&RULE, n.node, format!("`{}` is never {verb}", n.name))
                        .help(
                            "fix the cause instead: check the paths and intrinsics the state uses",
                        )
                        .note(why),
                );
            }
        }
    }
}
