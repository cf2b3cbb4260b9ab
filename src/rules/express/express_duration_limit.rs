//! SFN502: a Wait or timeout longer than an Express execution may run (5 minutes).

use crate::asl::{StateType, WorkflowType};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Ctx, Whole};
use crate::asl::quotas::EXPRESS_DURATION_LIMIT_S as LIMIT;

declare_rule!(RULE {
    code: "SFN502",
    name: "express-duration-limit",
    category: Express,
    severity: Error,
    fix: None,
    check: Some(check)
});


fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.workflow == WorkflowType::Express
        && let Some(root) = ctx.doc.root
        && let Some(t) = ctx.doc.get(root, "TimeoutSeconds")
        && ctx.doc.as_f64(t).is_some_and(|v| v > LIMIT)
    {
        out.push(
            ctx.at(&RULE, t, "the state machine's `TimeoutSeconds` is longer than an Express execution may run (300 s)")
                .help("lower it to 300 or less, or use a Standard workflow")
                .note("AWS accepts it, and an execution that finishes within 5 minutes works; a longer one is stopped at 5 minutes, not at this timeout")
                .severity(Severity::Warning),
        );
    }
    for state in &ctx.model.states {
        if ctx.execution_type(state) != WorkflowType::Express {
            continue;
        }
        let field = if state.ty == StateType::Wait {
            "Seconds"
        } else {
            "TimeoutSeconds"
        };
        let Some(node) = ctx.field(state, field) else {
            continue;
        };
        let Some(v) = ctx.doc.as_f64(node) else {
            continue;
        };
        if v > LIMIT {
            let what = if state.ty == StateType::Wait {
                "waits"
            } else {
                "may run"
            };
            let d = ctx.at(
                &RULE,
                node,
                format!(
                    "`{}` {what} {} s, longer than an Express execution may run (300 s)",
                    state.name,
                    Whole(v)
                ),
            );
            // A Wait that long can never complete; a task timeout that long is accepted by AWS
            // and works whenever the task finishes in time.
            out.push(if state.ty == StateType::Wait {
                d.help("keep it under 5 minutes, or use a Standard workflow for long waits")
                    .note("an Express execution is stopped after 5 minutes, so this wait can never complete")
            } else {
                d.help("lower it to 300 or less so that it says what can happen, or use a Standard workflow")
                    .note("AWS accepts it, and the task works when it finishes in time; the execution is stopped at 5 minutes, before this timeout fires")
                    .severity(Severity::Warning)
            });
        }
    }
}
