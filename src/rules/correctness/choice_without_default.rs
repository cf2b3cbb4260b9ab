//! SFN120: a Choice state without `Default` whose rules may all fail to match.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN120",
    name: "choice-without-default",
    category: Correctness,
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
        if ctx.field(state, "Default").is_some()
            || state.choices.is_empty()
            || covers_everything(
                ctx,
                &state.choices.iter().map(|r| r.node).collect::<Vec<_>>(),
            )
        {
            continue;
        }
        out.push(
            ctx.at_key(&RULE, state.node, format!("Choice state `{}` has no `Default`", state.name))
                .help("add `\"Default\": \"<state>\"` for the case no rule matches, even if it is a Fail state that says what was unexpected")
                .note("when no rule matches, the execution fails with `States.NoChoiceMatched`, an error that says nothing about the input that caused it"),
        );
    }
}

/// True when the rules provably match every input: a literal `true` JSONata condition, or the
/// same test made both ways (`BooleanEquals` true and false, `IsPresent` true and false, …) on
/// the same variable.
fn covers_everything(ctx: &Ctx<'_>, rules: &[NodeId]) -> bool {
    let doc = ctx.doc;
    let mut seen: rustc_hash::FxHashSet<(&str, &str, bool)> = Default::default();
    for &r in rules {
        if let Some(c) = doc.get(r, "Condition") {
            let always = doc.as_bool(c) == Some(true)
                || doc.as_str(c).is_some_and(|s| s.trim() == "{% true %}");
            if always {
                return true;
            }
        }
        let Some(var) = doc.get(r, "Variable").and_then(|v| doc.as_str(v)) else {
            continue;
        };
        for op in [
            "BooleanEquals",
            "IsPresent",
            "IsNull",
            "IsString",
            "IsNumeric",
            "IsBoolean",
            "IsTimestamp",
        ] {
            if let Some(b) = doc.get(r, op).and_then(|v| doc.as_bool(v)) {
                if seen.contains(&(var, op, !b)) {
                    return true;
                }
                seen.insert((var, op, b));
            }
        }
    }
    false
}
