//! Retries: how many attempts a state makes in expectation, how long it waits between them,
//! and how it finally leaves (success, or an error that no retrier takes any more).
//!
//! Each attempt fails with error `e` with a fixed probability, independently. An error goes to
//! the first retrier whose `ErrorEquals` matches it; that retrier's own counter decides whether
//! there is another attempt (AWS keeps one counter per retrier). The counters only grow, so the
//! attempts form a DAG over counter vectors, which is walked layer by layer: exact, with no
//! series to truncate except when the remaining probability is below 1e-15.

use rustc_hash::FxHashMap;

use super::RetrierPlan;
// A retry that would wait past the execution's time limit (Express stops sooner, which billing
// caps) never happens: the execution waits until the limit and times out.
use crate::asl::quotas::EXECUTION_LIMIT_S;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttemptOutcome {
    /// Expected attempts (1 + expected retries).
    pub attempts: f64,
    /// Expected seconds spent waiting between attempts.
    pub delay_s: f64,
    /// Probability that an attempt finally succeeds.
    pub success: f64,
    /// Probability of leaving with each error once retries are over.
    pub exhausted: Vec<(String, f64)>,
    /// The counter space was too large and was cut; the numbers are approximate.
    pub approximate: bool,
}

/// Work limit on counter vectors visited, so that a profile with millions of retries cannot
/// stall the estimate.
const MAX_WORK: usize = 2_000_000;
/// Probability mass below which a layer is dropped.
const NEGLIGIBLE: f64 = 1e-15;

pub fn attempts(errors: &[(String, f64)], retriers: &[RetrierPlan]) -> AttemptOutcome {
    let fail: f64 = errors.iter().map(|(_, p)| p).sum();
    let success = (1.0 - fail).max(0.0);
    // Which retrier takes each error (None: no retrier, or one with MaxAttempts 0).
    let mut active: Vec<usize> = Vec::new();
    let routed: Vec<Option<usize>> = errors
        .iter()
        .map(|(e, _)| {
            let r = retriers.iter().position(|r| r.matches(e))?;
            if retriers[r].max_attempts == 0 {
                return None;
            }
            let slot = match active.iter().position(|a| *a == r) {
                Some(i) => i,
                None => {
                    active.push(r);
                    active.len() - 1
                }
            };
            Some(slot)
        })
        .collect();
    let mut out = AttemptOutcome::default();
    let mut exhausted: Vec<f64> = vec![0.0; errors.len()];
    // Each counter vector carries the seconds waited to reach it (the same along every path:
    // it is the sum of each retrier's delays up to its count).
    let mut layer: FxHashMap<Vec<u64>, (f64, f64)> = FxHashMap::default();
    layer.insert(vec![0; active.len()], (1.0, 0.0));
    let mut work = 0usize;
    while !layer.is_empty() {
        let mut next: FxHashMap<Vec<u64>, (f64, f64)> = FxHashMap::default();
        let mut mass = 0.0;
        for (c, (q, waited)) in layer {
            work += 1;
            out.attempts += q;
            out.success += q * success;
            for (i, (_, f)) in errors.iter().enumerate() {
                let mass_e = q * f;
                let delay = routed[i].map(|slot| retriers[active[slot]].delay(c[slot]));
                match routed[i] {
                    Some(slot)
                        if c[slot] < retriers[active[slot]].max_attempts
                            && waited + delay.unwrap_or(0.0) <= EXECUTION_LIMIT_S =>
                    {
                        let d = delay.unwrap_or(0.0);
                        out.delay_s += mass_e * d;
                        let mut c2 = c.clone();
                        c2[slot] += 1;
                        next.entry(c2).or_insert((0.0, waited + d)).0 += mass_e;
                        mass += mass_e;
                    }
                    // A retry that would wait past the limit: the execution waits until the
                    // limit and times out; the error leaves the state.
                    Some(slot) if c[slot] < retriers[active[slot]].max_attempts => {
                        out.delay_s += mass_e * (EXECUTION_LIMIT_S - waited).max(0.0);
                        exhausted[i] += mass_e;
                    }
                    _ => exhausted[i] += mass_e,
                }
            }
        }
        if mass < NEGLIGIBLE {
            break;
        }
        if work > MAX_WORK {
            // Give what is left to the errors in proportion, as if the retries stopped here.
            out.approximate = true;
            for (c, (q, _)) in next {
                out.attempts += q;
                out.success += q * success;
                for (i, (_, f)) in errors.iter().enumerate() {
                    let _ = &c;
                    exhausted[i] += q * f;
                }
            }
            break;
        }
        layer = next;
    }
    out.exhausted = errors
        .iter()
        .zip(exhausted)
        .filter(|(_, p)| *p > 0.0)
        .map(|((e, _), p)| (e.clone(), p))
        .collect();
    out
}

/// One way a visit's attempts can go: its probability, the attempts made, the seconds waited
/// between them, and how it left (`None`: an attempt succeeded; `Some(i)`: error `i` of the
/// list, with no retry left).
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptPath {
    pub probability: f64,
    pub attempts: u64,
    pub waited_s: f64,
    pub outcome: Option<usize>,
}

/// Every way the attempts can go, for the distribution of a visit's duration; `None` past
/// `limit` paths (the caller then falls back to expectations). Mirrors [`attempts`].
pub fn attempt_paths(
    errors: &[(String, f64)],
    retriers: &[RetrierPlan],
    limit: usize,
) -> Option<Vec<AttemptPath>> {
    let fail: f64 = errors.iter().map(|(_, p)| p).sum();
    let success = (1.0 - fail).max(0.0);
    let routed: Vec<Option<usize>> = errors
        .iter()
        .map(|(e, _)| {
            retriers
                .iter()
                .position(|r| r.matches(e))
                .filter(|r| retriers[*r].max_attempts > 0)
        })
        .collect();
    let mut out = Vec::new();
    // Counters by retrier → (probability, seconds waited), in the order first reached.
    let mut layer: Vec<(Vec<u64>, (f64, f64))> = vec![(vec![0; retriers.len()], (1.0, 0.0))];
    let mut made = 1u64;
    while !layer.is_empty() {
        let mut next: Vec<(Vec<u64>, (f64, f64))> = Vec::new();
        let mut index: FxHashMap<Vec<u64>, usize> = FxHashMap::default();
        for (c, (q, waited)) in layer {
            if q * success > 0.0 {
                out.push(AttemptPath {
                    probability: q * success,
                    attempts: made,
                    waited_s: waited,
                    outcome: None,
                });
            }
            for (i, (_, f)) in errors.iter().enumerate() {
                let mass = q * f;
                if mass <= 0.0 {
                    continue;
                }
                match routed[i] {
                    Some(r) if c[r] < retriers[r].max_attempts => {
                        let d = retriers[r].delay(c[r]);
                        if waited + d > EXECUTION_LIMIT_S {
                            // The execution times out waiting: the error leaves at the limit.
                            out.push(AttemptPath {
                                probability: mass,
                                attempts: made,
                                waited_s: EXECUTION_LIMIT_S.max(waited),
                                outcome: Some(i),
                            });
                            continue;
                        }
                        let mut c2 = c.clone();
                        c2[r] += 1;
                        match index.get(&c2) {
                            Some(&k) => next[k].1.0 += mass,
                            None => {
                                index.insert(c2.clone(), next.len());
                                next.push((c2, (mass, waited + d)));
                            }
                        }
                    }
                    _ => out.push(AttemptPath {
                        probability: mass,
                        attempts: made,
                        waited_s: waited,
                        outcome: Some(i),
                    }),
                }
            }
            if out.len() + next.len() > limit {
                return None;
            }
        }
        next.retain(|(_, (q, _))| *q >= NEGLIGIBLE);
        layer = next;
        made += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(errors: &[&str], max: u64) -> RetrierPlan {
        RetrierPlan {
            matchers: errors.iter().map(|e| e.to_string()).collect(),
            max_attempts: max,
            interval_s: 1.0,
            backoff: 2.0,
            max_delay_s: None,
            full_jitter: false,
        }
    }

    #[test]
    fn retries_stop_at_the_execution_time_limit() {
        // Waits that double from 99,999,999 s: the first already passes a year.
        let mut r = retrier(&["E"], 99_999_999);
        r.interval_s = 99_999_999.0;
        let a = attempts(&[("E".into(), 0.999)], &[r]);
        assert!(a.delay_s <= EXECUTION_LIMIT_S, "{}", a.delay_s);
        assert!(
            a.attempts.is_finite() && a.attempts <= 2.0,
            "{}",
            a.attempts
        );
        // Waits of one second: a million retries still fit in a year, so they all count.
        let a = attempts(&[("E".into(), 0.5)], &[retrier(&["E"], 1_000_000)]);
        assert!(a.delay_s.is_finite() && a.delay_s <= EXECUTION_LIMIT_S);
    }

    #[test]
    fn no_failures_is_one_attempt() {
        let a = attempts(&[], &[retrier(&["States.ALL"], 3)]);
        assert_eq!(a.attempts, 1.0);
        assert_eq!(a.success, 1.0);
    }

    #[test]
    fn single_retrier_is_a_truncated_geometric_series() {
        // f = 0.1, MaxAttempts 3: attempts 1 + f + f² + f³, delays f·1 + f²·2 + f³·4.
        let f = 0.1;
        let a = attempts(&[("E".into(), f)], &[retrier(&["E"], 3)]);
        assert!((a.attempts - (1.0 + f + f * f + f * f * f)).abs() < 1e-12);
        assert!((a.delay_s - (f + 2.0 * f * f + 4.0 * f * f * f)).abs() < 1e-12);
        assert!((a.exhausted[0].1 - f.powi(4)).abs() < 1e-15);
        assert!((a.success + a.exhausted[0].1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn unmatched_errors_are_not_retried_and_counters_are_separate() {
        let a = attempts(
            &[("A".into(), 0.2), ("B".into(), 0.1), ("C".into(), 0.05)],
            &[retrier(&["A"], 1), retrier(&["B"], 0)],
        );
        let total: f64 = a.success + a.exhausted.iter().map(|(_, p)| p).sum::<f64>();
        assert!((total - 1.0).abs() < 1e-12);
        // Only A is retried, once: attempts = 1 + 0.2.
        assert!((a.attempts - 1.2).abs() < 1e-12);
    }
}
