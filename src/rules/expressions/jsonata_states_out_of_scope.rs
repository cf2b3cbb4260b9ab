//! SFN307: `$states.result` or `$states.errorOutput` where they do not exist.

use super::for_each_site;
use crate::asl::{QueryLanguage, StateType};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN307",
    name: "jsonata-states-out-of-scope",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::Jsonata {
            return;
        }
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        if !crate::source::contains(v, "{%") {
            return;
        }
        let produces = matches!(
            site.state.ty,
            StateType::Task | StateType::Parallel | StateType::Map
        );
        for (name, allowed, place) in [
            (
                "$states.errorOutput",
                site.field == "Catch",
                "in a Catch's `Output` and `Assign`",
            ),
            (
                "$states.result",
                produces && matches!(site.field, "Output" | "Assign"),
                "in the `Output` and `Assign` of a Task, Parallel or Map state",
            ),
        ] {
            for (i, _) in v.match_indices(name) {
                // `$states.resultX` is another name.
                if v[i + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    || allowed
                {
                    continue;
                }
                let d = Diagnostic::new(
                    &RULE,
                    format!(
                        "`{name}` is not available in `{}` of {} state `{}`",
                        site.field,
                        site.state.ty.name(),
                        site.state.name
                    ),
                    ctx.inner_span(site.node, i..i + name.len()),
                    ctx.doc.pointer(site.node),
                )
                .help(format!(
                    "`{name}` exists only {place}; use `$states.input` (or a variable) here"
                ));
                // In a catcher AWS accepts the definition and the read fails when the catcher
                // fires (States.QueryEvaluationError): a run-time failure, not a rejection.
                out.push(if site.field == "Catch" {
                    d.severity(Severity::Warning).note("AWS accepts the definition; the expression fails when the catcher runs, so the error it handles becomes a States.QueryEvaluationError")
                } else {
                    d
                });
            }
        }
    });
}
