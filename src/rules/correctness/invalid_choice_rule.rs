//! SFN122: a Choice rule AWS rejects: not exactly one comparison, `Next` missing on a
//! top-level rule or present inside `And`/`Or`/`Not`, a JSONata rule without `Condition`.

use crate::asl::{QueryLanguage, StateType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::{NodeId, NodeKind};

declare_rule!(RULE {
    code: "SFN122",
    name: "invalid-choice-rule",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// The comparison operators of a JSONPath Choice rule, and the combinators.
pub const OPERATORS: &[&str] = &[
    "And",
    "Or",
    "Not",
    "BooleanEquals",
    "BooleanEqualsPath",
    "IsBoolean",
    "IsNull",
    "IsNumeric",
    "IsPresent",
    "IsString",
    "IsTimestamp",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "StringEquals",
    "StringEqualsPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringMatches",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in ctx
        .model
        .states
        .iter()
        .filter(|s| s.ty == StateType::Choice)
    {
        let Some(choices) = ctx.field(state, "Choices") else {
            continue;
        };
        let jsonata = state.query_language == QueryLanguage::Jsonata;
        for &rule in ctx.doc.items(choices) {
            if !matches!(ctx.doc.kind(rule), NodeKind::Object(_)) {
                continue; // the schema reports it
            }
            if ctx.doc.get(rule, "Next").is_none() {
                out.push(
                    ctx.at(&RULE, rule, "this Choice rule has no `Next`")
                        .help(
                            "add `\"Next\": \"<state>\"`: the state to go to when the rule matches",
                        )
                        .note("AWS rejects a top-level Choice rule without `Next`"),
                );
            }
            if jsonata {
                if ctx.doc.get(rule, "Condition").is_none() {
                    out.push(
                        ctx.at(&RULE, rule, "this JSONata Choice rule has no `Condition`")
                            .help("add `\"Condition\": \"{% … %}\"`, an expression that is true when the rule matches")
                            .note("AWS rejects a JSONata Choice rule without `Condition`"),
                    );
                }
            } else {
                comparison(ctx, out, rule, false);
            }
        }
    }
}

/// Checks a JSONPath rule (top-level, or `nested` inside `And`, `Or` or `Not`).
fn comparison(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, rule: NodeId, nested: bool) {
    let doc = ctx.doc;
    if !matches!(doc.kind(rule), NodeKind::Object(_)) {
        return;
    }
    // `Condition` belongs to JSONata rules; field-wrong-query-language reports it.
    if doc.get(rule, "Condition").is_some() {
        return;
    }
    if nested && let Some(next) = doc.get(rule, "Next") {
        out.push(
            ctx.at_key(
                &RULE,
                next,
                "a rule inside `And`, `Or` or `Not` cannot have `Next`",
            )
            .help("move `Next` to the top-level rule; nested rules only test")
            .note("AWS rejects `Next` on a nested Choice rule"),
        );
    }
    let ops: Vec<&crate::syntax::Member> = doc
        .members(rule)
        .iter()
        .filter(|m| OPERATORS.contains(&doc.key(m)))
        .collect();
    match ops.as_slice() {
        [] => out.push(
            ctx.at(&RULE, rule, "this Choice rule has no comparison")
                .help("add one test such as `\"StringEquals\": \"…\"` or `\"IsPresent\": true`, or combine rules with `And`, `Or` or `Not`")
                .note("AWS rejects a Choice rule without exactly one comparison operator"),
        ),
        [_] => {}
        [first, rest @ ..] => {
            for m in rest {
                out.push(
                    ctx.at_key(&RULE, m.value, format!("this Choice rule already compares with `{}`; `{}` is a second comparison", doc.key(first), doc.key(m)))
                        .label(first.key_span, "first comparison")
                        .help("keep one comparison per rule; combine several with `And` or `Or`")
                        .note("AWS rejects a Choice rule with more than one comparison operator"),
                );
            }
        }
    }
    for m in &ops {
        match doc.key(m) {
            "And" | "Or" => {
                for &r in doc.items(m.value) {
                    comparison(ctx, out, r, true);
                }
            }
            "Not" => comparison(ctx, out, m.value, true),
            _ => {}
        }
    }
}
