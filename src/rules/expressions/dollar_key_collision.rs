//! SFN314: an object with both `x` and `x.$`, which name the same field once the `.$` is
//! removed.

use super::for_each_template_object;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN314",
    name: "dollar-key-collision",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for_each_template_object(ctx, |object| {
        let members = doc.members(object);
        // Small objects (nearly all) are compared pairwise; big ones through a map.
        let plain: rustc_hash::FxHashMap<&str, &crate::syntax::Member> = if members.len() > 16 {
            members
                .iter()
                .filter(|m| !doc.key(m).ends_with(".$"))
                .map(|m| (doc.key(m), m))
                .collect()
        } else {
            Default::default()
        };
        let find = |name: &str| -> Option<&crate::syntax::Member> {
            if members.len() > 16 {
                plain.get(name).copied()
            } else {
                members.iter().find(|m| doc.key(m) == name)
            }
        };
        for m in members {
            let Some(name) = doc.key(m).strip_suffix(".$") else {
                continue;
            };
            let Some(other) = find(name) else {
                continue;
            };
            // At the key written second, with the first labelled.
            let (first, second) = if other.key_span.start < m.key_span.start {
                (other, m)
            } else {
                (m, other)
            };
            out.push(
                ctx.at_key(
                    &RULE,
                    second.value,
                    format!(
                        "`{}` and `{}` both set the field `{name}`",
                        doc.key(first),
                        doc.key(second)
                    ),
                )
                .label(first.key_span, "also set here")
                .help(format!(
                    "keep one: `{name}` for a fixed value, `{name}.$` to select it from the input"
                ))
                .note("AWS rejects the definition: once `.$` is removed, the two keys collide"),
            );
        }
    });
}
