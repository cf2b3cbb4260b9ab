//! The language server, driven in memory by a test client: the handshake, diagnostics that
//! match the CLI's (same codes, same ranges, in UTF-16), every feature, and malformed or
//! out-of-order traffic that must not bring it down.

mod common;

use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, ResponseError};

struct Response {
    result: Option<Value>,
    error: Option<ResponseError>,
}
use serde_json::{Value, json};

struct Client {
    conn: Connection,
    next: i32,
    server: Option<std::thread::JoinHandle<bool>>,
    /// Notifications received while waiting for responses.
    pending: Vec<Notification>,
}

impl Client {
    fn start() -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || sfn_lint::lsp::run(server));
        Client {
            conn: client,
            next: 1,
            server: Some(handle),
            pending: Vec::new(),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.next;
        self.next += 1;
        self.conn
            .sender
            .send(Request::new(RequestId::from(id), method.into(), params).into())
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(20))
                .expect("a response")
            {
                Message::Response(r) if r.id == RequestId::from(id) => {
                    return match r.response_result {
                        Ok(v) => Response {
                            result: Some(v),
                            error: None,
                        },
                        Err(e) => Response {
                            result: None,
                            error: Some(e),
                        },
                    };
                }
                Message::Notification(n) => self.pending.push(n),
                _ => {}
            }
        }
    }

    fn ok(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.error.is_none(), "{method}: {:?}", r.error);
        r.result.unwrap_or(Value::Null)
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    fn init(&mut self, capabilities: Value) -> Value {
        let r = self.ok("initialize", json!({"capabilities": capabilities}));
        self.notify("initialized", json!({}));
        r
    }

    /// The next diagnostics published for `uri` (with at least `version`).
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(i) = self.pending.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == uri
                    && n.params["version"].as_i64().unwrap_or(0) >= version
            }) {
                let n = self.pending.remove(i);
                return n.params["diagnostics"].as_array().unwrap().clone();
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if let Message::Notification(n) =
                self.conn.receiver.recv_timeout(left).expect("diagnostics")
            {
                self.pending.push(n);
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        );
        self.diagnostics(uri, 1)
    }

    fn stop(mut self) -> bool {
        self.ok("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

fn pos(text: &str, needle: &str, plus: usize) -> Value {
    let off = text.find(needle).unwrap_or_else(|| panic!("{needle}")) + plus;
    let line = text[..off].matches('\n').count();
    let start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..off].encode_utf16().count()})
}

fn apply(text: &str, edits: &[Value]) -> String {
    // Edits as (offset range, text), applied back to front.
    let offset = |p: &Value| {
        let (line, ch) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

const URI: &str = "file:///tmp/sfn-lint-lsp-test/flow.asl.json";

#[test]
fn diagnostics_match_the_cli_in_utf16() {
    // An emoji before the finding: 1 character for the CLI, 2 UTF-16 units for the editor.
    let text = "{\"Comment\": \"😀 é\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}\n";
    let mut c = Client::start();
    let caps = c.init(json!({}));
    assert_eq!(caps["capabilities"]["positionEncoding"], "utf-16");
    let diags = c.open(URI, text);
    let cli = sfn_lint::lint::lint_text(text, sfn_lint::syntax::Format::Json, &Default::default());
    assert_eq!(diags.len(), cli.len());
    for (l, d) in diags.iter().zip(&cli) {
        assert_eq!(l["code"], d.rule.code);
        let start = d.span.start as usize;
        let want_col = text[..start].encode_utf16().count();
        assert_eq!(l["range"]["start"]["character"], want_col, "{l}");
        assert_eq!(l["codeDescription"]["href"], d.rule.url());
    }
    let gone = diags.iter().find(|d| d["code"] == "SFN102").unwrap();
    assert_eq!(gone["range"]["start"], pos(text, "\"Gone\"", 0));
    assert!(c.stop());
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let text = "{\"Comment\": \"😀\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}";
    let mut c = Client::start();
    let caps = c.init(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(caps["capabilities"]["positionEncoding"], "utf-8");
    let diags = c.open(URI, text);
    let gone = diags.iter().find(|d| d["code"] == "SFN102").unwrap();
    assert_eq!(
        gone["range"]["start"]["character"],
        text.find("\"Gone\"").unwrap()
    );
    c.stop();
}

const FLOW: &str = r#"{
  "StartAt": "Validate",
  "States": {
    "Validate": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "validate", "Payload.$": "$"},
      "Next": "Charge"
    },
    "Charge": {
      "Type": "Pass",
      "Next": "Done"
    },
    "Done": {"Type": "Succeed"}
  }
}
"#;

#[test]
fn navigation_rename_symbols_hover_folding() {
    let mut c = Client::start();
    c.init(json!({}));
    c.open(URI, FLOW);
    let at = |needle: &str| json!({"textDocument": {"uri": URI}, "position": pos(FLOW, needle, 2)});
    // Definition: from `"Next": "Charge"` to the `Charge` key.
    let def = c.ok("textDocument/definition", at("\"Charge\"\n"));
    assert_eq!(def["range"]["start"], pos(FLOW, "\"Charge\": {", 0));
    // References of Charge: its key and the transition.
    let refs = c.ok("textDocument/references", json!({"textDocument": {"uri": URI}, "position": pos(FLOW, "\"Charge\": {", 2), "context": {"includeDeclaration": true}}));
    assert_eq!(refs.as_array().unwrap().len(), 2);
    // Rename Charge → ChargeCard: every mention, and the result lints as before.
    let edit = c.ok("textDocument/rename", json!({"textDocument": {"uri": URI}, "position": pos(FLOW, "\"Charge\": {", 2), "newName": "ChargeCard"}));
    let edits = edit["changes"][URI].as_array().unwrap().clone();
    assert_eq!(edits.len(), 2);
    let renamed = apply(FLOW, &edits);
    assert!(renamed.contains("\"ChargeCard\": {") && renamed.contains("\"Next\": \"ChargeCard\""));
    let before: Vec<&str> =
        sfn_lint::lint::lint_text(FLOW, sfn_lint::syntax::Format::Json, &Default::default())
            .iter()
            .map(|d| d.rule.code)
            .collect();
    let after: Vec<&str> = sfn_lint::lint::lint_text(
        &renamed,
        sfn_lint::syntax::Format::Json,
        &Default::default(),
    )
    .iter()
    .map(|d| d.rule.code)
    .collect();
    assert_eq!(before, after);
    // Renaming onto an existing name is refused.
    let r = c.request("textDocument/rename", json!({"textDocument": {"uri": URI}, "position": pos(FLOW, "\"Charge\": {", 2), "newName": "Done"}));
    assert!(r.error.is_some());
    let symbols = c.ok(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Validate", "Charge", "Done"]);
    let hover = c.ok("textDocument/hover", at("\"Charge\"\n"));
    insta::assert_snapshot!(
        "lsp_hover_state",
        hover["contents"]["value"].as_str().unwrap()
    );
    let field = c.ok(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(FLOW, "\"Resource\"", 3)}),
    );
    assert!(
        field["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Resource**"),
        "{field}"
    );
    let folds = c.ok(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(folds.as_array().unwrap().len() >= 4);
    c.stop();
}

#[test]
fn code_actions_apply_the_cli_fixes() {
    let mut c = Client::start();
    c.init(json!({}));
    let diags = c.open(URI, FLOW);
    assert!(diags.iter().any(|d| d["code"] == "SFN404"), "{diags:?}");
    let actions = c.ok("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}, "context": {"diagnostics": []}}));
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "SFN404")
        .expect("the Lambda retrier fix");
    assert_eq!(action["kind"], "quickfix");
    let fixed = apply(FLOW, action["edit"]["changes"][URI].as_array().unwrap());
    let after =
        sfn_lint::lint::lint_text(&fixed, sfn_lint::syntax::Format::Json, &Default::default());
    assert!(after.iter().all(|d| d.rule.code != "SFN404"), "{fixed}");
    assert!(
        after
            .iter()
            .all(|d| d.severity != sfn_lint::diagnostic::Severity::Error)
    );
    c.stop();
}

#[test]
fn completion_offers_what_fits_the_place() {
    let mut c = Client::start();
    c.init(json!({}));
    let text = FLOW.replace("\"Next\": \"Done\"", "\"Next\": \"\"");
    c.open(URI, &text);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let states = c.ok(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, "\"Next\": \"\"", 9)}),
    );
    assert!(labels(&states).contains(&"Done".to_string()), "{states}");
    let with_retry = FLOW.replace(
        "\"Next\": \"Charge\"",
        "\"Retry\": [{\"ErrorEquals\": [\"\n\"Next\": \"Charge\"",
    );
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": with_retry}]}));
    let errors = c.ok(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(&with_retry, "[\"\n", 2)}),
    );
    assert!(
        labels(&errors).contains(&"States.ALL".to_string()),
        "{errors}"
    );
    c.stop();
}

#[test]
fn incremental_changes_and_stale_versions() {
    let mut c = Client::start();
    c.init(json!({}));
    let diags = c.open(URI, FLOW);
    assert!(diags.iter().all(|d| d["code"] != "SFN102"));
    // Replace "Done" in `"Next": "Done"` with "Dnoe", as an incremental edit.
    let start = pos(FLOW, "\"Next\": \"Done\"", 9);
    let end = json!({"line": start["line"], "character": start["character"].as_u64().unwrap() + 4});
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": {"start": start, "end": end}, "text": "Dnoe"}]}));
    let diags = c.diagnostics(URI, 2);
    assert!(diags.iter().any(|d| d["code"] == "SFN102"), "{diags:?}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    c.stop();
}

#[test]
fn hostile_traffic_does_not_bring_it_down() {
    let mut c = Client::start();
    // Before initialize: an error, not a crash.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r.error.unwrap().code, -32002);
    c.init(json!({}));
    // Unknown methods, unknown documents, invalid positions and params.
    assert_eq!(
        c.request("sfn/unknown", json!({})).error.unwrap().code,
        -32601
    );
    assert_eq!(c.ok("textDocument/hover", json!({"textDocument": {"uri": "file:///nope.asl.json"}, "position": {"line": 0, "character": 0}})), Value::Null);
    c.open(URI, FLOW);
    for p in [
        json!({"line": 9999, "character": 9999}),
        json!({"line": 0, "character": 99999}),
        json!("nonsense"),
    ] {
        let params = json!({"textDocument": {"uri": URI}, "position": p});
        for m in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/references",
        ] {
            let r = c.request(m, params.clone());
            assert!(
                r.error.is_none() || r.error.as_ref().unwrap().code == -32602,
                "{m}: {:?}",
                r.error
            );
        }
    }
    c.notify("textDocument/didChange", json!({"garbage": true}));
    c.notify("textDocument/didOpen", json!({"textDocument": 5}));
    // A broken document still gets diagnostics and empty navigation.
    let broken = "{\"StartAt\": \"A\", \"States\": {";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": broken}]}),
    );
    let diags = c.diagnostics(URI, 3);
    assert_eq!(diags[0]["code"], "SFN001");
    assert_eq!(
        c.ok(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}})
        ),
        json!([])
    );
    // After shutdown, requests are refused; exit ends the loop cleanly.
    c.ok("shutdown", Value::Null);
    assert_eq!(
        c.request("textDocument/hover", json!({}))
            .error
            .unwrap()
            .code,
        -32600
    );
    c.notify("exit", Value::Null);
    assert!(
        c.server.take().unwrap().join().unwrap(),
        "shutdown then exit is a clean stop"
    );
}

#[test]
fn exit_without_shutdown_is_not_clean() {
    let mut c = Client::start();
    c.init(json!({}));
    c.notify("exit", Value::Null);
    assert!(!c.server.take().unwrap().join().unwrap());
}

#[test]
fn config_is_read_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flow.asl.json");
    std::fs::write(&file, FLOW).unwrap();
    let uri = format!("file://{}", file.display());
    let mut c = Client::start();
    c.init(json!({}));
    let diags = c.open(&uri, FLOW);
    assert!(diags.iter().any(|d| d["code"] == "SFN404"));
    std::fs::write(dir.path().join("sfn-lint.toml"), "ignore = [\"SFN404\"]\n").unwrap();
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": format!("file://{}/sfn-lint.toml", dir.path().display()), "type": 1}]}));
    let diags = c.diagnostics(&uri, 1);
    assert!(diags.iter().all(|d| d["code"] != "SFN404"), "{diags:?}");
    c.stop();
}

#[test]
fn rapid_changes_coalesce_to_the_newest_text() {
    let mut c = Client::start();
    c.init(json!({}));
    c.open(URI, FLOW);
    for v in 2..=30 {
        let text = if v == 30 {
            FLOW.replace("\"Next\": \"Done\"", "\"Next\": \"Last\"")
        } else {
            FLOW.replace("\"Next\": \"Done\"", &format!("\"Next\": \"D{v}\""))
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": text}]}),
        );
    }
    let diags = c.diagnostics(URI, 30);
    let missing: Vec<&str> = diags
        .iter()
        .filter(|d| d["code"] == "SFN102")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].contains("`Last`"), "{missing:?}");
    c.stop();
}

#[test]
fn templates_get_the_same_reference_errors_as_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachines/flow.asl.json\n";
    let file = dir.path().join("template.yaml");
    std::fs::write(&file, text).unwrap();
    std::fs::create_dir(dir.path().join("statemachine")).unwrap();
    std::fs::write(dir.path().join("statemachine/flow.asl.json"), FLOW).unwrap();
    let uri = format!("file://{}", file.display());
    let mut c = Client::start();
    c.init(json!({}));
    let diags = c.open(&uri, text);
    let cli = common::run(common::bin().args(["check", "--format", "json"]).arg(&file));
    let v: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    let want: Vec<(String, u64)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    let got: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `statemachine/flow.asl.json`"),
        "{diags:?}"
    );
    c.stop();
}

#[test]
fn editor_severity_overrides_apply_after_the_config() {
    let mut c = Client::start();
    let r = c.ok(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": {"severity": {"SFN404": "off", "missing-catch": "warning", "SFN999": "off"}}}),
    );
    assert!(r["capabilities"].is_object());
    c.notify("initialized", json!({}));
    let diags = c.open(URI, FLOW);
    assert!(diags.iter().all(|d| d["code"] != "SFN404"), "{diags:?}");
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "SFN405" && d["severity"] == 2),
        "{diags:?}"
    );
    // Settings pushed later replace them.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"sfn-lint": {"severity": {}}}}),
    );
    let diags = c.diagnostics(URI, 1);
    assert!(diags.iter().any(|d| d["code"] == "SFN404"), "{diags:?}");
    c.stop();
}

#[test]
fn states_show_their_visits_and_share_of_the_bill() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flow.asl.json");
    let flow = FLOW.replace(
        "\"Next\": \"Charge\"",
        "\"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Done\"}], \"Next\": \"Charge\"",
    );
    std::fs::write(&file, &flow).unwrap();
    // The profile beside the file: Validate fails a fifth of the time, so Charge is visited
    // 0.8 times an execution; 1,000,000 executions a month.
    std::fs::write(
        dir.path().join("flow.profile.yaml"),
        "executions_per_month: 1000000\nstates:\n  Validate:\n    failure_rate: 0.2\n",
    )
    .unwrap();
    let uri = format!("file://{}", file.display());
    let mut c = Client::start();
    let caps = c.init(json!({}));
    assert_eq!(caps["capabilities"]["inlayHintProvider"], true);
    c.open(&uri, &flow);
    let hints = c.ok(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
    );
    let hints = hints.as_array().unwrap();
    assert_eq!(hints.len(), 3, "{hints:?}");
    let charge = hints
        .iter()
        .find(|h| h["position"] == pos(&flow, "\"Charge\": {", 8))
        .unwrap_or_else(|| panic!("no hint after Charge's name: {hints:?}"));
    let label = charge["label"].as_str().unwrap();
    // Transitions per execution: Validate 1, Charge 0.8, Done 1 (2.8); Charge's share 28.6%
    // of (2,800,000 − 4,000) × $0.025 / 1,000 = $69.90.
    assert!(label.contains("0.80 visits/execution"), "{label}");
    assert!(label.contains("28.6% of $69.90/month"), "{label}");
    let hover = c.ok(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(&flow, "\"Charge\": {", 2)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("cost: 0.80 visits/execution"), "{text}");
    c.stop();
}
