//! SFN302: a `{% … %}` JSONata expression that does not parse.

use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN302",
    name: "jsonata-syntax-error",
    category: Expressions,
    dir: "expressions",
    severity: Error,
    fix: None,
    check: Some(check)
});

/// Longest expression parsed; longer ones are skipped rather than risk a slow parse.
const MAX_EXPRESSION: usize = 64 * 1024;

/// Parses a JSONata expression, returning the parser's message on failure.
#[cfg(feature = "jsonata")]
pub fn syntax_error(expr: &str) -> Option<String> {
    // The parser is third-party code: contain any panic to this one expression.
    match std::panic::catch_unwind(|| jsonata_core::parser::parse(expr).map(|_| ())) {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => None,
    }
}

#[cfg(not(feature = "jsonata"))]
pub fn syntax_error(_expr: &str) -> Option<String> {
    None
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    super::for_each_string(ctx, QueryLanguage::Jsonata, |_, node| {
        let Some(value) = ctx.doc.as_str(node) else {
            return;
        };
        let trimmed = value.trim();
        let Some(inner) = trimmed
            .strip_prefix("{%")
            .and_then(|s| s.strip_suffix("%}"))
        else {
            return;
        };
        if inner.len() > MAX_EXPRESSION {
            return;
        }
        if inner.trim().is_empty() {
            out.push(
                ctx.at(&RULE, node, "the JSONata expression is empty")
                    .help("write an expression between `{%` and `%}`"),
            );
            return;
        }
        if let Some(message) = syntax_error(inner) {
            let start = value.len() - value.trim_start().len();
            // The parser gives no position: point at the token its message is about when it
            // can be found, else at the whole expression.
            let span = match crate::asl::expr::jsonata::locate(inner, &message) {
                Some(r) => ctx.inner_span(node, start + 2 + r.start..start + 2 + r.end),
                None => ctx.inner_span(node, start..start + trimmed.len()),
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("JSONata expression does not parse: {message}"),
                    span,
                    ctx.doc.pointer(node),
                )
                .help("fix the expression's syntax; JSONata reference: https://docs.jsonata.org/"),
            );
        }
    });
}

#[cfg(all(test, feature = "jsonata"))]
mod tests {
    #[test]
    fn detects_errors() {
        assert!(super::syntax_error("$states.input.total * (1 + ").is_some());
        assert!(super::syntax_error("$states.input.items[price > 10].name").is_none());
    }
}
