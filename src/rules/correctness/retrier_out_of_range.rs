//! SFN113: retrier numbers AWS rejects: MaxAttempts < 0, BackoffRate < 1.0, IntervalSeconds
//! or MaxDelaySeconds < 1.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN113",
    name: "retrier-out-of-range",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let limits: [(&str, f64, &str); 4] = [
        (
            "MaxAttempts",
            0.0,
            "a non-negative integer (0 means never retry; default 3)",
        ),
        ("BackoffRate", 1.0, "a number of at least 1.0 (default 2.0)"),
        ("IntervalSeconds", 1.0, "a positive integer (default 1)"),
        ("MaxDelaySeconds", 1.0, "a positive integer"),
    ];
    for state in &ctx.model.states {
        for r in &state.retry {
            for (field, min, expect) in limits {
                let Some(node) = ctx.doc.get(r.node, field) else {
                    continue;
                };
                let Some(v) = ctx.doc.as_f64(node) else {
                    continue;
                };
                if v < min {
                    out.push(
                        ctx.at(
                            &RULE,
                            node,
                            format!(
                                "`{field}` is {}, below its minimum of {min}",
                                &ctx.text[ctx.doc.span(node).range()]
                            ),
                        )
                        .help(format!("`{field}` must be {expect}")),
                    );
                }
            }
        }
    }
}
