//! SFN606: an AWS SDK integration that may no longer work: a retired service, or an action
//! spelled in another case than the SDK's.

use super::call_of;
use crate::asl::services::sdk::catalog;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

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
    for state in &ctx.model.states {
        let Some((call, node)) = call_of(ctx, state) else {
            continue;
        };
        if !call.sdk {
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
        if service.operation(call.action).is_some() {
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
