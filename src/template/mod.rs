//! State machines inside infrastructure code: CloudFormation and SAM templates (JSON and
//! YAML, short and long intrinsic forms, CDK's synthesized `*.template.json` included) and
//! Serverless Framework files. Terraform is in [`terraform`].
//!
//! Extraction is pure: it finds each state machine, its workflow type and substitutions, and
//! where its definition is: a subtree of the template, a string (with a source map back into
//! the template), or a file the caller must resolve (never read here).

pub mod embed;
pub mod terraform;

use crate::asl::WorkflowType;
use crate::source::Span;
use crate::syntax::{Document, NodeId, NodeKind, pointer};

pub use embed::Embedded;

/// Where a state machine's definition is.
#[derive(Clone, Debug)]
pub enum Body {
    /// An object inside the template document.
    Tree(NodeId),
    /// JSON text assembled from a string (or `Fn::Join` pieces), mapped back to the template.
    Text {
        embedded: Embedded,
        /// The pointer of the string (or intrinsic) node in the template.
        pointer: String,
        span: Span,
    },
    /// A local file, relative to the template's directory (`DefinitionUri`, `${file()}`,
    /// Terraform `file()`/`templatefile()`).
    File {
        path: String,
        span: Span,
        pointer: String,
    },
    /// Somewhere sfn-lint does not read (S3, a Terraform expression it cannot follow).
    Elsewhere {
        what: String,
        span: Span,
        pointer: String,
    },
    /// No definition at all (the resource cannot deploy).
    Missing { span: Span, pointer: String },
}

#[derive(Clone, Debug)]
pub struct Machine {
    /// The logical id, Serverless key or Terraform resource address.
    pub name: String,
    pub workflow_type: Option<WorkflowType>,
    /// The names `${…}` placeholders may use, when the tool substitutes them; None when the
    /// definition is used as written (placeholders are then not checked).
    pub substitutions: Option<Vec<String>>,
    pub body: Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    CloudFormation,
    Serverless,
    Terraform,
}

impl TemplateKind {
    pub fn name(self) -> &'static str {
        match self {
            TemplateKind::CloudFormation => "CloudFormation/SAM template",
            TemplateKind::Serverless => "Serverless Framework file",
            TemplateKind::Terraform => "Terraform file",
        }
    }
}

/// Whether a parsed JSON/YAML document is a template rather than a definition.
pub fn kind(doc: &Document) -> Option<TemplateKind> {
    let root = doc.root?;
    if !matches!(doc.kind(root), NodeKind::Object(_)) {
        return None;
    }
    let has = |k: &str| doc.get(root, k).is_some();
    if has("StartAt") && has("States") {
        return None;
    }
    if has("service") && (has("provider") || has("stepFunctions")) {
        return Some(TemplateKind::Serverless);
    }
    if has("Resources") || has("AWSTemplateFormatVersion") || has("Transform") {
        return Some(TemplateKind::CloudFormation);
    }
    None
}

const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

fn str_of(doc: &Document, n: Option<NodeId>) -> Option<&str> {
    n.and_then(|n| doc.as_str(n))
}

fn workflow_type(s: Option<&str>) -> Option<WorkflowType> {
    s.and_then(WorkflowType::parse)
}

fn keys(doc: &Document, n: Option<NodeId>) -> Vec<String> {
    n.map(|n| {
        doc.members(n)
            .iter()
            .map(|m| doc.key(m).to_string())
            .collect()
    })
    .unwrap_or_default()
}

/// The intrinsic function a node is, in short (`!GetAtt`) or long (`{"Fn::GetAtt": …}`)
/// form: its name and argument node.
pub fn intrinsic(doc: &Document, n: NodeId) -> Option<(String, Option<NodeId>)> {
    if let Some(tag) = doc.tag(n) {
        let name = if tag.starts_with("Fn::") || tag == "Ref" || tag == "Condition" {
            tag.to_string()
        } else {
            format!("Fn::{tag}")
        };
        return Some((name, Some(n)));
    }
    if let NodeKind::Object(members) = doc.kind(n)
        && members.len() == 1
        && (doc.key(&members[0]) == "Ref" || doc.key(&members[0]).starts_with("Fn::"))
    {
        return Some((doc.key(&members[0]).to_string(), Some(members[0].value)));
    }
    None
}

/// Finds every state machine in a CloudFormation/SAM template or Serverless file.
pub fn extract(doc: &Document, text: &str, kind: TemplateKind) -> Vec<Machine> {
    match kind {
        TemplateKind::CloudFormation => cloudformation(doc, text),
        TemplateKind::Serverless => serverless(doc, text),
        TemplateKind::Terraform => Vec::new(),
    }
}

fn cloudformation(doc: &Document, text: &str) -> Vec<Machine> {
    let mut out = Vec::new();
    let Some(root) = doc.root else { return out };
    let Some(resources) = doc.get(root, "Resources") else {
        return out;
    };
    let mut template_names = keys(doc, doc.get(root, "Parameters"));
    template_names.extend(keys(doc, Some(resources)));
    for m in doc.members(resources) {
        let ty = str_of(doc, doc.get(m.value, "Type"));
        let serverless = match ty {
            Some("AWS::StepFunctions::StateMachine") => false,
            Some("AWS::Serverless::StateMachine") => true,
            _ => continue,
        };
        let props = doc.get(m.value, "Properties");
        let prop = |k: &str| props.and_then(|p| doc.get(p, k));
        let wtype = workflow_type(str_of(
            doc,
            prop(if serverless {
                "Type"
            } else {
                "StateMachineType"
            }),
        ));
        let subs = keys(doc, prop("DefinitionSubstitutions"));
        let name = doc.key(m).to_string();
        let at = |n: NodeId| (doc.span(n), doc.pointer(n));
        // DefinitionSubstitutions apply to every form; an Fn::Sub DefinitionString may also
        // use the template's parameters and resources, pseudo parameters and its own variables.
        let mut substitutions = subs.clone();
        let body = if let Some(d) = prop("Definition") {
            Body::Tree(d)
        } else if let Some(s) = prop("DefinitionString") {
            let (span, ptr) = at(s);
            let mut embedded = Embedded::default();
            match definition_string(doc, text, s, &mut embedded, &mut substitutions) {
                Ok(sub) => {
                    if sub {
                        substitutions.extend(template_names.iter().cloned());
                    }
                    Body::Text {
                        embedded: embedded.finish(span.end as usize),
                        pointer: ptr,
                        span,
                    }
                }
                Err(what) => Body::Elsewhere {
                    what,
                    span,
                    pointer: ptr,
                },
            }
        } else if let Some(u) = prop("DefinitionUri") {
            let (span, ptr) = at(u);
            match doc.as_str(u) {
                Some(p) if !p.starts_with("s3://") => Body::File {
                    path: p.to_string(),
                    span,
                    pointer: ptr,
                },
                _ => Body::Elsewhere {
                    what: "an S3 object (DefinitionUri)".into(),
                    span,
                    pointer: ptr,
                },
            }
        } else if let Some(s3) = prop("DefinitionS3Location") {
            // An object: point at its key, the line a reader looks for.
            let (span, ptr) = (doc.key_span(s3).unwrap_or(doc.span(s3)), doc.pointer(s3));
            Body::Elsewhere {
                what: "an S3 object (DefinitionS3Location)".into(),
                span,
                pointer: ptr,
            }
        } else {
            Body::Missing {
                span: doc.key_span(m.value).unwrap_or(doc.span(m.value)),
                pointer: doc.pointer(m.value),
            }
        };
        let substitutions = Some(substitutions);
        out.push(Machine {
            name,
            workflow_type: wtype,
            substitutions,
            body,
        });
    }
    out
}

/// Assembles a `DefinitionString` (a string, `Fn::Sub`, or `Fn::Join` of strings and
/// intrinsics). Returns whether it is substituted by `Fn::Sub`.
fn definition_string(
    doc: &Document,
    text: &str,
    n: NodeId,
    out: &mut Embedded,
    names: &mut Vec<String>,
) -> Result<bool, String> {
    let push_str = |out: &mut Embedded, s: NodeId| -> bool {
        match doc.as_str(s) {
            Some(v) => {
                let span = doc.span(s);
                out.push_aligned(v, &text[span.range()], span.start as usize);
                true
            }
            None => false,
        }
    };
    match intrinsic(doc, n) {
        None => {
            if push_str(out, n) {
                Ok(false)
            } else {
                Err(format!("a DefinitionString of type {}", doc.type_name(n)))
            }
        }
        Some((f, Some(arg))) if f == "Fn::Sub" => {
            let target = match doc.kind(arg) {
                NodeKind::Array(items) => {
                    names.extend(keys(doc, items.get(1).copied()));
                    items.first().copied()
                }
                _ => Some(arg),
            };
            match target {
                Some(t) if push_str(out, t) => Ok(true),
                Some(t) => definition_string(doc, text, t, out, names).map(|_| true),
                None => Err("an empty Fn::Sub".into()),
            }
        }
        Some((f, Some(arg))) if f == "Fn::Join" => {
            let items = doc.items(arg);
            let sep = items.first().and_then(|s| doc.as_str(*s)).unwrap_or("");
            let Some(list) = items.get(1) else {
                return Err("an Fn::Join without a list".into());
            };
            let mut sub = false;
            for (i, piece) in doc.items(*list).iter().enumerate() {
                if i > 0 {
                    out.push_opaque(sep, doc.span(*piece));
                }
                if !push_str(out, *piece) {
                    match intrinsic(doc, *piece) {
                        Some((pf, _)) if pf == "Fn::Sub" => {
                            sub |= definition_string(doc, text, *piece, out, names)?;
                        }
                        Some((pf, _)) => out.push_opaque(&format!("${{!{pf}}}"), doc.span(*piece)),
                        None => return Err("an Fn::Join piece that is not a string".into()),
                    }
                }
            }
            Ok(sub)
        }
        Some((f, _)) => Err(format!("a DefinitionString built with {f}")),
    }
}

fn serverless(doc: &Document, _text: &str) -> Vec<Machine> {
    let mut out = Vec::new();
    let Some(root) = doc.root else { return out };
    let Some(machines) = doc
        .get(root, "stepFunctions")
        .and_then(|s| doc.get(s, "stateMachines"))
    else {
        return out;
    };
    for m in doc.members(machines) {
        let Some(def) = doc.get(m.value, "definition") else {
            continue;
        };
        let wtype = workflow_type(str_of(doc, doc.get(m.value, "type")));
        let span = doc.span(def);
        let ptr = doc.pointer(def);
        let body = match doc.kind(def) {
            NodeKind::Object(_) => Body::Tree(def),
            NodeKind::String(s) => match file_reference(doc.text(*s)) {
                Some(path) => Body::File {
                    path,
                    span,
                    pointer: ptr,
                },
                None => Body::Elsewhere {
                    what: format!("a Serverless variable (`{}`)", doc.text(*s)),
                    span,
                    pointer: ptr,
                },
            },
            _ => Body::Elsewhere {
                what: "a definition that is not an object".into(),
                span,
                pointer: ptr,
            },
        };
        out.push(Machine {
            name: doc.key(m).to_string(),
            workflow_type: wtype,
            // Serverless resolves its own `${…}` variables; they are not checked here.
            substitutions: None,
            body,
        });
    }
    out
}

/// `${file(./path.json)}` (optionally with a `:key` suffix, which is not followed).
fn file_reference(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix("${file(")?;
    let end = inner.find(')')?;
    let path = inner[..end].trim().trim_matches(['\'', '"']);
    let rest = &inner[end + 1..];
    (rest == "}").then(|| path.to_string())
}

/// Replaces CloudFormation intrinsic functions inside a definition subtree with placeholder
/// strings (`${!Fn::GetAtt}`), the way they look once deployed: strings. `Fn::Sub` keeps its
/// string. Returns how many were replaced.
pub fn normalize_intrinsics(doc: &mut Document, root: NodeId) -> usize {
    let mut stack = vec![root];
    let mut todo: Vec<(NodeId, String)> = Vec::new();
    while let Some(n) = stack.pop() {
        if let Some((f, arg)) = intrinsic(doc, n) {
            let replacement = if f == "Fn::Sub" {
                let target = arg.and_then(|a| match doc.kind(a) {
                    NodeKind::Array(items) => items.first().copied(),
                    _ => Some(a),
                });
                // CloudFormation resolves these names itself (and rejects unknown ones), so
                // they are marked as already handled: `${X}` → `${!X}`.
                target
                    .and_then(|t| doc.as_str(t))
                    .map(|v| v.replace("${", "${!").replace("${!!", "${!"))
                    .unwrap_or_else(|| "${!Fn::Sub}".into())
            } else {
                format!("${{!{f}}}")
            };
            todo.push((n, replacement));
            continue;
        }
        match doc.kind(n) {
            NodeKind::Object(members) => stack.extend(members.iter().map(|m| m.value)),
            NodeKind::Array(items) => stack.extend(items.iter().copied()),
            _ => {}
        }
    }
    let count = todo.len();
    for (n, replacement) in todo {
        doc.nodes[n.0 as usize].kind = NodeKind::String(doc.intern(&replacement));
        doc.tags.remove(&n);
    }
    count
}

/// `${Name}` placeholders in a string: (name, byte range of the whole placeholder). Skips
/// `${!Literal}` escapes.
pub fn placeholders(s: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = s[i..].find("${") {
        let start = i + p;
        let Some(len) = s[start + 2..].find('}') else {
            break;
        };
        let name = s[start + 2..start + 2 + len].trim();
        if !name.starts_with('!') && !name.is_empty() {
            out.push((name, start..start + 2 + len + 1));
        }
        i = start + 2 + len + 1;
    }
    out
}

/// Whether a substitution name is defined: listed, a pseudo parameter, or `Resource.Attr` of a
/// listed resource.
pub fn defined(name: &str, names: &[String]) -> bool {
    names.iter().any(|n| n == name)
        || PSEUDO.contains(&name)
        || name
            .split_once('.')
            .is_some_and(|(r, _)| names.iter().any(|n| n == r))
}

/// The pointer to use for a diagnostic inside a string body: the string's pointer, then the
/// pointer inside the embedded definition.
pub fn join_pointer(outer: &str, inner: &str) -> String {
    let _ = pointer::escape;
    format!("{outer}{inner}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_escapes() {
        let p: Vec<&str> = placeholders("arn:${AWS::Partition}:x:${Fn.Arn}/${!Literal}")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(p, ["AWS::Partition", "Fn.Arn"]);
        assert!(defined("Fn.Arn", &["Fn".into()]));
        assert!(defined("AWS::Region", &[]));
        assert!(!defined("Other", &["Fn".into()]));
    }

    #[test]
    fn serverless_file_references() {
        assert_eq!(
            file_reference("${file(./sm/a.json)}"),
            Some("./sm/a.json".into())
        );
        assert_eq!(file_reference("${self:custom.x}"), None);
    }
}

/// A state machine of a template, as something the cost estimator can read.
#[derive(Clone, Debug)]
pub enum Source {
    /// The definition as JSON text (a subtree serialized, or a `DefinitionString`).
    Text(String),
    /// A file relative to the template's folder.
    File(String),
    /// Not readable here (S3, an expression), with why.
    Unreadable(String),
}

/// The state machines of a template file, for tools that need a definition's text (the cost
/// estimator); None when the file is not a template.
pub fn machines_in(path: &str, text: &str) -> Option<Vec<(String, Option<WorkflowType>, Source)>> {
    let lower = path.to_ascii_lowercase();
    let machines = if lower.ends_with(".tf") || lower.ends_with(".hcl") {
        terraform::extract(text).ok()?
    } else {
        let mut doc = crate::syntax::parse(text, crate::syntax::Format::from_path(path)).ok()?;
        let k = kind(&doc)?;
        let ms = extract(&doc, text, k);
        return Some(
            ms.into_iter()
                .map(|m| {
                    let src = match m.body {
                        Body::Tree(root) => {
                            normalize_intrinsics(&mut doc, root);
                            Source::Text(
                                serde_json::to_string_pretty(&doc.to_value(root))
                                    .unwrap_or_default(),
                            )
                        }
                        other => source_of(other),
                    };
                    (m.name, m.workflow_type, src)
                })
                .collect(),
        );
    };
    Some(
        machines
            .into_iter()
            .map(|m| (m.name, m.workflow_type, source_of(m.body)))
            .collect(),
    )
}

fn source_of(body: Body) -> Source {
    match body {
        Body::Tree(_) => Source::Unreadable("a subtree".into()),
        Body::Text { embedded, .. } => Source::Text(embedded.text),
        Body::File { path, .. } => Source::File(path),
        Body::Elsewhere { what, .. } => Source::Unreadable(what),
        Body::Missing { .. } => {
            Source::Unreadable("missing (the resource has no definition)".into())
        }
    }
}

/// Whether a template's state machine `name` has X-Ray tracing and CloudWatch Logs logging
/// turned on (CloudFormation `TracingConfiguration`/`LoggingConfiguration`, SAM
/// `Tracing`/`Logging`, Serverless `tracingConfig`/`loggingConfig`); `(false, false)` when the
/// file is not such a template or does not say. Terraform files are not read for it.
pub fn observability(path: &str, text: &str, name: &str) -> (bool, bool) {
    let Ok(doc) = crate::syntax::parse(text, crate::syntax::Format::from_path(path)) else {
        return (false, false);
    };
    let Some(root) = doc.root else {
        return (false, false);
    };
    let on = |n: Option<NodeId>| n.is_some_and(|n| doc.as_bool(n) == Some(true));
    // A logging configuration is on unless its level is OFF.
    let logs = |n: Option<NodeId>| {
        n.is_some_and(|n| {
            !matches!(
                doc.get(n, "Level")
                    .or_else(|| doc.get(n, "level"))
                    .and_then(|l| doc.as_str(l)),
                Some("OFF")
            )
        })
    };
    if let Some(props) = doc
        .get(root, "Resources")
        .and_then(|r| doc.get(r, name))
        .and_then(|m| doc.get(m, "Properties"))
    {
        let tracing = on(doc
            .get(props, "TracingConfiguration")
            .or_else(|| doc.get(props, "Tracing"))
            .and_then(|t| doc.get(t, "Enabled")));
        let logging = logs(
            doc.get(props, "LoggingConfiguration")
                .or_else(|| doc.get(props, "Logging")),
        );
        return (tracing, logging);
    }
    if let Some(m) = doc
        .get(root, "stepFunctions")
        .and_then(|s| doc.get(s, "stateMachines"))
        .and_then(|s| doc.get(s, name))
    {
        let tracing = on(doc
            .get(m, "tracingConfig")
            .and_then(|t| doc.get(t, "enabled")));
        let logging = logs(doc.get(m, "loggingConfig"));
        return (tracing, logging);
    }
    (false, false)
}
