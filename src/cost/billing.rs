//! Express duration as AWS bills it: each execution's own duration rounded up to the billing
//! step (100 ms), averaged over the distribution of execution durations the model gives (the
//! paths through the top-level scope, each state's retry paths, a top-level Map's item
//! counts). Inside a Parallel or Map, scopes take their expected duration, as in the rest of
//! the model.
//!
//! The distribution is carried forward visit by visit, merging equal times; a loop's mass
//! shrinks each pass, and the walk stops when what is left is negligible. Past a work limit
//! (a distribution with too many distinct durations) it gives up and the caller rounds the
//! expected duration instead, saying so.

use rustc_hash::FxHashMap;

use super::analytic::{Solution, billed};
use crate::asl::quotas::EXPRESS_DURATION_LIMIT_S;
use crate::plan::attempts::attempt_paths;
use crate::plan::{Next, Plan};

/// Distinct (state, time) entries the walk may hold at once, and retry paths per state.
const ENTRY_LIMIT: usize = 20_000;
/// Steps (a mass moved along one outcome) the whole walk may take: linear in the definition
/// for the workflows this is for (no loop, or loops that end quickly); past it, the fallback.
const WORK_LIMIT: usize = 200_000;
/// Probability below which a part of the walk is dropped (a millionth of a cent a month at
/// any volume AWS allows).
const NEGLIGIBLE: f64 = 1e-10;

/// A top-level Map's attempt durations by item count, (probability, seconds): its own time
/// plus the waves the count makes × one item's expected duration. `None` for other states and
/// for a Map with one item count (its expected time is exact).
fn map_durations(st: &crate::plan::StatePlan, sol: &Solution) -> Option<Vec<(f64, f64)>> {
    let crate::plan::Kind::Map(m) = &st.kind else {
        return None;
    };
    let child = m.child?;
    let runs = m.runs();
    if runs.len() < 2 {
        return None;
    }
    let item_s = sol.scopes[child.0 as usize].totals.duration_s;
    Some(
        runs.iter()
            .map(|(k, p)| (*p, st.attempt_s + m.waves(*k) as f64 * item_s))
            .collect(),
    )
}

/// The expected billed seconds of one Express execution, each execution capped at the
/// 5-minute limit and rounded up to `step_s`; `None` when the distribution is too large.
pub fn expected_billed_s(plan: &Plan, sol: &Solution, step_s: f64) -> Option<f64> {
    let scope = &plan.scopes[0];
    let root = sol.root();
    let start = scope.start?;
    // Each state's visit as (probability, seconds, next).
    let mut visits: Vec<Vec<(f64, f64, Next)>> = Vec::with_capacity(scope.states.len());
    let mut budget = WORK_LIMIT;
    for (st, res) in scope.states.iter().zip(&root.states) {
        let paths = attempt_paths(&res.errors, &st.retriers, ENTRY_LIMIT.min(budget))?;
        budget = budget.checked_sub(paths.len() * st.success.len().max(1))?;
        let mut out = Vec::new();
        let counts = map_durations(st, sol);
        for p in paths {
            let secs = p.attempts as f64 * res.attempt_s + p.waited_s;
            // One attempt of a Map takes as long as its item count makes it; more attempts
            // take their expected time each.
            let spread: Vec<(f64, f64)> = match &counts {
                Some(by_count) if p.attempts == 1 => {
                    by_count.iter().map(|(q, d)| (*q, d + p.waited_s)).collect()
                }
                _ => vec![(1.0, secs)],
            };
            match p.outcome {
                None => {
                    for (q, nx) in &st.success {
                        out.extend(
                            spread
                                .iter()
                                .map(|(w, secs)| (p.probability * q * w, *secs, nx.clone())),
                        );
                    }
                }
                Some(i) => {
                    let error = &res.errors[i].0;
                    let next = st
                        .catchers
                        .iter()
                        .find(|c| {
                            crate::asl::errors::any_matches(
                                c.matchers.iter().map(|m| m.as_str()),
                                error,
                            )
                        })
                        .map_or_else(|| Next::Fail(error.clone()), |c| c.next.clone());
                    out.extend(
                        spread
                            .iter()
                            .map(|(w, secs)| (p.probability * w, *secs, next.clone())),
                    );
                }
            }
        }
        visits.push(out);
    }
    // Times are merged at a microsecond: far below the billing step.
    let key = |t: f64| (t * 1e6).round() as i64;
    let mut ended: FxHashMap<i64, (f64, f64)> = FxHashMap::default();
    let mut current: FxHashMap<(usize, i64), (f64, f64)> = FxHashMap::default();
    current.insert((start, 0), (1.0, 0.0));
    let mut work = 0usize;
    while !current.is_empty() {
        let mut next: FxHashMap<(usize, i64), (f64, f64)> = FxHashMap::default();
        for ((state, _), (mass, t)) in current {
            for (q, secs, nx) in &visits[state] {
                let m = mass * q;
                if m < NEGLIGIBLE {
                    continue;
                }
                let t2 = t + secs;
                match nx {
                    Next::Goto(j) => {
                        let e = next.entry((*j, key(t2))).or_insert((0.0, t2));
                        e.0 += m;
                    }
                    Next::End | Next::Fail(_) => {
                        let e = ended.entry(key(t2)).or_insert((0.0, t2));
                        e.0 += m;
                    }
                }
                work += 1;
            }
        }
        if work > WORK_LIMIT || next.len() > ENTRY_LIMIT {
            return None;
        }
        current = next;
    }
    Some(
        ended
            .values()
            .map(|(m, t)| m * billed(t.min(EXPRESS_DURATION_LIMIT_S), step_s))
            .sum(),
    )
}
