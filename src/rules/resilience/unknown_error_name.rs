//! SFN408: an error name starting with `States.` that AWS does not define (usually a typo).

use crate::asl::errors::KNOWN;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN408",
    name: "unknown-error-name",
    category: Resilience,
    severity: Warning,
    fix: Unsafe,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // A name some Fail state raises is the workflow's own error, however it is spelt.
    let raised: Vec<&str> = ctx
        .model
        .states
        .iter()
        .filter(|s| s.ty == crate::asl::StateType::Fail)
        .filter_map(|s| ctx.string(s, "Error"))
        .collect();
    for state in &ctx.model.states {
        let names = state
            .retry
            .iter()
            .flat_map(|r| r.error_equals.iter())
            .chain(state.catch.iter().flat_map(|c| c.error_equals.iter()));
        for n in names {
            if !n.name.starts_with("States.")
                || KNOWN.contains(&&*n.name)
                || raised.contains(&&*n.name)
            {
                continue;
            }
            let mut d = ctx.at(
                &RULE,
                n.node,
                format!("`{}` is not an error Step Functions raises", n.name),
            );
            d = match did_you_mean(&n.name, KNOWN.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")).fix(crate::rules::fix::rename_fix(ctx, n.node, s)),
                None => d.help("use one of the predefined `States.*` names, or a custom name that does not start with `States.`"),
            };
            out.push(d.note("no state in this definition raises it and it is not one of Step Functions' own errors, so this entry likely never matches: a misspelt name silently disables the retrier or catcher"));
        }
    }
}
