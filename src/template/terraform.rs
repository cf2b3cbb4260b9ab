//! `aws_sfn_state_machine` resources in Terraform files, read with a real HCL parser
//! (hcl-edit, which keeps byte spans). `definition` may be `file()`, `templatefile()`, a
//! `data "template_file"` rendering, `jsonencode({...})` or a heredoc; `type` feeds the
//! Express checks.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body as HclBody};

use super::embed::Embedded;
use super::{Body, Machine};
use crate::asl::WorkflowType;
use crate::source::Span;

/// A Terraform file that does not parse.
#[derive(Clone, Debug)]
pub struct HclError {
    pub message: String,
    pub offset: usize,
    /// True when a resource limit (nesting depth) stopped parsing.
    pub limit: bool,
}

fn span_of(e: &impl hcl_edit::Span) -> Span {
    e.span()
        .map(|r| Span::new(r.start, r.end))
        .unwrap_or(Span::empty(0))
}

fn label(l: &hcl_edit::structure::BlockLabel) -> &str {
    match l {
        hcl_edit::structure::BlockLabel::Ident(i) => i.as_str(),
        hcl_edit::structure::BlockLabel::String(s) => s.as_str(),
    }
}

fn is(block: &Block, kind: &str, ty: &str) -> bool {
    block.ident.as_str() == kind && block.labels.first().map(label) == Some(ty)
}

/// Matches brackets, strings and template interpolations in one pass before hcl-edit sees the
/// text. hcl-edit backtracks exponentially on an unclosed `{` or `(` after an operator (found
/// by fuzzing: 400 bytes took 35 s, each further level doubles it); balanced text parses in
/// linear time, and an unclosed bracket is reported here, at the bracket, instead.
fn check_brackets(text: &str) -> Result<(), HclError> {
    enum Frame {
        /// An open bracket (or `${`), waiting for this closing byte.
        Open(u8, usize),
        /// A quoted string.
        Str(usize),
    }
    let err = |message: String, offset: usize| {
        Err(HclError {
            message,
            offset,
            limit: false,
        })
    };
    let b = text.as_bytes();
    // What opened a frame, as written: `${` and `%{` are two bytes, brackets one.
    let opener = |at: usize| {
        let len = if matches!(b[at], b'$' | b'%') { 2 } else { 1 };
        &text[at..at + len]
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(Frame::Str(_)) = stack.last() {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                // `$${` and `%%{` are escapes for a literal `${` / `%{`.
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Frame::Open(b'}', i));
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => i = text[i..].find('\n').map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 1)
            }
            b'"' => stack.push(Frame::Str(i)),
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // A heredoc: its body is text up to a line holding only its tag.
                let rest = &text[i + 2..];
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                let tag_len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len());
                let tag = &rest[..tag_len];
                if !tag.is_empty() && rest[tag_len..].starts_with(['\n', '\r']) {
                    let body_start = b.len() - rest.len() + tag_len;
                    let end = text[body_start..]
                        .split_inclusive('\n')
                        .scan(body_start, |at, line| {
                            let start = *at;
                            *at += line.len();
                            Some((start, line))
                        })
                        .skip(1)
                        .find(|(_, line)| line.trim() == tag)
                        .map(|(start, line)| start + line.len());
                    match end {
                        Some(end) => {
                            i = end;
                            continue;
                        }
                        None => return err(format!("the heredoc `{tag}` is never closed"), i),
                    }
                }
                i += 1;
            }
            b'{' | b'(' | b'[' => {
                if stack.len() >= crate::limits::MAX_DEPTH {
                    return Err(HclError {
                        message: format!(
                            "nesting is deeper than {} levels",
                            crate::limits::MAX_DEPTH
                        ),
                        offset: i,
                        limit: true,
                    });
                }
                let close = match c {
                    b'{' => b'}',
                    b'(' => b')',
                    _ => b']',
                };
                stack.push(Frame::Open(close, i));
            }
            b'}' | b')' | b']' => match stack.pop() {
                Some(Frame::Open(close, _)) if close == c => {}
                Some(Frame::Open(close, at)) => {
                    return err(
                        format!(
                            "`{}` closes the `{}` opened at byte {at}, which needs `{}`",
                            c as char,
                            opener(at),
                            close as char
                        ),
                        i,
                    );
                }
                _ => return err(format!("`{}` closes nothing", c as char), i),
            },
            _ => {}
        }
        i += 1;
    }
    match stack.last() {
        None => Ok(()),
        Some(Frame::Str(at)) => err("the string is never closed".into(), *at),
        Some(Frame::Open(_, at)) => err(format!("`{}` is never closed", opener(*at)), *at),
    }
}

/// Finds the state machines of a Terraform file.
pub fn extract(text: &str) -> Result<Vec<Machine>, HclError> {
    check_brackets(text)?;
    let body: HclBody = hcl_edit::parser::parse_body(text).map_err(|e| {
        // hcl-edit can place an error inside a multi-byte character (found by fuzzing): move it
        // back to where that character starts, so that every span made from it is valid.
        let mut offset = e.location().offset().min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        HclError {
            message: e.message().to_string(),
            offset,
            limit: false,
        }
    })?;
    let mut out = Vec::new();
    for block in body.blocks() {
        // A module that takes a `definition` (terraform-aws-modules/step-functions/aws and
        // its forks) passes it to an `aws_sfn_state_machine` unchanged.
        let (address, pointer) = if is(block, "resource", "aws_sfn_state_machine") {
            let name = block.labels.get(1).map(label).unwrap_or("?");
            (
                format!("aws_sfn_state_machine.{name}"),
                format!("/resource/aws_sfn_state_machine/{name}/definition"),
            )
        } else if block.ident.as_str() == "module" && block.body.has_attribute("definition") {
            let name = block.labels.first().map(label).unwrap_or("?");
            (
                format!("module.{name}"),
                format!("/module/{name}/definition"),
            )
        } else {
            continue;
        };
        let wtype = block
            .body
            .get_attribute("type")
            .and_then(|a| a.value.as_str())
            .and_then(WorkflowType::parse);
        let Some(def) = block.body.get_attribute("definition") else {
            continue;
        };
        let (body, substitutions) = definition(text, &body, &def.value, &pointer);
        out.push(Machine {
            name: address,
            workflow_type: wtype,
            substitutions,
            body,
        });
    }
    Ok(out)
}

/// A path argument: a string, or a template whose only interpolations are `path.module`,
/// `path.root` and `path.cwd` (all the file's directory here).
fn path_arg(text: &str, e: &Expression) -> Option<String> {
    if let Some(s) = e.as_str() {
        return Some(s.to_string());
    }
    if let Expression::StringTemplate(_) = e {
        let raw = &text[span_of(e).range()];
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let replaced = inner
            .replace("${path.module}", ".")
            .replace("${path.root}", ".")
            .replace("${path.cwd}", ".");
        return (!replaced.contains("${")).then_some(replaced);
    }
    None
}

fn definition(
    text: &str,
    file: &HclBody,
    e: &Expression,
    pointer: &str,
) -> (Body, Option<Vec<String>>) {
    let span = span_of(e);
    let elsewhere = |what: String| {
        (
            Body::Elsewhere {
                what,
                span,
                pointer: pointer.to_string(),
            },
            None,
        )
    };
    match e {
        Expression::FuncCall(call) => {
            let f = call.name.name.as_str();
            let args: Vec<&Expression> = call.args.iter().collect();
            match (f, args.first()) {
                ("file", Some(a)) => match path_arg(text, a) {
                    Some(path) => (
                        Body::File {
                            path,
                            span: span_of(*a),
                            pointer: pointer.to_string(),
                        },
                        None,
                    ),
                    None => elsewhere("a file path built from variables".into()),
                },
                ("templatefile", Some(a)) => {
                    let vars = args.get(1).map(|v| object_keys(v)).unwrap_or_default();
                    match path_arg(text, a) {
                        Some(path) => (
                            Body::File {
                                path,
                                span: span_of(*a),
                                pointer: pointer.to_string(),
                            },
                            Some(vars),
                        ),
                        None => elsewhere("a template path built from variables".into()),
                    }
                }
                ("jsonencode", Some(Expression::Object(_))) => {
                    let mut emb = Embedded::default();
                    encode(text, args[0], &mut emb);
                    (
                        Body::Text {
                            embedded: emb.finish(span.end as usize),
                            pointer: pointer.to_string(),
                            span,
                        },
                        None,
                    )
                }
                // jsonencode(jsondecode(file(...))) and similar wrappers: follow the argument.
                ("jsonencode" | "jsondecode" | "yamldecode" | "trimspace", Some(inner)) => {
                    definition(text, file, inner, pointer)
                }
                _ => elsewhere(format!("the result of `{f}()`")),
            }
        }
        Expression::HeredocTemplate(h) => {
            let mut emb = Embedded::default();
            let t = span_of(&h.template);
            let raw = &text[t.range()];
            emb.push_aligned(raw, raw, t.start as usize);
            (
                Body::Text {
                    embedded: emb.finish(t.end as usize),
                    pointer: pointer.to_string(),
                    span,
                },
                None,
            )
        }
        Expression::Traversal(t) => {
            // data.template_file.NAME.rendered
            let parts: Vec<String> = std::iter::once(
                t.expr
                    .as_variable()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            )
            .chain(t.operators.iter().filter_map(|o| match o.value() {
                hcl_edit::expr::TraversalOperator::GetAttr(i) => Some(i.as_str().to_string()),
                _ => None,
            }))
            .collect();
            if parts.len() == 4
                && parts[0] == "data"
                && parts[1] == "template_file"
                && parts[3] == "rendered"
            {
                for block in file.blocks() {
                    if is(block, "data", "template_file")
                        && block.labels.get(1).map(label) == Some(parts[2].as_str())
                        && let Some(tpl) = block.body.get_attribute("template")
                    {
                        let vars = block
                            .body
                            .get_attribute("vars")
                            .map(|v| object_keys(&v.value))
                            .unwrap_or_default();
                        let (b, _) = definition(text, file, &tpl.value, pointer);
                        return (b, Some(vars));
                    }
                }
            }
            elsewhere(format!("`{}`", parts.join(".")))
        }
        _ => elsewhere("an expression sfn-lint does not evaluate".into()),
    }
}

fn object_keys(e: &Expression) -> Vec<String> {
    let Expression::Object(o) = e else {
        return Vec::new();
    };
    o.iter()
        .filter_map(|(k, _)| match k {
            ObjectKey::Ident(i) => Some(i.as_str().to_string()),
            ObjectKey::Expression(e) => e.as_str().map(str::to_string),
        })
        .collect()
}

/// Writes an HCL value as JSON text, each token mapped to its HCL source. Values sfn-lint
/// cannot evaluate (references, function calls, interpolated strings) become `${!…}`
/// placeholder strings mapped to their expression.
fn encode(text: &str, e: &Expression, out: &mut Embedded) {
    let span = span_of(e);
    match e {
        Expression::Object(o) => {
            out.push_opaque("{", span);
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push_opaque(",", span);
                }
                match k {
                    ObjectKey::Ident(id) => string(out, id.as_str(), span_of(id), text),
                    ObjectKey::Expression(ke) => match ke.as_str() {
                        Some(s) => string(out, s, span_of(ke), text),
                        None => opaque_string(out, text, span_of(ke)),
                    },
                }
                out.push_opaque(":", span_of(v.expr()));
                encode(text, v.expr(), out);
            }
            out.push_opaque("}", Span::empty(span.end.saturating_sub(1) as usize));
        }
        Expression::Array(a) => {
            out.push_opaque("[", span);
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push_opaque(",", span);
                }
                encode(text, item, out);
            }
            out.push_opaque("]", Span::empty(span.end.saturating_sub(1) as usize));
        }
        Expression::String(s) => string(out, s.as_str(), span, text),
        Expression::Number(_) | Expression::Bool(_) | Expression::Null(_) => {
            let raw = text[span.range()].trim();
            out.push_opaque(raw, span);
        }
        Expression::Parenthesis(p) => encode(text, p.inner(), out),
        _ => opaque_string(out, text, span),
    }
}

/// A JSON string for `value`, its characters mapped through the HCL literal at `span`.
fn string(out: &mut Embedded, value: &str, span: Span, text: &str) {
    out.push_opaque("\"", span);
    let raw = &text[span.range()];
    let mut aligned = Embedded::default();
    aligned.push_aligned(value, raw, span.start as usize);
    for (i, ch) in value.char_indices() {
        let at = aligned.to_template(Span::new(i, i + ch.len_utf8()));
        let mut buf = String::new();
        match ch {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 => buf.push_str(&format!("\\u{:04x}", c as u32)),
            c => buf.push(c),
        }
        out.push_opaque(&buf, at);
    }
    out.push_opaque("\"", Span::empty(span.end.saturating_sub(1) as usize));
}

/// An expression as a placeholder string: `"${!expr}"`.
fn opaque_string(out: &mut Embedded, text: &str, span: Span) {
    let src = text[span.range()].trim().trim_matches('"');
    let escaped = src
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ");
    out.push_opaque(&format!("\"${{!{escaped}}}\""), span);
}

/// The dotted parts of a reference (`aws_iam_role.r.arn` → `["aws_iam_role", "r", "arn"]`).
fn traversal(e: &Expression) -> Option<Vec<String>> {
    let Expression::Traversal(t) = e else {
        return None;
    };
    let mut parts = vec![t.expr.as_variable()?.as_str().to_string()];
    for o in t.operators.iter() {
        match o.value() {
            hcl_edit::expr::TraversalOperator::GetAttr(i) => parts.push(i.as_str().to_string()),
            _ => return None,
        }
    }
    Some(parts)
}

/// The blocks `kind "ty" "name"` of a file.
fn find<'b>(body: &'b HclBody, kind: &str, ty: &str, name: &str) -> Option<&'b Block> {
    body.blocks()
        .find(|b| is(b, kind, ty) && b.labels.get(1).map(label) == Some(name))
}

/// The policies of a Terraform state machine's role, as [`role_policies`] finds them.
pub struct RolePolicies {
    /// JSON texts of the policies written in the file.
    pub policies: Vec<String>,
    /// ARNs of managed policies attached by ARN (`managed_policy_arns`, or a
    /// `aws_iam_role_policy_attachment` whose `policy_arn` is a string), interpolations
    /// (`${…}`) as written; the caller knows AWS's and treats any other as unknown.
    pub managed: Vec<String>,
    /// `role_arn`.
    pub span: Span,
}

/// The role a Terraform state machine's `role_arn` names (`aws_iam_role.NAME.arn`): the JSON
/// texts of its policies (inline, `aws_iam_role_policy` resources, and `aws_iam_policy`
/// resources attached by `aws_iam_role_policy_attachment`) and the managed policies it attaches
/// by ARN; `None` when any part is not in the file (a role from a variable or a module) or
/// cannot be read (`not_actions`, a policy built by a function). Values sfn-lint cannot
/// evaluate are `${!…}` strings.
pub fn role_policies(text: &str, address: &str) -> Option<RolePolicies> {
    let name = address.strip_prefix("aws_sfn_state_machine.")?;
    let body: HclBody = hcl_edit::parser::parse_body(text).ok()?;
    let machine = find(&body, "resource", "aws_sfn_state_machine", name)?;
    let role_arn = machine.body.get_attribute("role_arn")?;
    let parts = traversal(&role_arn.value)?;
    let [kind, role, attr] = parts.as_slice() else {
        return None;
    };
    if kind != "aws_iam_role" || attr != "arn" {
        return None;
    }
    let role_block = find(&body, "resource", "aws_iam_role", role)?;
    let mut managed = Vec::new();
    if let Some(arns) = role_block.body.get_attribute("managed_policy_arns") {
        let Expression::Array(items) = &arns.value else {
            return None;
        };
        for item in items.iter() {
            managed.push(arn_pattern(text, item)?);
        }
    }
    let mut policies = Vec::new();
    for inline in role_block
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "inline_policy")
    {
        if let Some(p) = inline.body.get_attribute("policy") {
            policies.push(policy_json(text, &body, &p.value)?);
        }
    }
    let names_role = |e: &Expression| {
        traversal(e).is_some_and(|p| p.len() == 3 && p[0] == "aws_iam_role" && &p[1] == role)
    };
    for block in body.blocks() {
        if is(block, "resource", "aws_iam_role_policy")
            && block
                .body
                .get_attribute("role")
                .is_some_and(|r| names_role(&r.value))
        {
            policies.push(policy_json(
                text,
                &body,
                &block.body.get_attribute("policy")?.value,
            )?);
        }
        if is(block, "resource", "aws_iam_role_policy_attachment")
            && block
                .body
                .get_attribute("role")
                .is_some_and(|r| names_role(&r.value))
        {
            // Attached by ARN: a policy of this file, or one named by its ARN.
            let value = &block.body.get_attribute("policy_arn")?.value;
            if let Some(arn) = arn_pattern(text, value) {
                managed.push(arn);
                continue;
            }
            let arn = traversal(value)?;
            let [k, n, a] = arn.as_slice() else {
                return None;
            };
            if k != "aws_iam_policy" || a != "arn" {
                return None;
            }
            let policy = find(&body, "resource", "aws_iam_policy", n)?;
            policies.push(policy_json(
                text,
                &body,
                &policy.body.get_attribute("policy")?.value,
            )?);
        }
    }
    Some(RolePolicies {
        policies,
        managed,
        span: span_of(&role_arn.value),
    })
}

/// A string, or a string template as written, its interpolations kept
/// (`"arn:${data.aws_partition.current.partition}:iam::aws:policy/X"`); `None` for anything
/// else, or a template with directives (`%{…}`).
fn arn_pattern(text: &str, e: &Expression) -> Option<String> {
    if let Some(s) = e.as_str() {
        return Some(s.to_string());
    }
    let Expression::StringTemplate(_) = e else {
        return None;
    };
    let raw = &text[span_of(e).range()];
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains("%{")).then(|| inner.to_string())
}

/// A policy document as JSON text: `jsonencode({…})`, a JSON string or heredoc, or
/// `data.aws_iam_policy_document.NAME.json`.
fn policy_json(text: &str, body: &HclBody, e: &Expression) -> Option<String> {
    match e {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            let arg = call.args.iter().next()?;
            let mut emb = Embedded::default();
            encode(text, arg, &mut emb);
            Some(emb.finish(span_of(arg).end as usize).text)
        }
        Expression::String(s) => Some(s.as_str().to_string()),
        Expression::HeredocTemplate(h) => Some(text[span_of(&h.template).range()].to_string()),
        Expression::Traversal(_) => {
            let parts = traversal(e)?;
            let [data, ty, name, json] = parts.as_slice() else {
                return None;
            };
            if data != "data" || ty != "aws_iam_policy_document" || json != "json" {
                return None;
            }
            policy_document(text, find(body, "data", "aws_iam_policy_document", name)?)
        }
        _ => None,
    }
}

/// A `data "aws_iam_policy_document"` block as JSON text.
fn policy_document(text: &str, block: &Block) -> Option<String> {
    let list = |b: &Block, key: &str| -> Option<String> {
        let Some(a) = b.body.get_attribute(key) else {
            return Some("[]".into());
        };
        let mut emb = Embedded::default();
        encode(text, &a.value, &mut emb);
        Some(emb.finish(span_of(&a.value).end as usize).text)
    };
    let mut statements = Vec::new();
    for st in block
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "statement")
    {
        if st.body.has_attribute("not_actions") || st.body.has_attribute("not_resources") {
            return None;
        }
        let effect = st
            .body
            .get_attribute("effect")
            .and_then(|a| a.value.as_str())
            .unwrap_or("Allow");
        statements.push(format!(
            "{{\"Effect\":{},\"Action\":{},\"Resource\":{}}}",
            serde_json::to_string(effect).ok()?,
            list(st, "actions")?,
            list(st, "resources")?
        ));
    }
    Some(format!("{{\"Statement\":[{}]}}", statements.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_are_matched_before_parsing() {
        // Valid HCL whose strings, interpolations, heredocs and comments hold brackets of
        // their own: the check passes, and so does hcl-edit.
        let valid = r#"
# a comment with { and (
// another ) one
/* a block comment ] */
locals {
  a = "${format("%s}", var.x)} and $${literal} and %{ if true }yes%{ endif }"
  b = "quote \" and { inside"
  c = jsonencode({ k = [1, (2 + 3)], "d" = { e = "${jsonencode({ f = 1 })}" } })
  h = <<-EOT
    {"unbalanced": [ in a heredoc
    EOT
  i = <<EOF
)
EOF
}
"#;
        assert!(
            check_brackets(valid).is_ok(),
            "{:?}",
            check_brackets(valid).err()
        );
        assert!(hcl_edit::parser::parse_body(valid).is_ok());
        let at = |text: &str| {
            check_brackets(text)
                .map_err(|e| (e.message, e.offset))
                .unwrap_err()
        };
        assert_eq!(at("a = {\n b = (1\n}").1, 14);
        assert_eq!(at("a = (1))").0, "`)` closes nothing");
        assert_eq!(at("a = {"), ("`{` is never closed".to_string(), 4));
        assert_eq!(at("a = \"x ${ y"), ("`${` is never closed".to_string(), 7));
        // A quote inside an interpolation starts a string of its own.
        assert_eq!(at("a = \"x ${ y \"").1, 12);
        assert_eq!(at("a = \"abc").0, "the string is never closed");
        assert_eq!(
            at("a = <<EOF\nnever ends\n").0,
            "the heredoc `EOF` is never closed"
        );
        // The shape the fuzzer found (an operator before each unclosed `{`): reported by the
        // check, not left to hcl-edit's exponential search.
        let bomb = format!("x = {}", "a%s.b/{".repeat(40));
        let Err(e) = extract(&bomb) else {
            panic!("the bomb parsed")
        };
        assert_eq!(
            (e.message.as_str(), e.offset),
            ("`{` is never closed", bomb.len() - 1)
        );
        let deep = format!("x = {}1{}", "(".repeat(300), ")".repeat(300));
        let Err(e) = extract(&deep) else {
            panic!("300 levels parsed")
        };
        assert!(
            e.limit && e.message.contains("deeper than 256"),
            "{}",
            e.message
        );
    }

    #[test]
    fn finds_each_form() {
        let text = r#"
resource "aws_sfn_state_machine" "a" {
  definition = file("${path.module}/sm/a.asl.json")
  type = "EXPRESS"
}
resource "aws_sfn_state_machine" "b" {
  definition = templatefile("sm/b.json", { fn_arn = aws_lambda_function.f.arn })
}
resource "aws_sfn_state_machine" "c" {
  definition = jsonencode({
    StartAt = "A"
    States = { A = { Type = "Task", Resource = aws_lambda_function.f.arn, End = true } }
  })
}
resource "aws_sfn_state_machine" "d" {
  definition = <<EOF
{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
EOF
}
"#;
        let m = extract(text).unwrap();
        assert_eq!(m.len(), 4);
        assert!(matches!(&m[0].body, Body::File { path, .. } if path == "./sm/a.asl.json"));
        assert_eq!(m[0].workflow_type, Some(WorkflowType::Express));
        assert_eq!(
            m[1].substitutions.as_deref(),
            Some(&["fn_arn".to_string()][..])
        );
        let Body::Text { embedded, .. } = &m[2].body else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(&embedded.text).unwrap();
        assert_eq!(
            v["States"]["A"]["Resource"],
            "${!aws_lambda_function.f.arn}"
        );
        // `Type` of A maps back to the HCL source.
        let at = embedded.text.find("\"Task\"").unwrap();
        let span = embedded.to_template(Span::new(at + 1, at + 5));
        assert_eq!(&text[span.range()], "Task");
        let Body::Text { embedded, .. } = &m[3].body else {
            panic!()
        };
        assert!(embedded.text.contains("\"Pass\""));
    }
}
