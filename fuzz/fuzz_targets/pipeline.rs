//! The whole lint pipeline on arbitrary bytes, as `sfn-lint check` runs it on a file: decoding,
//! parsing, templates, schema, model, graph, every rule, suppressions and fixes. The first byte
//! picks the file name (JSON, YAML or Terraform). The JSON report (written by hand, not by
//! serde) must parse and hold every finding; the text report (code frames, long lines cut to
//! windows) must frame every finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::config::Settings;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let path = ["def.asl.json", "def.asl.yaml", "main.tf"][usize::from(which % 3)];
    let report = sfn_lint::lint::lint_bytes(path, rest, &Settings::default());
    for d in &report.diagnostics {
        sfn_lint_fuzz::check_span(d.span, &report.text);
        for l in &d.labels {
            sfn_lint_fuzz::check_span(l.span, &report.text);
        }
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            sfn_lint_fuzz::check_span(e.span, &report.text);
        }
    }
    let count = report.diagnostics.len();
    let text = sfn_lint::render::text::render_file(&report, false);
    assert!(text.matches("= rule: ").count() >= count, "{text}");
    let json = sfn_lint::render::json::render(&[report]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    assert_eq!(
        parsed["files"][0]["diagnostics"].as_array().map(Vec::len),
        Some(count),
        "{json}"
    );
});
