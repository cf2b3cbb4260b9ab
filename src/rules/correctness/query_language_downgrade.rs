//! SFN116: a state that sets `QueryLanguage: JSONPath` under a JSONata top level.

use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN116",
    name: "query-language-downgrade",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.model.query_language != QueryLanguage::Jsonata {
        return;
    }
    let top = ctx.doc.root.and_then(|r| ctx.doc.get(r, "QueryLanguage"));
    for state in &ctx.model.states {
        let Some(node) = ctx.field(state, "QueryLanguage") else {
            continue;
        };
        if ctx.doc.as_str(node) == Some("JSONPath") {
            let mut d = ctx
                .at(&RULE, node, format!("state `{}` switches back to JSONPath under a JSONata state machine", state.name))
                .help("rewrite the state in JSONata, or make the top level JSONPath and opt individual states into JSONata");
            if let Some(t) = top {
                d = d.label(ctx.doc.span(t), "the state machine is JSONata here");
            }
            // A Distributed Map's processor runs as child executions of its own; AWS documents
            // the rule for the state machine, not for them, and validators accept it there.
            let in_child = in_distributed_processor(ctx, state);
            out.push(if in_child {
                d.severity(crate::diagnostic::Severity::Warning).note("AWS documents that a JSONata state machine cannot switch back to JSONPath; inside a Distributed Map's child workflow this is not documented either way")
            } else {
                d.note("a JSONPath state machine may contain JSONata states, but not the reverse; AWS rejects it")
            });
        }
    }
}

/// Whether the state runs inside a Distributed Map's item processor (at any depth).
fn in_distributed_processor(ctx: &Ctx<'_>, state: &crate::asl::State) -> bool {
    let mut scope = state.scope;
    while let Some(owner) = ctx.model.scopes[scope.0 as usize].owner {
        let o = ctx.model.state(owner);
        if ctx.distributed(o).is_some() {
            return true;
        }
        scope = o.scope;
    }
    false
}
