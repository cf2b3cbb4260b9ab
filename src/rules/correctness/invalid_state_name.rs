//! SFN108: a state name over 80 characters or with control characters.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN108",
    name: "invalid-state-name",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

const MAX: usize = 80;

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let n = state.name.chars().count();
        if n == 0 {
            out.push(
                ctx.at_key(&RULE, state.node, "a state name cannot be empty")
                    .help("give the state a name of 1 to 80 characters"),
            );
        } else if n > MAX {
            out.push(
                ctx.at_key(
                    &RULE,
                    state.node,
                    format!("state name is {n} characters long; the limit is {MAX}"),
                )
                .help("shorten the name (and every `Next`, `Default` or `StartAt` that names it)")
                .note("AWS rejects the definition (INVALID_STATE_NAME)"),
            );
        } else if let Some(c) = state.name.chars().find(|c| c.is_control()) {
            out.push(
                ctx.at_key(&RULE, state.node, format!("state name contains the control character U+{:04X}", c as u32))
                    .help("remove control characters (tabs, line breaks, U+0000–001F, U+007F–009F) from the name")
                    .note("AWS rejects the definition (INVALID_STATE_NAME)"),
            );
        }
    }
}
