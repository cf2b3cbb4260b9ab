//! SFN105: a state with both `Next` and `End`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN105",
    name: "next-with-end",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if state.ty.is_terminal_kind() {
            continue;
        }
        let (Some(next), Some(end)) = (ctx.field(state, "Next"), ctx.field(state, "End")) else {
            continue;
        };
        out.push(
            ctx.at_key(
                &RULE,
                end,
                format!("state `{}` has both `Next` and `End`", state.name),
            )
            .label(
                ctx.doc.key_span(next).unwrap_or_else(|| ctx.doc.span(next)),
                "`Next` is set here",
            )
            .help("keep `Next` to continue to another state, or `End: true` to finish; not both"),
        );
    }
}
