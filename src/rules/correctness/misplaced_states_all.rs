//! SFN112: `States.ALL` not alone in its `ErrorEquals`, or not in the last retrier/catcher.

use crate::asl::ErrorName;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN112",
    name: "misplaced-states-all",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let retry: Vec<(NodeId, Option<NodeId>, &[ErrorName])> = state
            .retry
            .iter()
            .map(|r| (r.node, r.error_equals_node, &r.error_equals[..]))
            .collect();
        let catch: Vec<(NodeId, Option<NodeId>, &[ErrorName])> = state
            .catch
            .iter()
            .map(|c| (c.node, c.error_equals_node, &c.error_equals[..]))
            .collect();
        for (what, list) in [("retrier", retry), ("catcher", catch)] {
            let last = list.len().saturating_sub(1);
            for (i, (entry, ee, names)) in list.iter().enumerate() {
                let Some(all) = names.iter().find(|n| &*n.name == "States.ALL") else {
                    continue;
                };
                if names.len() > 1 {
                    let d = ctx
                        .at(&RULE, ee.unwrap_or(*entry), "`States.ALL` must be the only error name in its `ErrorEquals`")
                        .label(ctx.doc.span(all.node), "`States.ALL` already matches every other name listed")
                        .help("remove the other names, or move them to a separate entry before this one");
                    out.push(d);
                }
                if i != last {
                    let d = ctx
                        .at(
                            &RULE,
                            *entry,
                            format!("the {what} with `States.ALL` must be the last one"),
                        )
                        .label(
                            ctx.doc.span(all.node),
                            "matches every error, so the entries after it are never used",
                        )
                        .help(format!("move this {what} to the end of the list"));
                    out.push(d);
                }
            }
        }
    }
}
