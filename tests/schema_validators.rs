//! The generated schema check (build.rs compiles the schema into Rust; it answers for every
//! valid definition, so nothing is compiled at run time) must give the runtime validator's
//! verdict on every definition: the rule pages' examples, the bundled examples and fixtures,
//! the shared corpus when it is beside the checkout, and thousands of single-value mutations of
//! them (numbers written every way, wrong types, placeholders, renamed keys).

use std::path::{Path, PathBuf};

use sfn_lint::rules::schema::{generated_is_valid, runtime_is_valid};
use sfn_lint::syntax::{self, Document, Format, NodeId, NodeKind};

mod common;

/// Every machine-like object (one with `States`) in a document: definitions, and the
/// branches and item processors inside them, and the definitions inside templates.
fn roots(doc: &Document) -> Vec<NodeId> {
    (0..doc.nodes.len() as u32)
        .map(NodeId)
        .filter(|&id| {
            matches!(doc.kind(id), NodeKind::Object(_)) && doc.get(id, "States").is_some()
        })
        .collect()
}

/// Checks every root of `text`; returns how many verdicts were compared and how many of them
/// were "invalid".
fn compare(text: &str, format: Format, what: &str) -> (usize, usize) {
    let Ok(doc) = syntax::parse(text, format) else {
        return (0, 0);
    };
    let (mut n, mut invalid) = (0, 0);
    for root in roots(&doc) {
        let runtime = runtime_is_valid(&doc, root);
        // No verdict (duplicate keys, or a number like `1e400` or `+5` not written plainly)
        // leaves it to the runtime validator, as `schema::validate` does then.
        if let Some(generated) = generated_is_valid(&doc, root) {
            assert_eq!(
                generated,
                runtime,
                "{what}: the generated validator says {generated}, the runtime one {runtime}, at {}\n{text}",
                doc.pointer(root)
            );
            n += 1;
            invalid += usize::from(!runtime);
        }
    }
    (n, invalid)
}

const REPLACEMENTS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2.0",
    "1e2",
    "1.5",
    "1e400",
    "-0",
    "0.0",
    "1E+2",
    "-2.5e-3",
    "123456789012345678901234567890",
    "99999999",
    "2147483648",
    "\"\"",
    "\"x\"",
    "\"${X}\"",
    "\"{% $x %}\"",
    "\"{% %}\"",
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "[1]",
    "[\"a\"]",
    "{\"a\": 1}",
    "\"$.a\"",
    "\"$\"",
    "\"States.ALL\"",
    "\"Task\"",
    "\"Pass\"",
    "\"Map\"",
    "\"Choice\"",
    "\"JSONata\"",
    "\"JSONPath\"",
    "\"INLINE\"",
    "\"DISTRIBUTED\"",
];

const KEYS: &[&str] = &[
    "\"Bogus\"",
    "\"Next\"",
    "\"End\"",
    "\"Type\"",
    "\"Arguments\"",
    "\"Output\"",
];

/// Single-value mutations of a JSON text: every node's text replaced by each replacement in
/// turn (a sample of them on big files), and keys renamed.
fn mutations(text: &str, rng: &mut fastrand::Rng) -> Vec<String> {
    let Ok(doc) = syntax::parse(text, Format::Json) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let budget = 400;
    for _ in 0..budget {
        let id = NodeId(rng.u32(0..doc.nodes.len() as u32));
        let span = if rng.u8(0..5) == 0 {
            match doc.key_span(id) {
                Some(s) => (s, KEYS[rng.usize(0..KEYS.len())]),
                None => continue,
            }
        } else {
            (doc.span(id), REPLACEMENTS[rng.usize(0..REPLACEMENTS.len())])
        };
        let (s, with) = span;
        let mut t = String::with_capacity(text.len() + with.len());
        t.push_str(&text[..s.start as usize]);
        t.push_str(with);
        t.push_str(&text[s.end as usize..]);
        out.push(t);
    }
    out
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.push(p);
        }
    }
}

/// The fenced JSON and YAML examples of the rule pages.
fn page_examples() -> Vec<(String, Format)> {
    let mut pages = Vec::new();
    files_with_ext(&common::root().join("rules"), "md", &mut pages);
    let mut out = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("```") {
            let after = &rest[i + 3..];
            let lang = after.split_whitespace().next().unwrap_or("");
            let Some(body_start) = after.find('\n') else {
                break;
            };
            let body = &after[body_start + 1..];
            let Some(end) = body.find("```") else { break };
            match lang {
                "json" => out.push((body[..end].to_string(), Format::Json)),
                "yaml" => out.push((body[..end].to_string(), Format::Yaml)),
                _ => {}
            }
            rest = &body[end + 3..];
        }
    }
    out
}

fn files_with_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with_ext(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

#[test]
fn generated_and_runtime_validators_agree() {
    let mut rng = fastrand::Rng::with_seed(9);
    let mut inputs = page_examples();
    assert!(inputs.len() > 100, "the rule pages have their examples");
    let mut paths = Vec::new();
    files(&common::root().join("examples"), &mut paths);
    files(&common::root().join("tests/fuzz-regressions"), &mut paths);
    match common::corpus() {
        Some(c) => files(&c, &mut paths),
        None => {
            eprintln!("note: ../shared/corpus is absent; the corpus part of this test is skipped")
        }
    }
    for p in &paths {
        if let Ok(text) = std::fs::read_to_string(p) {
            inputs.push((text, Format::from_path(&p.to_string_lossy())));
        }
    }
    let (mut plain, mut mutated, mut invalid) = (0, 0, 0);
    for (i, (text, format)) in inputs.iter().enumerate() {
        let (n, bad) = compare(text, *format, &format!("input {i}"));
        plain += n;
        invalid += bad;
        if *format == Format::Json {
            // A sample of the inputs is mutated, so that the test stays a few seconds.
            if i % 3 == 0 {
                for m in mutations(text, &mut rng) {
                    let (n, bad) = compare(&m, Format::Json, &format!("mutation of input {i}"));
                    mutated += n;
                    invalid += bad;
                }
            }
        }
    }
    eprintln!("{plain} definitions and {mutated} mutations compared, {invalid} of them invalid");
    assert!(
        plain > 100 && mutated > 10_000,
        "{plain} definitions, {mutated} mutations"
    );
    // Both verdicts are well represented, so agreement is not agreement on one answer.
    let total = plain + mutated;
    assert!(
        invalid > total / 10 && invalid < total * 9 / 10,
        "{invalid} of {total} invalid"
    );
}

/// A definition big enough that its schema is validated on a thread of its own, alongside the
/// rules: both kinds of finding are reported, in the order a small definition gives them.
#[test]
fn big_definitions_report_schema_and_rule_findings_together() {
    use sfn_lint::config::Settings;
    use sfn_lint::lint::lint_text;
    let definition = |n: usize| {
        let mut states = serde_json::Map::new();
        for i in 0..n {
            let mut s = serde_json::json!({"Type": "Pass", "Next": format!("S{}", i + 1)});
            if i + 1 == n {
                s = serde_json::json!({"Type": "Succeed"});
            }
            states.insert(format!("S{i}"), s);
        }
        // A schema error and a rule finding, and a state nothing reaches.
        states["S1"]["Bogus"] = serde_json::json!(1);
        states["S2"]["Next"] = serde_json::json!("Nowhere");
        states.insert("Orphan".into(), serde_json::json!({"Type": "Succeed"}));
        serde_json::to_string_pretty(&serde_json::json!({"StartAt": "S0", "States": states}))
            .unwrap()
    };
    let codes = |text: &str| -> Vec<&'static str> {
        lint_text(text, Format::Json, &Settings::default())
            .iter()
            .map(|d| d.rule.code)
            .collect()
    };
    let big = definition(20_000);
    let doc = syntax::parse(&big, Format::Json).unwrap();
    assert!(
        doc.nodes.len() > 50_000,
        "{} values: below the parallel path",
        doc.nodes.len()
    );
    let (small, big) = (codes(&definition(10)), codes(&big));
    assert!(
        small.contains(&"SFN201") && small.contains(&"SFN102"),
        "{small:?}"
    );
    assert_eq!(small, big);
}

/// The schema checks recurse once per nesting level: a definition nested as deep as the parser
/// allows (Choice rules inside `Not`, 250 levels) is checked by both validators on a thread
/// with the 8 MiB a main thread has, in a debug build (whose frames are the largest).
#[test]
fn deepest_definitions_fit_a_main_threads_stack() {
    let mut rule = serde_json::json!({"Variable": "$.x", "IsPresent": true});
    for _ in 0..250 {
        rule = serde_json::json!({ "Not": rule });
    }
    rule["Next"] = serde_json::json!("D");
    let valid = serde_json::json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [rule.clone()], "Default": "D"},
        "D": {"Type": "Succeed"}}});
    let mut invalid = valid.clone();
    invalid["States"]["C"]["Choices"][0]["Bogus"] = serde_json::json!(1);
    for (def, want) in [(valid, true), (invalid, false)] {
        let text = def.to_string();
        let verdicts = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                let doc = syntax::parse(&text, Format::Json).expect("within the depth limit");
                let root = doc.root.unwrap();
                (generated_is_valid(&doc, root), runtime_is_valid(&doc, root))
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(verdicts, (Some(want), want));
    }
}
