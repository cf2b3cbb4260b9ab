//! SFN406: a retrier or catcher that can never match, because earlier entries already
//! handle every error it lists.

use crate::asl::ErrorName;
use crate::asl::errors::{NEVER_HANDLED, UNCATCHABLE};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN406",
    name: "shadowed-error-handler",
    category: Resilience,
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
            // What the earlier entries handle, kept as they are passed (linear in the entries,
            // not quadratic): each name's first entry, and the first `States.TaskFailed`.
            let mut first: rustc_hash::FxHashMap<&str, usize> = Default::default();
            let mut task_failed: Option<usize> = None;
            let mut all_seen = false;
            // The first earlier entry that handles `n`, as `errors::matches` decides.
            let handled_by = |first: &rustc_hash::FxHashMap<&str, usize>,
                              task_failed: Option<usize>,
                              n: &str| {
                let exact = first
                    .get(n)
                    .copied()
                    .filter(|_| !NEVER_HANDLED.contains(&n));
                let broad = task_failed.filter(|_| !n.starts_with("States."));
                match (exact, broad) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            };
            for (j, (node, names)) in list.iter().enumerate() {
                if j > 0 {
                    for e in list[j - 1].1 {
                        let e = &*e.name;
                        all_seen |= e == "States.ALL";
                        if e == "States.TaskFailed" {
                            task_failed.get_or_insert(j - 1);
                        }
                        first.entry(e).or_insert(j - 1);
                    }
                }
                // After a `States.ALL` entry everything is dead; SFN112 reports that once.
                if all_seen {
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
                let shadowed = catchable
                    .iter()
                    .all(|n| handled_by(&first, task_failed, n).is_some());
                if !shadowed {
                    continue;
                }
                let by = names
                    .iter()
                    .filter_map(|n| handled_by(&first, task_failed, &n.name))
                    .min();
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
