//! SFN503: a non-idempotent call (send a message, start a job, publish an event) in an
//! Express workflow, which AWS may run more than once.

use crate::asl::WorkflowType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::rules::resilience::task_resource;

declare_rule!(RULE {
    code: "SFN503",
    name: "express-non-idempotent",
    category: Express,
    severity: Info,
    fix: None,
    check: Some(check)
});

/// Service actions whose repetition has a visible effect (a second message, job or event).
fn non_idempotent(action: &str) -> bool {
    let a = action
        .strip_prefix("aws-sdk:")
        .unwrap_or(action)
        .to_ascii_lowercase();
    let Some((service, call)) = a.split_once(':') else {
        return false;
    };
    matches!(
        (service, call),
        ("sqs", c) if c.starts_with("sendmessage")
    ) || matches!(
        (service, call),
        ("sns", "publish")
            | ("events", "putevents")
            | ("ecs", "runtask")
            | ("batch", "submitjob")
            | ("glue", "startjobrun")
            | ("codebuild", "startbuild")
            | ("states", "startexecution")
    ) || (service == "ses" || service == "sesv2") && call.starts_with("send")
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if ctx.execution_type(state) != WorkflowType::Express {
            continue;
        }
        let Some(r) = task_resource(ctx, state) else {
            continue;
        };
        let Some(action) = r.action.filter(|a| non_idempotent(a)) else {
            continue;
        };
        let node = ctx.field(state, "Resource").unwrap_or(state.node);
        out.push(
            ctx.at(&RULE, node, format!("`{}` calls `{action}`, which is not idempotent, in an Express workflow", state.name))
                .help("make the call idempotent (a deduplication ID, a client token, an execution name derived from the input) or run this step in a Standard workflow")
                .note("asynchronous Express executions are at-least-once: AWS may run the workflow, and this call, more than once"),
        );
    }
}
