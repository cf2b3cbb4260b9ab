//! SFN409: a retry schedule that can outlast the execution's time limit (the top-level
//! `TimeoutSeconds`, or Express's 5 minutes).

use crate::asl::WorkflowType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Whole};
use crate::asl::quotas::EXPRESS_DURATION_LIMIT_S as EXPRESS_LIMIT;

declare_rule!(RULE {
    code: "SFN409",
    name: "retry-exceeds-time-limit",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});


/// Total seconds spent waiting between attempts, for a retrier's fields (AWS defaults apply).
pub fn retry_wait(interval: f64, backoff: f64, attempts: f64, max_delay: Option<f64>) -> f64 {
    let mut total = 0.0;
    let mut delay = interval;
    for _ in 0..(attempts.clamp(0.0, 10_000.0) as u32) {
        total += max_delay.map_or(delay, |m| delay.min(m));
        delay *= backoff;
        if total > 1e12 {
            break;
        }
    }
    total
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let top = ctx
        .doc
        .root
        .and_then(|r| ctx.doc.get(r, "TimeoutSeconds"))
        .and_then(|n| ctx.doc.as_f64(n));
    for state in &ctx.model.states {
        let limit = match (ctx.execution_type(state), top) {
            (WorkflowType::Express, Some(t)) => {
                Some((t.min(EXPRESS_LIMIT), "the Express 5-minute limit"))
            }
            (WorkflowType::Express, None) => Some((EXPRESS_LIMIT, "the Express 5-minute limit")),
            (WorkflowType::Standard, Some(t)) => Some((t, "the state machine's `TimeoutSeconds`")),
            (WorkflowType::Standard, None) => None,
        };
        let Some((limit, what)) = limit else { continue };
        let per_attempt = ctx.number(state, "TimeoutSeconds");
        for r in &state.retry {
            let num = |k: &str| ctx.doc.get(r.node, k).and_then(|n| ctx.doc.as_f64(n));
            let attempts = num("MaxAttempts").unwrap_or(3.0);
            let waits = retry_wait(
                num("IntervalSeconds").unwrap_or(1.0),
                num("BackoffRate").unwrap_or(2.0),
                attempts,
                num("MaxDelaySeconds"),
            );
            let worst = waits + per_attempt.map_or(0.0, |t| t * (attempts + 1.0));
            if worst > limit {
                let how = match per_attempt {
                    Some(t) => format!(
                        "{} s of backoff plus {} attempts of up to {} s",
                        Whole(waits),
                        attempts + 1.0,
                        Whole(t)
                    ),
                    None => format!("{} s of backoff alone", Whole(waits)),
                };
                out.push(
                    ctx.at(&RULE, r.node, format!("this retry schedule can take {} s, beyond {what} ({} s)", Whole(worst), Whole(limit)))
                        .help("lower `MaxAttempts`, `IntervalSeconds` or `BackoffRate`, or cap the delay with `MaxDelaySeconds`")
                        .note(format!("{how}: the execution times out before the retries are used up, so the last ones never run and the failure is a timeout rather than the real error")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schedule() {
        assert_eq!(super::retry_wait(1.0, 2.0, 3.0, None), 7.0);
        assert_eq!(super::retry_wait(2.0, 2.0, 6.0, None), 126.0);
        assert_eq!(
            super::retry_wait(10.0, 2.0, 4.0, Some(15.0)),
            10.0 + 15.0 * 3.0
        );
    }
}
