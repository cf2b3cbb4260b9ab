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
        // Rules are bucketed by a hash that equal conditions share, so each rule is compared
        // only with the earlier rules of its bucket: linear in the rules, not quadratic.
        let mut buckets: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
        for (i, rule) in state.choices.iter().enumerate() {
            let bucket = buckets
                .entry(fingerprint(ctx.doc, rule.node, NOT_CONDITION))
                .or_default();
            let earlier = bucket
                .iter()
                .map(|&j| &state.choices[j])
                .find(|e| same(ctx.doc, e.node, rule.node, NOT_CONDITION));
            if earlier.is_none() {
                bucket.push(i);
            }
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
        // Finding first keys is quadratic in an object's size: a big (hostile) object is
        // compared through copies, which hash.
        (NodeKind::Object(x), NodeKind::Object(y)) if x.len().max(y.len()) > 32 => {
            copy_without(doc, a, skip) == copy_without(doc, b, skip)
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            let (xs, ys) = (firsts(doc, x, skip), firsts(doc, y, skip));
            xs.clone().count() == ys.clone().count()
                && xs.into_iter().all(|m| {
                    ys.clone()
                        .find(|n| doc.key(n) == doc.key(m))
                        .is_some_and(|n| same(doc, m.value, n.value, &[]))
                })
        }
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(doc, *p, *q, &[]))
        }
        (NodeKind::String(x), NodeKind::String(y)) => doc.text(*x) == doc.text(*y),
        (NodeKind::Number(x), NodeKind::Number(y)) => {
            let (x, y) = (doc.text(*x), doc.text(*y));
            x == y || crate::syntax::number_value(x) == crate::syntax::number_value(y)
        }
        (NodeKind::Bool(x), NodeKind::Bool(y)) => x == y,
        (NodeKind::Null, NodeKind::Null) => true,
        _ => false,
    }
}

/// A hash of a value that values [`same`] holds equal share: object members in any order (the
/// first of duplicate keys), numbers by value, the `skip` keys at the top left out.
fn fingerprint(doc: &Document, n: NodeId, skip: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let leaf = |tag: u8, text: &str| {
        let mut h = rustc_hash::FxHasher::default();
        tag.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    match doc.kind(n) {
        NodeKind::Object(members) => {
            let mut seen = rustc_hash::FxHashSet::default();
            let mut sum = 0x9e37_79b9_7f4a_7c15u64;
            for m in members {
                let key = doc.key(m);
                if skip.contains(&key) || !seen.insert(key) {
                    continue;
                }
                // Members combine by addition: their order does not matter.
                let pair = leaf(1, key).rotate_left(17) ^ fingerprint(doc, m.value, &[]);
                sum = sum.wrapping_add(pair.wrapping_mul(0xff51_afd7_ed55_8ccd));
            }
            sum
        }
        NodeKind::Array(items) => items.iter().fold(leaf(2, ""), |h, i| {
            (h.rotate_left(5) ^ fingerprint(doc, *i, &[])).wrapping_mul(0xc4ce_b9fe_1a85_ec53)
        }),
        NodeKind::String(t) => leaf(3, doc.text(*t)),
        NodeKind::Number(t) => leaf(4, &crate::syntax::number_value(doc.text(*t)).to_string()),
        NodeKind::Bool(b) => leaf(5, if *b { "t" } else { "f" }),
        NodeKind::Null => leaf(6, ""),
    }
}

/// A `serde_json` copy of a value without the `skip` keys at its top.
fn copy_without(doc: &Document, n: NodeId, skip: &[&str]) -> serde_json::Value {
    let mut v = doc.to_value(n);
    if let Some(o) = v.as_object_mut() {
        for k in skip {
            o.remove(*k);
        }
    }
    v
}

/// The members that count: not skipped, and not a later duplicate of a key.
fn firsts<'a>(
    doc: &'a Document,
    members: &'a [Member],
    skip: &'a [&str],
) -> impl Iterator<Item = &'a Member> + Clone {
    members.iter().enumerate().filter_map(move |(i, m)| {
        let key = doc.key(m);
        (!skip.contains(&key) && !members[..i].iter().any(|p| doc.key(p) == key)).then_some(m)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: `serde_json` copies compared, as the rule first did.
    fn by_value(doc: &Document, a: NodeId, b: NodeId) -> bool {
        copy_without(doc, a, NOT_CONDITION) == copy_without(doc, b, NOT_CONDITION)
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
                if expected {
                    assert_eq!(
                        fingerprint(&doc, *a, NOT_CONDITION),
                        fingerprint(&doc, *b, NOT_CONDITION),
                        "equal values share a fingerprint: {a:?} {b:?}"
                    );
                }
                equal += usize::from(expected);
            }
        }
        // Not only the diagonal: the reordered, renumbered and commented copies are equal.
        assert!(equal > items.len() + 6, "{equal}");
    }

    #[test]
    fn big_objects_compare_by_copies_and_stay_fast() {
        // 20,000 keys, and the same keys reversed: equal, and compared without the quadratic
        // first-key search (without the guard this test ran over a minute in a release build).
        let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\": {i}")).collect();
        let reversed: Vec<String> = keys.iter().rev().cloned().collect();
        let text = format!(
            "[{{{}}}, {{{}, \"Next\": \"X\"}}]",
            keys.join(","),
            reversed.join(",")
        );
        let doc = crate::syntax::json::parse(&text).unwrap();
        let items = doc.items(doc.root.unwrap()).to_vec();
        assert!(same(&doc, items[0], items[1], NOT_CONDITION));
        assert!(!same(&doc, items[0], items[1], &[]));
    }
}
