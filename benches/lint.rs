//! Criterion benchmarks of the whole per-file pipeline on generated definitions:
//! 30 states (a typical workflow) and 1,000 states (a large generated one).

use criterion::{Criterion, criterion_group, criterion_main};
use sfn_lint::config::Settings;
use sfn_lint::lint::lint_text;
use sfn_lint::syntax::Format;

/// A chain of Task → Choice → Pass groups with retries and catches, ending in Succeed.
pub fn generate(states: usize) -> String {
    let mut out = Vec::new();
    let groups = states.max(4) / 3;
    for i in 0..groups {
        let next = if i + 1 == groups {
            "Done".to_string()
        } else {
            format!("Task{}", i + 1)
        };
        out.push(format!(
            r#""Task{i}": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "fn{i}", "Payload.$": "$", "Id.$": "States.Format('item {{}}', $.id)"}}, "ResultSelector": {{"body.$": "$.Payload"}}, "ResultPath": "$.r{i}", "TimeoutSeconds": 60, "Retry": [{{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}}], "Next": "Check{i}"}}"#
        ));
        out.push(format!(
            r#""Check{i}": {{"Type": "Choice", "Choices": [{{"Variable": "$.r{i}.body.ok", "BooleanEquals": true, "Next": "Pass{i}"}}], "Default": "Failed"}}"#
        ));
        out.push(format!(r#""Pass{i}": {{"Type": "Pass", "Result": {{"step": {i}}}, "ResultPath": "$.p{i}", "Next": "{next}"}}"#));
    }
    out.push(r#""Done": {"Type": "Succeed"}"#.into());
    out.push(r#""Failed": {"Type": "Fail", "Error": "Failed"}"#.into());
    format!(
        "{{\"StartAt\": \"Task0\", \"States\": {{{}}}}}",
        out.join(",\n")
    )
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    for n in [30, 1000] {
        let text = generate(n);
        assert!(
            lint_text(&text, Format::Json, &settings).is_empty(),
            "the generated definition must be clean"
        );
        c.bench_function(&format!("lint {n} states"), |b| {
            b.iter(|| lint_text(std::hint::black_box(&text), Format::Json, &settings))
        });
    }
}

/// What the language server does after a keystroke in a 1,000-state document: lint the new
/// text and convert every finding to an LSP diagnostic (UTF-16 ranges).
fn lsp_relint(c: &mut Criterion) {
    let text = generate(1000);
    let (tx, _rx) = crossbeam_channel::unbounded();
    let server = sfn_lint::lsp::Server::new(tx);
    let settings = Settings::default();
    c.bench_function("lsp relint 1000 states", |b| {
        b.iter(|| {
            let edited = text.replacen("\"fn1\"", "\"fn1x\"", 1);
            let r = sfn_lint::lint::lint_bytes("flow.asl.json", edited.as_bytes(), &settings);
            r.diagnostics
                .iter()
                .map(|d| server.to_lsp("file:///flow.asl.json", &edited, d))
                .collect::<Vec<_>>()
        })
    });
}

criterion_group!(benches, bench, lsp_relint);
criterion_main!(benches);
