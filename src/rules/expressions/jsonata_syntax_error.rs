//! SFN302: a `{% … %}` JSONata expression that does not parse.

use crate::asl::QueryLanguage;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN302",
    name: "jsonata-syntax-error",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

use crate::limits::MAX_EXPRESSION_BYTES;
use crate::rules::syntax::ANALYSIS_INCOMPLETE;

/// Why an expression was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The parser's message.
    Syntax(String),
    /// The parser panicked: the expression's syntax is unknown.
    Crashed,
}

/// Parses a JSONata expression.
#[cfg(feature = "jsonata")]
pub fn parse(expr: &str) -> Result<(), Failure> {
    // The parser is third-party code: contain any panic to this one expression.
    match std::panic::catch_unwind(|| jsonata_core::parser::parse(expr).map(|_| ())) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Failure::Syntax(e.to_string())),
        Err(_) => Err(Failure::Crashed),
    }
}

#[cfg(not(feature = "jsonata"))]
pub fn parse(_expr: &str) -> Result<(), Failure> {
    Ok(())
}

/// The parser's message when a JSONata expression does not parse.
pub fn syntax_error(expr: &str) -> Option<String> {
    match parse(expr) {
        Err(Failure::Syntax(m)) => Some(m),
        _ => None,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    super::for_each_string(ctx, QueryLanguage::Jsonata, |_, node| {
        let Some(value) = ctx.doc.as_str(node) else {
            return;
        };
        let trimmed = value.trim();
        let Some(open) = trimmed.strip_prefix("{%") else {
            return;
        };
        let Some(inner) = open.strip_suffix("%}") else {
            out.push(
                ctx.at(&RULE, node, "this JSONata expression opens with `{%` but does not close with `%}`")
                    .help("end the expression with `%}`; a JSONata value is the whole string `{% … %}`")
                    .note("AWS rejects the definition: a string that starts with `{%` must be a whole JSONata expression"),
            );
            return;
        };
        if inner.len() > MAX_EXPRESSION_BYTES {
            out.push(
                ctx.at(
                    &ANALYSIS_INCOMPLETE,
                    node,
                    format!(
                        "this JSONata expression is {} bytes, longer than the {MAX_EXPRESSION_BYTES} sfn-lint parses; its syntax was not checked",
                        inner.len()
                    ),
                )
                .help("move the logic into a Lambda function or split it across states and `Assign`ed variables"),
            );
            return;
        }
        if inner.trim().is_empty() {
            out.push(
                ctx.at(&RULE, node, "the JSONata expression is empty")
                    .help("write an expression between `{%` and `%}`"),
            );
            return;
        }
        let message = match parse(inner) {
            Ok(()) => return,
            Err(Failure::Crashed) => {
                out.push(
                    ctx.at(
                        &ANALYSIS_INCOMPLETE,
                        node,
                        "the JSONata parser failed on this expression; its syntax was not checked",
                    )
                    .help("please report this expression to sfn-lint; AWS may still accept it"),
                );
                return;
            }
            // The parser's own depth guard (U1002) is a limit of the parser, not a syntax
            // error: say the expression was not checked.
            Err(Failure::Syntax(message)) if message.starts_with("U1002") => {
                out.push(
                    ctx.at(
                        &ANALYSIS_INCOMPLETE,
                        node,
                        "this JSONata expression nests deeper than the parser goes (1,000 levels); its syntax was not checked",
                    )
                    .help("split the expression across `Assign`ed variables"),
                );
                return;
            }
            Err(Failure::Syntax(message)) => message,
        };
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
