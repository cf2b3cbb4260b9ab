//! SFN602: an integration pattern (`.sync`, `.sync:2`, `.waitForTaskToken`) that the service
//! does not offer.

use super::calls;
use crate::asl::services::{Pattern, optimized};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN602",
    name: "unsupported-integration-pattern",
    category: Integrations,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for &(_, call, node) in calls(ctx) {
        let (what, offered): (String, Vec<Pattern>) = if call.sdk {
            // AWS SDK integrations: request-response and callback only.
            if matches!(call.pattern, Pattern::RequestResponse | Pattern::Callback) {
                continue;
            }
            (
                format!("the AWS SDK integration `aws-sdk:{}:{}`", call.service, call.action),
                vec![Pattern::RequestResponse, Pattern::Callback],
            )
        } else {
            let Some(o) = optimized::find(call.service, call.action) else {
                continue;
            };
            if o.supports(call.pattern) {
                continue;
            }
            (
                format!("`{}:{}`", o.service, o.action),
                o.patterns().collect(),
            )
        };
        let list = offered
            .iter()
            .map(|p| p.describe())
            .collect::<Vec<_>>()
            .join(", ");
        let bare = format!("{}:{}", call.service, call.action);
        out.push(
            ctx.at(
                &RULE,
                node,
                format!(
                    "{what} does not support the {} pattern; it offers {list}",
                    call.pattern.describe()
                ),
            )
            .help(match offered.first() {
                Some(_) if offered.contains(&Pattern::Sync) && call.pattern == Pattern::Sync2 => {
                    format!("use `{bare}.sync`")
                }
                Some(_) if call.sdk => "to wait for a job, use its optimized integration where there is one (`.sync`), or poll with a Wait and a Choice".to_string(),
                Some(p) => format!("use `{bare}{}`", p.suffix()),
                None => String::new(),
            })
            .note("AWS's table of integration patterns lists what each service supports; a resource with another pattern is not recognized and the definition is rejected"),
        );
    }
}
