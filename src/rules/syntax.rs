//! Syntax rules: reported by the pipeline while reading the file, before any other check.

use crate::declare_rule;

declare_rule!(SYNTAX_ERROR {
    code: "SFN001",
    name: "syntax-error",
    category: Syntax,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(DUPLICATE_KEY {
    code: "SFN002",
    name: "duplicate-key",
    category: Syntax,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(INVALID_ROOT {
    code: "SFN003",
    name: "invalid-root",
    category: Syntax,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(RESOURCE_LIMIT {
    code: "SFN004",
    name: "resource-limit",
    category: Syntax,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(BYTE_ORDER_MARK {
    code: "SFN005",
    name: "byte-order-mark",
    category: Syntax,
    severity: Error,
    fix: Safe,
    check: None
});
declare_rule!(UNSUPPORTED_FILE {
    code: "SFN006",
    name: "unsupported-file",
    category: Syntax,
    severity: Info,
    fix: None,
    check: None
});
declare_rule!(DEFINITION_REFERENCE {
    code: "SFN007",
    name: "definition-reference",
    category: Syntax,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(ANALYSIS_INCOMPLETE {
    code: "SFN009",
    name: "analysis-incomplete",
    category: Syntax,
    severity: Warning,
    fix: None,
    check: None
});
declare_rule!(UNDEFINED_SUBSTITUTION {
    code: "SFN008",
    name: "undefined-substitution",
    category: Syntax,
    severity: Error,
    fix: None,
    check: Some(undefined_substitution)
});

/// SFN008: a `${Name}` placeholder the template does not define (checked only when the
/// definition comes from a template that substitutes).
fn undefined_substitution(
    ctx: &crate::rules::Ctx<'_>,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let Some(names) = ctx.substitutions else {
        return;
    };
    let doc = ctx.doc;
    let mut stack = vec![ctx.model.root().node];
    while let Some(n) = stack.pop() {
        match doc.kind(n) {
            crate::syntax::NodeKind::Object(members) => {
                stack.extend(members.iter().rev().map(|m| m.value))
            }
            crate::syntax::NodeKind::Array(items) => stack.extend(items.iter().rev().copied()),
            crate::syntax::NodeKind::String(s) => {
                for (name, range) in crate::template::placeholders(doc.text(*s)) {
                    if crate::template::defined(name, names) {
                        continue;
                    }
                    let listed = if names.is_empty() {
                        "the template defines no substitutions".to_string()
                    } else {
                        let mut shown: Vec<String> =
                            names.iter().take(8).map(|n| format!("`{n}`")).collect();
                        if names.len() > 8 {
                            shown.push(format!("{} more", names.len() - 8));
                        }
                        format!("the template defines {}", shown.join(", "))
                    };
                    let hint = crate::suggest::did_you_mean(name, names.iter().map(|n| n.as_str()))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    // In a Resource the deploy fails (an invalid ARN); elsewhere the literal
                    // text is passed on at run time, which will likely fail: a warning.
                    let in_resource = doc
                        .node(n)
                        .parent
                        .and_then(|p| doc.member_of(p, n).map(|m| doc.key(m) == "Resource"))
                        .unwrap_or(false);
                    let mut d = crate::diagnostic::Diagnostic::new(
                            &UNDEFINED_SUBSTITUTION,
                            format!("`${{{name}}}` is not substituted: {listed}{hint}"),
                            ctx.inner_span(n, range),
                            doc.pointer(n),
                        )
                        .help(format!("add `{name}` to the template's substitutions (DefinitionSubstitutions, the Fn::Sub variables, the templatefile() map), or write `${{!{name}}}` for a literal `${{{name}}}`"))
                        .note("a placeholder nothing substitutes reaches AWS as written: an ARN such as `${FunctionArn}` is rejected at deploy time, a parameter value is passed on as the literal text");
                    if !in_resource {
                        d.severity = crate::diagnostic::Severity::Warning;
                    }
                    out.push(d);
                }
            }
            _ => {}
        }
    }
}
