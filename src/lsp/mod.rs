//! `sfn-lint lsp`: one synchronous main loop over a connection (lsp-server), a dispatcher by
//! method, and lints run on worker threads so that a huge file never blocks the loop; a lint
//! result is published only if its document version is still current (stale work is dropped).
//!
//! Every handler runs under `catch_unwind`: a panic becomes an error response and a log line,
//! never a dead server. Requests before `initialize`, after `shutdown`, for unknown documents
//! or at invalid positions get an error or an empty result.

pub mod convert;
mod cost_hints;
mod handlers;
pub mod nav;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

use crate::asl::Definition;
use crate::config::{Config, Settings};
use crate::diagnostic::Diagnostic;
use crate::syntax::Format;
use convert::{Encoding, Lines};

/// The notification the transport sends for input it could not read.
pub const MALFORMED: &str = "$/sfn-lint/malformed";

/// An open document.
pub struct Doc {
    pub uri: String,
    pub text: String,
    pub version: i32,
    pub path: Option<PathBuf>,
    /// The findings of the last lint of this version (for code actions and hovers).
    pub diagnostics: Vec<Diagnostic>,
    /// This version read as a definition: handed over by its lint, or read by the first
    /// request that needs it before the lint ends. Emptied by every change.
    pub read: std::cell::OnceCell<Option<Definition>>,
}

impl Doc {
    pub fn new(uri: &str, text: String, version: i32) -> Doc {
        Doc {
            uri: uri.to_string(),
            text,
            version,
            path: path_for(uri),
            diagnostics: Vec::new(),
            read: std::cell::OnceCell::new(),
        }
    }

    pub fn format(&self) -> Format {
        Format::from_path(&self.uri)
    }

    /// This version read as a definition, when it is one.
    pub fn read_definition(&self) -> Option<&Definition> {
        self.read
            .get_or_init(|| crate::lint::read_definition(&self.text, self.format()).ok())
            .as_ref()
    }

    /// The navigation view of this version, when it reads as a definition.
    pub fn nav(&self) -> Option<nav::Nav<'_>> {
        self.read_definition().map(nav::Nav::of)
    }
}

struct Linted {
    uri: String,
    version: i32,
    diagnostics: Vec<Diagnostic>,
    read: Option<Definition>,
}

pub struct Server {
    sender: Sender<Message>,
    pub docs: HashMap<String, Doc>,
    pub encoding: Encoding,
    initialized: bool,
    shutdown: bool,
    configs: HashMap<PathBuf, Option<Config>>,
    results_tx: Sender<Linted>,
    results_rx: Receiver<Linted>,
    /// Documents with a lint running, and those changed meanwhile: one lint per document at a
    /// time, the newest text next (keystrokes coalesce instead of piling up threads).
    running: std::collections::HashSet<String>,
    dirty: std::collections::HashSet<String>,
    /// Severity overrides the editor sends (`initializationOptions.severity`, or the
    /// `sfn-lint.severity` setting): rule code or name to `error`, `warning`, `info` or `off`.
    /// They apply after `sfn-lint.toml`'s.
    editor_overrides: Vec<(String, Option<crate::diagnostic::Severity>)>,
}

/// Reads `{"SFN404": "off", "unreachable-state": "warning"}`; unknown rules and levels are
/// left out, with a message for the log.
fn parse_overrides(
    value: Option<&Value>,
) -> (
    Vec<(String, Option<crate::diagnostic::Severity>)>,
    Vec<String>,
) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (k, v) in value.and_then(Value::as_object).into_iter().flatten() {
        if crate::rules::find(k).is_none() {
            problems.push(format!("sfn-lint.severity: unknown rule `{k}`"));
            continue;
        }
        match v.as_str() {
            Some("off") => out.push((k.clone(), None)),
            Some(level) => match crate::diagnostic::Severity::parse(level) {
                Some(sev) => out.push((k.clone(), Some(sev))),
                None => problems.push(format!(
                    "sfn-lint.severity: `{k}` has level `{level}`; use error, warning, info or off"
                )),
            },
            None => problems.push(format!("sfn-lint.severity: `{k}` must be a string")),
        }
    }
    (out, problems)
}

/// The file a `file:` URI names: `file:///home/a%20b/x.json` → `/home/a b/x.json`,
/// `file:///c%3A/x.json` → `c:/x.json` on Windows. Other schemes (`untitled:`) name no file.
fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // An authority is empty or `localhost`; a remote host names no local file.
    let path = match rest.strip_prefix("localhost") {
        Some(p) => p,
        None => rest,
    };
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/x` → `C:/x`.
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

/// Decodes `%XX` escapes; None for a malformed escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Server {
    pub fn new(sender: Sender<Message>) -> Server {
        let (results_tx, results_rx) = crossbeam_channel::unbounded();
        Server {
            sender,
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            initialized: false,
            shutdown: false,
            configs: HashMap::new(),
            results_tx,
            results_rx,
            running: Default::default(),
            dirty: Default::default(),
            editor_overrides: Vec::new(),
        }
    }

    fn send(&self, m: impl Into<Message>) {
        let _ = self.sender.send(m.into());
    }

    pub fn log(&self, message: &str) {
        self.send(Notification::new(
            "window/logMessage".into(),
            json!({"type": 3, "message": message}),
        ));
    }

    /// The settings for a file: its nearest `sfn-lint.toml`, found and read as the CLI does.
    pub fn settings_for(&mut self, path: Option<&Path>) -> Settings {
        let config = path.and_then(Path::parent).and_then(|dir| {
            self.configs
                .entry(dir.to_path_buf())
                // A broken config is the CLI's to report; the editor lints with the defaults.
                .or_insert_with(|| crate::workspace::config_for(dir).ok().flatten())
                .clone()
        });
        let mut s = config
            .as_ref()
            .map(Settings::from_config)
            .unwrap_or_default();
        s.overrides.extend(self.editor_overrides.iter().cloned());
        // The editor gets the CLI's default time budget: a pathological document must not
        // keep a worker busy while the user types.
        s.time_budget = Some(std::time::Duration::from_millis(
            crate::limits::DEFAULT_TIME_BUDGET_MS,
        ));
        s
    }

    /// Starts a lint of the document's current version on a worker thread.
    pub fn schedule(&mut self, uri: &str) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let (text, version, path) = (doc.text.clone(), doc.version, doc.path.clone());
        let uri = uri.to_string();
        if !crate::lint::is_checked(&uri, &text) {
            self.publish(&uri, version, &[], "");
            return;
        }
        let settings = self.settings_for(path.as_deref());
        let tx = self.results_tx.clone();
        self.running.insert(uri.clone());
        std::thread::spawn(move || {
            let name = path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| uri.clone());
            let (diagnostics, read) = std::panic::catch_unwind(|| {
                let (mut r, read) = crate::lint::lint_keeping(&name, &text, &settings);
                // A template's definition files are resolved as the CLI does, so the template
                // gets the same errors at its references.
                if !r.references.is_empty() {
                    let resolved = crate::references::resolve(
                        &name,
                        path.as_deref(),
                        &r.references,
                        None,
                        &settings,
                        &mut Default::default(),
                        0,
                    );
                    r.diagnostics.extend(resolved.diagnostics);
                    r.diagnostics
                        .sort_by_key(|d| (d.span.start, d.span.end, d.rule.code));
                }
                (r.diagnostics, read)
            })
            .unwrap_or_default();
            let _ = tx.send(Linted {
                uri,
                version,
                diagnostics,
                read,
            });
        });
    }

    fn finish_lint(&mut self, l: Linted) {
        self.running.remove(&l.uri);
        if self.dirty.remove(&l.uri) {
            // Newer text arrived while this ran: lint that instead of publishing this.
            self.schedule(&l.uri.clone());
            return;
        }
        let current = self.docs.get(&l.uri).map(|d| d.version);
        if current != Some(l.version) {
            return; // a newer version is being linted
        }
        let text = self.docs[&l.uri].text.clone();
        self.publish(&l.uri, l.version, &l.diagnostics, &text);
        if let Some(d) = self.docs.get_mut(&l.uri) {
            d.diagnostics = l.diagnostics;
            if d.read.get().is_none() {
                d.read = std::cell::OnceCell::from(l.read);
            }
        }
    }

    pub fn to_lsp(&self, uri: &str, text: &str, d: &Diagnostic) -> Value {
        let lines = Lines::new(text, self.encoding);
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        json!({
            "range": lines.range(d.span),
            "severity": match d.severity {
                crate::diagnostic::Severity::Error => 1,
                crate::diagnostic::Severity::Warning => 2,
                crate::diagnostic::Severity::Info => 3,
            },
            "code": d.rule.code,
            "codeDescription": {"href": d.rule.url()},
            "source": "sfn-lint",
            "message": message,
            "relatedInformation": d.labels.iter().map(|l| json!({
                "location": {"uri": uri, "range": lines.range(l.span)},
                "message": l.message,
            })).collect::<Vec<_>>(),
        })
    }

    fn publish(&self, uri: &str, version: i32, diags: &[Diagnostic], text: &str) {
        let items: Vec<Value> = diags.iter().map(|d| self.to_lsp(uri, text, d)).collect();
        self.send(Notification::new(
            "textDocument/publishDiagnostics".into(),
            json!({"uri": uri, "version": version, "diagnostics": items}),
        ));
    }

    fn relint_all(&mut self) {
        self.configs.clear();
        let uris: Vec<String> = self.docs.keys().cloned().collect();
        for u in uris {
            self.schedule(&u);
        }
    }

    /// Handles one request; returns the response.
    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        if req.method == "initialize" {
            return self.initialize(id, &req.params);
        }
        if !self.initialized {
            return Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "not initialized".into(),
            );
        }
        if self.shutdown {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        if req.method == "shutdown" {
            self.shutdown = true;
            return Response::new_ok(id, Value::Null);
        }
        let method = req.method.clone();
        let params = req.params;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handlers::dispatch(self, &method, &params)
        }));
        match result {
            Ok(Some(Ok(v))) => Response::new_ok(id, v),
            Ok(Some(Err(e))) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
            Ok(None) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method `{method}`"),
            ),
            Err(_) => {
                self.log(&format!(
                    "sfn-lint: the handler of {method} panicked; please report it"
                ));
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("internal error in {method}"),
                )
            }
        }
    }

    fn initialize(&mut self, id: RequestId, params: &Value) -> Response {
        let offered: Vec<&str> = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        self.encoding = if offered.contains(&"utf-8") {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.initialized = true;
        self.set_overrides(params.pointer("/initializationOptions/severity"));
        Response::new_ok(
            id,
            json!({
                "capabilities": {
                    "positionEncoding": self.encoding.name(),
                    "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
                    "hoverProvider": true,
                    "completionProvider": {"triggerCharacters": ["\"", ".", " ", ":"]},
                    "definitionProvider": true,
                    "referencesProvider": true,
                    "renameProvider": {"prepareProvider": false},
                    "documentSymbolProvider": true,
                    "codeActionProvider": {"codeActionKinds": ["quickfix"]},
                    "foldingRangeProvider": true,
                    "inlayHintProvider": true,
                },
                "serverInfo": {"name": "sfn-lint", "version": crate::VERSION},
            }),
        )
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handlers::notify(self, &n.method, &n.params)
        }));
        if r.is_err() {
            self.log(&format!(
                "sfn-lint: the handler of {} panicked; please report it",
                n.method
            ));
        }
    }

    /// Config changes (a watched or saved `sfn-lint.toml`) re-lint every open document.
    pub fn config_changed(&mut self) {
        self.relint_all();
    }

    /// Takes the editor's severity overrides, logging those it cannot use.
    pub fn set_overrides(&mut self, value: Option<&Value>) {
        let (overrides, problems) = parse_overrides(value);
        for p in problems {
            self.log(&p);
        }
        self.editor_overrides = overrides;
    }
}

/// Runs the server until `exit`; returns whether `shutdown` came first (exit code 0).
pub fn run(connection: Connection) -> bool {
    let mut server = Server::new(connection.sender.clone());
    loop {
        select! {
            recv(connection.receiver) -> msg => {
                let Ok(msg) = msg else { return server.shutdown };
                match msg {
                    Message::Request(req) => {
                        let resp = server.request(req);
                        server.send(resp);
                    }
                    Message::Notification(n) => {
                        if n.method == "exit" {
                            return server.shutdown;
                        }
                        if n.method == MALFORMED {
                            let text = n.params.get("message").and_then(Value::as_str).unwrap_or("malformed input");
                            server.log(text);
                            continue;
                        }
                        server.notification(n);
                    }
                    Message::Response(_) => {}
                }
            }
            recv(server.results_rx) -> linted => {
                if let Ok(l) = linted {
                    server.finish_lint(l);
                }
            }
        }
    }
}

pub(crate) fn path_for(uri: &str) -> Option<PathBuf> {
    path_of(uri)
}

#[cfg(test)]
mod tests {
    use super::path_of;
    use std::path::PathBuf;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            path_of("file:///home/a%20b/x.json"),
            Some(PathBuf::from("/home/a b/x.json"))
        );
        assert_eq!(
            path_of("file://localhost/tmp/x.asl.yaml"),
            Some(PathBuf::from("/tmp/x.asl.yaml"))
        );
        assert_eq!(
            path_of("file:///caf%C3%A9/f.json"),
            Some(PathBuf::from("/café/f.json"))
        );
        assert_eq!(path_of("untitled:Untitled-1"), None);
        assert_eq!(path_of("file://server/share/x.json"), None);
        assert_eq!(path_of("file:///bad%zz"), None);
        assert_eq!(path_of("file:///trunc%2"), None);
    }
}
