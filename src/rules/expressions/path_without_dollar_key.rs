//! SFN305: a path or intrinsic written under a key without the `.$` suffix, which AWS passes
//! on as a plain string.

use super::for_each_site;
use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN305",
    name: "path-without-dollar-key",
    category: Expressions,
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// Fields whose keys select data with `.$`.
const TEMPLATES: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ItemSelector",
    "Credentials",
    "Assign",
    "ItemReader",
    "ResultWriter",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::JsonPath
            || !TEMPLATES.contains(&site.field)
            || site.key.ends_with(".$")
        {
            return;
        }
        // Inside ItemReader/ResultWriter only their Parameters are templates.
        if matches!(site.field, "ItemReader" | "ResultWriter")
            && ctx.doc.pointer(site.node).contains("/ReaderConfig/")
        {
            return;
        }
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        let looks = v == "$"
            || v.starts_with("$.")
            || v.starts_with("$$.")
            || v.starts_with("$[")
            || (v.starts_with("States.") && v.ends_with(')'));
        if !looks || site.key == site.field {
            return;
        }
        out.push(
            ctx.at(&RULE, site.node, format!("`{}` holds `{v}`, which is passed on as plain text because the key does not end in `.$`", site.key))
                .help(format!("rename the key to `{}.$` to use the value it selects", site.key))
                .note("AWS reports this as NO_DOLLAR when validating; the task then receives the literal string"),
        );
    });
}
