//! SFN601: a Task that calls an optimized integration, AWS SDK service or SDK action that does
//! not exist.

use super::calls;
use crate::asl::services::sdk::catalog;
use crate::asl::services::{Call, optimized};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN601",
    name: "unknown-integration",
    category: Integrations,
    severity: Error,
    fix: None,
    check: Some(check)
});

const NOTE: &str = "AWS rejects a resource it does not recognize when the state machine is created (`SCHEMA_VALIDATION_FAILED: The resource provided … is not recognized`)";

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for &(_, call, node) in calls(ctx) {
        let Some((message, help)) = problem(&call) else {
            continue;
        };
        let mut d = ctx.at(&RULE, node, message).note(NOTE);
        if let Some(h) = help {
            d = d.help(h);
        }
        out.push(d);
    }
}

/// What is unknown about the call, and a suggestion.
fn problem(call: &Call<'_>) -> Option<(String, Option<String>)> {
    let c = catalog();
    if call.sdk {
        let Some(service) = c.service(call.service) else {
            // A retired service is said by SFN606; one never known is an error.
            if c.is_retired(call.service) {
                return None;
            }
            let hint = did_you_mean(call.service, c.service_names())
                .map(|s| format!("did you mean `aws-sdk:{s}:{}`?", call.action));
            return Some((
                format!(
                    "`aws-sdk:{}` is not an AWS SDK service Step Functions can call",
                    call.service
                ),
                hint.or_else(|| Some("the service name is the SDK's, in lower case without spaces (`dynamodb`, `cloudwatchlogs`, `sfn`)".into())),
            ));
        };
        if service.operation(call.action).is_some() {
            return None;
        }
        // The same name in another case is said by SFN606, not here.
        if service
            .operations()
            .iter()
            .any(|o| o.name.eq_ignore_ascii_case(call.action))
        {
            return None;
        }
        let names: Vec<String> = service.operations().iter().map(|o| o.sfn_name()).collect();
        let hint = did_you_mean(call.action, names.iter().map(String::as_str))
            .map(|a| format!("did you mean `aws-sdk:{}:{a}`?", call.service));
        return Some((
            format!(
                "`{}` has no action `{}` (AWS SDK integration)",
                service.name, call.action
            ),
            hint.or_else(|| Some(format!("actions are the API's operations in camelCase; see the {} API reference", service.name))),
        ));
    }
    if optimized::find(call.service, call.action).is_some() {
        return None;
    }
    let full = format!("{}:{}", call.service, call.action);
    // The SDK integration of the same service may have it (`dynamodb:query` does not exist,
    // `aws-sdk:dynamodb:query` does).
    let sdk_twin = c
        .service(call.service)
        .and_then(|s| s.operation(call.action).map(|_| s.name));
    let names: Vec<String> = optimized::ALL
        .iter()
        .map(|o| format!("{}:{}", o.service, o.action))
        .collect();
    let hint = match sdk_twin {
        Some(s) => Some(format!(
            "Step Functions has no optimized integration for it; the AWS SDK integration does: `arn:aws:states:::aws-sdk:{s}:{}`",
            call.action
        )),
        None => did_you_mean(&full, names.iter().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?")),
    };
    Some((
        format!("`{full}` is not an optimized integration of Step Functions"),
        hint.or_else(|| Some("for any other API action, use the AWS SDK integration: `arn:aws:states:::aws-sdk:service:action`".into())),
    ))
}
