//! SFN118: a loop from which no terminal state can be reached: an infinite loop.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN118",
    name: "loop-without-exit",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for scope in &ctx.model.scopes {
        // Unreachable loops are reported by SFN117; report only loops an execution can enter.
        let unreachable = ctx.unreachable(scope.id);
        let mut stuck = ctx.graph.cannot_finish(ctx.model, scope.id);
        stuck.retain(|s| !unreachable.contains(s));
        if stuck.is_empty() {
            continue;
        }
        // The loops themselves are the regions that lead nowhere else; states that merely
        // lead into them are not reported again.
        for region in ctx.graph.regions(scope.id, &stuck, true) {
            let first = ctx.model.state(region[0]);
            if region.len() == 1 && !ctx.graph.has_self_loop(ctx.model, first.id) {
                continue;
            }
            let d = ctx.region(
                &RULE,
                &region,
                |names| format!("{names} loop forever: no path from them reaches a terminal state"),
                "part of the loop",
            );
            out.push(
                d.help("add a way out: a Choice rule that leads to a Succeed or Fail state, or a state with `End: true`")
                    .note("the execution can only end by timing out, failing on the 25,000-event history limit (Standard) or the 5-minute limit (Express), billing every transition on the way"),
            );
        }
    }
}
