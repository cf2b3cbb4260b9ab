//! SFN101: `StartAt` names no state of its scope.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN101",
    name: "undefined-start-at",
    category: Correctness,
    severity: Error,
    fix: Unsafe,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for scope in &ctx.model.scopes {
        let Some(start) = &scope.start_at else {
            continue;
        };
        if ctx.model.find_in_scope(scope.id, &start.name).is_some() {
            continue;
        }
        let names = scope.states.iter().map(|s| &*ctx.model.state(*s).name);
        let mut d = ctx.at(
            &RULE,
            start.node,
            format!(
                "`StartAt` names `{}`, which is not a state here",
                start.name
            ),
        );
        match did_you_mean(&start.name, names) {
            Some(s) => {
                d = d.help(format!("did you mean `{s}`?")).fix(
                    crate::rules::fix::rename_fix(ctx, start.node, s),
                );
            }
            None if ctx.model.find_anywhere(&start.name).next().is_some() => {
                d = d.help("`StartAt` must name a state in the same `States` object; that state is in another scope");
            }
            None => {
                d = d.help("name one of the states in this `States` object");
            }
        }
        out.push(d);
    }
}
