//! SFN309: a Choice rule identical to an earlier one, which can never be chosen.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN309",
    name: "duplicate-choice-rule",
    category: Expressions,
    dir: "expressions",
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in ctx
        .model
        .states
        .iter()
        .filter(|s| s.ty == StateType::Choice)
    {
        let mut seen: Vec<(serde_json::Value, crate::syntax::NodeId)> = Vec::new();
        for rule in &state.choices {
            let mut v = ctx.doc.to_value(rule.node);
            if let Some(o) = v.as_object_mut() {
                for k in ["Next", "Comment", "Assign", "Output"] {
                    o.remove(k);
                }
            }
            if let Some((_, first)) = seen.iter().find(|(x, _)| *x == v) {
                out.push(
                    ctx.at(&RULE, rule.node, "this Choice rule tests the same condition as an earlier rule, so it is never chosen")
                        .label(ctx.doc.span(*first), "this rule matches first")
                        .help("remove it, or change its condition"),
                );
            } else {
                seen.push((v, rule.node));
            }
        }
    }
}
