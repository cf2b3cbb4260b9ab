//! SFN405: a Task, Map or Parallel whose failure ends the whole execution.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN405",
    name: "missing-catch",
    category: Resilience,
    severity: Info,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if !matches!(
            state.ty,
            StateType::Task | StateType::Map | StateType::Parallel
        ) || !state.catch.is_empty()
        {
            continue;
        }
        // A failure inside a branch or iteration reaches the enclosing Parallel or Map, which
        // is reported itself (or handles it): report the top level only.
        if ctx.model.scope(state.scope).owner.is_some() {
            continue;
        }
        out.push(
            ctx.at_key(&RULE, state.node, format!("a failure of `{}` ends the whole execution", state.name))
                .help("add a `Catch` that routes to a compensating or reporting state, if failing the whole execution is not what you want"),
        );
    }
}
