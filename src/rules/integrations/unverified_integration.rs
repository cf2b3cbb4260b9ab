//! SFN606: an AWS SDK integration that may not work: a retired service, a service AWS was
//! recorded refusing, an operation that streams events, or an action spelled in another case
//! than the SDK's.

use super::calls;
use crate::asl::services::sdk::{Operation, Service, catalog};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

/// Services in the AWS models that Step Functions was recorded refusing as SDK integrations,
/// with the evidence (the rule's page cites it).
const REFUSED: &[(&str, &str)] = &[(
    "apigatewaymanagementapi",
    "AWS answered `SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::aws-sdk:apigatewaymanagementapi:postToConnection is not recognized` (sam-goodwin/functionless#443, 2022)",
)];

declare_rule!(RULE {
    code: "SFN606",
    name: "unverified-integration",
    category: Integrations,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let c = catalog();
    for &(_, call, node) in calls(ctx) {
        if !call.sdk {
            continue;
        }
        if let Some((_, evidence)) = REFUSED.iter().find(|(s, _)| *s == call.service) {
            out.push(
                ctx.at(
                    &RULE,
                    node,
                    format!(
                        "`aws-sdk:{}` is not among the services Step Functions' SDK integrations were seen to accept",
                        call.service
                    ),
                )
                .help("call the API from a Lambda function, or check that AWS now lists the service among its SDK integrations")
                .note(*evidence),
            );
            continue;
        }
        let Some(service) = c.service(call.service) else {
            if c.is_retired(call.service) {
                out.push(
                    ctx.at(
                        &RULE,
                        node,
                        format!("`aws-sdk:{}` is a service AWS has retired", call.service),
                    )
                    .help("check that the service still runs in your account; AWS may reject the definition, or the call fail, once it is gone")
                    .note(c.source),
                );
            }
            continue;
        };
        if let Some(op) = service.operation(call.action) {
            if op.streams {
                out.push(streaming(ctx, node, &call, service, op));
            }
            continue;
        }
        if let Some(op) = service
            .operations()
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(call.action))
        {
            out.push(
                ctx.at(
                    &RULE,
                    node,
                    format!(
                        "`{}` is spelled `{}` in AWS SDK integrations",
                        call.action,
                        op.sfn_name()
                    ),
                )
                .help(format!(
                    "write `aws-sdk:{}:{}`",
                    call.service,
                    op.sfn_name()
                ))
                .note("Step Functions names SDK actions in camelCase; whether it accepts another case is not documented"),
            );
        }
    }
}

/// An operation whose input or output is an event stream, with its plain twin when there is
/// one (`invoke` for `invokeWithResponseStream`, `converse` for `converseStream`).
fn streaming(
    ctx: &Ctx<'_>,
    node: crate::syntax::NodeId,
    call: &crate::asl::services::Call<'_>,
    service: &Service,
    op: &Operation,
) -> Diagnostic {
    let twin = [
        op.name.replace("WithResponseStream", ""),
        op.name.trim_end_matches("Stream").to_string(),
    ]
    .into_iter()
    .filter(|n| n != op.name)
    .find_map(|n| service.named(&n).filter(|t| !t.streams));
    let help = match twin {
        Some(t) => format!(
            "call `aws-sdk:{}:{}`, which answers at once, or stream from a Lambda function",
            call.service,
            t.sfn_name()
        ),
        None => "call it from a Lambda function, which can read the stream".to_string(),
    };
    ctx.at(
        &RULE,
        node,
        format!(
            "`{}` streams events, which an SDK integration's JSON cannot carry",
            call.action
        ),
    )
    .help(help)
    .note("AWS's SDK integrations page: SDKs for streaming are not available to workflows")
}
