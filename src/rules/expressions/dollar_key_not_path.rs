//! SFN304: a `.$` key whose value is not a path, a context path, a variable or an intrinsic.

use super::{for_each_site, for_each_template_object};
use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN304",
    name: "dollar-key-not-path",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // A `.$` key's value is a string: a number, boolean, null, array or object there is
    // rejected when the state machine is created.
    let doc = ctx.doc;
    for_each_template_object(ctx, |object| {
        for m in doc.members(object) {
            let key = doc.key(m);
            if !key.ends_with(".$") || doc.as_str(m.value).is_some() {
                continue;
            }
            let plain = key.trim_end_matches(".$");
            out.push(
                ctx.at(&RULE, m.value, format!("`{key}` ends in `.$`, so its value must be a string holding a path or an intrinsic function, not {}", doc.type_name(m.value)))
                    .help(format!("for a fixed value, drop the `.$` suffix (`\"{plain}\"`); to select data, write a path such as `\"$.{plain}\"`"))
                    .note("AWS rejects the definition: a `.$` value is evaluated, so it must be a string"),
            );
        }
    });
    for_each_site(ctx, |site| {
        if site.state.query_language != QueryLanguage::JsonPath || !site.key.ends_with(".$") {
            return;
        }
        let Some(v) = ctx.doc.as_str(site.node) else {
            return;
        };
        let t = v.trim_start();
        if t.starts_with("States.") && t.len() != v.len() {
            out.push(
                ctx.at(
                    &RULE,
                    site.node,
                    format!(
                        "the intrinsic function under `{}` starts with whitespace",
                        site.key
                    ),
                )
                .help(format!(
                    "remove the leading whitespace: `\"{}\": \"{t}\"`",
                    site.key
                ))
                .note(
                    "AWS rejects the definition: an intrinsic function call must start the value",
                ),
            );
            return;
        }
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
