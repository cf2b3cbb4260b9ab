//! SFN411: an Inline Map or Parallel in a Standard workflow whose history events can exhaust
//! the 25,000-event quota.

use crate::asl::quotas::{HISTORY_LIMIT, events_per_visit};
use crate::asl::{ScopeId, StateType, WorkflowType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Whole};

declare_rule!(RULE {
    code: "SFN411",
    name: "history-quota-risk",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// Items an Inline Map may process before its history reaches the quota; reported below this.
const ITEM_THRESHOLD: f64 = 1_000.0;
/// History events for one inline iteration besides its states (iteration started, succeeded).
const PER_ITERATION: f64 = 2.0;

/// Events one pass through a scope writes, each state counted once (loops are SFN410's) and
/// inner Inline Maps counted for one item.
fn scope_events(ctx: &Ctx<'_>, scope: ScopeId) -> f64 {
    ctx.model
        .scope(scope)
        .states
        .iter()
        .map(|s| {
            let st = ctx.model.state(*s);
            let inner: f64 = st
                .children
                .iter()
                .map(|c| {
                    scope_events(ctx, *c)
                        + if st.ty == StateType::Map {
                            PER_ITERATION
                        } else {
                            0.0
                        }
                })
                .sum();
            events_per_visit(st.ty, 1.0) + inner
        })
        .sum()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if ctx.execution_type(state) != WorkflowType::Standard || ctx.distributed(state).is_some() {
            continue;
        }
        match state.ty {
            StateType::Map => {
                let per_item: f64 = state
                    .children
                    .iter()
                    .map(|c| scope_events(ctx, *c) + PER_ITERATION)
                    .sum();
                let items = (HISTORY_LIMIT / per_item).floor();
                if per_item > 0.0 && items < ITEM_THRESHOLD {
                    out.push(
                        ctx.at_key(&RULE, state.node, format!("inline Map `{}` writes about {} history events per item, so about {} items exhaust the 25,000-event history", state.name, Whole(per_item), Whole(items)))
                            .help("for large or unbounded inputs use a Distributed Map (`\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\"}`), whose child executions have histories of their own")
                            .note("an Inline Map's iterations are written to the parent execution's history; the execution fails when it reaches 25,000 events"),
                    );
                }
            }
            StateType::Parallel => {
                let total: f64 = state.children.iter().map(|c| scope_events(ctx, *c)).sum();
                if total >= HISTORY_LIMIT * 0.5 {
                    out.push(
                        ctx.at_key(&RULE, state.node, format!("Parallel `{}` writes about {} history events per run, half or more of the 25,000-event quota", state.name, Whole(total)))
                            .help("move branches into child executions (`states:startExecution.sync:2`) or a Distributed Map"),
                    );
                }
            }
            _ => {}
        }
    }
}
