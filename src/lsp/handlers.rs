//! One function per LSP method. Params are read leniently: a missing or malformed field is an
//! `InvalidParams` error or an empty result, never a panic.

use serde_json::{Value, json};

use super::Server;
use super::convert::Lines;
use super::nav::Nav;
use crate::asl::StateType;
use crate::source::Span;

type Reply = Option<Result<Value, String>>;

fn uri_of(p: &Value) -> Option<&str> {
    p.pointer("/textDocument/uri").and_then(Value::as_str)
}

pub fn notify(s: &mut Server, method: &str, p: &Value) {
    match method {
        "textDocument/didOpen" => {
            let (Some(uri), Some(text)) = (
                uri_of(p),
                p.pointer("/textDocument/text").and_then(Value::as_str),
            ) else {
                return;
            };
            let version = p
                .pointer("/textDocument/version")
                .and_then(Value::as_i64)
                .unwrap_or(0) as i32;
            if uri.ends_with("sfn-lint.toml") {
                s.config_changed();
                return;
            }
            s.docs.insert(
                uri.to_string(),
                super::Doc::new(uri, text.to_string(), version),
            );
            s.schedule(uri);
        }
        "textDocument/didChange" => {
            let Some(uri) = uri_of(p) else { return };
            let enc = s.encoding;
            let Some(doc) = s.docs.get_mut(uri) else {
                return;
            };
            for change in p
                .get("contentChanges")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(new) = change.get("text").and_then(Value::as_str) else {
                    continue;
                };
                match change.get("range") {
                    Some(range) => {
                        let span = Lines::new(&doc.text, enc).span_of(range);
                        if let Some(span) = span {
                            doc.text.replace_range(span.range(), new);
                        }
                    }
                    None => doc.text = new.to_string(),
                }
            }
            doc.read = std::cell::OnceCell::new();
            doc.version = p
                .pointer("/textDocument/version")
                .and_then(Value::as_i64)
                .unwrap_or(doc.version as i64 + 1) as i32;
            let uri = uri.to_string();
            s.schedule(&uri);
        }
        "textDocument/didClose" => {
            if let Some(uri) = uri_of(p)
                && s.docs.remove(uri).is_some()
            {
                s.send_clear(uri);
            }
        }
        "textDocument/didSave" if uri_of(p).is_some_and(|u| u.ends_with("sfn-lint.toml")) => {
            s.config_changed();
        }
        "workspace/didChangeConfiguration" => {
            // `{"settings": {"sfn-lint": {"severity": {...}}}}` from clients that push settings.
            if let Some(sev) = p.pointer("/settings/sfn-lint/severity") {
                s.set_overrides(Some(sev));
            }
            s.config_changed()
        }
        "workspace/didChangeWatchedFiles" => s.config_changed(),
        _ => {}
    }
}

impl Server {
    fn send_clear(&self, uri: &str) {
        let _ = self.sender.send(
            lsp_server::Notification::new(
                "textDocument/publishDiagnostics".into(),
                json!({"uri": uri, "diagnostics": []}),
            )
            .into(),
        );
    }
}

/// The document and offset a position request is about.
fn at<'a>(s: &'a Server, p: &Value) -> Option<(&'a super::Doc, usize)> {
    let doc = s.docs.get(uri_of(p)?)?;
    let line = p.pointer("/position/line")?.as_u64()?.min(u32::MAX as u64) as u32;
    let ch = p
        .pointer("/position/character")?
        .as_u64()?
        .min(u32::MAX as u64) as u32;
    Some((doc, Lines::new(&doc.text, s.encoding).offset(line, ch)))
}

pub fn dispatch(s: &mut Server, method: &str, p: &Value) -> Reply {
    Some(Ok(match method {
        "textDocument/hover" => hover(s, p),
        "textDocument/definition" => definition(s, p),
        "textDocument/references" => references(s, p),
        "textDocument/rename" => return Some(rename(s, p)),
        "textDocument/documentSymbol" => symbols(s, p),
        "textDocument/codeAction" => code_actions(s, p),
        "textDocument/completion" => completion(s, p),
        "textDocument/foldingRange" => folding(s, p),
        "textDocument/inlayHint" => match uri_of(p).and_then(|u| s.docs.get(u)) {
            Some(doc) => super::cost_hints::inlay_hints(doc, s.encoding),
            None => json!([]),
        },
        _ => return None,
    }))
}

fn location(s: &Server, uri: &str, text: &str, span: Span) -> Value {
    json!({"uri": uri, "range": Lines::new(text, s.encoding).range(span)})
}

fn definition(s: &Server, p: &Value) -> Value {
    let Some((doc, off)) = at(s, p) else {
        return Value::Null;
    };
    let Some(nav) = doc.nav() else {
        return Value::Null;
    };
    let Some(m) = nav.mention_at(off) else {
        return Value::Null;
    };
    match nav.model.find_in_scope(m.scope, &m.name) {
        Some(target) => location(s, &doc.uri, &doc.text, nav.key_span(target)),
        None => Value::Null,
    }
}

fn references(s: &Server, p: &Value) -> Value {
    let Some((doc, off)) = at(s, p) else {
        return json!([]);
    };
    let Some(nav) = doc.nav() else {
        return json!([]);
    };
    let Some(m) = nav.mention_at(off) else {
        return json!([]);
    };
    let include = p
        .pointer("/context/includeDeclaration")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let out: Vec<Value> = nav
        .mentions()
        .into_iter()
        .filter(|x| x.scope == m.scope && x.name == m.name && (include || !x.declaration))
        .map(|x| location(s, &doc.uri, &doc.text, x.span))
        .collect();
    json!(out)
}

fn rename(s: &Server, p: &Value) -> Result<Value, String> {
    let Some((doc, off)) = at(s, p) else {
        return Ok(Value::Null);
    };
    let new = p
        .get("newName")
        .and_then(Value::as_str)
        .ok_or("newName is missing")?;
    if new.is_empty() || new.chars().count() > 80 || new.chars().any(char::is_control) {
        return Err("a state name is 1 to 80 characters, with no control characters".into());
    }
    let nav = doc
        .nav()
        .ok_or("the document does not parse; fix it first")?;
    let m = nav.mention_at(off).ok_or("no state name here")?;
    if nav.model.find_anywhere(new).next().is_some() {
        return Err(format!(
            "a state named `{new}` already exists (names are unique in a state machine)"
        ));
    }
    let lines = Lines::new(&doc.text, s.encoding);
    let escaped = match doc.format() {
        crate::syntax::Format::Json => serde_json::to_string(new).unwrap_or_default(),
        crate::syntax::Format::Yaml => serde_json::to_string(new).unwrap_or_default(),
    };
    let edits: Vec<Value> = nav
        .mentions()
        .into_iter()
        .filter(|x| x.scope == m.scope && x.name == m.name)
        .map(|x| json!({"range": lines.range(x.span), "newText": escaped}))
        .collect();
    Ok(json!({"changes": {doc.uri.clone(): edits}}))
}

fn symbols(s: &Server, p: &Value) -> Value {
    let Some(doc) = uri_of(p).and_then(|u| s.docs.get(u)) else {
        return json!([]);
    };
    let Some(nav) = doc.nav() else {
        return json!([]);
    };
    let lines = Lines::new(&doc.text, s.encoding);
    fn scope(nav: &Nav, lines: &Lines<'_>, id: crate::asl::ScopeId) -> Vec<Value> {
        nav.model
            .scope(id)
            .states
            .iter()
            .map(|sid| {
                let st = nav.model.state(*sid);
                let key = nav.key_span(*sid);
                let body = nav.doc.span(st.node);
                let children: Vec<Value> = st
                    .children
                    .iter()
                    .flat_map(|c| scope(nav, lines, *c))
                    .collect();
                json!({
                    "name": &*st.name,
                    "detail": st.ty.name(),
                    "kind": match st.ty {
                        StateType::Task => 12,
                        StateType::Choice => 14,
                        StateType::Parallel | StateType::Map => 3,
                        StateType::Succeed | StateType::Fail => 24,
                        _ => 13,
                    },
                    "range": lines.range(Span::new(key.start as usize, body.end as usize)),
                    "selectionRange": lines.range(key),
                    "children": children,
                })
            })
            .collect()
    }
    json!(scope(&nav, &lines, nav.model.root().id))
}

fn code_actions(s: &Server, p: &Value) -> Value {
    let Some(doc) = uri_of(p).and_then(|u| s.docs.get(u)) else {
        return json!([]);
    };
    let lines = Lines::new(&doc.text, s.encoding);
    let want = p
        .get("range")
        .and_then(|r| lines.span_of(r))
        .unwrap_or(Span::new(0, doc.text.len()));
    let mut out = Vec::new();
    for d in &doc.diagnostics {
        let Some(fix) = &d.fix else { continue };
        if d.span.end < want.start || d.span.start > want.end {
            continue;
        }
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| json!({"range": lines.range(e.span), "newText": e.replacement}))
            .collect();
        out.push(json!({
            "title": fix.title,
            "kind": "quickfix",
            "diagnostics": [s.to_lsp(&doc.uri, &doc.text, d)],
            "isPreferred": fix.applicability == crate::diagnostic::Applicability::Safe,
            "edit": {"changes": {doc.uri.clone(): edits}},
        }));
    }
    json!(out)
}

fn folding(s: &Server, p: &Value) -> Value {
    let Some(doc) = uri_of(p).and_then(|u| s.docs.get(u)) else {
        return json!([]);
    };
    // The definition read for this version; a template or other tree is parsed here.
    let parsed;
    let tree = match doc.nav() {
        Some(nav) => nav.doc,
        None => match crate::syntax::parse(&doc.text, doc.format()) {
            Ok(p) => {
                parsed = p;
                &parsed
            }
            Err(_) => return json!([]),
        },
    };
    let lines = Lines::new(&doc.text, s.encoding);
    let mut out = Vec::new();
    for n in &tree.nodes {
        if matches!(
            n.kind,
            crate::syntax::NodeKind::Object(_) | crate::syntax::NodeKind::Array(_)
        ) {
            let (a, _) = lines.position(n.span.start as usize);
            let (b, _) = lines.position(n.span.end as usize);
            if b > a {
                out.push(json!({"startLine": a, "endLine": b.saturating_sub(1).max(a)}));
            }
        }
    }
    json!(out)
}

fn schema_doc(ty: StateType, field: &str) -> Option<String> {
    let def = match ty {
        StateType::Unknown => "state",
        t => t.name(),
    }
    .to_ascii_lowercase();
    [def.as_str(), "state"].iter().find_map(|d| {
        crate::rules::schema::schema_at(&format!("/definitions/{d}/properties/{field}/description"))
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

fn hover(s: &Server, p: &Value) -> Value {
    let Some((doc, off)) = at(s, p) else {
        return Value::Null;
    };
    let md = |text: String| json!({"contents": {"kind": "markdown", "value": text}});
    // A finding under the cursor: its rule's page summary and link.
    if let Some(d) = doc
        .diagnostics
        .iter()
        .find(|d| d.span.start as usize <= off && off <= d.span.end as usize)
    {
        return md(format!(
            "**{}** `{}` ({}): {}\n\n{}\n\n[Rule page]({})",
            d.rule.code,
            d.rule.name,
            d.severity.as_str(),
            d.message,
            d.rule.summary(),
            d.rule.url()
        ));
    }
    let Some(nav) = doc.nav() else {
        return Value::Null;
    };
    if let Some(m) = nav.mention_at(off)
        && let Some(sid) = nav.model.find_in_scope(m.scope, &m.name)
    {
        let st = nav.model.state(sid);
        let goes: Vec<String> = crate::asl::graph::transitions(st)
            .map(|(t, _)| format!("`{}`", t.name))
            .collect();
        let from: Vec<String> = nav
            .model
            .scope(st.scope)
            .states
            .iter()
            .map(|o| nav.model.state(*o))
            .filter(|o| crate::asl::graph::transitions(o).any(|(t, _)| *t.name == *st.name))
            .map(|o| format!("`{}`", o.name))
            .collect();
        let start = nav
            .model
            .scope(st.scope)
            .start_at
            .as_ref()
            .is_some_and(|t| *t.name == *st.name);
        let cost = super::cost_hints::report(doc)
            .and_then(|r| super::cost_hints::label(&r, &st.name))
            .map(|l| format!("\n\ncost: {l}"))
            .unwrap_or_default();
        return md(format!(
            "**{}**: {} state{}\n\ngoes to: {}\n\nreached from: {}{cost}",
            st.name,
            st.ty.name(),
            if start { " (the start)" } else { "" },
            if goes.is_empty() {
                if st.end == Some(true) || st.ty.is_terminal_kind() {
                    "(ends)".to_string()
                } else {
                    "-".into()
                }
            } else {
                goes.join(", ")
            },
            if from.is_empty() {
                "-".into()
            } else {
                from.join(", ")
            }
        ));
    }
    if let Some((node, Some(key))) = nav.node_at(off)
        && let Some(sid) = nav.state_of(node)
        && let Some(d) = schema_doc(nav.model.state(sid).ty, &key)
    {
        return md(format!("**{key}**\n\n{d}"));
    }
    Value::Null
}

const FIELDS: &[&str] = &[
    "Type",
    "Comment",
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Retry",
    "Catch",
    "Choices",
    "Default",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Branches",
    "ItemProcessor",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "MaxConcurrency",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "Label",
    "QueryLanguage",
    "Arguments",
    "Output",
    "Assign",
    "Credentials",
];

const INTRINSICS: &[(&str, &str)] = &[
    ("States.Format", "States.Format('template {}', value, …)"),
    ("States.StringToJson", "States.StringToJson(string)"),
    ("States.JsonToString", "States.JsonToString(path)"),
    ("States.Array", "States.Array(value, …)"),
    (
        "States.ArrayPartition",
        "States.ArrayPartition(array, size)",
    ),
    ("States.ArrayContains", "States.ArrayContains(array, value)"),
    ("States.ArrayRange", "States.ArrayRange(start, end, step)"),
    ("States.ArrayGetItem", "States.ArrayGetItem(array, index)"),
    ("States.ArrayLength", "States.ArrayLength(array)"),
    ("States.ArrayUnique", "States.ArrayUnique(array)"),
    ("States.Base64Encode", "States.Base64Encode(string)"),
    ("States.Base64Decode", "States.Base64Decode(string)"),
    ("States.Hash", "States.Hash(data, 'SHA-256')"),
    (
        "States.JsonMerge",
        "States.JsonMerge(object, object, false)",
    ),
    ("States.MathRandom", "States.MathRandom(start, end)"),
    ("States.MathAdd", "States.MathAdd(a, b)"),
    (
        "States.StringSplit",
        "States.StringSplit(string, delimiter)",
    ),
    ("States.UUID", "States.UUID()"),
];

const ARNS: &[&str] = &[
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::events:putEvents",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::ecs:runTask.sync",
    "arn:aws:states:::glue:startJobRun.sync",
    "arn:aws:states:::batch:submitJob.sync",
    "arn:aws:states:::http:invoke",
    "arn:aws:states:::bedrock:invokeModel",
];

/// Completion from the text before the cursor (it works while the document is incomplete)
/// and the names of the last version that parsed.
fn completion(s: &Server, p: &Value) -> Value {
    let Some((doc, off)) = at(s, p) else {
        return json!([]);
    };
    let line_start = doc.text[..off].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &doc.text[line_start..off];
    let trimmed = prefix.trim_start();
    let key_is = |k: &str| {
        trimmed.starts_with(&format!("\"{k}\""))
            || trimmed.starts_with(&format!("{k}:"))
            || trimmed.starts_with(&format!("- {k}:"))
    };
    let item = |label: &str, kind: u32, detail: &str| json!({"label": label, "kind": kind, "detail": detail});
    let in_value = trimmed.contains(':');
    if in_value && (key_is("Next") || key_is("Default") || key_is("StartAt")) {
        let names: Vec<Value> = doc
            .nav()
            .map(|n| {
                n.model
                    .states
                    .iter()
                    .map(|st| item(&st.name, 12, st.ty.name()))
                    .collect()
            })
            .unwrap_or_else(|| {
                // While the document does not parse: every key that looks like a state.
                doc.text
                    .lines()
                    .filter_map(|l| {
                        l.trim()
                            .strip_suffix(": {")
                            .or_else(|| l.trim().strip_suffix(':'))
                    })
                    .map(|k| k.trim_matches('"'))
                    .filter(|k| !k.is_empty() && k.chars().next().is_some_and(char::is_uppercase))
                    .map(|k| item(k, 12, "state"))
                    .collect()
            });
        return json!(names);
    }
    if in_value && key_is("Resource") {
        return json!(
            ARNS.iter()
                .map(|a| item(a, 12, "service integration"))
                .collect::<Vec<_>>()
        );
    }
    let before = &doc.text[..off];
    let open_error_equals = before
        .rfind("ErrorEquals")
        .is_some_and(|i| !before[i..].contains(']') && before[i..].contains('['));
    if open_error_equals {
        let mut names: Vec<&str> = crate::asl::errors::KNOWN.to_vec();
        names.extend(crate::asl::errors::LAMBDA_TRANSIENT);
        return json!(
            names
                .iter()
                .map(|n| item(n, 20, "error name"))
                .collect::<Vec<_>>()
        );
    }
    if prefix.contains("States.") || (in_value && trimmed.contains(".$")) {
        return json!(
            INTRINSICS
                .iter()
                .map(|(n, sig)| item(n, 3, sig))
                .collect::<Vec<_>>()
        );
    }
    if !in_value {
        return json!(
            FIELDS
                .iter()
                .map(|f| item(f, 10, "field"))
                .collect::<Vec<_>>()
        );
    }
    json!([])
}
