//! SFN111: a retrier or catcher whose `ErrorEquals` is empty.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN111",
    name: "empty-error-equals",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let entries = state
            .retry
            .iter()
            .map(|r| ("retrier", r.error_equals_node))
            .chain(state.catch.iter().map(|c| ("catcher", c.error_equals_node)));
        for (what, node) in entries {
            let Some(node) = node else { continue };
            if matches!(ctx.doc.kind(node), crate::syntax::NodeKind::Array(a) if a.is_empty()) {
                out.push(
                    ctx.at(&RULE, node, format!("this {what}'s `ErrorEquals` is empty, so it matches no error"))
                        .help("list the error names to match, e.g. `[\"States.TaskFailed\"]`, or `[\"States.ALL\"]` for any error"),
                );
            }
        }
    }
}
