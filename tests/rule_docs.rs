//! Every rule's page in `rules/` is documentation and test at once: each `Invalid` example
//! must raise exactly its rule (at the stated pointer or line), each `Valid` example nothing.
//! The rendered diagnostics of every page are snapshotted, one file per rule.

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use sfn_lint::config::Settings;
use sfn_lint::lint::{FileReport, lint_text};
use sfn_lint::render;
use sfn_lint::rules::{ALL, RuleMeta};
use sfn_lint::source::LineIndex;
use sfn_lint::syntax::Format;

#[derive(Debug)]
struct Example {
    section: String,
    lang: String,
    info: String,
    code: String,
}

fn examples(page: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_heading = false;
    let mut block: Option<(String, String)> = None;
    for event in Parser::new(page) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H3,
                ..
            }) => {
                in_heading = true;
                section.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if in_heading => section.push_str(&t),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                block = Some((info.to_string(), String::new()))
            }
            Event::Text(t) => {
                if let Some((_, code)) = block.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code)) = block.take() {
                    let lang = info.split_whitespace().next().unwrap_or("").to_string();
                    out.push(Example {
                        section: section.clone(),
                        lang,
                        info,
                        code,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// `expect="SFN102@/States/A/Next"` in a fence's info string.
fn expectation(info: &str) -> Option<(String, Option<String>)> {
    let start = info.find("expect=\"")? + 8;
    let rest = &info[start..];
    let value = &rest[..rest.find('"')?];
    Some(match value.split_once('@') {
        Some((c, p)) => (c.to_string(), Some(p.to_string())),
        None => (value.to_string(), None),
    })
}

/// `# error: [SFN002]` comments in YAML: (code, 1-based line).
fn yaml_expectations(code: &str) -> Vec<(String, u32)> {
    code.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let m = l.split("# error: [").nth(1)?;
            Some((m.split(']').next()?.to_string(), i as u32 + 1))
        })
        .collect()
}

fn check_page(rule: &RuleMeta) -> String {
    let mut snapshot = String::new();
    let exs = examples(rule.docs);
    assert!(
        exs.iter().any(|e| e.section == "Invalid"),
        "{}: no Invalid example",
        rule.name
    );
    assert!(
        exs.iter().any(|e| e.section == "Valid"),
        "{}: no Valid example",
        rule.name
    );
    for (i, ex) in exs.iter().enumerate() {
        let format = match ex.lang.as_str() {
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            _ => continue,
        };
        let mut text = ex.code.clone();
        if ex.info.contains("prepend-bom") {
            text.insert(0, '\u{FEFF}');
        }
        let mut settings = Settings::default();
        if ex.info.contains("type=express") {
            settings.workflow_type = Some(sfn_lint::asl::WorkflowType::Express);
        }
        if ex.info.contains("time-budget=0") {
            settings.time_budget = Some(std::time::Duration::ZERO);
        }
        let mut diags = lint_text(&text, format, &settings);
        // Each page shows one rule. Advice (info) from other rules — such as `missing-catch`
        // on a Task that has no Catch because catching is not the point — is left out.
        diags.retain(|d| {
            d.rule.code == rule.code || d.severity != sfn_lint::diagnostic::Severity::Info
        });
        let codes: BTreeSet<&str> = diags.iter().map(|d| d.rule.code).collect();
        let index = LineIndex::new(&text);
        match ex.section.as_str() {
            "Invalid" => {
                let expected: Vec<(String, Option<String>, Option<u32>)> = match format {
                    Format::Json => expectation(&ex.info)
                        .map(|(c, p)| vec![(c, p, None)])
                        .unwrap_or_default(),
                    Format::Yaml => yaml_expectations(&text)
                        .into_iter()
                        .map(|(c, l)| (c, None, Some(l)))
                        .collect(),
                };
                assert!(
                    !expected.is_empty(),
                    "{}: invalid example {i} states no expectation",
                    rule.name
                );
                let want: BTreeSet<&str> = expected.iter().map(|(c, ..)| c.as_str()).collect();
                assert_eq!(
                    codes, want,
                    "{}: invalid example {i} raised {codes:?}, expected {want:?}\n{text}",
                    rule.name
                );
                assert!(
                    want.contains(rule.code),
                    "{}: invalid example {i} does not exercise its own rule",
                    rule.name
                );
                for (code, pointer, line) in &expected {
                    assert!(
                        diags.iter().any(|d| d.rule.code == code
                            && pointer.as_ref().is_none_or(|p| &d.pointer == p)
                            && line.is_none_or(|l| index.line_col(&text, d.span.start).line == l)),
                        "{}: example {i}: no {code} at {pointer:?}/{line:?}; got {:?}",
                        rule.name,
                        diags
                            .iter()
                            .map(|d| (
                                d.rule.code,
                                d.pointer.clone(),
                                index.line_col(&text, d.span.start)
                            ))
                            .collect::<Vec<_>>()
                    );
                }
            }
            "Valid" => {
                assert!(
                    diags.is_empty(),
                    "{}: valid example {i} raised {:?}",
                    rule.name,
                    diags
                        .iter()
                        .map(|d| (d.rule.code, &d.message))
                        .collect::<Vec<_>>()
                );
            }
            other => panic!("{}: example under unexpected heading {other:?}", rule.name),
        }
        let name = format!("example-{i}.{}", ex.lang);
        let report = FileReport::new(&name, text.clone(), diags);
        snapshot.push_str(&format!("=== {} example {i}\n", ex.section));
        snapshot.push_str(&render::text::render_file(&report, false));
        snapshot.push_str(&render::concise::render(std::slice::from_ref(&report)));
        // The JSON contract, minus the parts every finding shares (url, summary).
        let json: serde_json::Value =
            serde_json::from_str(&render::json::render(std::slice::from_ref(&report))).unwrap();
        let mut diags = json["files"][0]["diagnostics"].clone();
        for d in diags.as_array_mut().unwrap() {
            d.as_object_mut().unwrap().remove("url");
        }
        snapshot.push_str(&serde_json::to_string_pretty(&diags).unwrap());
        snapshot.push_str("\n\n");
    }
    snapshot
}

#[test]
fn rule_pages_examples_hold_and_render() {
    for rule in ALL {
        let rendered = check_page(rule);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("snapshots/rules/{}", rule.category.as_str()));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(rule.name, rendered));
    }
}

#[test]
fn every_rule_has_one_page_and_every_page_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut pages = BTreeSet::new();
    for cat in std::fs::read_dir(&root).unwrap() {
        let cat = cat.unwrap().path();
        if !cat.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&cat).unwrap() {
            let f = f.unwrap().path();
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            pages.insert(rel);
        }
    }
    let rules: BTreeSet<String> = ALL
        .iter()
        .map(|r| format!("{}/{}.md", r.category.as_str(), r.name))
        .collect();
    assert_eq!(
        pages, rules,
        "pages in rules/ and rules in the registry differ"
    );
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut last = "";
    for r in ALL {
        assert!(
            r.code.len() == 6
                && r.code.starts_with("SFN")
                && r.code[3..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            r.code
        );
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                && !r.name.starts_with("no-"),
            "{}",
            r.name
        );
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(r.code > last, "ALL is not sorted by code at {}", r.code);
        last = r.code;
    }
}

#[test]
fn front_matter_and_headings_match_the_registry() {
    for r in ALL {
        let fm = r
            .docs
            .strip_prefix("+++")
            .and_then(|s| s.split("+++").next())
            .unwrap_or_else(|| panic!("{}: no front matter", r.name));
        let t: toml::Table = toml::from_str(fm).unwrap();
        assert_eq!(t["code"].as_str(), Some(r.code), "{}", r.name);
        assert_eq!(t["name"].as_str(), Some(r.name), "{}", r.name);
        assert_eq!(
            t["category"].as_str(),
            Some(r.category.as_str()),
            "{}",
            r.name
        );
        assert_eq!(
            t["severity"].as_str(),
            Some(r.default_severity.as_str()),
            "{}",
            r.name
        );
        assert_eq!(t["fix"].as_str(), Some(r.fix.as_str()), "{}", r.name);
        let page = r.page();
        assert!(
            page.starts_with(&format!("# {} ({})", r.name, r.code)),
            "{}: title",
            r.name
        );
        for h in [
            "## What it does",
            "## Why is this bad?",
            "## Examples",
            "### Invalid",
            "### Valid",
            "## How to fix",
            "## References",
        ] {
            assert!(
                page.contains(&format!("\n{h}\n")),
                "{}: missing heading {h}",
                r.name
            );
        }
        assert!(
            !r.summary().is_empty() && r.summary().ends_with('.'),
            "{}: summary must be one sentence",
            r.name
        );
    }
}

#[test]
fn rules_index_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md");
    let on_disk = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        on_disk,
        sfn_lint::rules::markdown_index(),
        "rules/README.md is stale: run `cargo run -- rules --markdown > rules/README.md`"
    );
}
