//! Validation against `schemas/asl.schema.json`, with each violation mapped to one precise
//! diagnostic at the most specific node (taplo's approach).
//!
//! The schema dispatches on `Type` with a chain of `if`/`then`/`else` rather than `oneOf`, so
//! errors arrive already specific (and a Task state, the commonest, is matched by the first
//! test, not after all eight); this module turns each into our own message and span:
//! unknown fields point at the key, missing fields at the object's name, type and value errors
//! at the value.

use std::sync::{LazyLock, OnceLock};

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::{arena, generated};
use crate::diagnostic::Diagnostic;
use crate::rules::schema as r;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::{Document, NodeId, NodeKind, pointer};

/// The schema's text, as published in `schemas/`.
pub const ASL_SCHEMA: &str = include_str!("../../../schemas/asl.schema.json");

// The schema is compiled into the binary and the `schema_compiles` unit test proves it parses
// and compiles, so a failure in either would be a build defect, never bad input.
static SCHEMA: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(ASL_SCHEMA).expect("the bundled ASL schema is JSON"));

static VALIDATOR: OnceLock<jsonschema::Validator<arena::Arena>> = OnceLock::new();

/// The runtime validator, compiled on first use. It reads the spanned tree itself and reports
/// every error with its paths, but compiling it takes longer than checking a small file, so it
/// is only built when a definition has errors to explain or the generated check (`build.rs`)
/// is unsure of one.
fn validator() -> &'static jsonschema::Validator<arena::Arena> {
    VALIDATOR.get_or_init(compile)
}

/// Compiles the bundled schema into a runtime validator.
pub fn compile() -> jsonschema::Validator<arena::Arena> {
    // The schema is written for draft-07 (its `$schema`); naming it skips detecting it and
    // loading the other drafts' meta-schemas. Measured: no change in run time, kept as the
    // statement of which draft the schema is.
    jsonschema::options_for::<arena::Arena>()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&SCHEMA)
        .expect("the bundled ASL schema compiles")
}

/// Compiles the runtime validator now: the language server does it while it waits for its
/// first request, so that the first invalid document is explained without the wait.
pub fn warm() {
    validator();
}

/// Whether the definition rooted at `root` is valid, by the validator compiled into the binary
/// (see `build.rs`). `None` where it could differ from the runtime validator: duplicate keys
/// (its member checks see one value per key, the runtime validator sees both), and numbers
/// under `integer`, `minimum` or `maximum` not written as a plain integer or decimal.
pub fn generated_is_valid(doc: &Document, root: NodeId) -> Option<bool> {
    if !doc.duplicates.is_empty() {
        return None;
    }
    let mut cx = generated::Cx::default();
    let valid = generated::root(&mut cx, doc, root);
    (!cx.unsure).then_some(valid)
}

/// Whether the definition rooted at `root` is valid, by the runtime validator (compiling it on
/// first use): the reference [`generated_is_valid`] is tested against.
pub fn runtime_is_valid(doc: &Document, root: NodeId) -> bool {
    validator().is_valid(arena::ArenaNode::Doc(doc, root))
}

/// A string that is a template placeholder (`${Name}`), filled in at deploy time.
pub fn is_placeholder(s: &str) -> bool {
    crate::source::contains(s, "${")
}

/// Validates the definition rooted at `root`.
pub fn validate(doc: &Document, root: NodeId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Most definitions are valid, and the generated check says so with nothing compiled. A
    // "no" (or "unsure") goes to the runtime validator, which decides and explains.
    match generated_is_valid(doc, root) {
        Some(true) => return out,
        Some(false) => {}
        None if validator().is_valid(arena::ArenaNode::Doc(doc, root)) => return out,
        None => {}
    }
    for error in validator().iter_errors(arena::ArenaNode::Doc(doc, root)) {
        let path = error.instance_path().as_str().to_string();
        let schema_path = error.schema_path().as_str().to_string();
        out.extend(map(doc, root, &path, &schema_path, error.kind()));
    }
    out
}

fn node_at(doc: &Document, root: NodeId, path: &str) -> NodeId {
    let full = format!("{}{}", doc.pointer(root), path);
    doc.resolve(&full).unwrap_or(root)
}

/// The last token of a pointer: the field name.
fn field_name(path: &str) -> String {
    pointer::unescape(path.rsplit('/').next().unwrap_or(""))
}

/// Looks up a subschema by a schema path such as `/definitions/task/additionalProperties`
/// (parsed once per process; the language server's hover reads field descriptions here).
pub fn schema_at(schema_path: &str) -> Option<&'static Value> {
    SCHEMA.pointer(schema_path)
}

/// What the object at a schema path is, for messages: "a Task state", "a retrier", ….
fn describe(schema_path: &str) -> String {
    // The innermost named property schema, e.g. `ItemProcessor` inside the Map definition.
    let parts: Vec<&str> = schema_path.split('/').collect();
    if let Some(i) = parts.iter().rposition(|p| *p == "properties")
        && let Some(name) = parts.get(i + 1)
        && i > parts.iter().rposition(|p| *p == "definitions").unwrap_or(0)
    {
        return format!("`{name}`");
    }
    let def = schema_path
        .split("/definitions/")
        .last()
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    match def {
        "task" | "pass" | "choice" | "wait" | "succeed" | "fail" | "parallel" | "map" => {
            let mut c = def.chars();
            let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or(' ');
            format!("a {first}{} state", c.as_str())
        }
        "retrier" => "a retrier".into(),
        "catcher" => "a catcher".into(),
        "choiceRule" => "a Choice rule".into(),
        "stateMachine" => "the state machine".into(),
        "branch" => "a Parallel branch".into(),
        _ => "this object".into(),
    }
}

/// The parent schema (the object's) of a keyword location.
fn parent_schema(schema_path: &str) -> &str {
    schema_path.rsplit_once('/').map_or("", |(p, _)| p)
}

fn json_type(kind: &jsonschema::error::TypeKind) -> String {
    use jsonschema::error::TypeKind;
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "integer" => "an integer".to_string(),
        "object" => "an object".to_string(),
        "array" => "an array".to_string(),
        "null" => "null".to_string(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set.iter().map(|t| name(&t)).collect();
            names.join(" or ")
        }
    }
}

fn map(
    doc: &Document,
    root: NodeId,
    path: &str,
    schema_path: &str,
    kind: &ValidationErrorKind,
) -> Vec<Diagnostic> {
    let node = node_at(doc, root, path);
    let value_span = doc.span(node);
    // Pointers are relative to the file the user edits: a definition inside a template gets
    // the template's path to it in front.
    let pointer = format!("{}{path}", doc.pointer(root));
    let field = field_name(path);
    // A `${Name}` placeholder is substituted at deploy time: its final type is unknown here.
    let placeholder = doc.as_str(node).is_some_and(is_placeholder);
    let d = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            return unknown_fields(doc, node, &pointer, schema_path, unexpected);
        }
        ValidationErrorKind::Required { property } => missing_field(
            doc,
            node,
            schema_path,
            pointer,
            property.as_str().unwrap_or("?"),
        ),
        ValidationErrorKind::AnyOf { .. } if schema_path.ends_with("/definitions/map/anyOf") => {
            let span = doc.key_span(node).unwrap_or(value_span);
            Diagnostic::new(
                &r::MISSING_REQUIRED_FIELD,
                "a Map state is missing `ItemProcessor`",
                span,
                pointer,
            )
            .help(
                "add an `ItemProcessor` with `StartAt` and `States` for the steps run on each item",
            )
        }
        ValidationErrorKind::Type { kind } => {
            if placeholder {
                return Vec::new();
            }
            wrong_type(doc, node, path, &field, pointer, kind)
        }
        ValidationErrorKind::Enum { options }
        | ValidationErrorKind::Constant {
            expected_value: options,
        } => {
            if placeholder {
                return Vec::new();
            }
            not_one_of(doc, node, path, &field, pointer, options)
        }
        ValidationErrorKind::Pattern { .. } => {
            if placeholder {
                return Vec::new();
            }
            not_an_expression(&field, value_span, pointer)
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            if placeholder {
                return Vec::new();
            }
            Diagnostic::new(
                &r::INVALID_VALUE,
                format!(
                    "`{field}` is {}, below its minimum of {limit}",
                    raw(doc, node)
                ),
                value_span,
                pointer,
            )
            .help(format!("use a value of at least {limit}"))
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            if placeholder {
                return Vec::new();
            }
            Diagnostic::new(
                &r::INVALID_VALUE,
                format!(
                    "`{field}` is {}, above its maximum of {limit}",
                    raw(doc, node)
                ),
                value_span,
                pointer,
            )
            .help(format!("use a value of at most {limit}"))
        }
        ValidationErrorKind::MinItems { limit } => Diagnostic::new(
            &r::INVALID_VALUE,
            format!(
                "`{field}` needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            ),
            value_span,
            pointer,
        )
        .help(format!(
            "add at least {limit} entr{} to `{field}`",
            if *limit == 1 { "y" } else { "ies" }
        )),
        ValidationErrorKind::MinProperties { .. } => {
            let what = if field == "States" {
                "`States` defines no state".to_string()
            } else {
                format!("`{field}` is empty")
            };
            Diagnostic::new(&r::INVALID_VALUE, what, value_span, pointer)
                .help("define at least one state")
        }
        ValidationErrorKind::MinLength { .. } => Diagnostic::new(
            &r::INVALID_VALUE,
            format!("`{field}` cannot be empty"),
            value_span,
            pointer,
        )
        .help("give it a value"),
        ValidationErrorKind::MaxLength { limit } => Diagnostic::new(
            &r::INVALID_VALUE,
            format!("`{field}` is longer than {limit} characters"),
            value_span,
            pointer,
        )
        .help(format!("shorten it to {limit} characters or fewer")),
        other => {
            if placeholder {
                return Vec::new();
            }
            Diagnostic::new(
                &r::INVALID_VALUE,
                format!("`{field}` is invalid: {other:?}"),
                value_span,
                pointer,
            )
        }
    };
    vec![d]
}

/// A string where the one `pattern` of the schema (a whole JSONata expression) applies.
fn not_an_expression(field: &str, value_span: Span, pointer: String) -> Diagnostic {
    // The one pattern is the JSONata expression's, on a field that takes a string only
    // as an expression: `Items` otherwise takes an array, the others a number.
    let (other, example) = if field == "Items" {
        ("an array", "`{% $states.input.orders %}`")
    } else {
        ("a number", "`{% $states.input.wait %}`")
    };
    Diagnostic::new(
        &r::INVALID_VALUE,
        format!("`{field}` must be {other} or a JSONata expression `{{% … %}}`"),
        value_span,
        pointer,
    )
    .help(format!(
        "write {other}, or a whole-string JSONata expression such as {example}"
    ))
}

/// A missing required field, at the name of the object that lacks it.
fn missing_field(
    doc: &Document,
    node: NodeId,
    schema_path: &str,
    pointer: String,
    prop: &str,
) -> Diagnostic {
    let value_span = doc.span(node);
    // An object without a key of its own (the root) is marked at its opening: the `{`,
    // or in a YAML block mapping its first key (one byte could split a character).
    let span = doc.key_span(node).unwrap_or_else(|| match doc.kind(node) {
        NodeKind::Object(members)
            if members
                .first()
                .is_some_and(|m| m.key_span.start == value_span.start) =>
        {
            members[0].key_span
        }
        _ => Span::new(value_span.start as usize, value_span.start as usize + 1),
    });
    Diagnostic::new(
        &r::MISSING_REQUIRED_FIELD,
        format!(
            "{} is missing the required field `{prop}`",
            describe(schema_path)
        ),
        span,
        pointer,
    )
    .help(format!("add `{prop}`{}", required_hint(prop)))
}

/// Each unexpected key, at the key, with the likely intended field.
fn unknown_fields(
    doc: &Document,
    node: NodeId,
    pointer: &str,
    schema_path: &str,
    unexpected: &[String],
) -> Vec<Diagnostic> {
    let allowed: Vec<&str> = schema_at(&format!("{}/properties", parent_schema(schema_path)))
        .and_then(Value::as_object)
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    unexpected
        .iter()
        .filter_map(|key| {
            let member = doc.member(node, key)?;
            let d = Diagnostic::new(
                &r::UNKNOWN_FIELD,
                format!("unknown field `{key}` in {}", describe(schema_path)),
                member.key_span,
                format!("{pointer}/{}", pointer::escape(key)),
            );
            let d = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "remove it; the fields allowed here are {}",
                    list(&allowed, 12)
                )),
            };
            Some(d.note("AWS rejects fields it does not know (SCHEMA_VALIDATION_FAILED)"))
        })
        .collect()
}

/// A value of the wrong JSON type, with the quotes to remove when a number was quoted.
fn wrong_type(
    doc: &Document,
    node: NodeId,
    path: &str,
    field: &str,
    pointer: String,
    kind: &jsonschema::error::TypeKind,
) -> Diagnostic {
    let value_span = doc.span(node);
    let what = if field.is_empty() || field.chars().all(|c| c.is_ascii_digit()) {
        "this value".to_string()
    } else {
        format!("`{field}`")
    };
    let mut d = Diagnostic::new(
        &r::WRONG_TYPE,
        format!(
            "{what} must be {}, found {}",
            json_type(kind),
            doc.type_name(node)
        ),
        value_span,
        pointer,
    );
    if path.matches('/').count() == 2 && path.starts_with("/States/") {
        d = d.help("each entry of `States` is a state: an object with a `Type`");
    } else if let (Some(s), Some(_)) = (doc.as_str(node), kind_wants_number(kind))
        && s.trim().parse::<f64>().is_ok()
    {
        d = d.help(format!("remove the quotes: `{}`", s.trim()));
    }
    d
}

/// A value outside its field's allowed values, with the closest one.
fn not_one_of(
    doc: &Document,
    node: NodeId,
    path: &str,
    field: &str,
    pointer: String,
    options: &Value,
) -> Diagnostic {
    let value_span = doc.span(node);
    let opts: Vec<String> = match options {
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
            .collect(),
        v => vec![v.as_str().map_or(v.to_string(), str::to_string)],
    };
    let found = doc
        .as_str(node)
        .map_or_else(|| doc.type_name(node).to_string(), |s| format!("`{s}`"));
    let head = if field == "Type" && path.matches('/').count() == 3 {
        "unknown state type".to_string()
    } else {
        format!("`{field}` has an invalid value")
    };
    let refs: Vec<&str> = opts.iter().map(String::as_str).collect();
    let mut d = Diagnostic::new(
        &r::INVALID_VALUE,
        format!("{head} {found}"),
        value_span,
        pointer,
    )
    .help(format!("use one of {}", list(&refs, 10)));
    if let Some(s) = doc
        .as_str(node)
        .and_then(|s| did_you_mean(s, refs.iter().copied()))
    {
        d = d.help(format!(
            "did you mean `{s}`? (allowed: {})",
            list(&refs, 10)
        ));
    }
    d
}

fn kind_wants_number(kind: &jsonschema::error::TypeKind) -> Option<()> {
    let s = format!("{kind:?}").to_lowercase();
    (s.contains("integer") || s.contains("number")).then_some(())
}

fn raw(doc: &Document, node: NodeId) -> String {
    match doc.kind(node) {
        NodeKind::Number(n) => doc.text(*n).to_string(),
        _ => doc.type_name(node).to_string(),
    }
}

fn required_hint(prop: &str) -> &'static str {
    match prop {
        "StartAt" => ": the name of the first state to run",
        "States" => ": an object of states by name",
        "Type" => ": one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map",
        "Resource" => ": the ARN of the Lambda function, activity or service integration to run",
        "ErrorEquals" => ": the error names to match, e.g. [\"States.ALL\"]",
        "Next" => ": the state to go to when this catcher matches",
        "Choices" => ": a list of rules, each with a comparison and a `Next`",
        "Branches" => ": a list of branches, each with `StartAt` and `States`",
        _ => "",
    }
}

/// Formats a list of names for a message, truncated after `max`.
fn list(items: &[&str], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).map(|i| format!("`{i}`")).collect();
    if items.len() > max {
        format!("{}, … ({} in all)", shown.join(", "), items.len())
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_compiles() {
        let _ = super::validator();
    }
}
