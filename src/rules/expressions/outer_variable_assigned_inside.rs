//! SFN313: a Parallel branch or Map iteration assigns a variable that an enclosing scope also
//! assigns. The inner assignment only changes the branch's or iteration's own copy.

use rustc_hash::FxHashMap as HashMap;

use crate::asl::{ScopeId, StateId};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN313",
    name: "outer-variable-assigned-inside",
    category: Expressions,
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// The scopes enclosing a scope, innermost first, with the Map/Parallel that opens each step.
fn enclosing(ctx: &Ctx<'_>, mut scope: ScopeId) -> Vec<(ScopeId, StateId)> {
    let mut out = Vec::new();
    while let Some(owner) = ctx.model.scope(scope).owner {
        let outer = ctx.model.state(owner).scope;
        out.push((outer, owner));
        scope = outer;
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // Only nested scopes (Map, Parallel) and `Assign` can make this happen. The variables
    // analysis is shared (other variable rules have usually run it already).
    if ctx.model.scopes.len() == 1 {
        return;
    }
    let vars = ctx.variables();
    if vars.assignments.is_empty() {
        return;
    }
    // Where each name is assigned, by scope (the first assignment found in each).
    let mut by_scope: HashMap<(&str, ScopeId), (StateId, crate::syntax::NodeId)> =
        HashMap::default();
    for (s, a) in &vars.assignments {
        let scope = ctx.model.state(*s).scope;
        by_scope
            .entry((a.name.as_str(), scope))
            .or_insert((*s, a.key_node));
    }
    for (s, a) in &vars.assignments {
        let state = ctx.model.state(*s);
        for (outer, owner) in enclosing(ctx, state.scope) {
            let Some((outer_state, _)) = by_scope.get(&(a.name.as_str(), outer)) else {
                continue;
            };
            let owner = ctx.model.state(owner);
            let outer_state = ctx.model.state(*outer_state);
            let within = if owner.ty == crate::asl::StateType::Map {
                "this Map iteration"
            } else {
                "this Parallel branch"
            };
            out.push(
                ctx.at_key(
                    &RULE,
                    a.key_node,
                    format!(
                        "`${}` is also assigned by `{}` outside `{}`: assigning it here changes only {within}'s copy, and the states after `{}` keep the outer value",
                        a.name, outer_state.name, owner.name, owner.name
                    ),
                )
                .label(ctx.state_name_span(outer_state), "assigned in the outer scope here")
                .help(format!(
                    "return the value in the {}'s output and assign it in `{}`'s own `Assign` (e.g. from `$states.result`), or use a different name inside",
                    if owner.ty == crate::asl::StateType::Map { "iteration" } else { "branch" },
                    owner.name
                ))
                .note("each Parallel branch and Map iteration runs with its own variable scope: it can read the outer variables, but what it assigns stays inside it"),
            );
            break;
        }
    }
}
