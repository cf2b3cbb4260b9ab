//! SFN107: two states with the same name anywhere in the state machine.

use rustc_hash::FxHashMap as HashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN107",
    name: "duplicate-state-name",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut first = HashMap::with_capacity_and_hasher(ctx.model.states.len(), Default::default());
    for state in &ctx.model.states {
        match first.get(&*state.name) {
            None => {
                first.insert(&*state.name, state);
            }
            Some(prev) => out.push(
                ctx.at_key(&RULE, state.node, format!("state name `{}` is already used", state.name))
                    .label(ctx.state_name_span(prev), "first defined here")
                    .help("rename one of them: state names must be unique across the whole state machine, branches and Map processors included")
                    .note("AWS rejects the definition (DUPLICATE_STATE_NAME)"),
            ),
        }
    }
}
