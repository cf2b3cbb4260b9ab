//! Schema rules: violations of `schemas/asl.schema.json` ([`validate`], with the code
//! `build.rs` generates from the schema), and the few requirements the schema cannot express.

pub mod arena;
mod generated;
mod validate;

pub use validate::{
    ASL_SCHEMA, compile, generated_is_valid, is_placeholder, runtime_is_valid, schema_at, validate,
    warm,
};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeKind;

declare_rule!(UNKNOWN_FIELD {
    code: "SFN201",
    name: "unknown-field",
    category: Schema,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(MISSING_REQUIRED_FIELD {
    code: "SFN202",
    name: "missing-required-field",
    category: Schema,
    severity: Error,
    fix: None,
    check: Some(required_beyond_schema)
});
declare_rule!(WRONG_TYPE {
    code: "SFN203",
    name: "wrong-type",
    category: Schema,
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(INVALID_VALUE {
    code: "SFN204",
    name: "invalid-value",
    category: Schema,
    severity: Error,
    fix: None,
    check: Some(values_beyond_schema)
});

/// Requirements the schema's keywords cannot say: `Credentials` needs `RoleArn` or
/// `RoleArn.$` (one of two names).
fn required_beyond_schema(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let Some(c) = ctx.field(state, "Credentials") else {
            continue;
        };
        if matches!(ctx.doc.kind(c), NodeKind::Object(_))
            && ctx.doc.get(c, "RoleArn").is_none()
            && ctx.doc.get(c, "RoleArn.$").is_none()
        {
            out.push(
                ctx.at_key(&MISSING_REQUIRED_FIELD, c, format!("`Credentials` of `{}` has no `RoleArn`", state.name))
                    .help("add `\"RoleArn\": \"arn:aws:iam::<account>:role/<name>\"`, or `\"RoleArn.$\"` with a path to it")
                    .note("AWS rejects `Credentials` without the role to assume"),
            );
        }
    }
}

/// Characters a Map `Label` cannot hold (AWS's rule for names in Map Run ARNs).
fn label_forbidden(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
}

/// Values the schema's keywords cannot say: a Map `Label`'s characters.
fn values_beyond_schema(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let Some(label) = ctx.field(state, "Label") else {
            continue;
        };
        let Some(text) = ctx.doc.as_str(label) else {
            continue;
        };
        if crate::source::contains(text, "${") {
            continue;
        }
        if let Some(c) = text.chars().find(|&c| label_forbidden(c)) {
            out.push(
                ctx.at(&INVALID_VALUE, label, format!("the Map `Label` `{text}` contains {}, which a label cannot", match c {
                    c if c.is_whitespace() => "whitespace".to_string(),
                    c if c.is_control() => "a control character".to_string(),
                    c => format!("`{c}`"),
                }))
                .help("use letters, digits, `-` and `_`: the label becomes part of the Map Run's ARN")
                .note("AWS rejects a Label with whitespace, brackets, wildcards, control characters or any of \" # % \\ ^ | ~ ` $ & , ; : /"),
            );
        }
    }
}
