//! SFN406: a retrier or catcher that can never match, because earlier entries already
//! handle every error it lists.

use crate::asl::ErrorName;
use crate::asl::errors::{UNCATCHABLE, any_matches};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN406",
    name: "shadowed-error-handler",
    category: Resilience,
    dir: "resilience",
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let retry: Vec<(NodeId, &[ErrorName])> = state
            .retry
            .iter()
            .map(|r| (r.node, &r.error_equals[..]))
            .collect();
        let catch: Vec<(NodeId, &[ErrorName])> = state
            .catch
            .iter()
            .map(|c| (c.node, &c.error_equals[..]))
            .collect();
        for (what, list) in [("retrier", retry), ("catcher", catch)] {
            for (j, (node, names)) in list.iter().enumerate() {
                let earlier = &list[..j];
                // After a `States.ALL` entry everything is dead; SFN112 reports that once.
                if earlier
                    .iter()
                    .any(|(_, n)| n.iter().any(|e| &*e.name == "States.ALL"))
                {
                    continue;
                }
                let catchable: Vec<&str> = names
                    .iter()
                    .map(|n| &*n.name)
                    .filter(|n| !UNCATCHABLE.contains(n))
                    .collect();
                if catchable.is_empty() {
                    continue;
                }
                let shadowed = catchable.iter().all(|n| {
                    earlier
                        .iter()
                        .any(|(_, e)| any_matches(e.iter().map(|x| &*x.name), n))
                });
                if !shadowed {
                    continue;
                }
                let by = list[..j].iter().position(|(_, earlier)| {
                    names
                        .iter()
                        .any(|n| any_matches(earlier.iter().map(|e| &*e.name), &n.name))
                });
                let mut d = ctx
                    .at(&RULE, *node, format!("this {what} never matches: earlier entries already handle every error it lists"))
                    .help(format!("remove it, or move it before the broader {what}"))
                    .note(format!("entries are tried in order and the first match wins, so a later, narrower {what} is dead"));
                if let Some(i) = by {
                    d = d.label(
                        ctx.doc.span(list[i].0),
                        format!("this {what} matches first"),
                    );
                }
                out.push(d);
            }
        }
    }
}
