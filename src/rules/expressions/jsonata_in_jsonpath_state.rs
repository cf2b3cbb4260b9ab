//! SFN308: a `{% … %}` JSONata expression in a JSONPath state, where it is plain text.

use super::for_each_site;
use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN308",
    name: "jsonata-in-jsonpath-state",
    category: Expressions,
    severity: Warning,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::JsonPath || site.field == "Comment" {
            return;
        }
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        let t = v.trim();
        if t.starts_with("{%") && t.ends_with("%}") {
            out.push(
                ctx.at(&RULE, site.node, format!("JSONata expression in JSONPath state `{}`", site.state.name))
                    .help("set `\"QueryLanguage\": \"JSONata\"` on the state (or the state machine), or use a JSONPath path with a `.$` key")
                    .note("JSONPath states do not evaluate `{% … %}`: the value would be the literal text"),
            );
        }
    });
}
