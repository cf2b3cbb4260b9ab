//! SFN114: `HeartbeatSeconds` not smaller than `TimeoutSeconds`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN114",
    name: "heartbeat-not-below-timeout",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let (Some(hb), Some(to)) = (
            ctx.field(state, "HeartbeatSeconds"),
            ctx.field(state, "TimeoutSeconds"),
        ) else {
            continue;
        };
        let (Some(h), Some(t)) = (ctx.doc.as_f64(hb), ctx.doc.as_f64(to)) else {
            continue;
        };
        if h >= t {
            out.push(
                ctx.at(&RULE, hb, format!("`HeartbeatSeconds` ({h}) must be smaller than `TimeoutSeconds` ({t})"))
                    .label(ctx.doc.span(to), "the timeout is set here")
                    .help("lower the heartbeat below the timeout, e.g. to a fraction of it, or remove one of them")
                    .note("a heartbeat at or above the timeout can never fire before the task times out; AWS rejects it"),
            );
        }
    }
}
