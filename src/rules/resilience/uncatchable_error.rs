//! SFN407: a retrier or catcher for `States.Runtime` or `States.DataLimitExceeded`, which are
//! never retried or caught.

use crate::asl::errors::UNCATCHABLE;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN407",
    name: "uncatchable-error",
    category: Resilience,
    dir: "resilience",
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
            for n in names.iter().filter(|n| UNCATCHABLE.contains(&&*n.name)) {
                let why = if &*n.name == "States.Runtime" {
                    "a runtime error (such as a path that matches nothing) always fails the execution"
                } else {
                    "a payload over the 256 KiB quota always fails the execution"
                };
                out.push(
                    ctx.at(&RULE, n.node, format!("`{}` is never {verb}", n.name))
                        .help(if &*n.name == "States.Runtime" { "fix the cause instead: check the paths and intrinsics the state uses" } else { "keep payloads small instead: trim with ResultSelector/OutputPath, or pass an S3 reference" })
                        .note(why),
                );
            }
        }
    }
}
