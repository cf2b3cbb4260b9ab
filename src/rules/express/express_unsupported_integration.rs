//! SFN501: `.sync`, `.waitForTaskToken` or an activity in an Express workflow.

use crate::asl::WorkflowType;
use crate::asl::resource::Pattern;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::rules::resilience::task_resource;

declare_rule!(RULE {
    code: "SFN501",
    name: "express-unsupported-integration",
    category: Express,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if ctx.execution_type(state) != WorkflowType::Express {
            continue;
        }
        let Some(r) = task_resource(ctx, state) else {
            continue;
        };
        let what = if r.activity {
            "an activity"
        } else {
            match r.pattern {
                Pattern::Sync => "the `.sync` (run a job) pattern",
                Pattern::Callback => "the `.waitForTaskToken` (callback) pattern",
                Pattern::RequestResponse => continue,
            }
        };
        let node = ctx.field(state, "Resource").unwrap_or(state.node);
        out.push(
            ctx.at(&RULE, node, format!("`{}` uses {what}, which Express workflows do not support", state.name))
                .help("use a Standard workflow, call the service request-response and poll, or move this step into a Standard child workflow")
                .note("Express workflows support only the request-response integration pattern; AWS rejects the definition"),
        );
    }
}
