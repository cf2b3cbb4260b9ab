//! A static estimate of how big the state data gets along the graph, against the 256 KiB
//! quota. Sizes are bytes of JSON. A payload is a base plus the fields `ResultPath` wrote into
//! it, so that a loop that writes the same field again replaces it instead of growing it.
//!
//! What grows it: Task results kept whole (`ResultPath` merging them into the input), Map
//! results (one entry per item, at the largest item count the profile allows), Parallel
//! results (one entry per branch), Pass literals. What shrinks it: `ResultSelector`,
//! `"ResultPath": null`, `OutputPath`, JSONata `Output`, a Distributed Map's `ResultWriter`.

use serde::Serialize;

use super::{Kind, Next, Plan};
use crate::asl::graph::StateGraph;
use crate::asl::{Model, QueryLanguage, ScopeId, State, StateId, StateType};
use crate::syntax::{Document, NodeId, NodeKind};

#[derive(Clone, Debug, Default, PartialEq)]
struct Size<'a> {
    base: f64,
    /// ResultPath → bytes written into the payload; the paths borrow the document. Ordered,
    /// so that a path and everything under it are neighbours. Persistent (shared between the
    /// states whose payloads hold it), so that passing a payload on is O(1) and writing a
    /// field O(log n): a chain of states that each write their own field stays linear.
    fields: rpds::RedBlackTreeMap<&'a str, f64>,
    /// base + the fields, kept up to date.
    sum: f64,
    /// A hash of the fields (a sum over them, kept up to date): two payloads with the same
    /// fields are known equal without comparing them one by one, which a loop's fixed point
    /// does on every pass.
    digest: u64,
}

fn field_hash(k: &str, v: f64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    k.hash(&mut h);
    v.to_bits().hash(&mut h);
    h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl<'a> Size<'a> {
    fn bytes(b: f64) -> Size<'a> {
        Size {
            base: b,
            sum: b,
            ..Default::default()
        }
    }

    fn total(&self) -> f64 {
        self.sum
    }

    fn is_empty(&self) -> bool {
        self.base == 0.0 && self.sum == 0.0 && self.fields.is_empty()
    }

    /// Changed enough to matter (sums are kept incrementally, so exact float equality would
    /// never settle).
    fn differs(&self, o: &Size<'a>) -> bool {
        (self.sum - o.sum).abs() > 0.5 || self.fields.size() != o.fields.size()
    }

    fn put(&mut self, k: &'a str, v: f64) {
        if let Some(old) = self.fields.get(k).copied() {
            self.sum -= old;
            self.digest = self.digest.wrapping_sub(field_hash(k, old));
        }
        self.fields.insert_mut(k, v);
        self.sum += v;
        self.digest = self.digest.wrapping_add(field_hash(k, v));
    }

    fn remove(&mut self, k: &'a str) {
        if let Some(old) = self.fields.get(k).copied() {
            self.fields.remove_mut(k);
            self.sum -= old;
            self.digest = self.digest.wrapping_sub(field_hash(k, old));
        }
    }

    /// Joins `o` in (a field-wise maximum): whether anything grew.
    fn join(&mut self, o: &Size<'a>) -> bool {
        // The first payload to arrive is taken whole, sharing its fields.
        if self.is_empty() {
            if o.is_empty() {
                return false;
            }
            *self = o.clone();
            return true;
        }
        let same_fields = self.fields.size() == o.fields.size()
            && (self.digest == o.digest || self.fields.ptr_eq(&o.fields));
        let mut changed = false;
        if o.base > self.base + 0.5 {
            self.sum += o.base - self.base;
            self.base = o.base;
            changed = true;
        }
        if same_fields {
            return changed;
        }
        // Walk the smaller map into the larger one (a loop's payloads grow to the same big
        // set of fields; walking the big one on every pass would make that quadratic).
        if self.fields.size() < o.fields.size() {
            let mine = std::mem::replace(&mut self.fields, o.fields.clone());
            let base = self.base;
            self.sum = base + (o.sum - o.base);
            self.digest = o.digest;
            for (k, b) in mine.iter() {
                match self.fields.get(k).copied() {
                    Some(theirs) if theirs > *b + 0.5 => {}
                    Some(theirs) if theirs == *b => {}
                    _ => self.put(k, *b),
                }
            }
            // `o` had a field `self` lacked.
            return true;
        }
        for (k, b) in o.fields.iter() {
            match self.fields.get(k).copied() {
                Some(b2) if *b > b2 + 0.5 => {
                    self.put(k, *b);
                    changed = true;
                }
                Some(_) => {}
                None => {
                    self.put(k, *b);
                    changed = true;
                }
            }
        }
        changed
    }

    fn set(&mut self, path: &'a str, b: f64) {
        // Writing `$.a` replaces `$.a` and anything under it (`$.a.b`, …), which sort right
        // after it.
        let doomed: Vec<&'a str> = self
            .fields
            .range(path..)
            .take_while(|(k, _)| k.starts_with(path))
            .filter(|(k, _)| k.len() == path.len() || k.as_bytes()[path.len()] == b'.')
            .map(|(k, _)| *k)
            .collect();
        for k in doomed {
            self.remove(k);
        }
        self.put(path, b);
    }
}

/// One state that makes the payload bigger.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Growth {
    #[serde(skip)]
    pub id: StateId,
    pub state: String,
    pub adds_bytes: f64,
    pub why: String,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct PayloadEstimate {
    /// The largest state input or output found.
    pub peak_bytes: f64,
    /// The state whose output is largest.
    pub peak_state: Option<String>,
    #[serde(skip)]
    pub peak: Option<StateId>,
    /// The states that grow the payload on the way to the peak, in order.
    pub chain: Vec<Growth>,
    /// The execution input (used for the Express memory estimate).
    pub typical_bytes: f64,
    /// The estimate used up its work budget ([`WORK_BUDGET`] state visits) and stopped: the
    /// sizes are what it had found by then.
    #[serde(skip)]
    pub incomplete: bool,
}

/// State visits the payload estimate may make. Each state outside a loop is visited once and
/// a loop's states a few times, so no definition within AWS's limits comes near it; a
/// hostile nesting of loops stops here instead of running on.
pub const WORK_BUDGET: usize = 200_000;

pub fn fmt_bytes(b: f64) -> String {
    if b < 1024.0 {
        format!("{b:.0} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{:.1} MiB", b / 1024.0 / 1024.0)
    }
}

/// Estimates the payload sizes; the plan gives item counts and result sizes.
pub fn estimate(doc: &Document, model: &Model, graph: &StateGraph, plan: &Plan) -> PayloadEstimate {
    let mut e = Estimator {
        doc,
        model,
        graph,
        plan,
        out: vec![Size::default(); model.states.len()],
        input: vec![Size::default(); model.states.len()],
        from: vec![None; model.states.len()],
        growth: vec![None; model.states.len()],
        budget: WORK_BUDGET,
        scope_cache: Default::default(),
        template_cache: Default::default(),
    };
    e.scope(ScopeId(0), Size::bytes(plan.input_bytes));
    // The state that made the payload largest: among the states whose output is the largest,
    // one that grew it (not a state that merely passes it on).
    let max = e.out.iter().map(Size::total).fold(0.0, f64::max);
    let at_max = |i: &usize| e.out[*i].total() >= max - 0.5;
    let peak = (0..model.states.len())
        .filter(at_max)
        .find(|i| e.growth[*i].is_some())
        .or_else(|| (0..model.states.len()).find(at_max));
    let mut result = PayloadEstimate {
        typical_bytes: plan.input_bytes,
        incomplete: e.budget == 0,
        ..Default::default()
    };
    if let Some(p) = peak {
        result.peak_bytes = e.out[p].total();
        result.peak_state = Some(model.states[p].name.to_string());
        result.peak = Some(model.states[p].id);
        result.chain = e.chain_to(p, 0);
    }
    result
}

struct Estimator<'a> {
    doc: &'a Document,
    model: &'a Model,
    graph: &'a StateGraph,
    plan: &'a Plan,
    out: Vec<Size<'a>>,
    input: Vec<Size<'a>>,
    /// The predecessor whose output set a state's input.
    from: Vec<Option<usize>>,
    growth: Vec<Option<Growth>>,
    /// Work left, so that deep nesting cannot make the estimate slow.
    budget: usize,
    /// A nested scope's output for an input size: Maps and Parallels are re-evaluated on every
    /// pass of their owner's fixed point, with the same input.
    scope_cache: rustc_hash::FxHashMap<(u32, u64), Size<'a>>,
    /// A template's own size and how many times it copies the whole input.
    template_cache: std::cell::RefCell<rustc_hash::FxHashMap<NodeId, (f64, f64)>>,
}

impl<'a> Estimator<'a> {
    /// The states that grew the payload on the way to `s`: walking back through the
    /// predecessors that gave each state its input, and into the scopes of Maps and Parallels
    /// whose collected results grew it.
    fn chain_to(&self, s: usize, depth: usize) -> Vec<Growth> {
        let mut chain = Vec::new();
        let mut cur = Some(s);
        let mut seen = rustc_hash::FxHashSet::default();
        while let Some(c) = cur {
            if !seen.insert(c) || depth > 16 {
                break;
            }
            if let Some(g) = &self.growth[c] {
                chain.push(g.clone());
                // The largest output among the nested scopes' states, and how it grew.
                let inner = self.model.states[c]
                    .children
                    .iter()
                    .flat_map(|sc| self.model.scope(*sc).states.iter())
                    .map(|x| x.0 as usize)
                    .max_by(|a, b| self.out[*a].total().total_cmp(&self.out[*b].total()));
                if let Some(i) = inner {
                    let mut sub = self.chain_to(i, depth + 1);
                    sub.reverse();
                    chain.extend(sub);
                }
            }
            cur = self.from[c];
        }
        chain.reverse();
        chain
    }

    fn field(&self, s: StateId, key: &str) -> Option<NodeId> {
        self.doc.get(self.model.state(s).node, key)
    }

    fn text_len(&self, n: NodeId) -> f64 {
        self.doc.span(n).len() as f64
    }

    /// Runs a scope on an input; returns the join of what its end states output.
    fn scope(&mut self, id: ScopeId, input: Size<'a>) -> Size<'a> {
        let key = (id.0, input.total().to_bits());
        if id.0 != 0
            && let Some(hit) = self.scope_cache.get(&key)
        {
            return hit.clone();
        }
        let out = self.scope_uncached(id, input);
        self.scope_cache.insert(key, out.clone());
        out
    }

    fn scope_uncached(&mut self, id: ScopeId, input: Size<'a>) -> Size<'a> {
        let sp = &self.plan.scopes[id.0 as usize];
        let Some(start) = sp.start else {
            return input;
        };
        let states: Vec<StateId> = self.model.scope(id).states.clone();
        let start_id = states[start];
        let mut seeded = self.input[start_id.0 as usize].clone();
        seeded.join(&input);
        self.input[start_id.0 as usize] = seeded;
        // States are visited by strongly connected component, in topological order: a state
        // outside any loop runs once, after everything that leads to it; a loop iterates to a
        // fixed point (sizes only grow — join is a max — and ResultPath replaces fields, so
        // loops settle).
        let targets: Vec<Vec<usize>> = (0..states.len())
            .map(|li| self.successors(id, &self.plan.scopes[id.0 as usize].states[li], li))
            .collect();
        let mut local =
            petgraph::graph::DiGraph::<(), ()>::with_capacity(states.len(), states.len());
        for _ in 0..states.len() {
            local.add_node(());
        }
        for (li, ts) in targets.iter().enumerate() {
            for &t in ts {
                local.add_edge(
                    petgraph::graph::NodeIndex::new(li),
                    petgraph::graph::NodeIndex::new(t),
                    (),
                );
            }
        }
        // kosaraju_scc (iterative: no stack to overflow on a long chain) lists components
        // sinks first.
        let mut components = petgraph::algo::kosaraju_scc(&local);
        components.reverse();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
        for (li, ts) in targets.iter().enumerate() {
            for &t in ts {
                preds[t].push(li);
            }
        }
        let mut in_component = vec![false; states.len()];
        for mut component in components {
            component.sort();
            let members: Vec<usize> = component.iter().map(|n| n.index()).collect();
            let looped = members.len() > 1 || targets[members[0]].contains(&members[0]);
            if !looped {
                // Run once, after everything that leads here; push the output on.
                let li = members[0];
                if let Some((_, out)) = self.visit(states[li]) {
                    self.push(&states, states[li], &out, &targets[li]);
                }
                continue;
            }
            // A loop: each pass recomputes a state's input from what reached it from outside
            // the loop (fixed by now) and its predecessors' outputs in the loop, so that a
            // payload passed along the loop is shared, not merged field by field.
            for &li in &members {
                in_component[li] = true;
            }
            let outside: Vec<Size<'a>> = members
                .iter()
                .map(|&li| self.input[states[li].0 as usize].clone())
                .collect();
            for _ in 0..50 {
                let mut changed = false;
                for (k, &li) in members.iter().enumerate() {
                    if self.budget == 0 {
                        break;
                    }
                    let s = states[li].0 as usize;
                    let mut input = outside[k].clone();
                    for &p in &preds[li] {
                        if in_component[p] && input.join(&self.out[states[p].0 as usize]) {
                            self.from[s] = Some(states[p].0 as usize);
                        }
                    }
                    self.input[s] = input;
                    changed |= self.visit(states[li]).is_some_and(|(c, _)| c);
                }
                if !changed {
                    break;
                }
            }
            // Then the loop's outputs go on to the states after it.
            for &li in &members {
                let out = self.out[states[li].0 as usize].clone();
                let after: Vec<usize> = targets[li]
                    .iter()
                    .copied()
                    .filter(|t| !in_component[*t])
                    .collect();
                self.push(&states, states[li], &out, &after);
            }
            for &li in &members {
                in_component[li] = false;
            }
        }
        let mut end = Size::default();
        for (li, &s) in states.iter().enumerate() {
            let ends = self.plan.scopes[id.0 as usize].states[li]
                .success
                .iter()
                .any(|(_, n)| *n == Next::End);
            if ends {
                end.join(&self.out[s.0 as usize]);
            }
        }
        end
    }

    /// Runs a state on its input and keeps its output if it changed enough: whether it did,
    /// and the output (None once the work budget is spent).
    fn visit(&mut self, s: StateId) -> Option<(bool, Size<'a>)> {
        if self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        let inp = self.input[s.0 as usize].clone();
        let out = self.transfer(s, &inp);
        let changed = out.differs(&self.out[s.0 as usize]);
        if changed {
            self.out[s.0 as usize] = out.clone();
        }
        Some((changed, out))
    }

    /// Joins `from`'s output into the inputs of the scope's states `targets`, noting `from`
    /// as the state that grew each input it changed.
    fn push(&mut self, states: &[StateId], from: StateId, out: &Size<'a>, targets: &[usize]) {
        for &t in targets {
            let ts = states[t].0 as usize;
            let mut cur = std::mem::take(&mut self.input[ts]);
            if cur.join(out) {
                self.from[ts] = Some(from.0 as usize);
            }
            self.input[ts] = cur;
        }
    }

    fn successors(&self, _scope: ScopeId, plan: &super::StatePlan, _li: usize) -> Vec<usize> {
        let mut t: Vec<usize> = plan
            .success
            .iter()
            .filter_map(|(_, n)| match n {
                Next::Goto(j) => Some(*j),
                _ => None,
            })
            .collect();
        // A catcher's target gets the error output (small) or the input with the error merged
        // in; the state's input is the conservative bound.
        for c in &plan.catchers {
            if let Next::Goto(j) = c.next {
                t.push(j);
            }
        }
        let _ = self.graph;
        t
    }

    fn transfer(&mut self, s: StateId, input: &Size<'a>) -> Size<'a> {
        let st = self.model.state(s);
        let si = st.scope.0 as usize;
        let li = self.plan.local[s.0 as usize];
        let all: &'a Plan = self.plan;
        let plan = &all.scopes[si].states[li];
        let doc = self.doc;
        let jsonata = st.query_language == QueryLanguage::Jsonata;
        let str_of = |n: Option<NodeId>| n.and_then(|n| doc.as_str(n));
        let is_null = |n: Option<NodeId>| n.is_some_and(|n| matches!(doc.kind(n), NodeKind::Null));
        // InputPath narrows what the state sees.
        let mut eff = input.clone();
        if !jsonata {
            let ip = self.field(s, "InputPath");
            if is_null(ip) {
                eff = Size::bytes(2.0);
            } else if let Some(p) = str_of(ip)
                && p != "$"
                && let Some(b) = input.fields.get(p)
            {
                eff = Size::bytes(*b);
            }
        }
        // The state's result, and why it is that big.
        let (result, why): (Option<f64>, &str) = match st.ty {
            StateType::Task => (Some(plan.result_bytes), "keeps its Task result"),
            StateType::Pass => match (self.field(s, "Result"), self.field(s, "Parameters")) {
                (Some(r), _) => (Some(self.text_len(r)), "adds a literal Result"),
                (None, Some(p)) => (Some(self.template(p, &eff)), "builds its Parameters"),
                (None, None) => (None, ""),
            },
            StateType::Parallel => {
                let mut total = 0.0;
                if let Kind::Parallel(children) = &plan.kind {
                    for c in children {
                        total += self.scope(*c, eff.clone()).total();
                    }
                }
                (Some(total), "collects every branch's output")
            }
            StateType::Map => {
                if let Kind::Map(m) = &plan.kind {
                    let max_items = m
                        .items
                        .iter()
                        .filter(|(_, p)| *p > 0.0)
                        .map(|(k, _)| *k)
                        .max()
                        .unwrap_or(0) as f64;
                    let item_in = match self
                        .field(s, "ItemSelector")
                        .or(self.field(s, "Parameters"))
                    {
                        Some(t) => self.template(t, &eff),
                        None => (eff.total() / max_items.max(1.0)).max(2.0),
                    };
                    let per_item = match m.child {
                        Some(c) => self.scope(c, Size::bytes(item_in)).total(),
                        None => item_in,
                    };
                    if self.field(s, "ResultWriter").is_some() {
                        (Some(512.0), "")
                    } else {
                        (
                            Some(max_items * (per_item + 1.0) + 2.0),
                            "collects every item's output",
                        )
                    }
                } else {
                    (None, "")
                }
            }
            _ => (None, ""),
        };
        let mut result = result;
        let mut why = why;
        if let Some(rs) = self.field(s, "ResultSelector").filter(|_| !jsonata) {
            result = Some(self.template(rs, &eff));
            why = "keeps its ResultSelector's fields";
        }
        let out = if jsonata {
            match self.field(s, "Output") {
                Some(o) => Size::bytes(self.jsonata_template(o, &eff, result.unwrap_or(0.0))),
                None => match (st.ty, result) {
                    (StateType::Task | StateType::Parallel | StateType::Map, Some(r)) => {
                        Size::bytes(r)
                    }
                    _ => eff.clone(),
                },
            }
        } else {
            let rp = self.field(s, "ResultPath");
            let mut out = match result {
                None => eff.clone(),
                Some(_) if is_null(rp) => eff.clone(),
                Some(r) => match str_of(rp) {
                    None | Some("$") => Size::bytes(r),
                    Some(path) => {
                        let mut o = eff.clone();
                        o.set(path, r);
                        o
                    }
                },
            };
            let op = self.field(s, "OutputPath");
            if is_null(op) {
                out = Size::bytes(2.0);
            } else if let Some(p) = str_of(op)
                && p != "$"
            {
                out = match out.fields.get(p) {
                    Some(b) => Size::bytes(*b),

                    None => Size::bytes(out.base),
                };
            }
            out
        };
        let added = out.total() - input.total();
        self.growth[s.0 as usize] = (added >= 1.0 && !why.is_empty()).then(|| Growth {
            id: s,
            state: st.name.to_string(),
            adds_bytes: added,
            why: why.to_string(),
        });
        out
    }

    /// A Parameters/ResultSelector/ItemSelector template: its own text, plus the input for
    /// every value that copies the whole input (`"x.$": "$"`).
    fn template(&self, n: NodeId, input: &Size<'_>) -> f64 {
        if let Some((own, copies)) = self.template_cache.borrow().get(&n) {
            return own + copies * input.total();
        }
        let own = self.text_len(n);
        let mut copies = 0.0;
        self.walk(n, &mut |doc, m| {
            if let NodeKind::Object(members) = doc.kind(m) {
                for mem in members {
                    if doc.key(mem).ends_with(".$") && doc.as_str(mem.value) == Some("$") {
                        copies += 1.0;
                    }
                }
            }
        });
        self.template_cache.borrow_mut().insert(n, (own, copies));
        own + copies * input.total()
    }

    /// A JSONata Output: its text, plus the input or result it references.
    fn jsonata_template(&self, n: NodeId, input: &Size<'_>, result: f64) -> f64 {
        let mut size = self.text_len(n);
        self.walk(n, &mut |doc, m| {
            if let Some(s) = doc.as_str(m)
                && s.trim_start().starts_with("{%")
            {
                let trimmed = s.trim();
                if trimmed.ends_with("$states.result %}") || trimmed == "{% $states.result %}" {
                    size += result;
                } else if trimmed.ends_with("$states.input %}") {
                    size += input.total();
                } else if s.contains("$states.result") {
                    size += result.min(1024.0);
                }
            }
        });
        size
    }

    fn walk(&self, n: NodeId, f: &mut dyn FnMut(&Document, NodeId)) {
        f(self.doc, n);
        match self.doc.kind(n) {
            NodeKind::Object(members) => {
                for m in members {
                    self.walk(m.value, f);
                }
            }
            NodeKind::Array(items) => {
                for i in items {
                    self.walk(*i, f);
                }
            }
            _ => {}
        }
    }
}

/// A cheap upper bound of the largest payload: the input plus everything every state could
/// add, with Map results multiplied by their largest item count and each Parallel branch
/// starting from the whole input. None when a state copies its whole input into its result
/// (`"x.$": "$"`) or uses a JSONata `Output`, which the bound does not follow. When the bound
/// is under the quota, the full estimate is not needed.
/// What [`upper_bound`] needs to know of the usage: the input's size, the most items a Map
/// gets, and the bytes a Task returns.
pub trait Sizes {
    fn input_bytes(&self) -> f64;
    fn max_items(&self, map: &State) -> f64;
    fn result_bytes(&self, task: &State) -> f64;
}

impl Sizes for Plan {
    fn input_bytes(&self) -> f64 {
        self.input_bytes
    }
    fn max_items(&self, map: &State) -> f64 {
        match &self.scopes[map.scope.0 as usize].states[self.local[map.id.0 as usize]].kind {
            Kind::Map(m) => m.items.iter().map(|(k, _)| *k).max().unwrap_or(0) as f64,
            _ => 0.0,
        }
    }
    fn result_bytes(&self, task: &State) -> f64 {
        self.scopes[task.scope.0 as usize].states[self.local[task.id.0 as usize]].result_bytes
    }
}

/// The sizes `sfn-lint` assumes without a profile (the same numbers a plan built from an
/// empty profile has), so that the bound needs no plan in the common case.
pub struct DefaultSizes;

impl Sizes for DefaultSizes {
    fn input_bytes(&self) -> f64 {
        super::defaults::INPUT_BYTES
    }
    fn max_items(&self, _: &State) -> f64 {
        super::defaults::MAP_ITEMS.ceil()
    }
    fn result_bytes(&self, _: &State) -> f64 {
        super::defaults::RESULT_BYTES
    }
}

pub fn upper_bound(doc: &Document, model: &Model, sizes: &dyn Sizes) -> Option<f64> {
    fn copies_input(doc: &Document, n: NodeId) -> bool {
        match doc.kind(n) {
            NodeKind::Object(members) => members.iter().any(|m| {
                (doc.key(m).ends_with(".$") && doc.as_str(m.value) == Some("$"))
                    || copies_input(doc, m.value)
            }),
            NodeKind::Array(items) => items.iter().any(|i| copies_input(doc, *i)),
            _ => false,
        }
    }
    fn scope(
        doc: &Document,
        model: &Model,
        sizes: &dyn Sizes,
        id: ScopeId,
        input: f64,
    ) -> Option<f64> {
        let mut total = input;
        for &s in &model.scope(id).states {
            let st = model.state(s);
            let get = |k: &str| doc.get(st.node, k);
            let null = |k: &str| get(k).is_some_and(|n| matches!(doc.kind(n), NodeKind::Null));
            if get("Output").is_some() {
                return None;
            }
            // What becomes part of the output: a Task's Parameters are its request, not its
            // result; a Pass's Parameters and Result are its result; selectors shape results.
            let shaping: &[&str] = match st.ty {
                StateType::Task => &["ResultSelector"],
                StateType::Pass => &["Parameters", "Result"],
                StateType::Map => &["ItemSelector", "ResultSelector"],
                StateType::Parallel => &["Parameters", "ResultSelector"],
                _ => &[],
            };
            for k in shaping {
                if let Some(n) = get(k) {
                    if copies_input(doc, n) {
                        return None;
                    }
                    total += doc.span(n).len() as f64;
                }
            }
            if null("ResultPath") {
                continue;
            }
            total += match st.ty {
                StateType::Map => {
                    if get("ResultWriter").is_some() {
                        512.0
                    } else {
                        let items = sizes.max_items(st);
                        match st.children.first() {
                            Some(&c) => items * (scope(doc, model, sizes, c, input)? + 1.0),
                            None => 0.0,
                        }
                    }
                }
                StateType::Parallel => {
                    let mut sum = 0.0;
                    for &c in &st.children {
                        sum += scope(doc, model, sizes, c, input)?;
                    }
                    sum
                }
                StateType::Task if get("ResultSelector").is_none() => sizes.result_bytes(st),
                _ => 0.0,
            };
        }
        Some(total)
    }
    scope(doc, model, sizes, ScopeId(0), sizes.input_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use crate::profile::Profile;

    /// The bound without a plan must be the bound with a plan built from no profile: the rule
    /// relies on it to skip building one.
    #[test]
    fn default_sizes_bound_equals_the_default_plans_bound() {
        let defs = [
            include_str!("../../examples/order-processing.asl.json").to_string(),
            serde_json::json!({"StartAt": "M", "States": {
                "M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {
                    "P": {"Type": "Parallel", "Branches": [
                        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
                        {"StartAt": "U", "States": {"U": {"Type": "Pass", "Result": {"a": [1, 2, 3]}, "End": true}}}
                    ], "End": true}}}, "Next": "W"},
                "W": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"x.$": "$.Payload.x"}, "Next": "N"},
                "N": {"Type": "Map", "ItemProcessor": {"StartAt": "V", "States": {
                    "V": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}, "ResultPath": null, "End": true}
            }})
            .to_string(),
        ];
        for text in &defs {
            let doc = crate::syntax::parse(text, crate::syntax::Format::Json).unwrap();
            let model = crate::asl::lower::lower(&doc, doc.root.unwrap()).unwrap();
            let plan = plan::build_with(&doc, &model, &Profile::default(), false).unwrap();
            let with_plan = upper_bound(&doc, &model, &plan);
            let without = upper_bound(&doc, &model, &DefaultSizes);
            assert!(with_plan.is_some(), "the bound applies to {text}");
            assert_eq!(with_plan, without, "{text}");
        }
    }
}
