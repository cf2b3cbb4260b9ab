//! Workflow variables: where they are assigned, where they are read, and which are surely
//! assigned when a state starts (a must-analysis over the state graph).
//!
//! Assignments take effect when the state finishes, so a state's own `Assign` and `Output`
//! see the values from before it. A Catch applies only its own `Assign`; a Choice applies the
//! state's and the chosen rule's. Nested Parallel branches and inline Map iterations start
//! with what their owner state sees; Distributed Map children start with nothing.

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

use petgraph::visit::EdgeRef;

use super::graph::{Edge, StateGraph};
use super::{Model, QueryLanguage, StateId};
use crate::syntax::{Document, NodeId, NodeKind};

/// A variable read: the name, the string node it is in, and its byte range in that string.
#[derive(Clone, Debug)]
pub struct Read {
    pub name: String,
    pub node: NodeId,
    pub range: std::ops::Range<usize>,
}

/// A variable assignment: the name and the key node that assigns it.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub name: String,
    pub key_node: NodeId,
}

pub struct Variables {
    /// Reads per state.
    pub reads: HashMap<StateId, Vec<Read>>,
    /// Every assignment, with the state making it.
    pub assignments: Vec<(StateId, Assignment)>,
    /// The variables some state reads, by name: the bit each has in [`Variables::entry`].
    tracked: HashMap<String, u32>,
    /// Words per state in `entry`.
    words: usize,
    /// Per state, the tracked variables surely assigned when it starts, as a bit set of
    /// `words` words; `reached[s]` false: the state is never entered.
    entry: Vec<u64>,
    reached: Vec<bool>,
    /// The analysis used up its budget ([`WORK_BUDGET`] visits per state) and stopped; every
    /// variable is then taken as assigned, so that nothing is reported from a partial result.
    pub incomplete: bool,
}

/// Visits per state the must-analysis may make. A state is visited again only when its set
/// of assigned variables shrank; real workflows settle in two or three visits a state.
pub const WORK_BUDGET: usize = 64;

impl Variables {
    /// Whether `name` is surely assigned when `state` starts: None when the state is never
    /// entered. Only variables that some state reads are tracked; others answer false.
    pub fn surely_assigned(&self, state: StateId, name: &str) -> Option<bool> {
        let s = state.0 as usize;
        if !self.reached.get(s).copied().unwrap_or(false) {
            return None;
        }
        if self.incomplete {
            return Some(true);
        }
        Some(self.tracked.get(name).is_some_and(|&bit| {
            let b = bit as usize;
            self.entry[s * self.words + b / 64] & (1 << (b % 64)) != 0
        }))
    }
}

fn assign_names(doc: &Document, assign: Option<NodeId>) -> Vec<Assignment> {
    let Some(a) = assign else { return Vec::new() };
    doc.members(a)
        .iter()
        .map(|m| Assignment {
            name: doc.key(m).trim_end_matches(".$").to_string(),
            key_node: m.value,
        })
        .collect()
}

/// The JSONata variable names an expression reads: `$name` not followed by `(`, other than
/// `$states`, `$` and names bound inside the expression (`$x :=`, `function($x)`).
pub fn jsonata_reads(expr: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut bound: BTreeSet<String> = BTreeSet::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = expr[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            }
            b'$' => {
                let start = i;
                i += 1;
                let name_end = expr[i..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(b.len(), |e| i + e);
                let name = &expr[i..name_end];
                i = name_end;
                if name.is_empty()
                    || name == "states"
                    || name.starts_with(|c: char| c.is_ascii_digit())
                {
                    continue;
                }
                let after = expr[i..].trim_start();
                if after.starts_with('(') {
                    continue;
                }
                if after.starts_with(":=") {
                    bound.insert(name.to_string());
                    continue;
                }
                out.push((name.to_string(), start..name_end));
            }
            _ => i += 1,
        }
    }
    // Lambda parameters: `function($a, $b)`.
    for (f, _) in expr.match_indices("function") {
        if let Some(open) = expr[f..].find('(') {
            let close = expr[f + open..]
                .find(')')
                .map_or(expr.len(), |c| f + open + c);
            for p in expr[f + open + 1..close].split(',') {
                if let Some(n) = p.trim().strip_prefix('$') {
                    bound.insert(n.trim().to_string());
                }
            }
        }
    }
    out.retain(|(n, _)| !bound.contains(n));
    out
}

/// JSONPath-mode variable reads: a `.$` value, Choice `Variable` or `…Path`, or an intrinsic
/// argument of the form `$name…`.
fn jsonpath_reads(value: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    for (i, _) in value.match_indices('$') {
        let prev_ok = i == 0 || matches!(b[i - 1], b'(' | b',' | b' ');
        let next = value[i + 1..].chars().next();
        if !prev_ok || !next.is_some_and(|c| c.is_alphabetic() || c == '_') {
            continue;
        }
        let end = value[i + 1..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(value.len(), |e| i + 1 + e);
        out.push((value[i + 1..end].to_string(), i..end));
    }
    out
}

/// Whether a state's source text can hold a variable read at all: one needs `$` and then a
/// name character, and an escape (`\u0024`) could spell either, so text with a backslash
/// always counts. Most states read no variables and skip the walk over their values.
fn may_read(src: Option<&str>) -> bool {
    let Some(src) = src else { return true };
    let b = src.as_bytes();
    memchr::memchr(b'\\', b).is_some()
        || memchr::memchr_iter(b'$', b).any(|i| {
            b.get(i + 1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
        })
}

fn collect_reads(doc: &Document, state_node: NodeId, ql: QueryLanguage) -> Vec<Read> {
    let mut out = Vec::new();
    let mut stack: Vec<(NodeId, &str)> = doc
        .members(state_node)
        .iter()
        .filter(|m| {
            !matches!(
                doc.key(m),
                "Branches" | "ItemProcessor" | "Iterator" | "Comment"
            )
        })
        .map(|m| (m.value, doc.key(m)))
        .collect();
    while let Some((node, key)) = stack.pop() {
        match doc.kind(node) {
            NodeKind::String(s) => {
                let s = doc.text(*s);
                let found = match ql {
                    QueryLanguage::Jsonata => s
                        .trim()
                        .strip_prefix("{%")
                        .and_then(|x| x.strip_suffix("%}"))
                        .map(|inner| {
                            let offset = s.find("{%").unwrap_or(0) + 2;
                            jsonata_reads(inner)
                                .into_iter()
                                .map(|(n, r)| (n, r.start + offset..r.end + offset))
                                .collect()
                        })
                        .unwrap_or_default(),
                    QueryLanguage::JsonPath
                        if key.ends_with(".$")
                            || key == "Variable"
                            // ResultPath is where a result is written, never a read
                            // (a variable there is an invalid path: SFN303).
                            || (key.ends_with("Path")
                                && key != "InputPath"
                                && key != "OutputPath"
                                && key != "ResultPath") =>
                    {
                        jsonpath_reads(s)
                    }
                    QueryLanguage::JsonPath => Vec::new(),
                };
                out.extend(
                    found
                        .into_iter()
                        .map(|(name, range)| Read { name, node, range }),
                );
            }
            NodeKind::Object(ms) => stack.extend(
                ms.iter()
                    .filter(|m| doc.key(m) != "Comment")
                    .map(|m| (m.value, doc.key(m))),
            ),
            NodeKind::Array(items) => stack.extend(items.iter().map(|i| (*i, key))),
            _ => {}
        }
    }
    out
}

impl Variables {
    pub fn analyze(
        doc: &Document,
        text: &str,
        model: &Model,
        graph: &StateGraph,
        distributed: impl Fn(StateId) -> bool,
    ) -> Variables {
        let (reads, assignments, own) = gather(doc, text, model);
        // A must-analysis over bit sets of the variables that are read somewhere (the only
        // ones a question is asked about): entry(s) = ∩ over edges p→s of entry(p) ∪ what
        // the edge assigns. A worklist visits a state again only when its set shrank.
        let mut tracked: HashMap<String, u32> = HashMap::default();
        for r in reads.values().flatten() {
            let next = tracked.len() as u32;
            tracked.entry(r.name.clone()).or_insert(next);
        }
        let words = tracked.len().div_ceil(64);
        if tracked.is_empty() {
            // No state reads a variable (most definitions): only which states are entered
            // matters, and that is reachability from each scope's start.
            let reached = entered(model, graph, &distributed);
            return Variables {
                reads,
                assignments,
                tracked,
                words,
                entry: Vec::new(),
                reached,
                incomplete: false,
            };
        }
        let (entry, reached, incomplete) =
            must_assign(doc, model, graph, &distributed, &tracked, words, &own);
        Variables {
            reads,
            assignments,
            tracked,
            words,
            entry,
            reached,
            incomplete,
        }
    }
}

/// Each state's reads (when it may read a variable), every assignment with its state, and what
/// each state's own `Assign` sets.
#[allow(clippy::type_complexity)]
fn gather(
    doc: &Document,
    text: &str,
    model: &Model,
) -> (
    HashMap<StateId, Vec<Read>>,
    Vec<(StateId, Assignment)>,
    Vec<Vec<Assignment>>,
) {
    let mut reads = HashMap::default();
    let mut assignments = Vec::new();
    let mut own: Vec<Vec<Assignment>> = Vec::with_capacity(model.states.len());
    for s in &model.states {
        if may_read(text.get(doc.span(s.node).range())) {
            let r = collect_reads(doc, s.node, s.query_language);
            if !r.is_empty() {
                reads.insert(s.id, r);
            }
        }
        let a = assign_names(doc, doc.get(s.node, "Assign"));
        assignments.extend(a.iter().cloned().map(|x| (s.id, x)));
        for c in &s.catch {
            assignments.extend(
                assign_names(doc, doc.get(c.node, "Assign"))
                    .into_iter()
                    .map(|x| (s.id, x)),
            );
        }
        for r in &s.choices {
            assignments.extend(
                assign_names(doc, doc.get(r.node, "Assign"))
                    .into_iter()
                    .map(|x| (s.id, x)),
            );
        }
        own.push(a);
    }
    (reads, assignments, own)
}

/// Which states are entered: reachability from each scope's start (a child scope only when
/// its owner is entered, or is a Distributed Map, whose children start afresh).
fn entered(model: &Model, graph: &StateGraph, distributed: &impl Fn(StateId) -> bool) -> Vec<bool> {
    let mut reached = vec![false; model.states.len()];
    for scope in &model.scopes {
        let sg = graph.scope(scope.id);
        let Some(start) = sg.start else { continue };
        if let Some(o) = scope.owner
            && !distributed(o)
            && !reached[o.0 as usize]
        {
            continue;
        }
        let mut dfs = petgraph::visit::Dfs::new(&sg.graph, start);
        while let Some(n) = dfs.next(&sg.graph) {
            reached[sg.graph[n].0 as usize] = true;
        }
    }
    reached
}

/// The must-analysis over bit sets of the `tracked` variables: entry(s) = ∩ over edges p→s
/// of entry(p) ∪ what the edge assigns. A worklist visits a state again only when its set
/// shrank; past the work budget the result is marked incomplete. Returns each state's entry
/// set (`words` words a state), which states are entered, and whether it stopped early.
fn must_assign(
    doc: &Document,
    model: &Model,
    graph: &StateGraph,
    distributed: &impl Fn(StateId) -> bool,
    tracked: &HashMap<String, u32>,
    words: usize,
    own: &[Vec<Assignment>],
) -> (Vec<u64>, Vec<bool>, bool) {
    let n = model.states.len();
    let bits = |list: &[Assignment]| -> Vec<u32> {
        list.iter()
            .filter_map(|a| tracked.get(&a.name).copied())
            .collect()
    };
    let own_bits: Vec<Vec<u32>> = own.iter().map(|a| bits(a)).collect();
    // What each catcher and each Choice rule assigns, once per state rather than per visit.
    let catch_bits: Vec<Vec<Vec<u32>>> = model
        .states
        .iter()
        .map(|st| {
            st.catch
                .iter()
                .map(|c| bits(&assign_names(doc, doc.get(c.node, "Assign"))))
                .collect()
        })
        .collect();
    let choice_bits: Vec<Vec<Vec<u32>>> = model
        .states
        .iter()
        .map(|st| {
            st.choices
                .iter()
                .map(|r| bits(&assign_names(doc, doc.get(r.node, "Assign"))))
                .collect()
        })
        .collect();
    let mut entry = vec![0u64; n * words];
    let mut reached = vec![false; n];
    let mut after = vec![0u64; words];
    let mut queue = std::collections::VecDeque::new();
    let mut queued = vec![false; n];
    let mut work = WORK_BUDGET * (n + 1);
    let mut incomplete = false;
    // Scopes are stored parents first, so an owner's entry is known before its children.
    for scope in &model.scopes {
        let sg = graph.scope(scope.id);
        let Some(start) = sg.start else { continue };
        let start_id = sg.graph[start].0 as usize;
        match scope.owner {
            None => {}
            Some(o) if distributed(o) => {}
            Some(o) if reached[o.0 as usize] => {
                let (o, st) = (o.0 as usize, start_id);
                entry.copy_within(o * words..(o + 1) * words, st * words);
            }
            Some(_) => continue,
        }
        reached[start_id] = true;
        queue.push_back(start);
        queued[start_id] = true;
        while let Some(node) = queue.pop_front() {
            if work == 0 {
                incomplete = true;
                break;
            }
            work -= 1;
            let from = sg.graph[node];
            let f = from.0 as usize;
            queued[f] = false;
            for e in sg.graph.edges(node) {
                after.copy_from_slice(&entry[f * words..(f + 1) * words]);
                let mut add = |list: &[u32]| {
                    for &b in list {
                        after[b as usize / 64] |= 1 << (b % 64);
                    }
                };
                match *e.weight() {
                    Edge::Catch(i) => {
                        add(catch_bits[f].get(i as usize).map_or(&[][..], Vec::as_slice))
                    }
                    Edge::Choice(i) => {
                        add(&own_bits[f]);
                        add(choice_bits[f]
                            .get(i as usize)
                            .map_or(&[][..], Vec::as_slice));
                    }
                    Edge::Next | Edge::Default => add(&own_bits[f]),
                }
                let to = sg.graph[e.target()].0 as usize;
                let target = &mut entry[to * words..(to + 1) * words];
                let changed = if reached[to] {
                    let mut changed = false;
                    for (t, a) in target.iter_mut().zip(&after) {
                        let v = *t & a;
                        changed |= v != *t;
                        *t = v;
                    }
                    changed
                } else {
                    reached[to] = true;
                    target.copy_from_slice(&after);
                    true
                };
                if changed && !queued[to] {
                    queued[to] = true;
                    queue.push_back(e.target());
                }
            }
        }
    }
    (entry, reached, incomplete)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonata_reads_skip_functions_strings_and_bindings() {
        let names: Vec<String> = jsonata_reads("$count($items) + $total + $states.input.x + $a := 1 + '$notvar' + $map($xs, function($v) { $v * $rate })").into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["items", "total", "xs", "rate"]);
    }

    #[test]
    fn only_text_with_a_dollar_name_or_an_escape_may_read() {
        assert!(!may_read(Some(
            r#"{"a.$": "$.x", "b": "$$.Execution.Id", "c": "$"}"#
        )));
        assert!(may_read(Some(r#"{"a.$": "$counter"}"#)));
        assert!(may_read(Some(r#"{"a.$": "$_x"}"#)));
        assert!(may_read(Some("{\"a.$\": \"$é\"}")));
        // `\u0024` is a `$` once unescaped.
        assert!(may_read(Some(r#"{"a.$": "\u0024x"}"#)));
        assert!(may_read(None));
    }

    #[test]
    fn jsonpath_reads() {
        let r = super::jsonpath_reads("States.Format('{}', $name, $.x, $$.Execution.Id)");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, "name");
        assert_eq!(super::jsonpath_reads("$counter.value")[0].0, "counter");
    }
}
