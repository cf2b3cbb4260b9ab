//! SFN117: states that no path from `StartAt` reaches, reported once per unreachable region.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN117",
    name: "unreachable-state",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for scope in &ctx.model.scopes {
        // A `StartAt` that names no state is reported on its own (SFN101); when it is a near
        // miss of a state's name, reachability is judged from that state.
        let guessed;
        let unreachable = match (&scope.start_at, ctx.graph.scope(scope.id).start) {
            (Some(start), None) => {
                // Else the first state (in the file's order) that no transition enters: states
                // are usually listed from the start.
                let sg = ctx.graph.scope(scope.id);
                let names = scope.states.iter().map(|s| &*ctx.model.state(*s).name);
                let meant = did_you_mean(&start.name, names)
                    .and_then(|m| ctx.model.find_in_scope(scope.id, m))
                    .map(|m| ctx.graph.index[m.0 as usize])
                    .or_else(|| {
                        sg.graph.node_indices().find(|&n| {
                            sg.graph
                                .neighbors_directed(n, petgraph::Direction::Incoming)
                                .next()
                                .is_none()
                        })
                    });
                let Some(meant) = meant else {
                    continue;
                };
                guessed = ctx.graph.unreachable_from(scope.id, meant);
                &guessed[..]
            }
            _ => ctx.unreachable(scope.id),
        };
        if unreachable.is_empty() {
            continue;
        }
        // A state that a typo'd transition probably meant is reported with that typo (SFN102),
        // not again as unreachable.
        let names = || scope.states.iter().map(|s| &*ctx.model.state(*s).name);
        let meant: Vec<&str> = ctx
            .graph
            .scope(scope.id)
            .dangling
            .iter()
            .flat_map(|s| crate::asl::graph::transitions(ctx.model.state(*s)))
            .filter(|(t, _)| ctx.model.find_in_scope(scope.id, &t.name).is_none())
            .filter_map(|(t, _)| did_you_mean(&t.name, names()))
            .collect();
        for region in ctx.graph.regions(scope.id, unreachable, false) {
            let entry = ctx.model.state(region[0]);
            if region
                .iter()
                .any(|s| meant.contains(&&*ctx.model.state(*s).name))
            {
                continue;
            }
            let mut d = if region.len() == 1 && !ctx.graph.has_self_loop(ctx.model, entry.id) {
                ctx.at_key(
                    &RULE,
                    entry.node,
                    format!("state `{}` is not reachable from `StartAt`", entry.name),
                )
            } else {
                ctx.region(
                    &RULE,
                    &region,
                    |names| {
                        format!("states {names} form a cycle that no path from `StartAt` reaches")
                    },
                    "also unreachable",
                )
            };
            if let Some(start) = &scope.start_at {
                d = d.label(ctx.doc.span(start.node), "execution starts here");
            }
            out.push(
                d.help("connect it with a `Next`, `Default`, Choice rule or Catch from a reachable state, or delete it")
                    .note("AWS rejects definitions with unreachable states; it is usually a typo in a transition or a leftover from a refactor"),
            );
        }
    }
}
