//! The exact expectations: visits per state from the linear solve, composed through nested
//! scopes (Parallel = the sum of its branches, Map = items × its processor, retries as extra
//! attempts, Catch as failure edges).

use super::solve;
use crate::asl::ScopeId;
use crate::plan::attempts::{AttemptOutcome, attempts};
use crate::plan::{Kind, Next, Plan, StatePlan};

/// Additive quantities, per run of a scope or per visit of a state.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// State transitions billed to this execution (Standard).
    pub transitions: f64,
    /// History events in this execution.
    pub events: f64,
    /// Seconds (Parallel takes its slowest branch: the max of the branches' expectations).
    pub duration_s: f64,
    /// Seconds with p95 Task times, for the Express 5-minute risk.
    pub p95_s: f64,
    /// Map iterations and Parallel branches run (AWS's Express memory formula).
    pub steps: f64,
    /// Transitions of Distributed Map child executions of type Standard.
    pub child_std_transitions: f64,
    /// Distributed Map child executions of type Express.
    pub child_express_requests: f64,
    /// Billed seconds of those Express children (each rounded up to the duration step).
    pub child_express_billed_s: f64,
}

impl Totals {
    pub fn add_scaled(&mut self, o: &Totals, k: f64) {
        self.transitions += o.transitions * k;
        self.events += o.events * k;
        self.duration_s += o.duration_s * k;
        self.p95_s += o.p95_s * k;
        self.steps += o.steps * k;
        self.child_std_transitions += o.child_std_transitions * k;
        self.child_express_requests += o.child_express_requests * k;
        self.child_express_billed_s += o.child_express_billed_s * k;
    }
}

/// Per visit of one state.
#[derive(Clone, Debug, Default)]
pub struct StateResult {
    pub attempts: AttemptOutcome,
    /// Everything one visit costs, nested scopes included.
    pub per_visit: Totals,
    /// Where the visit goes: (probability, next).
    pub outcomes: Vec<(f64, Next)>,
    /// Runs of the nested scope(s) per visit (Map items or child executions; 1 per branch).
    pub child_runs: f64,
    /// The errors one attempt fails with (its own and its nested scopes'), with probabilities.
    pub errors: Vec<(String, f64)>,
    /// Seconds one attempt takes, nested scopes included (their expected duration).
    pub attempt_s: f64,
}

/// One run of a scope.
#[derive(Clone, Debug, Default)]
pub struct ScopeResult {
    pub visits: Vec<f64>,
    pub states: Vec<StateResult>,
    pub success: f64,
    pub failures: Vec<(String, f64)>,
    pub totals: Totals,
}

/// The whole solution.
#[derive(Clone, Debug)]
pub struct Solution {
    pub scopes: Vec<ScopeResult>,
    /// How many times each scope runs per execution.
    pub scope_runs: Vec<f64>,
    /// Whether the retry model had to cut its counter space somewhere.
    pub approximate: bool,
}

impl Solution {
    pub fn root(&self) -> &ScopeResult {
        &self.scopes[0]
    }
}

/// The solve failed: a loop never exits with these probabilities.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the workflow never leaves {}: the loop has no way out (`sfn-lint check` reports it), or the profile gives its exits probability 0", .states.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → "))]
pub struct NeverEnds {
    pub states: Vec<String>,
}

pub use crate::asl::quotas::events_per_visit;

/// Seconds rounded up to whole billing steps.
pub fn billed(seconds: f64, step_s: f64) -> f64 {
    if seconds <= 0.0 {
        step_s
    } else {
        (seconds / step_s - 1e-9).ceil() * step_s
    }
}

pub fn solve(plan: &Plan, express_step_s: f64) -> Result<Solution, NeverEnds> {
    let mut s = Solver {
        plan,
        step_s: express_step_s,
        done: vec![None; plan.scopes.len()],
        approximate: false,
    };
    s.scope(ScopeId(0))?;
    let scopes: Vec<ScopeResult> = s.done.into_iter().map(|r| r.unwrap_or_default()).collect();
    // Runs per execution, top-down: a child scope runs (visits × attempts × runs) times.
    let mut runs = vec![0.0; plan.scopes.len()];
    runs[0] = 1.0;
    for (i, sp) in plan.scopes.iter().enumerate() {
        // Scopes are numbered parents first (lowering is depth-first), so runs[i] is final.
        let r = runs[i];
        for (li, st) in sp.states.iter().enumerate() {
            let res = &scopes[i].states[li];
            let per = r * scopes[i].visits[li] * res.attempts.attempts;
            match &st.kind {
                Kind::Parallel(children) => {
                    for c in children {
                        runs[c.0 as usize] += per;
                    }
                }
                Kind::Map(m) => {
                    if let Some(c) = m.child {
                        runs[c.0 as usize] += per * expected(&m.runs());
                    }
                }
                Kind::Simple => {}
            }
        }
    }
    Ok(Solution {
        scopes,
        scope_runs: runs,
        approximate: s.approximate,
    })
}

pub fn expected(dist: &[(u64, f64)]) -> f64 {
    dist.iter().map(|(k, p)| *k as f64 * p).sum()
}

struct Solver<'a> {
    plan: &'a Plan,
    step_s: f64,
    done: Vec<Option<ScopeResult>>,
    approximate: bool,
}

impl Solver<'_> {
    fn scope(&mut self, id: ScopeId) -> Result<ScopeResult, NeverEnds> {
        if let Some(r) = &self.done[id.0 as usize] {
            return Ok(r.clone());
        }
        let plan = &self.plan.scopes[id.0 as usize];
        let n = plan.states.len();
        let mut states = Vec::with_capacity(n);
        for st in &plan.states {
            states.push(self.state(st)?);
        }
        let mut result = ScopeResult {
            visits: vec![0.0; n],
            states,
            ..Default::default()
        };
        if let Some(start) = plan.start {
            let edges: Vec<Vec<(usize, f64)>> = result
                .states
                .iter()
                .map(|s| {
                    s.outcomes
                        .iter()
                        .filter_map(|(p, nx)| match nx {
                            Next::Goto(j) => Some((*j, *p)),
                            _ => None,
                        })
                        .collect()
                })
                .collect();
            result.visits = solve::visits(n, start, &edges).map_err(|e| NeverEnds {
                states: e.0.iter().map(|i| plan.states[*i].name.clone()).collect(),
            })?;
        } else {
            // No start state: the scope ends at once (check reports it).
            result.success = 1.0;
        }
        let mut failures: Vec<(String, f64)> = Vec::new();
        for (i, s) in result.states.iter().enumerate() {
            let v = result.visits[i];
            if v == 0.0 {
                continue;
            }
            result.totals.add_scaled(&s.per_visit, v);
            for (p, nx) in &s.outcomes {
                match nx {
                    Next::End => result.success += v * p,
                    Next::Fail(e) => add(&mut failures, e, v * p),
                    Next::Goto(_) => {}
                }
            }
        }
        result.failures = failures;
        self.done[id.0 as usize] = Some(result.clone());
        Ok(result)
    }

    fn state(&mut self, st: &StatePlan) -> Result<StateResult, NeverEnds> {
        // What one attempt costs and how it can fail, nested scopes included.
        let mut inner = Totals::default();
        let mut inner_success = 1.0;
        let mut inner_fail: Vec<(String, f64)> = Vec::new();
        let mut child_runs = 0.0;
        match &st.kind {
            Kind::Simple => {}
            Kind::Parallel(children) => {
                let mut worst_d: f64 = 0.0;
                let mut worst_p95: f64 = 0.0;
                for c in children {
                    let r = self.scope(*c)?;
                    let d = inner.duration_s;
                    let p = inner.p95_s;
                    inner.add_scaled(&r.totals, 1.0);
                    inner.duration_s = d;
                    inner.p95_s = p;
                    worst_d = worst_d.max(r.totals.duration_s);
                    worst_p95 = worst_p95.max(r.totals.p95_s);
                    // The error a failed Parallel raises is that of its first failing
                    // branch (in branch order): the simulation does the same.
                    for (e, p) in &r.failures {
                        add(&mut inner_fail, e, inner_success * p);
                    }
                    inner_success *= r.success;
                }
                inner.duration_s = worst_d;
                inner.p95_s = worst_p95;
                inner.steps += children.len() as f64;
                child_runs = children.len() as f64;
            }
            Kind::Map(m) => {
                if let Some(c) = m.child {
                    let r = self.scope(c)?;
                    let runs = m.runs();
                    let e_runs = expected(&runs);
                    let e_waves: f64 = runs.iter().map(|(k, p)| m.waves(*k) as f64 * p).sum();
                    child_runs = e_runs;
                    match &m.distributed {
                        None => {
                            inner.add_scaled(&r.totals, e_runs);
                            // Each iteration adds its own started/succeeded events.
                            inner.events += 2.0 * e_runs;
                            inner.steps += e_runs;
                        }
                        Some(d) => {
                            // Child executions have their own history and bill.
                            inner.child_std_transitions += r.totals.child_std_transitions * e_runs;
                            inner.child_express_requests +=
                                r.totals.child_express_requests * e_runs;
                            inner.child_express_billed_s +=
                                r.totals.child_express_billed_s * e_runs;
                            if d.express_children {
                                inner.child_express_requests += e_runs;
                                inner.child_express_billed_s +=
                                    e_runs * billed(r.totals.duration_s, self.step_s);
                            } else {
                                inner.child_std_transitions += e_runs * r.totals.transitions;
                            }
                        }
                    }
                    inner.duration_s = e_waves * r.totals.duration_s;
                    inner.p95_s = e_waves * r.totals.p95_s;
                    let tolerated = m.distributed.as_ref().is_some_and(|d| d.tolerated);
                    if !tolerated {
                        inner_success = runs
                            .iter()
                            .map(|(k, p)| p * r.success.powi((*k).min(i32::MAX as u64) as i32))
                            .sum();
                        inner_fail = r.failures.clone();
                    }
                }
            }
        }
        // Split the inner failure mass by the inner errors' shares.
        let fail_total: f64 = inner_fail.iter().map(|(_, p)| p).sum();
        let inner_mass = (1.0 - inner_success).max(0.0);
        let mut errors: Vec<(String, f64)> = st.failures.clone();
        let own: f64 = st.failures.iter().map(|(_, p)| p).sum::<f64>().min(1.0);
        if inner_mass > 0.0 && fail_total > 0.0 {
            for (e, p) in &inner_fail {
                add(&mut errors, e, (1.0 - own) * inner_mass * p / fail_total);
            }
        }
        let a = attempts(&errors, &st.retriers);
        self.approximate |= a.approximate;
        let mut per_visit = Totals::default();
        per_visit.add_scaled(&inner, a.attempts);
        per_visit.transitions += a.attempts;
        per_visit.duration_s += a.attempts * st.attempt_s + a.delay_s;
        per_visit.p95_s += a.attempts * st.attempt_p95_s + a.delay_s;
        per_visit.events += events_per_visit(st.ty, a.attempts);
        let mut outcomes: Vec<(f64, Next)> = st
            .success
            .iter()
            .map(|(p, nx)| (p * a.success, nx.clone()))
            .collect();
        for (e, p) in &a.exhausted {
            let next = st
                .catchers
                .iter()
                .find(|c| crate::asl::errors::any_matches(c.matchers.iter().map(|m| m.as_str()), e))
                .map_or_else(|| Next::Fail(e.clone()), |c| c.next.clone());
            outcomes.push((*p, next));
        }
        Ok(StateResult {
            attempts: a,
            per_visit,
            outcomes,
            child_runs,
            errors,
            attempt_s: st.attempt_s + inner.duration_s,
        })
    }
}

fn add(list: &mut Vec<(String, f64)>, e: &str, p: f64) {
    match list.iter_mut().find(|(k, _)| k == e) {
        Some((_, q)) => *q += p,
        None => list.push((e.to_string(), p)),
    }
}
