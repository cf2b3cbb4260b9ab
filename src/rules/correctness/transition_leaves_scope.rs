//! SFN103: a transition from inside a Parallel branch or Map processor to a state outside it
//! (or into another scope).

use crate::asl::ScopeKind;
use crate::asl::graph::transitions;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN103",
    name: "transition-leaves-scope",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        for (target, _) in transitions(state) {
            if ctx.model.find_in_scope(state.scope, &target.name).is_some() {
                continue;
            }
            let Some(other) = ctx.model.find_anywhere(&target.name).next() else {
                continue;
            };
            let here = match ctx.model.scope(state.scope).kind {
                ScopeKind::Root => "the top level",
                ScopeKind::Branch => "a Parallel branch",
                ScopeKind::ItemProcessor | ScopeKind::Iterator => "a Map's item processor",
            };
            let d = ctx
                .at(&RULE, target.node, format!("`{}` is outside {here}; a transition cannot leave its scope", target.name))
                .label(ctx.state_name_span(other), "the target is defined here, in another scope")
                .help(if ctx.model.scope(state.scope).owner.is_some() {
                    "end the branch with `End: true` (or a Succeed/Fail state) and put the transition on the Parallel or Map state's `Next`"
                } else {
                    "the top level cannot jump into a branch or processor; transition to the Parallel or Map state instead"
                })
                .note("each Parallel branch and Map processor is a separate state machine: its states can only reach each other");
            out.push(d);
        }
    }
}
