//! SFN403: `TimeoutSeconds` set, but no retrier or catcher handles `States.Timeout`.

use crate::asl::errors::any_matches;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN403",
    name: "timeout-without-handler",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let field = [
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
        ]
        .into_iter()
        .find_map(|f| ctx.field(state, f).map(|n| (f, n)));
        let Some((name, node)) = field else { continue };
        let names = state
            .retry
            .iter()
            .flat_map(|r| r.error_equals.iter())
            .chain(state.catch.iter().flat_map(|c| c.error_equals.iter()))
            .map(|e| &*e.name);
        if any_matches(names, "States.Timeout") {
            continue;
        }
        out.push(
            ctx.at_key(&RULE, node, format!("`{name}` is set on `{}`, but nothing handles `States.Timeout`", state.name))
                .help("add a retrier or catcher with `\"ErrorEquals\": [\"States.Timeout\"]` (or `States.ALL`); note that `States.TaskFailed` does not match timeouts")
                .note("timeouts are not retries: when the timeout fires the task fails with `States.Timeout`, and without a handler that failure ends the execution"),
        );
    }
}
