//! Criterion benchmark of `sfn-lint cost` on generated definitions with a loop in every group
//! (Task → Choice → back to the Task, or on to a Pass), and an inline Map every 50 groups:
//! 1,000 and 10,000 states. The issue's target is a 10,000-state definition in under a second.

use criterion::{Criterion, criterion_group, criterion_main};
use sfn_lint::cost::{self, Options, Pricing};
use sfn_lint::profile::LoadedProfile;
use sfn_lint::syntax::Format;

pub fn generate(states: usize) -> String {
    let mut out = Vec::new();
    let groups = states.max(4) / 3;
    for i in 0..groups {
        let next = if i + 1 == groups {
            "Done".to_string()
        } else {
            format!("Task{}", i + 1)
        };
        let task = if i % 50 == 49 {
            format!(
                r#""Task{i}": {{"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 5, "ItemProcessor": {{"StartAt": "Inner{i}", "States": {{"Inner{i}": {{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {{"QueueUrl": "q", "MessageBody.$": "$"}}, "End": true}}}}}}, "ResultPath": null, "Next": "Check{i}"}}"#
            )
        } else {
            format!(
                r#""Task{i}": {{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {{"QueueUrl": "q", "MessageBody.$": "$"}}, "ResultPath": null, "TimeoutSeconds": 60, "Retry": [{{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Failed"}}], "Next": "Check{i}"}}"#
            )
        };
        out.push(task);
        out.push(format!(
            r#""Check{i}": {{"Type": "Choice", "Choices": [{{"Variable": "$.ok", "BooleanEquals": true, "Next": "Pass{i}"}}], "Default": "Task{i}"}}"#
        ));
        out.push(format!(
            r#""Pass{i}": {{"Type": "Pass", "Next": "{next}"}}"#
        ));
    }
    out.push(r#""Done": {"Type": "Succeed"}"#.into());
    out.push(r#""Failed": {"Type": "Fail", "Error": "Failed"}"#.into());
    format!(
        "{{\"StartAt\": \"Task0\", \"States\": {{{}}}}}",
        out.join(",\n")
    )
}

fn bench(c: &mut Criterion) {
    let pricing = Pricing::bundled();
    let profile = LoadedProfile::parse("p.yaml", "defaults:\n  map_items: 20\n").unwrap();
    let opts = Options {
        top: 5,
        ..Default::default()
    };
    for n in [1000, 10_000] {
        let text = generate(n);
        let r = sfn_lint::cost::estimate_text(
            "gen.json",
            &text,
            Format::Json,
            &profile,
            &opts,
            &pricing,
        )
        .expect("the generated definition is costed");
        assert!(r.definition_errors.is_empty(), "{:?}", r.definition_errors);
        let mut g = c.benchmark_group("cost");
        g.sample_size(10);
        g.bench_function(format!("{n} states with loops"), |b| {
            b.iter(|| {
                sfn_lint::cost::estimate_text(
                    "gen.json",
                    std::hint::black_box(&text),
                    Format::Json,
                    &profile,
                    &opts,
                    &pricing,
                )
            })
        });
        // The solver alone (visits per state by SCC, retries, Maps and Parallels), on the plan
        // the estimate builds: what is left when parsing and linting are taken away.
        let doc = sfn_lint::syntax::parse(&text, Format::Json).unwrap();
        let model = sfn_lint::asl::lower::lower(&doc, doc.root.unwrap()).unwrap();
        let plan = sfn_lint::plan::build(&doc, &model, &profile.profile).unwrap();
        let step_s = pricing.express.duration_step_ms / 1000.0;
        g.bench_function(format!("solver only, {n} states"), |b| {
            b.iter(|| cost::analytic::solve(std::hint::black_box(&plan), step_s).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
