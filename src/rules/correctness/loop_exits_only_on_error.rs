//! SFN119: a loop whose only way out is an error (a Catch, or a Choice with no match).

use rustc_hash::FxHashSet as HashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN119",
    name: "loop-exits-only-on-error",
    category: Correctness,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for scope in &ctx.model.scopes {
        let unreachable: HashSet<_> = ctx.unreachable(scope.id).iter().copied().collect();
        let hard: HashSet<_> = ctx
            .graph
            .cannot_finish(ctx.model, scope.id)
            .into_iter()
            .collect();
        let mut soft = ctx.graph.cannot_finish_normally(ctx.model, scope.id);
        soft.retain(|s| !unreachable.contains(s) && !hard.contains(s));
        for region in ctx.graph.regions(scope.id, &soft, true) {
            let first = ctx.model.state(region[0]);
            if region.len() == 1 && !ctx.graph.has_self_loop(ctx.model, first.id) {
                continue;
            }
            let d = ctx.region(
                &RULE,
                &region,
                |names| format!("loop {names} only ends when a state fails"),
                "part of the loop",
            );
            out.push(
                d.help("give the loop a normal way out: a Choice rule that leads to a Succeed state or past the loop")
                    .note("its only exits are a Catch or a Choice with no matching rule (States.NoChoiceMatched); a loop that never fails runs until the execution times out or hits the history quota"),
            );
        }
    }
}
