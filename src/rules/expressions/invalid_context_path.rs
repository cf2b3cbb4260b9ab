//! SFN306: a context-object path that names a field the context object does not have, or one
//! that is not available where it is used (`$$.Task.Token` outside a callback task,
//! `$$.Map.Item` outside a Map's ItemSelector).

use super::{Site, for_each_site};
use crate::asl::expr::path::{self, CONTEXT};
use crate::asl::resource::{Pattern, classify};
use crate::asl::{QueryLanguage, StateType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::suggest::did_you_mean;

declare_rule!(RULE {
    code: "SFN306",
    name: "invalid-context-path",
    category: Expressions,
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// What is wrong with context field names `names` used at `site`, if anything.
fn problem(ctx: &Ctx<'_>, site: &Site<'_>, names: &[&str]) -> Option<(String, String)> {
    let root = *names.first()?;
    let Some((_, fields)) = CONTEXT.iter().find(|(r, _)| *r == root) else {
        let hint = did_you_mean(root, CONTEXT.iter().map(|(r, _)| *r)).map_or_else(
            || "the context object has Execution, State, StateMachine, Task and Map".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        return Some((format!("the context object has no `{root}`"), hint));
    };
    if let Some(field) = names.get(1)
        && !fields.contains(field)
    {
        let hint = did_you_mean(field, fields.iter().copied()).map_or_else(
            || format!("`{root}` has {}", fields.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        return Some((
            format!("`{root}` in the context object has no `{field}`"),
            hint,
        ));
    }
    match (root, names.get(1)) {
        ("Task", Some(&"Token")) => {
            let callback = site.state.ty == StateType::Task
                && ctx.string(site.state, "Resource").is_some_and(|r| {
                    crate::source::contains(r, "${")
                        || classify(r).pattern != Pattern::RequestResponse
                });
            (!callback).then(|| ("the task token only exists in `.waitForTaskToken` and `.sync` tasks".to_string(), "use `$$.Task.Token` in the Parameters of a Task whose Resource ends in `.waitForTaskToken`".to_string()))
        }
        ("Map", _) => {
            let in_selector = site.state.ty == StateType::Map
                && matches!(site.field, "ItemSelector" | "Parameters");
            (!in_selector).then(|| ("`$$.Map.Item` only exists in a Map state's `ItemSelector`".to_string(), "select the item in the Map's ItemSelector and read it from the state input inside the processor".to_string()))
        }
        _ => None,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for_each_site(ctx, |site| {
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        // Most strings mention no path at all: skip them before any substring search.
        if !v.as_bytes().contains(&b'$') {
            return;
        }
        let mut found: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
        if site.state.query_language == QueryLanguage::JsonPath {
            // `$$…` as a whole value, or as an intrinsic's argument.
            for i in crate::source::find_all(v, "$$") {
                let end = v[i..].find([',', ')', ' ']).map_or(v.len(), |e| i + e);
                if let Ok(p) = path::parse(&v[i..end]) {
                    found.push((i..end, p.names().iter().map(|s| s.to_string()).collect()));
                }
            }
        } else {
            for i in crate::source::find_all(v, "$states.context.") {
                let m = "$states.context.";
                let rest = &v[i + m.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(rest.len());
                let names: Vec<String> = rest[..end]
                    .split('.')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                found.push((i..i + m.len() + end, names));
            }
        }
        for (range, names) in found {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            if let Some((message, help)) = problem(ctx, &site, &refs) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        message,
                        ctx.inner_span(site.node, range),
                        ctx.doc.pointer(site.node),
                    )
                    .help(help),
                );
            }
        }
    });
}
