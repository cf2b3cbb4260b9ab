//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. Hand-rolled structs for
//! exactly the fields we emit. Columns are UTF-16 code units, as GitHub expects.

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::lint::FileReport;
use crate::rules::{ALL, RuleMeta};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Help,
    default_configuration: Config,
    properties: RuleProps,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Config {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProps {
    tags: Vec<&'static str>,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(r: &RuleMeta) -> Rule {
    Rule {
        id: r.code,
        name: r.name,
        short_description: Text {
            text: r.summary().to_string(),
        },
        full_description: Text {
            text: r.summary().to_string(),
        },
        help_uri: r.url(),
        help: Help {
            text: r.summary().to_string(),
            markdown: r.page().to_string(),
        },
        default_configuration: Config {
            level: level(r.default_severity),
        },
        properties: RuleProps {
            tags: vec![r.category.as_str()],
            precision: "very-high",
        },
    }
}

/// A relative path as a URI reference: forward slashes, percent-encoded where needed.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::new();
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(reports: &[FileReport]) -> String {
    let mut results = Vec::new();
    for r in reports {
        let index = r.line_index();
        let loc = |span: crate::source::Span, id: Option<usize>, message: Option<&str>| {
            let s = index.utf16_col(&r.text, span.start);
            let e = index.utf16_col(&r.text, span.end);
            Location {
                id,
                physical_location: Physical {
                    artifact_location: Artifact {
                        uri: uri(&r.path),
                        uri_base_id: "%SRCROOT%",
                    },
                    region: Region {
                        start_line: s.line,
                        start_column: s.column,
                        end_line: e.line,
                        end_column: e.column,
                    },
                },
                message: message.map(|m| Text {
                    text: m.to_string(),
                }),
            }
        };
        for d in &r.diagnostics {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str(&format!("\nhelp: {h}"));
            }
            results.push(SarifResult {
                rule_id: d.rule.code,
                rule_index: ALL
                    .iter()
                    .position(|x| std::ptr::eq(&x.meta, d.rule))
                    .unwrap_or(0),
                level: level(d.severity),
                message: Text { text },
                locations: vec![loc(d.span, None, None)],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| loc(l.span, Some(i + 1), Some(&l.message)))
                    .collect(),
            });
        }
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sfn-lint",
                    version: crate::VERSION,
                    semantic_version: crate::VERSION,
                    information_uri: crate::DOCS_BASE,
                    rules: ALL.iter().map(|r| rule(r)).collect(),
                },
            },
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}
