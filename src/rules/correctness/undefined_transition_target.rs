//! SFN102: `Next`, `Default`, a Choice rule's `Next` or a Catch `Next` names no state.

use crate::asl::graph::{Edge, transitions};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::rules::fix::rename_fix;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN102",
    name: "undefined-transition-target",
    category: Correctness,
    severity: Error,
    fix: Unsafe,
    check: Some(check)
});

fn what(edge: Edge) -> &'static str {
    match edge {
        Edge::Next => "`Next`",
        Edge::Default => "`Default`",
        Edge::Choice(_) => "this Choice rule's `Next`",
        Edge::Catch(_) => "this catcher's `Next`",
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        for (target, edge) in transitions(state) {
            if ctx.model.find_in_scope(state.scope, &target.name).is_some() {
                continue;
            }
            // A target that exists in another scope is SFN103's business.
            if ctx.model.find_anywhere(&target.name).next().is_some() {
                continue;
            }
            let names = ctx
                .model
                .scope(state.scope)
                .states
                .iter()
                .map(|s| &*ctx.model.state(*s).name);
            let mut d = ctx.at(
                &RULE,
                target.node,
                format!(
                    "{} names `{}`, which is not a state",
                    what(edge),
                    target.name
                ),
            );
            d = d.label(
                ctx.state_name_span(state),
                format!("in state `{}`", state.name),
            );
            d = match did_you_mean(&target.name, names) {
                Some(s) => {
                    d.help(format!("did you mean `{s}`?"))
                        .fix(rename_fix(ctx, target.node, s))
                }
                None => d.help(format!(
                    "define a state named `{}` in this `States` object, or name an existing one",
                    target.name
                )),
            };
            out.push(d.note("AWS rejects the definition (MISSING_TRANSITION_TARGET)"));
        }
    }
}
