//! SFN104: a non-terminal state with neither `Next` nor `End: true`.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN104",
    name: "missing-next-or-end",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if state.ty.is_terminal_kind() || state.ty == StateType::Unknown {
            continue;
        }
        let has_next = ctx.field(state, "Next").is_some();
        let end = ctx.field(state, "End");
        if has_next || end.is_some_and(|e| ctx.doc.as_bool(e) != Some(false)) {
            continue;
        }
        let msg = if end.is_some() {
            format!(
                "{} state `{}` has `End: false` and no `Next`",
                state.ty.name(),
                state.name
            )
        } else {
            format!(
                "{} state `{}` has neither `Next` nor `End`",
                state.ty.name(),
                state.name
            )
        };
        out.push(
            ctx.at_key(&RULE, state.node, msg)
                .help("add `\"Next\": \"<state>\"` to continue, or `\"End\": true` to finish here")
                .note("every Task, Pass, Wait, Parallel and Map state must say where the execution goes next"),
        );
    }
}
