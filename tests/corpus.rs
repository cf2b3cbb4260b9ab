//! The shared corpus of real definitions: valid files get no error, invalid ones an error at
//! the listed pointer. Reads `../shared/corpus` when it exists and says so when it does not.

mod common;

use sfn_lint::config::Settings;
use sfn_lint::diagnostic::Severity;
use sfn_lint::lint::lint_bytes;

fn related(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
}

#[test]
fn corpus_asl_verdicts() {
    let Some(corpus) = common::corpus() else {
        println!(
            "note: ../shared/corpus is absent; the corpus check was skipped (0 files checked)"
        );
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("manifest.jsonl")).unwrap();
    let (mut checked, mut failures) = (0, Vec::new());
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        if e["kind"] != "asl" || e["expected"] == "uncertain" {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        let bytes = std::fs::read(corpus.join(path)).unwrap();
        let report = lint_bytes(path, &bytes, &Settings::default());
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        checked += 1;
        if e["expected"] == "valid" {
            if !errors.is_empty() {
                failures.push(format!(
                    "false alarm {path}: {:?}",
                    errors
                        .iter()
                        .map(|d| (d.rule.code, &d.pointer, &d.message))
                        .collect::<Vec<_>>()
                ));
            }
        } else {
            let want: Vec<&str> = e["expected_errors"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|x| x["pointer"].as_str())
                .collect();
            let located = want.is_empty()
                || want == [""]
                || errors
                    .iter()
                    .any(|d| want.iter().any(|w| !w.is_empty() && related(&d.pointer, w)));
            if errors.is_empty() || !located {
                failures.push(format!(
                    "missed {path}: wanted {want:?}, got {:?}",
                    errors.iter().map(|d| &d.pointer).collect::<Vec<_>>()
                ));
            }
        }
    }
    println!(
        "corpus: checked {checked} asl files, {} failed",
        failures.len()
    );
    assert!(
        checked > 100,
        "the manifest lists fewer asl files than expected ({checked})"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
