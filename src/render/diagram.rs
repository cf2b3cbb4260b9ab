//! State machine diagrams from the state graph: Mermaid (renders in GitHub Markdown) and
//! Graphviz DOT. Parallel branches and Map processors are subgraphs, Catch edges are dashed,
//! and unreachable states and states that can never finish are highlighted.

use std::collections::HashSet;
use std::fmt::Write;

use petgraph::visit::EdgeRef;

use crate::asl::graph::{Edge, StateGraph};
use crate::asl::{Definition, Model, ScopeId, ScopeKind, StateId, StateType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagramFormat {
    Mermaid,
    Dot,
}

/// Draws a definition ([`crate::lint::read_definition`] reads one).
pub fn diagram(def: &Definition, kind: DiagramFormat) -> String {
    let (model, graph) = (&def.model, &def.graph);
    let mut marks = Marks::default();
    for scope in &model.scopes {
        marks.unreachable.extend(graph.unreachable(scope.id));
        marks.stuck.extend(graph.cannot_finish(model, scope.id));
    }
    let mut d = Drawer {
        model,
        graph,
        marks,
        collapsed: false,
        first: usize::MAX,
    };
    match kind {
        DiagramFormat::Mermaid => d.mermaid_within(),
        DiagramFormat::Dot => d.dot(),
    }
}

#[derive(Default)]
struct Marks {
    unreachable: HashSet<StateId>,
    stuck: HashSet<StateId>,
}

struct Drawer<'a> {
    model: &'a Model,
    graph: &'a StateGraph,
    marks: Marks,
    /// Mermaid: nested scopes drawn as a count on their owner.
    collapsed: bool,
    /// Mermaid: how many top-level states to draw.
    first: usize,
}

fn id(s: StateId) -> String {
    format!("s{}", s.0)
}

fn edge_label(d: &Drawer<'_>, from: StateId, e: Edge) -> Option<String> {
    let state = d.model.state(from);
    match e {
        Edge::Next => None,
        Edge::Default => Some("default".into()),
        Edge::Choice(i) => Some(format!("rule {}", i + 1)),
        Edge::Catch(i) => state.catch.get(i as usize).map(|c| {
            c.error_equals
                .iter()
                .map(|n| &*n.name)
                .collect::<Vec<_>>()
                .join(", ")
        }),
    }
}

impl Drawer<'_> {
    fn scope_title(&self, scope: ScopeId) -> String {
        let s = self.model.scope(scope);
        let owner = s.owner.map(|o| self.model.state(o));
        match (s.kind, owner) {
            (ScopeKind::Branch, Some(o)) => {
                let i = o.children.iter().position(|c| *c == scope).unwrap_or(0) + 1;
                format!("{} · branch {i}", o.name)
            }
            (_, Some(o)) => format!("{} · each item", o.name),
            _ => String::new(),
        }
    }

    fn ends(&self, s: StateId) -> bool {
        let st = self.model.state(s);
        st.end == Some(true) && !st.ty.is_terminal_kind()
    }

    /// The Mermaid diagram, kept under [`crate::render::MERMAID_LIMIT`]: past it, Maps and
    /// Parallels are collapsed, then the later top-level states are left out, and a comment
    /// at the top says so.
    fn mermaid_within(&mut self) -> String {
        let limit = crate::render::MERMAID_LIMIT;
        // Room for the comment that says what was left out.
        let budget = limit - 200;
        let full = self.mermaid();
        if full.len() <= limit {
            return full;
        }
        self.collapsed = true;
        let collapsed = self.mermaid();
        if collapsed.len() <= budget {
            return collapsed.replacen(
                "flowchart TD\n",
                &format!("flowchart TD\n  %% longer than renderers draw ({limit} characters): Maps and Parallels are collapsed\n"),
                1,
            );
        }
        let top = self.model.root().states.len();
        let (mut lo, mut hi) = (0usize, top);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            self.first = mid;
            if self.mermaid().len() <= budget {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        self.first = lo;
        self.mermaid().replacen(
            "flowchart TD\n",
            &format!("flowchart TD\n  %% longer than renderers draw ({limit} characters): the first {lo} of {top} top-level states, Maps and Parallels collapsed\n"),
            1,
        )
    }

    fn mermaid(&self) -> String {
        let q = |s: &str| s.replace('"', "#quot;");
        let mut out = String::from("flowchart TD\n");
        let root = self.model.root();
        // The top-level states drawn, when not all are.
        let shown: Option<HashSet<StateId>> = (self.first < root.states.len())
            .then(|| root.states.iter().take(self.first).copied().collect());
        let visible = |s: StateId| shown.as_ref().is_none_or(|v| v.contains(&s));
        if let Some(start) = self.graph.scope(root.id).start
            && visible(self.graph.scope(root.id).graph[start])
        {
            let _ = writeln!(
                out,
                "  start((start)) --> {}",
                id(self.graph.scope(root.id).graph[start])
            );
        }
        self.mermaid_scope(&mut out, root.id, 1, &q, &visible);
        let _ = writeln!(
            out,
            "  classDef unreachable fill:#eeeeee,stroke:#999999,stroke-dasharray:4 3,color:#666666"
        );
        let _ = writeln!(out, "  classDef stuck fill:#ffdddd,stroke:#cc0000");
        let _ = writeln!(
            out,
            "  classDef missing fill:#fff3cd,stroke:#cc0000,stroke-dasharray:4 3"
        );
        let un: Vec<String> = self.marks.unreachable.iter().map(|s| id(*s)).collect();
        let st: Vec<String> = self
            .marks
            .stuck
            .iter()
            .filter(|s| !self.marks.unreachable.contains(s))
            .map(|s| id(*s))
            .collect();
        for (class, ids) in [("unreachable", un), ("stuck", st)] {
            if !ids.is_empty() {
                let mut ids = ids;
                ids.sort();
                let _ = writeln!(out, "  class {} {class}", ids.join(","));
            }
        }
        out
    }

    fn mermaid_scope(
        &self,
        out: &mut String,
        scope: ScopeId,
        depth: usize,
        q: &dyn Fn(&str) -> String,
        visible: &dyn Fn(StateId) -> bool,
    ) {
        let pad = "  ".repeat(depth);
        let sg = self.graph.scope(scope);
        for &s in &self.model.scope(scope).states {
            if !visible(s) {
                continue;
            }
            let st = self.model.state(s);
            let inner: usize = st
                .children
                .iter()
                .map(|c| self.model.scope(*c).states.len())
                .sum();
            let name = if self.collapsed && inner > 0 {
                format!("{} (+{inner} states inside)", q(&st.name))
            } else {
                q(&st.name)
            };
            let node = match st.ty {
                StateType::Choice => format!("{}{{\"{name}\"}}", id(s)),
                StateType::Succeed | StateType::Fail => format!("{}([\"{name}\"])", id(s)),
                StateType::Wait => format!("{}[/\"{name}\"/]", id(s)),
                _ => format!("{}[\"{name}\"]", id(s)),
            };
            let _ = writeln!(out, "{pad}{node}");
            if self.collapsed {
                continue;
            }
            for &child in &st.children {
                let _ = writeln!(
                    out,
                    "{pad}subgraph {}_{} [\"{}\"]",
                    id(s),
                    child.0,
                    q(&self.scope_title(child))
                );
                let _ = writeln!(out, "{pad}  direction TB");
                self.mermaid_scope(out, child, depth + 1, q, visible);
                let _ = writeln!(out, "{pad}end");
                if let Some(start) = self.graph.scope(child).start {
                    let _ = writeln!(
                        out,
                        "{pad}{} -.-> {}",
                        id(s),
                        id(self.graph.scope(child).graph[start])
                    );
                }
            }
        }
        for e in sg.graph.edge_references() {
            let (from, to) = (sg.graph[e.source()], sg.graph[e.target()]);
            if !visible(from) || !visible(to) {
                continue;
            }
            let arrow = if matches!(e.weight(), Edge::Catch(_)) {
                "-."
            } else {
                "--"
            };
            let tip = if matches!(e.weight(), Edge::Catch(_)) {
                ".->"
            } else {
                "-->"
            };
            match edge_label(self, from, *e.weight()) {
                Some(l) => {
                    let _ = writeln!(
                        out,
                        "{pad}{} {arrow} \"{}\" {tip} {}",
                        id(from),
                        q(&l),
                        id(to)
                    );
                }
                None => {
                    let plain = if matches!(e.weight(), Edge::Catch(_)) {
                        "-.->"
                    } else {
                        "-->"
                    };
                    let _ = writeln!(out, "{pad}{} {plain} {}", id(from), id(to));
                }
            }
        }
        for &s in &self.model.scope(scope).states {
            if !visible(s) {
                continue;
            }
            if self.ends(s) && self.model.scope(scope).owner.is_none() {
                let _ = writeln!(out, "{pad}{} --> finish((end))", id(s));
            }
            for (i, (target, e)) in self.undefined(s).into_iter().enumerate() {
                let node = format!("{}_missing{i}", id(s));
                let dash = if matches!(e, Edge::Catch(_)) {
                    "-.->"
                } else {
                    "-->"
                };
                let _ = writeln!(out, "{pad}{node}[\"{} (undefined)\"]:::missing", q(&target));
                let _ = writeln!(out, "{pad}{} {dash} {node}", id(s));
            }
        }
    }

    /// Transitions of a state that name no state of its scope.
    fn undefined(&self, s: StateId) -> Vec<(String, Edge)> {
        let st = self.model.state(s);
        crate::asl::graph::transitions(st)
            .filter(|(t, _)| self.model.find_in_scope(st.scope, &t.name).is_none())
            .map(|(t, e)| (t.name.to_string(), e))
            .collect()
    }

    fn dot(&self) -> String {
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let mut out = String::from(
            "digraph state_machine {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n",
        );
        let root = self.model.root();
        if let Some(start) = self.graph.scope(root.id).start {
            let _ = writeln!(
                out,
                "  start [shape=circle, label=\"start\"];\n  start -> {};",
                id(self.graph.scope(root.id).graph[start])
            );
        }
        self.dot_scope(&mut out, root.id, 1, &q);
        out.push_str("}\n");
        out
    }

    fn dot_scope(
        &self,
        out: &mut String,
        scope: ScopeId,
        depth: usize,
        q: &dyn Fn(&str) -> String,
    ) {
        let pad = "  ".repeat(depth);
        let sg = self.graph.scope(scope);
        for &s in &self.model.scope(scope).states {
            let st = self.model.state(s);
            let shape = match st.ty {
                StateType::Choice => ", shape=diamond",
                StateType::Succeed | StateType::Fail => ", shape=oval",
                _ => "",
            };
            let style = if self.marks.unreachable.contains(&s) {
                ", style=\"rounded,dashed\", color=gray50, fontcolor=gray50"
            } else if self.marks.stuck.contains(&s) {
                ", style=\"rounded,filled\", fillcolor=\"#ffdddd\", color=red3"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{pad}{} [label=\"{}\"{shape}{style}];",
                id(s),
                q(&st.name)
            );
            for &child in &st.children {
                let _ = writeln!(
                    out,
                    "{pad}subgraph cluster_{}_{} {{\n{pad}  label=\"{}\";\n{pad}  style=dashed;",
                    id(s),
                    child.0,
                    q(&self.scope_title(child))
                );
                self.dot_scope(out, child, depth + 1, q);
                let _ = writeln!(out, "{pad}}}");
                if let Some(start) = self.graph.scope(child).start {
                    let _ = writeln!(
                        out,
                        "{pad}{} -> {} [style=dotted];",
                        id(s),
                        id(self.graph.scope(child).graph[start])
                    );
                }
            }
        }
        for e in sg.graph.edge_references() {
            let (from, to) = (sg.graph[e.source()], sg.graph[e.target()]);
            let mut attrs = Vec::new();
            if let Some(l) = edge_label(self, from, *e.weight()) {
                attrs.push(format!("label=\"{}\"", q(&l)));
            }
            if matches!(e.weight(), Edge::Catch(_)) {
                attrs.push("style=dashed".into());
                attrs.push("color=red3".into());
            }
            let a = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(out, "{pad}{} -> {}{a};", id(from), id(to));
        }
        for &s in &self.model.scope(scope).states {
            for (i, (target, e)) in self.undefined(s).into_iter().enumerate() {
                let node = format!("{}_missing{i}", id(s));
                let style = if matches!(e, Edge::Catch(_)) {
                    ", style=dashed"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{pad}{node} [label=\"{} (undefined)\", color=red3, style=\"rounded,dashed\"];\n{pad}{} -> {node} [color=red3{style}];",
                    q(&target),
                    id(s)
                );
            }
        }
    }
}
