//! SFN303: a JSONPath or reference path that does not parse, or that uses wildcards, filters
//! or slices where a single node is required.

use super::{for_each_site, variable_ref};
use crate::asl::QueryLanguage;
use crate::asl::expr::path::{self, PathError};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN303",
    name: "invalid-path",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// State fields holding a reference path.
const REFERENCE_FIELDS: &[&str] = &[
    "ResultPath",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
];

/// `$` or `$.a.b_c.D1`: valid in both grammars and not the context object. Nearly every path
/// in a real definition has this shape, and it needs no parse.
fn is_plain(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('$') else {
        return false;
    };
    rest.is_empty()
        || rest.strip_prefix('.').is_some_and(|r| {
            // Split on bytes: `str::split(char)` searches with `memchr`, whose set-up is more
            // than these few bytes.
            r.as_bytes().split(|&b| b == b'.').all(|name| {
                name.first()
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                    && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
            })
        })
}

/// Checks one path string; `reference` selects the strict grammar. Variable references
/// (`$name.x`) check their remainder. Ok holds whether the path is rooted at the context
/// object.
pub(crate) fn check_path(value: &str, reference: bool) -> Result<bool, PathError> {
    if is_plain(value) {
        return Ok(false);
    }
    parse_path(value, reference).map(|p| p.context)
}

fn parse_path(value: &str, reference: bool) -> Result<path::Path, PathError> {
    if let Some((name, rest)) = variable_ref(value) {
        let offset = 1 + name.len();
        let parsed = if reference {
            path::parse_reference(&format!("${rest}"))
        } else {
            path::parse(&format!("${rest}"))
        };
        return parsed.map_err(|e| PathError {
            message: e.message,
            range: e.range.start + offset - 1..e.range.end + offset - 1,
        });
    }
    if reference {
        path::parse_reference(value)
    } else {
        path::parse(value)
    }
}

fn report(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, node: NodeId, what: &str, e: PathError) {
    out.push(
        Diagnostic::new(&RULE, format!("invalid {what}: {}", e.message), ctx.inner_span(node, e.range.clone()), ctx.doc.pointer(node))
            .help(if what == "reference path" {
                "a reference path names one node: `$`, then `.field`, `['field']` or `[index]` steps, e.g. `$.order.items[0]`"
            } else {
                "a path starts with `$` (the state input) or `$$` (the context object), e.g. `$.order.id`"
            }),
    );
}

/// `ResultPath` is where the result goes in the state's data: a JSONPath, never a variable
/// (`$name`), which only `Assign` writes.
fn result_path_variable(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, node: NodeId, value: &str) {
    out.push(
        ctx.at(
            &RULE,
            node,
            format!("invalid reference path: `ResultPath` must be a JSONPath starting with `$.`, `$[` or `$`, not the variable reference `{value}`"),
        )
        .help("write the result into the state's data (`$.result`), or assign a variable with `Assign`")
        .note("AWS rejects the definition: ResultPath is a reference path into the state input"),
    );
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for state in ctx
        .model
        .states
        .iter()
        .filter(|s| s.query_language == QueryLanguage::JsonPath)
    {
        for m in doc.members(state.node) {
            let Some(value) = doc.as_str(m.value) else {
                continue;
            };
            let reference = REFERENCE_FIELDS.contains(&doc.key(m));
            if !(reference || matches!(doc.key(m), "InputPath" | "OutputPath")) {
                continue;
            }
            // ErrorPath and CausePath also take an intrinsic function.
            if matches!(doc.key(m), "ErrorPath" | "CausePath")
                && value.trim_start().starts_with("States.")
            {
                continue;
            }
            if crate::source::contains(value, "${") {
                continue;
            }
            if doc.key(m) == "ResultPath" && variable_ref(value).is_some() {
                result_path_variable(ctx, out, m.value, value);
                continue;
            }
            match check_path(value, reference) {
                Err(e) => report(
                    ctx,
                    out,
                    m.value,
                    if reference { "reference path" } else { "path" },
                    e,
                ),
                Ok(true) if doc.key(m) == "ResultPath" => out.push(
                    ctx.at(
                        &RULE,
                        m.value,
                        "`ResultPath` cannot write into the context object (`$$`)",
                    )
                    .help("use a path into the state's data, starting with `$.`"),
                ),
                Ok(_) => {}
            }
        }
        for c in &state.catch {
            if let Some(n) = doc.get(c.node, "ResultPath")
                && let Some(v) = doc.as_str(n)
                && !crate::source::contains(v, "${")
            {
                if variable_ref(v).is_some() {
                    result_path_variable(ctx, out, n, v);
                } else if let Err(e) = check_path(v, true) {
                    report(ctx, out, n, "reference path", e);
                }
            }
        }
        for rule in &state.choices {
            check_rule(ctx, out, rule.node);
        }
    }
    // Map reader and batcher `…Path` fields, and the paths of `.$` keys in payload templates
    // (`Parameters`, `ResultSelector`, `ItemSelector`, …), which AWS parses when the state
    // machine is created.
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::JsonPath {
            return;
        }
        let Some(v) = doc.as_str(site.node) else {
            return;
        };
        if !v.starts_with('$') || crate::source::contains(v, "${") {
            return;
        }
        let reference =
            if matches!(site.field, "ItemReader" | "ItemBatcher") && site.key.ends_with("Path") {
                true
            } else if site.key.ends_with(".$") {
                false
            } else {
                return;
            };
        if let Err(e) = check_path(v, reference) {
            report(
                ctx,
                out,
                site.node,
                if reference { "reference path" } else { "path" },
                e,
            );
        }
    });
}

fn check_rule(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, rule: NodeId) {
    let doc = ctx.doc;
    for m in doc.members(rule) {
        match doc.key(m) {
            "And" | "Or" => {
                for r in doc.items(m.value) {
                    check_rule(ctx, out, *r);
                }
            }
            "Not" => check_rule(ctx, out, m.value),
            k if k == "Variable" || k.ends_with("Path") => {
                if let Some(v) = doc.as_str(m.value)
                    && !crate::source::contains(v, "${")
                    && let Err(e) = check_path(v, true)
                {
                    report(ctx, out, m.value, "reference path", e);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_agree_with_the_parser() {
        let cases = [
            "$",
            "$.a",
            "$.a.b",
            "$._x.Y1",
            "$$",
            "$$.Execution",
            "$.",
            "$..a",
            "$.a.",
            "$.1a",
            "$.a-b",
            "$.a[0]",
            "$['a']",
            "$.*",
            "a",
            "",
            "$a",
            "$.é",
            "$.a b",
        ];
        for v in cases {
            for reference in [false, true] {
                if is_plain(v) {
                    let parsed = parse_path(v, reference);
                    assert_eq!(parsed.map(|p| p.context), Ok(false), "{v} ({reference})");
                }
                assert_eq!(
                    check_path(v, reference),
                    parse_path(v, reference).map(|p| p.context),
                    "{v} ({reference})"
                );
            }
        }
        assert!(is_plain("$.a.b") && is_plain("$") && !is_plain("$$.a") && !is_plain("$.1"));
    }
}
