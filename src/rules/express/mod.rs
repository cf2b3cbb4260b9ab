//! Express: what an Express workflow (or a Distributed Map's Express children) cannot do.

include!(concat!(env!("OUT_DIR"), "/rules_mod_express.rs"));

use crate::asl::resource::Pattern;
use crate::asl::{Model, StateType};
use crate::rules::Ctx;
use crate::rules::resilience::task_resource;

/// Why the state machine could not run as Express, one reason per offending state, whatever
/// its configured type. Empty means it could.
pub fn express_blockers(ctx: &Ctx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let model: &Model = ctx.model;
    for state in &model.states {
        if let Some(r) = task_resource(ctx, state) {
            if r.activity {
                out.push(format!("`{}` uses an activity", state.name));
            } else if r.pattern == Pattern::Callback {
                out.push(format!("`{}` uses .waitForTaskToken", state.name));
            } else if r.pattern == Pattern::Sync {
                out.push(format!("`{}` uses .sync", state.name));
            }
        }
        if state.ty == StateType::Wait
            && ctx
                .number(state, "Seconds")
                .is_some_and(|s| s > crate::asl::quotas::EXPRESS_DURATION_LIMIT_S)
        {
            out.push(format!("`{}` waits longer than 5 minutes", state.name));
        }
        if state.ty == StateType::Map
            && ctx
                .doc
                .get(state.node, "ItemProcessor")
                .and_then(|p| ctx.doc.get(p, "ProcessorConfig"))
                .and_then(|c| ctx.doc.get(c, "Mode"))
                .and_then(|m| ctx.doc.as_str(m))
                == Some("DISTRIBUTED")
        {
            out.push(format!(
                "`{}` is a Distributed Map, which needs a Standard parent",
                state.name
            ));
        }
    }
    out
}
