//! SFN115: a field that the state's query language does not have (JSONPath's `InputPath` in a
//! JSONata state, JSONata's `Arguments` in a JSONPath state, …).

use crate::asl::{QueryLanguage, StateType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN115",
    name: "field-wrong-query-language",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// State fields that exist only in JSONPath states.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
];
/// State fields that exist only in JSONata states.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

fn report(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    node: NodeId,
    field: &str,
    ql: QueryLanguage,
    state: &str,
) {
    let (help, note) = match ql {
        QueryLanguage::Jsonata => (
            match field {
                "Parameters" => "use `Arguments` in a JSONata state",
                "ResultSelector" | "ResultPath" | "OutputPath" | "Result" => {
                    "use `Output` (and `Assign`) in a JSONata state"
                }
                "InputPath" => "refer to `$states.input` inside expressions instead",
                "ItemsPath" => "use `Items` in a JSONata state",
                "Variable" => "use `Condition` with a JSONata expression in a JSONata Choice rule",
                _ => "put a `{% … %}` expression in the field without the `Path` suffix",
            },
            "JSONata states have only `Arguments`, `Output` and `Assign` for data; the JSONPath fields do not exist there",
        ),
        QueryLanguage::JsonPath => (
            match field {
                "Arguments" => {
                    "use `Parameters` in a JSONPath state, or set `\"QueryLanguage\": \"JSONata\"` on the state"
                }
                "Output" => {
                    "use `OutputPath`/`ResultSelector` in a JSONPath state, or set `\"QueryLanguage\": \"JSONata\"` on the state"
                }
                "Condition" => {
                    "use `Variable` with a comparison operator, or set `\"QueryLanguage\": \"JSONata\"` on the state"
                }
                _ => {
                    "use `ItemsPath` in a JSONPath state, or set `\"QueryLanguage\": \"JSONata\"` on the state"
                }
            },
            "this state uses JSONPath (the default); JSONata fields only exist in JSONata states",
        ),
    };
    let d = ctx
        .at_key(
            &RULE,
            node,
            format!("`{field}` is not allowed in {} state `{state}`", ql.name()),
        )
        .help(help)
        .note(note);
    out.push(d);
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if state.ty == StateType::Unknown {
            continue;
        }
        let ql = state.query_language;
        let wrong = if ql == QueryLanguage::Jsonata {
            JSONPATH_ONLY
        } else {
            JSONATA_ONLY
        };
        for m in ctx.doc.members(state.node) {
            if wrong.contains(&ctx.doc.key(m)) {
                report(ctx, out, m.value, ctx.doc.key(m), ql, &state.name);
            }
        }
        for c in &state.catch {
            let field = if ql == QueryLanguage::Jsonata {
                "ResultPath"
            } else {
                "Output"
            };
            if let Some(n) = ctx.doc.get(c.node, field) {
                report(ctx, out, n, field, ql, &state.name);
            }
        }
        for rule in &state.choices {
            walk_rule(ctx, out, rule.node, ql, &state.name);
        }
    }
}

fn walk_rule(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    rule: NodeId,
    ql: QueryLanguage,
    state: &str,
) {
    let field = if ql == QueryLanguage::Jsonata {
        "Variable"
    } else {
        "Condition"
    };
    if let Some(n) = ctx.doc.get(rule, field) {
        report(ctx, out, n, field, ql, state);
    }
    for key in ["And", "Or"] {
        if let Some(list) = ctx.doc.get(rule, key) {
            for r in ctx.doc.items(list) {
                walk_rule(ctx, out, *r, ql, state);
            }
        }
    }
    if let Some(n) = ctx.doc.get(rule, "Not") {
        walk_rule(ctx, out, n, ql, state);
    }
}
