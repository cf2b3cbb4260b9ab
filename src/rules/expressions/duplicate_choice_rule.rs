//! SFN309: a Choice rule identical to an earlier one, which can never be chosen.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::{Document, Member, NodeId, NodeKind};

declare_rule!(RULE {
    code: "SFN309",
    name: "duplicate-choice-rule",
    category: Expressions,
    dir: "expressions",
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// Fields of a rule that do not make its condition.
const NOT_CONDITION: &[&str] = &["Next", "Comment", "Assign", "Output"];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in ctx
        .model
        .states
        .iter()
        .filter(|s| s.ty == StateType::Choice)
    {
        for (i, rule) in state.choices.iter().enumerate() {
            let earlier = state.choices[..i]
                .iter()
                .find(|e| same(ctx.doc, e.node, rule.node, NOT_CONDITION));
            if let Some(first) = earlier {
                out.push(
                    ctx.at(&RULE, rule.node, "this Choice rule tests the same condition as an earlier rule, so it is never chosen")
                        .label(ctx.doc.span(first.node), "this rule matches first")
                        .help("remove it, or change its condition"),
                );
            }
        }
    }
}

/// Whether two values are equal as JSON values (object members in any order, the first of
/// duplicate keys counting, numbers by value), leaving out the `skip` keys at the top. The
/// same equality as comparing `serde_json` copies, without building them.
fn same(doc: &Document, a: NodeId, b: NodeId, skip: &[&str]) -> bool {
    match (doc.kind(a), doc.kind(b)) {
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            let (xs, ys) = (firsts(x, skip), firsts(y, skip));
            xs.clone().count() == ys.clone().count()
                && xs.into_iter().all(|m| {
                    ys.clone()
                        .find(|n| n.key == m.key)
                        .is_some_and(|n| same(doc, m.value, n.value, &[]))
                })
        }
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(doc, *p, *q, &[]))
        }
        (NodeKind::String(x), NodeKind::String(y)) => x == y,
        (NodeKind::Number(x), NodeKind::Number(y)) => {
            x == y || crate::syntax::number_value(x) == crate::syntax::number_value(y)
        }
        (NodeKind::Bool(x), NodeKind::Bool(y)) => x == y,
        (NodeKind::Null, NodeKind::Null) => true,
        _ => false,
    }
}

/// The members that count: not skipped, and not a later duplicate of a key.
fn firsts<'a>(members: &'a [Member], skip: &'a [&str]) -> impl Iterator<Item = &'a Member> + Clone {
    members.iter().enumerate().filter_map(move |(i, m)| {
        (!skip.contains(&&*m.key) && !members[..i].iter().any(|p| p.key == m.key)).then_some(m)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: `serde_json` copies compared, as the rule first did.
    fn by_value(doc: &Document, a: NodeId, b: NodeId) -> bool {
        let strip = |n| {
            let mut v = doc.to_value(n);
            if let Some(o) = v.as_object_mut() {
                for k in NOT_CONDITION {
                    o.remove(*k);
                }
            }
            v
        };
        strip(a) == strip(b)
    }

    #[test]
    fn equality_matches_comparing_json_values() {
        let values = [
            r#"{"Variable": "$.a", "NumericEquals": 1, "Next": "X"}"#,
            r#"{"NumericEquals": 1, "Variable": "$.a", "Next": "Y"}"#,
            r#"{"Variable": "$.a", "NumericEquals": 1.0, "Next": "X"}"#,
            r#"{"Variable": "$.a", "NumericEquals": 1e0}"#,
            r#"{"Variable": "$.a", "NumericEquals": 2}"#,
            r#"{"Variable": "$.a", "Variable": "$.b", "NumericEquals": 1}"#,
            r#"{"Variable": "$.a", "NumericEquals": 1, "Comment": "c"}"#,
            r#"{"And": [{"Variable": "$.a", "IsPresent": true}, {"Next": "Z"}]}"#,
            r#"{"And": [{"Next": "Z"}, {"Variable": "$.a", "IsPresent": true}]}"#,
            r#"{"And": [{"Variable": "$.a", "IsPresent": true}, {"Next": "W"}]}"#,
            r#"{"Not": {"Variable": "$.a", "IsNull": true}, "Next": "A"}"#,
            r#"{"Not": {"Variable": "$.a", "IsNull": null}, "Next": "A"}"#,
            r#"{"Condition": "{% $x %}"}"#,
            r#"{"Condition": "{% $y %}"}"#,
            r#"[1, 2]"#,
            r#"{}"#,
            r#"{"Next": "X"}"#,
        ];
        let text = format!("[{}]", values.join(","));
        let doc = crate::syntax::json::parse(&text).unwrap();
        let items = doc.items(doc.root.unwrap()).to_vec();
        let mut equal = 0;
        for a in &items {
            for b in &items {
                let expected = by_value(&doc, *a, *b);
                assert_eq!(same(&doc, *a, *b, NOT_CONDITION), expected, "{a:?} {b:?}");
                equal += usize::from(expected);
            }
        }
        // Not only the diagonal: the reordered, renumbered and commented copies are equal.
        assert!(equal > items.len() + 6, "{equal}");
    }
}
