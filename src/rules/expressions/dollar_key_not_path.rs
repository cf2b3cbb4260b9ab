//! SFN304: a `.$` key whose value is not a path, a context path, a variable or an intrinsic.

use super::for_each_site;
use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN304",
    name: "dollar-key-not-path",
    category: Expressions,
    dir: "expressions",
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::JsonPath || !site.key.ends_with(".$") {
            return;
        }
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        let t = v.trim_start();
        if t.starts_with('$') || t.starts_with("States.") || crate::source::contains(v, "${") {
            return;
        }
        let plain = site.key.trim_end_matches(".$");
        out.push(
            ctx.at(&RULE, site.node, format!("`{}` ends in `.$`, so its value must be a path or an intrinsic function, not `{v}`", site.key))
                .help(format!("for a fixed value, drop the `.$` suffix: `\"{plain}\": \"{v}\"`; to select data, write a path such as `$.{v}`")),
        );
    });
}
