//! SFN404: a Lambda task with no retrier for Lambda's transient service errors.

use super::task_resource;
use crate::asl::errors::{LAMBDA_TRANSIENT, any_matches};
use crate::declare_rule;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::Ctx;
use crate::source::Span;
use crate::syntax::{NodeId, NodeKind};

declare_rule!(RULE {
    code: "SFN404",
    name: "lambda-without-retry",
    category: Resilience,
    severity: Warning,
    fix: Safe,
    check: Some(check)
});

/// AWS's recommended retrier for Lambda service errors, plus throttling.
const RETRIER_JSON: &str = r#"{"ErrorEquals": ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2}"#;

/// The inserted `Retry`, parsed and rendered once per process rather than once per finding.
static RETRY: std::sync::LazyLock<Option<Inserted>> =
    std::sync::LazyLock::new(|| Inserted::new(&format!("[{RETRIER_JSON}]")));

/// A JSON value a fix inserts, with its two JSON renderings.
pub(crate) struct Inserted {
    value: serde_json::Value,
    pretty: String,
    compact: String,
}

impl Inserted {
    pub(crate) fn new(json: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        Some(Inserted {
            pretty: serde_json::to_string_pretty(&value).ok()?,
            compact: serde_json::to_string(&value).ok()?,
            value,
        })
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let Some(r) = task_resource(ctx, state) else {
            continue;
        };
        if !r.lambda {
            continue;
        }
        let covered = state.retry.iter().any(|retrier| {
            let attempts = ctx
                .doc
                .get(retrier.node, "MaxAttempts")
                .and_then(|n| ctx.doc.as_f64(n))
                .unwrap_or(3.0);
            attempts > 0.0
                && LAMBDA_TRANSIENT
                    .iter()
                    .any(|e| any_matches(retrier.error_equals.iter().map(|n| &*n.name), e))
        });
        if covered {
            continue;
        }
        let mut d = ctx
            .at_key(&RULE, state.node, format!("Lambda task `{}` does not retry Lambda's transient errors", state.name))
            .help("retry `Lambda.ServiceException`, `Lambda.AWSLambdaException`, `Lambda.SdkClientException` and `Lambda.TooManyRequestsException` with backoff")
            .note("Lambda occasionally fails with service errors and throttling that succeed on a second try; AWS recommends a retrier for them on every Lambda task, and without one each blip fails the execution");
        if ctx.field(state, "Retry").is_none()
            && let Some(retry) = RETRY.as_ref()
            && let Some(fix) = insert_member(ctx, state.node, "Retry", retry)
        {
            d = d.fix(Fix {
                title: "add AWS's recommended Lambda retrier".into(),
                applicability: Applicability::Safe,
                edits: vec![fix],
            });
        }
        out.push(d);
    }
}

/// The indentation (spaces) of the line holding `offset`.
fn indent_at(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// An edit that adds `key: value_json` as the last member of `object`, in the file's own
/// style: JSON or YAML, block or flow, matching the indentation of the existing members.
pub(crate) fn insert_member(
    ctx: &Ctx<'_>,
    object: NodeId,
    key: &str,
    value: &Inserted,
) -> Option<Edit> {
    let text = ctx.text;
    let NodeKind::Object(members) = ctx.doc.kind(object) else {
        return None;
    };
    let last = members.last()?;
    let span = ctx.doc.span(object);
    let end = ctx.doc.span(last.value).end as usize;
    let first_key = members.first()?.key_span;
    let json = text[span.range()].starts_with('{');
    let multiline = text[span.range()].contains('\n');
    let insertion = if json && text[first_key.range()].starts_with('"') {
        // JSON: the same indentation as the first member, or one line when the object is.
        if multiline {
            let indent = indent_at(text, first_key.start as usize);
            let body = value.pretty.replace('\n', &format!("\n{indent}"));
            format!(",\n{indent}\"{key}\": {body}")
        } else {
            format!(", \"{key}\": {}", value.compact)
        }
    } else if json {
        // A YAML flow mapping: `{Type: Task, …}`.
        format!(", {key}: {}", value.compact)
    } else {
        let indent = indent_at(text, first_key.start as usize);
        let insertion = format!(
            "\n{indent}{key}:{}",
            yaml_block(&value.value, &format!("{indent}  "))
        );
        // After the rest of the line, so a trailing comment stays on its own line.
        let eol = text[end..].find('\n').map_or(text.len(), |i| end + i);
        return Some(Edit {
            span: Span::new(eol, eol),
            replacement: insertion,
        });
    };
    Some(Edit {
        span: Span::new(end, end),
        replacement: insertion,
    })
}

/// Renders a JSON value as a YAML block at `indent` (only arrays of objects of scalars or
/// arrays of scalars, which is all the fixes insert).
fn yaml_block(v: &serde_json::Value, indent: &str) -> String {
    use serde_json::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match v {
        Value::Array(items) => {
            let mut out = String::new();
            for item in items {
                match item {
                    Value::Object(map) => {
                        let mut first = true;
                        for (k, val) in map {
                            let lead = if first {
                                format!("\n{indent}- ")
                            } else {
                                format!("\n{indent}  ")
                            };
                            first = false;
                            match val {
                                Value::Array(xs) => {
                                    out.push_str(&format!("{lead}{k}:"));
                                    for x in xs {
                                        out.push_str(&format!("\n{indent}    - {}", scalar(x)));
                                    }
                                }
                                other => out.push_str(&format!("{lead}{k}: {}", scalar(other))),
                            }
                        }
                    }
                    other => out.push_str(&format!("\n{indent}- {}", scalar(other))),
                }
            }
            out
        }
        other => format!(" {}", scalar(other)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_inserted_retrier_parses() {
        // Without it the rule would report but never offer its fix.
        let retry = super::RETRY.as_ref().expect("RETRIER_JSON is valid JSON");
        assert!(retry.compact.starts_with("[{\"ErrorEquals\""));
        assert!(retry.pretty.contains("\n    \"IntervalSeconds\": 2"));
    }
}
