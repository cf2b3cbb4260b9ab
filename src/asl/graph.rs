//! The state graph: one petgraph per scope, with labelled edges.
//!
//! Every rule that follows transitions uses this graph rather than re-deriving them, so that
//! the rules, the `graph` command, the cost model and the LSP agree on what goes where.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::model::*;

/// Why one state leads to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Next,
    Default,
    /// The i-th top-level Choice rule.
    Choice(u32),
    /// The i-th catcher.
    Catch(u32),
}

/// The graph of one scope.
#[derive(Debug)]
pub struct ScopeGraph {
    pub scope: ScopeId,
    pub graph: DiGraph<StateId, Edge>,
    pub start: Option<NodeIndex>,
    /// States with a transition that names no state of this scope.
    pub dangling: Vec<StateId>,
}

#[derive(Debug)]
pub struct StateGraph {
    pub scopes: Vec<ScopeGraph>,
    /// Node index of every state in its scope's graph, by state id.
    pub index: Vec<NodeIndex>,
}

impl StateGraph {
    pub fn build(model: &Model) -> StateGraph {
        let mut index = vec![NodeIndex::new(0); model.states.len()];
        let mut scopes = Vec::with_capacity(model.scopes.len());
        for scope in &model.scopes {
            let mut graph = DiGraph::with_capacity(scope.states.len(), scope.states.len() + 4);
            for &s in &scope.states {
                index[s.0 as usize] = graph.add_node(s);
            }
            let mut dangling = Vec::new();
            for &s in &scope.states {
                let state = model.state(s);
                for (target, edge) in transitions(state) {
                    match model.find_in_scope(scope.id, &target.name) {
                        Some(t) => {
                            graph.add_edge(index[s.0 as usize], index[t.0 as usize], edge);
                        }
                        None => dangling.push(s),
                    }
                }
            }
            let start = scope
                .start_at
                .as_ref()
                .and_then(|t| model.find_in_scope(scope.id, &t.name))
                .map(|s| index[s.0 as usize]);
            dangling.dedup();
            scopes.push(ScopeGraph {
                scope: scope.id,
                graph,
                start,
                dangling,
            });
        }
        StateGraph { scopes, index }
    }

    pub fn scope(&self, id: ScopeId) -> &ScopeGraph {
        &self.scopes[id.0 as usize]
    }

    /// States of a scope that no path from `StartAt` reaches (empty when StartAt is unknown:
    /// that is reported on its own, and every state would look unreachable).
    pub fn unreachable(&self, scope: ScopeId) -> Vec<StateId> {
        match self.scope(scope).start {
            Some(start) => self.unreachable_from(scope, start),
            None => Vec::new(),
        }
    }

    /// States of a scope that no path from `start` reaches: for a `StartAt` that names no
    /// state, the caller passes the state it most likely meant.
    pub fn unreachable_from(&self, scope: ScopeId, start: NodeIndex) -> Vec<StateId> {
        let sg = self.scope(scope);
        let mut seen = vec![false; sg.graph.node_count()];
        let mut dfs = petgraph::visit::Dfs::new(&sg.graph, start);
        while let Some(n) = dfs.next(&sg.graph) {
            seen[n.index()] = true;
        }
        sg.graph
            .node_indices()
            .filter(|n| !seen[n.index()])
            .map(|n| sg.graph[n])
            .collect()
    }

    /// Splits a set of states into regions (strongly connected components of the subgraph
    /// they induce) and returns the regions no other region of the set leads into: the entries.
    /// With `sinks`, returns the regions that lead to no other region of the set instead.
    pub fn regions(&self, scope: ScopeId, set: &[StateId], sinks: bool) -> Vec<Vec<StateId>> {
        let sg = self.scope(scope);
        let inside: rustc_hash::FxHashSet<StateId> = set.iter().copied().collect();
        let sub = sg
            .graph
            .filter_map(|_, s| inside.contains(s).then_some(*s), |_, e| Some(*e));
        let sccs = petgraph::algo::kosaraju_scc(&sub);
        let mut comp = vec![0usize; sub.node_count()];
        for (i, c) in sccs.iter().enumerate() {
            for n in c {
                comp[n.index()] = i;
            }
        }
        let dir = if sinks {
            Direction::Outgoing
        } else {
            Direction::Incoming
        };
        sccs.iter()
            .enumerate()
            .filter(|(i, c)| {
                c.iter().all(|n| {
                    sub.edges_directed(*n, dir).all(|e| {
                        let other = if sinks { e.target() } else { e.source() };
                        comp[other.index()] == *i
                    })
                })
            })
            .map(|(_, c)| {
                let mut states: Vec<StateId> = c.iter().map(|n| sub[*n]).collect();
                states.sort();
                states
            })
            .collect()
    }

    /// States from which no terminal state (Succeed, Fail, `End: true`) can be reached.
    /// States with an unresolved transition or an unknown type count as able to finish, so
    /// that one mistake is not reported twice. A Choice without `Default` counts as an exit
    /// (no match fails the execution), and Catch edges are followed.
    pub fn cannot_finish(&self, model: &Model, scope: ScopeId) -> Vec<StateId> {
        self.cannot_reach_end(model, scope, true)
    }

    /// Like [`StateGraph::cannot_finish`], but only normal exits count: Catch edges are not
    /// followed and a Choice without `Default` is not an exit.
    pub fn cannot_finish_normally(&self, model: &Model, scope: ScopeId) -> Vec<StateId> {
        self.cannot_reach_end(model, scope, false)
    }

    /// A backwards search from the exits; `errors` says whether failure exits count.
    fn cannot_reach_end(&self, model: &Model, scope: ScopeId, errors: bool) -> Vec<StateId> {
        let sg = self.scope(scope);
        let mut ok = vec![false; sg.graph.node_count()];
        let mut stack: Vec<NodeIndex> = Vec::new();
        for n in sg.graph.node_indices() {
            let s = model.state(sg.graph[n]);
            let finishes = matches!(
                s.ty,
                StateType::Succeed | StateType::Fail | StateType::Unknown
            ) || s.end == Some(true)
                || sg.dangling.contains(&s.id)
                || (errors && s.ty == StateType::Choice && s.default.is_none());
            if finishes {
                ok[n.index()] = true;
                stack.push(n);
            }
        }
        while let Some(n) = stack.pop() {
            for e in sg.graph.edges_directed(n, Direction::Incoming) {
                if !errors && matches!(e.weight(), Edge::Catch(_)) {
                    continue;
                }
                let p = e.source();
                if !ok[p.index()] {
                    ok[p.index()] = true;
                    stack.push(p);
                }
            }
        }
        sg.graph
            .node_indices()
            .filter(|n| !ok[n.index()])
            .map(|n| sg.graph[n])
            .collect()
    }

    /// True when the state has an edge to itself.
    pub fn has_self_loop(&self, model: &Model, s: StateId) -> bool {
        let sg = self.scope(model.state(s).scope);
        let n = self.index[s.0 as usize];
        sg.graph.find_edge(n, n).is_some()
    }
}

/// The transitions a state declares, with their edge labels, in source order.
pub fn transitions(state: &State) -> impl Iterator<Item = (&Target, Edge)> {
    // An iterator, not a vector: the graph, several rules and the language server ask for
    // every state's transitions, and a vector each would allocate for every one of them.
    let next = (state.next.as_ref())
        .filter(|_| !state.ty.is_terminal_kind())
        .map(|n| (n, Edge::Next));
    let choices = state
        .choices
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| rule.next.as_ref().map(|n| (n, Edge::Choice(i as u32))));
    let default = state.default.as_ref().map(|d| (d, Edge::Default));
    let catch = (state.catch.iter().enumerate())
        .filter_map(|(i, c)| c.next.as_ref().map(|n| (n, Edge::Catch(i as u32))));
    next.into_iter().chain(choices).chain(default).chain(catch)
}
