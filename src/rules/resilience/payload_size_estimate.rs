//! SFN413: the estimated state data passes the 256 KiB payload quota somewhere along the
//! graph, counting Map and Parallel results merged back, Task results kept whole and Pass
//! literals, with the profile's item counts (`check --profile`) or the defaults.

use crate::plan::payload::{self, fmt_bytes};
use crate::asl::quotas::PAYLOAD_LIMIT;
use crate::plan;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN413",
    name: "payload-size-estimate",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // Without Maps and Parallels nothing multiplies: the payload is at most the input, every
    // Task's result and every literal in the file. When that bound is under the quota there is
    // nothing to estimate (the common case, and this keeps the rule cheap).
    if ctx.profile.is_none() && ctx.model.scopes.len() == 1 {
        let tasks = ctx
            .model
            .states
            .iter()
            .filter(|s| s.ty == crate::asl::StateType::Task)
            .count() as f64;
        let bound = crate::plan::defaults::INPUT_BYTES
            + tasks * crate::plan::defaults::RESULT_BYTES
            + ctx.text.len() as f64;
        if bound <= PAYLOAD_LIMIT {
            return;
        }
    }
    // Most other definitions cannot reach the quota either: a cheaper bound settles it,
    // without a plan when no profile is given (the plan's sizes are then the defaults).
    if ctx.profile.is_none()
        && payload::upper_bound(ctx.doc, ctx.model, &payload::DefaultSizes)
            .is_some_and(|b| b <= PAYLOAD_LIMIT)
    {
        return;
    }
    let default = crate::profile::Profile::default();
    let profile = ctx.profile.unwrap_or(&default);
    // A profile whose Choice odds do not add up is reported by `cost`; here it only means no
    // estimate.
    let Ok(plan) = plan::build_with(ctx.doc, ctx.model, profile, false) else {
        return;
    };
    // With a profile its sizes may differ from the defaults: bound again with them (without
    // one, this would repeat the bound above).
    if ctx.profile.is_some()
        && payload::upper_bound(ctx.doc, ctx.model, &plan).is_some_and(|b| b <= PAYLOAD_LIMIT)
    {
        return;
    }
    let est = payload::estimate(ctx.doc, ctx.model, ctx.graph, &plan);
    if est.incomplete {
        out.push(
            ctx.at_key(&crate::rules::syntax::ANALYSIS_INCOMPLETE, ctx.doc.root.unwrap_or(ctx.model.root().node), format!(
                "the payload estimate stopped after its budget of {} state visits; sizes past that point were not estimated",
                payload::WORK_BUDGET
            ))
            .help("split the workflow into child state machines, or check the loops that nest inside each other"),
        );
    }
    let Some(peak) = est.peak else { return };
    if est.peak_bytes <= PAYLOAD_LIMIT {
        return;
    }
    let state = ctx.model.state(peak);
    let chain = est
        .chain
        .iter()
        .map(|g| format!("`{}` (+{})", g.state, fmt_bytes(g.adds_bytes)))
        .collect::<Vec<_>>()
        .join(" → ");
    let mut d = ctx.at_key(
        &RULE,
        state.node,
        format!(
            "the output of `{}` is estimated at {}, over the 256 KiB payload quota; it grows through {chain}",
            state.name,
            fmt_bytes(est.peak_bytes)
        ),
    );
    for g in &est.chain {
        if g.id != peak {
            d = d.label(
                ctx.state_name_span(ctx.model.state(g.id)),
                format!("{} (+{})", g.why, fmt_bytes(g.adds_bytes)),
            );
        }
    }
    let source = if ctx.profile.is_some() {
        "the item counts and result sizes of the profile given with --profile"
    } else {
        "10 items per Map and 1 KiB per Task result (pass a usage profile with --profile for real numbers)"
    };
    out.push(
        d.help("trim results with `ResultSelector` or `\"ResultPath\": null` (JSONata: `Output`), give a Distributed Map a `ResultWriter`, or write large data to S3 and pass its key")
            .note(format!("estimated with {source}; an input or output over 256 KiB fails the execution with `States.DataLimitExceeded`, which `States.ALL` does not catch")),
    );
}
