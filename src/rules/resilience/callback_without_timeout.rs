//! SFN401: a callback, activity or `.sync` task without `TimeoutSeconds`: it can wait a year.

use super::{task_resource, waits_externally};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN401",
    name: "callback-without-timeout",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let Some(r) = task_resource(ctx, state) else {
            continue;
        };
        let Some(what) = waits_externally(&r) else {
            continue;
        };
        if ctx.field(state, "TimeoutSeconds").is_some()
            || ctx.field(state, "TimeoutSecondsPath").is_some()
        {
            continue;
        }
        out.push(
            ctx.at_key(&RULE, state.node, format!("`{}` waits for {what} with no `TimeoutSeconds`", state.name))
                .label(ctx.doc.span(ctx.field(state, "Resource").unwrap_or(state.node)), "waits for an answer from outside")
                .help("set `TimeoutSeconds` to the longest the answer may reasonably take, and catch `States.Timeout`")
                .note("without a timeout the task waits until the execution's own limit (a year for Standard): a lost token or a dead worker leaves the execution hanging and the work silently stuck"),
        );
    }
}
