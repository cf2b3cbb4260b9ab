//! SFN410: a polling loop (Wait + Choice) in a Standard workflow with no bound on its passes,
//! which runs into the 25,000-event history quota.

use crate::asl::graph::Edge;
use crate::asl::quotas::{HISTORY_LIMIT, events_per_visit};
use crate::asl::{StateId, StateType, WorkflowType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Whole};
use petgraph::visit::EdgeRef;

declare_rule!(RULE {
    code: "SFN410",
    name: "unbounded-loop-history",
    category: Resilience,
    severity: Info,
    fix: None,
    check: Some(check)
});

/// A Standard execution fails when its history reaches this many events.
fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for scope in &ctx.model.scopes {
        // A polling loop needs a Wait and a Choice in the same scope; most scopes have not
        // both, and need no loop search.
        if !polls(ctx, scope.states.iter().copied()) {
            continue;
        }
        let sg = ctx.graph.scope(scope.id);
        let unreachable = ctx.unreachable(scope.id);
        for scc in petgraph::algo::kosaraju_scc(&sg.graph) {
            let Some(&entry) = scc.iter().min_by_key(|n| sg.graph[**n]) else {
                continue;
            };
            let first = ctx.model.state(sg.graph[entry]);
            let is_loop = scc.len() > 1 || ctx.graph.has_self_loop(ctx.model, first.id);
            if !is_loop
                || unreachable.contains(&first.id)
                || ctx.execution_type(first) != WorkflowType::Standard
            {
                continue;
            }
            if !polls(ctx, scc.iter().map(|n| sg.graph[*n])) {
                continue;
            }
            let states = loop_order(&sg.graph, &scc, entry);
            if bounded(ctx, &states) {
                continue;
            }
            let events: f64 = states
                .iter()
                .map(|s| events_per_visit(ctx.model.state(*s).ty, 1.0))
                .sum();
            let passes = (HISTORY_LIMIT / events).floor();
            let mut names = String::new();
            for (i, s) in states.iter().enumerate() {
                if i > 0 {
                    names.push_str(" → ");
                }
                names.push('`');
                names.push_str(&ctx.model.state(*s).name);
                names.push('`');
            }
            let wait_note = states
                .iter()
                .map(|s| ctx.model.state(*s))
                .find(|s| s.ty == StateType::Wait)
                .and_then(|w| ctx.number(w, "Seconds"))
                .map(|secs| {
                    format!(
                        " (with the {} s wait, after about {:.1} days)",
                        Whole(secs),
                        passes * secs / 86_400.0
                    )
                })
                .unwrap_or_default();
            let mut d = ctx.at_key(
                &RULE,
                first.node,
                format!("polling loop {names} has no bound on its passes"),
            );
            for s in &states[1..] {
                d = d.label(ctx.state_name_span(ctx.model.state(*s)), "part of the loop");
            }
            out.push(
                d.help("bound the loop: count passes (e.g. `States.MathAdd`) and leave through a Choice rule when the count is reached, continue as a new execution, or poll from a child workflow")
                    .note(format!("each pass writes about {} history events, so the execution fails on the 25,000-event history quota after about {} passes{wait_note}", Whole(events), Whole(passes))),
            );
        }
    }
}

/// Whether the states include both a Wait and a Choice, as a polling loop does.
fn polls(ctx: &Ctx<'_>, states: impl Iterator<Item = StateId>) -> bool {
    let (mut wait, mut choice) = (false, false);
    for s in states {
        match ctx.model.state(s).ty {
            StateType::Wait => wait = true,
            StateType::Choice => choice = true,
            _ => {}
        }
        if wait && choice {
            return true;
        }
    }
    false
}

/// The loop's states as it runs: from its first state in the file, along the transitions in
/// the order the definition writes them (not the order an SCC algorithm happens to yield).
fn loop_order(
    graph: &petgraph::graph::DiGraph<StateId, Edge>,
    scc: &[petgraph::graph::NodeIndex],
    entry: petgraph::graph::NodeIndex,
) -> Vec<StateId> {
    let members: rustc_hash::FxHashSet<_> = scc.iter().copied().collect();
    let mut ordered = Vec::with_capacity(scc.len());
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack = vec![entry];
    while let Some(n) = stack.pop() {
        if !seen.insert(n) {
            continue;
        }
        ordered.push(graph[n]);
        // petgraph lists a node's edges newest first, so pushing them in that order pops the
        // first-written transition first.
        stack.extend(
            graph
                .neighbors(n)
                .filter(|m| members.contains(m) && !seen.contains(m)),
        );
    }
    ordered
}

/// A loop counts as bounded when one of its Choice rules leaves the loop on a numeric
/// comparison and a state in the loop increments something (a counter).
fn bounded(ctx: &Ctx<'_>, states: &[StateId]) -> bool {
    // `crate::source`'s search: `str::contains`'s searcher set-up costs more on a state's few
    // hundred bytes.
    use crate::source::contains;
    let scope = ctx.model.state(states[0]).scope;
    let sg = ctx.graph.scope(scope);
    let numeric_exit = states.iter().any(|s| {
        let n = ctx.graph.index[s.0 as usize];
        sg.graph.edges(n).any(|e| {
            let Edge::Choice(i) = e.weight() else {
                return false;
            };
            let leaves = !states.contains(&sg.graph[e.target()]);
            let rule = ctx.model.state(*s).choices.get(*i as usize).map(|r| r.node);
            leaves
                && rule.is_some_and(|r| {
                    let src = &ctx.text[ctx.doc.span(r).range()];
                    contains(src, "Numeric") || contains(src, "Condition")
                })
        })
    });
    let increments = states.iter().any(|s| {
        let src = &ctx.text[ctx.doc.span(ctx.model.state(*s).node).range()];
        contains(src, "States.MathAdd") || contains(src, "+ 1") || contains(src, "+1")
    });
    numeric_exit && increments
}
