//! SFN402: a callback or activity task without `HeartbeatSeconds`.

use super::task_resource;
use crate::asl::resource::Pattern;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN402",
    name: "callback-without-heartbeat",
    category: Resilience,
    severity: Info,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let Some(r) = task_resource(ctx, state) else {
            continue;
        };
        if !(r.activity || r.pattern == Pattern::Callback) {
            continue;
        }
        if ctx.field(state, "HeartbeatSeconds").is_some()
            || ctx.field(state, "HeartbeatSecondsPath").is_some()
        {
            continue;
        }
        let what = if r.activity { "activity" } else { "callback" };
        out.push(
            ctx.at_key(&RULE, state.node, format!("{what} task `{}` has no `HeartbeatSeconds`", state.name))
                .help("set `HeartbeatSeconds` (below `TimeoutSeconds`) and have the worker call SendTaskHeartbeat while it works")
                .note("a heartbeat detects a crashed worker within seconds; without it the task only fails when its whole timeout runs out"),
        );
    }
}
