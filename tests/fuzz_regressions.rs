//! Every input a fuzz target once failed on (`tests/fuzz-regressions/`) runs through the same
//! entry point with the same checks as the target: no panic, every span inside the text on
//! character boundaries.

use sfn_lint::config::Settings;
use sfn_lint::source::Span;
use sfn_lint::syntax::{self, Format};

fn check_span(s: Span, text: &str, file: &str) {
    let r = s.start as usize..s.end as usize;
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{file}: span {r:?} outside {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{file}: span {r:?} splits a character"
    );
}

fn run(file: &str, data: &[u8]) {
    let target = file.split('-').next().unwrap();
    match target {
        "json_loader" | "yaml_loader" => {
            let text = std::str::from_utf8(data).expect("loader inputs are UTF-8");
            let format = if target == "json_loader" {
                Format::Json
            } else {
                Format::Yaml
            };
            match syntax::parse(text, format) {
                Ok(doc) => doc
                    .nodes
                    .iter()
                    .for_each(|n| check_span(n.span, text, file)),
                Err(e) => check_span(e.span, text, file),
            }
        }
        "pipeline" => {
            let path = ["def.asl.json", "def.asl.yaml", "main.tf"][usize::from(data[0] % 3)];
            let report = sfn_lint::lint::lint_bytes(path, &data[1..], &Settings::default());
            assert!(
                !report.diagnostics.is_empty(),
                "{file}: every kept input has a finding"
            );
            for d in &report.diagnostics {
                let at = format!("{file} ({})", d.rule.code);
                check_span(d.span, &report.text, &at);
                d.labels
                    .iter()
                    .for_each(|l| check_span(l.span, &report.text, &at));
                for e in d.fix.iter().flat_map(|f| &f.edits) {
                    check_span(e.span, &report.text, &at);
                }
            }
        }
        other => panic!("{file}: no runner for target `{other}`"),
    }
}

#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name == "README.md" {
            continue;
        }
        run(&name, &std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 3, "expected the kept inputs in {}", dir.display());
}
