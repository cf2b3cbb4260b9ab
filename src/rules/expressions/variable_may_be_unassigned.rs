//! SFN311: a variable read where some path to the state has not assigned it.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN311",
    name: "variable-may-be-unassigned",
    category: Expressions,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    if vars.incomplete {
        out.push(
            ctx.at_key(&crate::rules::syntax::ANALYSIS_INCOMPLETE, ctx.doc.root.unwrap_or(ctx.model.root().node), format!(
                "the analysis of which variables are assigned stopped after its budget of {} visits a state; reads that may be unassigned were not checked",
                crate::asl::variables::WORK_BUDGET
            ))
            .help("split the workflow into child state machines"),
        );
        return;
    }
    let assigned_anywhere: rustc_hash::FxHashSet<&str> = vars
        .assignments
        .iter()
        .map(|(_, a)| a.name.as_str())
        .collect();
    let mut states: Vec<_> = vars.reads.keys().copied().collect();
    states.sort();
    for s in states {
        let state = ctx.model.state(s);
        for r in &vars.reads[&s] {
            match vars.surely_assigned(s, &r.name) {
                // An unreachable state is reported by SFN117; what it reads does not matter.
                None => break,
                Some(true) => continue,
                Some(false) => {}
            }
            let (message, help) = if assigned_anywhere.contains(r.name.as_str()) {
                (
                    format!(
                        "`${}` may be unassigned when `{}` runs: some path to it does not assign it",
                        r.name, state.name
                    ),
                    "assign it on every path that leads here (for example in an earlier state or a Catch), or give it a starting value at the beginning",
                )
            } else {
                (
                    format!("`${}` is never assigned", r.name),
                    "assign it with `Assign` in an earlier state, or fix the name",
                )
            };
            out.push(
                Diagnostic::new(&RULE, message, ctx.inner_span(r.node, r.range.clone()), ctx.doc.pointer(r.node))
                    .help(help)
                    .note("assignments take effect when a state finishes, so a state's own Assign is not visible to its Output or to itself"),
            );
        }
    }
}
