//! SFN106: `Next` or `End` on a Succeed, Fail or Choice state.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN106",
    name: "transition-on-terminal-state",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if !state.ty.is_terminal_kind() {
            continue;
        }
        for field in ["Next", "End"] {
            let Some(node) = ctx.field(state, field) else {
                continue;
            };
            let help = match state.ty {
                StateType::Choice => {
                    "a Choice state moves on through its rules' `Next` and its `Default`; remove this field"
                }
                StateType::Fail => {
                    "a Fail state always ends the execution with an error; remove this field"
                }
                _ => {
                    "a Succeed state always ends the execution (or branch) successfully; remove this field"
                }
            };
            out.push(
                ctx.at_key(
                    &RULE,
                    node,
                    format!("a {} state cannot have `{field}`", state.ty.name()),
                )
                .label(
                    ctx.state_name_span(state),
                    format!("`{}` is a {} state", state.name, state.ty.name()),
                )
                .help(help),
            );
        }
    }
}
