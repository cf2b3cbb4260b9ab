//! A seeded Monte Carlo walk of the same plan the exact solver reads: each run samples
//! Choice outcomes, attempt failures, retries, catches and Map item counts, and adds up what
//! the execution costs. Used to cross-check the solver (`sfn-lint cost --simulate N`).
//!
//! One deliberate difference: a Parallel's duration here is the slowest branch of each run,
//! while the solver takes the slowest branch's *expected* duration, so durations are compared
//! only for workflows without Parallel states.

use super::analytic::{Totals, billed};
use crate::asl::ScopeId;
use crate::plan::{Kind, Next, Plan};

/// Mean and standard error of one quantity over the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub std_error: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SimulationResult {
    pub runs: u64,
    pub seed: u64,
    pub transitions: Estimate,
    pub events: Estimate,
    pub duration_s: Estimate,
    pub child_std_transitions: Estimate,
    pub child_express_requests: Estimate,
    pub success_rate: Estimate,
    /// An Express execution's billed seconds: its own duration, capped at five minutes and
    /// rounded up to the billing step.
    pub express_billed_s: Estimate,
}

/// A run did not finish within the step budget.
#[derive(Clone, Debug, thiserror::Error)]
#[error("a simulated execution ran more than {0} states without finishing")]
pub struct Runaway(pub u64);

const STEP_BUDGET: u64 = 10_000_000;

pub fn simulate(
    plan: &Plan,
    runs: u64,
    seed: u64,
    express_step_s: f64,
) -> Result<SimulationResult, Runaway> {
    let mut sim = Sim {
        plan,
        rng: fastrand::Rng::with_seed(seed),
        steps: 0,
        limit: STEP_BUDGET,
        step_s: express_step_s,
    };
    let mut acc = [Welford::default(); 7];
    for _ in 0..runs {
        sim.steps = 0;
        let (ok, (_, t)) = sim.scope(ScopeId(0))?;
        for (a, x) in acc.iter_mut().zip([
            sim.billed(t.duration_s),
            t.transitions,
            // ExecutionStarted and the closing event, as the solver counts them.
            t.events + 2.0,
            t.duration_s,
            t.child_std_transitions,
            t.child_express_requests,
            if ok { 1.0 } else { 0.0 },
        ]) {
            a.push(x);
        }
    }
    let e = |w: &Welford| w.estimate();
    Ok(SimulationResult {
        runs,
        seed,
        express_billed_s: e(&acc[0]),
        transitions: e(&acc[1]),
        events: e(&acc[2]),
        duration_s: e(&acc[3]),
        child_std_transitions: e(&acc[4]),
        child_express_requests: e(&acc[5]),
        success_rate: e(&acc[6]),
    })
}

/// The expected billed seconds of an Express execution from seeded simulated executions, for
/// a distribution of durations too large to follow exactly: at most `runs` executions and
/// `step_budget` state visits in all (a constant, so the cost does not grow with the loops).
/// With the estimate, the runs it rests on; `None` when not one run finished.
pub fn billed_by_simulation(
    plan: &Plan,
    step_s: f64,
    seed: u64,
    runs: u64,
    step_budget: u64,
) -> Option<(Estimate, u64)> {
    let mut sim = Sim {
        plan,
        rng: fastrand::Rng::with_seed(seed),
        steps: 0,
        limit: step_budget,
        step_s,
    };
    let mut acc = Welford::default();
    let mut used = 0u64;
    let mut done = 0u64;
    while done < runs && used < step_budget {
        sim.steps = 0;
        sim.limit = step_budget - used;
        let Ok((_, (_, t))) = sim.scope(ScopeId(0)) else {
            break;
        };
        used += sim.steps;
        acc.push(sim.billed(t.duration_s));
        done += 1;
    }
    (done > 0).then(|| (acc.estimate(), done))
}

#[derive(Clone, Copy, Default)]
struct Welford {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Welford {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    fn estimate(&self) -> Estimate {
        let var = if self.n > 1.0 {
            self.m2 / (self.n - 1.0)
        } else {
            0.0
        };
        Estimate {
            mean: self.mean,
            std_error: (var / self.n.max(1.0)).sqrt(),
        }
    }
}

struct Sim<'a> {
    plan: &'a Plan,
    rng: fastrand::Rng,
    steps: u64,
    /// State visits one run may take.
    limit: u64,
    step_s: f64,
}

impl Sim<'_> {
    /// An execution's billed Express seconds: capped at the 5-minute limit, rounded up.
    fn billed(&self, duration_s: f64) -> f64 {
        billed(
            duration_s.min(crate::asl::quotas::EXPRESS_DURATION_LIMIT_S),
            self.step_s,
        )
    }

    fn pick<'b, T>(&mut self, options: &'b [(f64, T)]) -> Option<&'b T> {
        let u = self.rng.f64();
        let mut acc = 0.0;
        for (p, t) in options {
            acc += p;
            if u < acc {
                return Some(t);
            }
        }
        // Rounding can leave the probabilities a hair under 1.
        options.iter().rev().find(|(p, _)| *p > 0.0).map(|(_, t)| t)
    }

    /// Runs the nested scopes of one attempt; returns the error it raises, if any.
    fn inner(&mut self, kind: &Kind, t: &mut Totals) -> Result<Option<String>, Runaway> {
        let mut error = None;
        match kind {
            Kind::Simple => {}
            Kind::Parallel(children) => {
                let mut slowest: f64 = 0.0;
                for c in children {
                    let (ok, ct) = self.scope(*c)?;
                    let mut ct2 = ct.1;
                    slowest = slowest.max(ct2.duration_s);
                    ct2.duration_s = 0.0;
                    ct2.p95_s = 0.0;
                    t.add_scaled(&ct2, 1.0);
                    if !ok && error.is_none() {
                        error = ct.0;
                    }
                }
                t.duration_s += slowest;
                t.steps += children.len() as f64;
            }
            Kind::Map(m) => {
                let Some(child) = m.child else {
                    return Ok(None);
                };
                let runs: Vec<(f64, u64)> = m.runs().into_iter().map(|(k, p)| (p, k)).collect();
                let k = self.pick(&runs).copied().unwrap_or(0);
                let mut dur = 0.0;
                for _ in 0..k {
                    let (ok, (e, ct)) = self.scope(child)?;
                    dur += ct.duration_s;
                    match &m.distributed {
                        None => {
                            let mut c2 = ct;
                            c2.duration_s = 0.0;
                            t.add_scaled(&c2, 1.0);
                            t.events += 2.0;
                            t.steps += 1.0;
                        }
                        Some(d) => {
                            t.child_std_transitions += ct.child_std_transitions;
                            t.child_express_requests += ct.child_express_requests;
                            t.child_express_billed_s += ct.child_express_billed_s;
                            if d.express_children {
                                t.child_express_requests += 1.0;
                                t.child_express_billed_s += billed(ct.duration_s, self.step_s);
                            } else {
                                t.child_std_transitions += ct.transitions;
                            }
                        }
                    }
                    let tolerated = m.distributed.as_ref().is_some_and(|d| d.tolerated);
                    if !ok && !tolerated && error.is_none() {
                        error = e;
                    }
                }
                if k > 0 {
                    t.duration_s += m.waves(k) as f64 * dur / k as f64;
                }
            }
        }
        Ok(error)
    }

    /// Runs a scope once: whether it ended normally, the error if not, and what it cost.
    fn scope(&mut self, id: ScopeId) -> Result<(bool, (Option<String>, Totals)), Runaway> {
        let sp = &self.plan.scopes[id.0 as usize];
        let mut t = Totals::default();
        let Some(mut at) = sp.start else {
            return Ok((true, (None, t)));
        };
        loop {
            self.steps += 1;
            if self.steps > self.limit {
                return Err(Runaway(self.limit));
            }
            match self.visit(id, at, &mut t)? {
                Next::Goto(j) => at = j,
                Next::End => return Ok((true, (None, t))),
                Next::Fail(e) => return Ok((false, (Some(e), t))),
            }
        }
    }

    fn visit(&mut self, scope: ScopeId, at: usize, t: &mut Totals) -> Result<Next, Runaway> {
        let plan = self.plan;
        let st = &plan.scopes[scope.0 as usize].states[at];
        let mut counters = vec![0u64; st.retriers.len()];
        let mut attempts = 0.0;
        let own: f64 = st.failures.iter().map(|(_, p)| p).sum();
        let next = loop {
            attempts += 1.0;
            t.duration_s += st.attempt_s;
            let inner_error = self.inner(&st.kind, t)?;
            let error = if own > 0.0 && self.rng.f64() < own {
                let scaled: Vec<(f64, &String)> =
                    st.failures.iter().map(|(e, p)| (p / own, e)).collect();
                self.pick(&scaled).map(|e| (*e).clone())
            } else {
                inner_error
            };
            let Some(e) = error else {
                break self.pick(&st.success).cloned().unwrap_or(Next::End);
            };
            let slot = st.retriers.iter().position(|r| r.matches(&e));
            if let Some(r) = slot
                && counters[r] < st.retriers[r].max_attempts
            {
                let retrier = &st.retriers[r];
                let full = if retrier.full_jitter {
                    2.0 * retrier.delay(counters[r])
                } else {
                    retrier.delay(counters[r])
                };
                t.duration_s += if retrier.full_jitter {
                    self.rng.f64() * full
                } else {
                    full
                };
                counters[r] += 1;
                continue;
            }
            break st
                .catchers
                .iter()
                .find(|c| {
                    crate::asl::errors::any_matches(c.matchers.iter().map(|m| m.as_str()), &e)
                })
                .map_or(Next::Fail(e), |c| c.next.clone());
        };
        t.transitions += attempts;
        t.events += super::analytic::events_per_visit(st.ty, attempts);
        Ok(next)
    }
}
