//! The cost estimator: hand-computed cases that must be exact (transitions and dollars to the
//! cent), the exact solver against the Monte Carlo simulation on the corpus and on generated
//! graphs, profile errors, and the reports.

mod common;

use serde_json::{Value, json};
use sfn_lint::cost::{self, CostReport, Options, Pricing};
use sfn_lint::profile::LoadedProfile;
use sfn_lint::syntax::Format;

fn estimate_with(def: &Value, profile: &Value, opts: Options) -> CostReport {
    let text = serde_json::to_string_pretty(def).unwrap();
    let p = LoadedProfile::parse("p.json", &profile.to_string()).unwrap();
    cost::estimate_text(
        "def.json",
        &text,
        Format::Json,
        &p,
        &opts,
        &Pricing::bundled(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn estimate(def: &Value, profile: &Value) -> CostReport {
    estimate_with(
        def,
        profile,
        Options {
            top: 5,
            ..Default::default()
        },
    )
}

/// The error costing `def` with the profile `profile` (JSON) ends in.
fn cost_error(def: &Value, profile: &str) -> String {
    let p = LoadedProfile::parse("p.json", profile).unwrap();
    let text = serde_json::to_string(def).unwrap();
    cost::estimate_text(
        "d.json",
        &text,
        Format::Json,
        &p,
        &Options::default(),
        &Pricing::bundled(),
    )
    .unwrap_err()
    .to_string()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn cents(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

const LAMBDA_RETRY: &str = r#"[{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException"], "MaxAttempts": 2}]"#;

#[test]
fn linear_workflow_is_exact() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": serde_json::from_str::<Value>(LAMBDA_RETRY).unwrap(), "Next": "C"},
        "C": {"Type": "Succeed"}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 1_000_000, "states": {"B": {"duration_ms": 100}}}),
    );
    assert!(close(r.per_execution.transitions, 3.0));
    // (3,000,000 − 4,000 free) × $0.025 / 1,000.
    assert!(close(r.standard.monthly, 74.90), "{}", r.standard.monthly);
    // 1M requests × $1e-6 + 1M × 0.1 s × 64 MB = 6,250 GB-s = 1.736 GB-h × $0.06.
    let express = r.express.monthly.expect("an Express price");
    assert!(close(express, 1.0 + 6250.0 / 3600.0 * 0.06), "{express}");
    assert_eq!(cents(express), 110);
    assert_eq!(r.express.monthly_usd, r.express.monthly);
    assert!(close(r.transitions_per_execution, 3.0));
    assert!(close(r.standard.monthly_usd, r.standard.monthly));
    assert!(close(r.standard.per_million_executions, 75.0));
    assert!(close(r.per_execution.history_events, 2.0 + 5.0 + 2.0 + 2.0));
    assert!(r.express.allowed && r.definition_errors.is_empty());
    // Each monthly figure line by line: quantity × unit price, summing to it.
    let std_line = &r.standard.breakdown[0];
    assert!(close(std_line.quantity, 3_000_000.0 - 4_000.0));
    assert!(close(std_line.unit_price, 0.000025));
    let sum = |lines: &[cost::Line]| lines.iter().map(|l| l.usd).sum::<f64>();
    assert!(close(sum(&r.standard.breakdown), r.standard.monthly));
    assert!(close(sum(&r.express.breakdown), express));
    let requests = &r.express.breakdown[0];
    assert!(close(requests.quantity, 1_000_000.0) && close(requests.usd, 1.0));
    let duration = &r.express.breakdown[1];
    assert!(close(duration.quantity, 6250.0 / 3600.0), "{duration:?}");
    let md = sfn_lint::render::cost::render(sfn_lint::render::cost::CostFormat::Markdown, &r);
    assert!(
        md.contains("| Standard | state transitions beyond the 4,000 free | 2,996,000 transitions | $0.000025 | $74.90 |"),
        "{md}"
    );
}

#[test]
fn loop_with_exit_probability_is_exact() {
    // Work → Check; Check goes back with 0.75: 1 / 0.25 = 4 passes.
    let def = json!({"StartAt": "Work", "States": {
        "Work": {"Type": "Pass", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.more", "BooleanEquals": true, "Next": "Work"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 100_000, "states": {"Check": {"branches": {"Work": 0.75}}}}),
    );
    assert!(
        close(r.per_execution.transitions, 9.0),
        "{}",
        r.per_execution.transitions
    );
    let visits: Vec<f64> = r.states.iter().map(|s| s.visits).collect();
    assert!(close(visits[0], 4.0) && close(visits[1], 4.0) && close(visits[2], 1.0));
    // (900,000 − 4,000) × 0.000025.
    assert_eq!(cents(r.standard.monthly), 2240);
    assert!(close(
        r.per_execution.history_events,
        4.0 * 2.0 + 4.0 * 2.0 + 2.0 + 2.0
    ));
}

#[test]
fn map_of_k_items_is_exact() {
    let def = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "MaxConcurrency": 2, "ItemProcessor": {"StartAt": "Prep", "States": {
            "Prep": {"Type": "Pass", "Next": "Do"},
            "Do": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}},
        "End": true}}});
    let r = estimate(
        &def,
        &json!({"states": {"Each": {"items": 7}, "Do": {"duration_ms": 100}}}),
    );
    // The Map once, then 7 × (Prep + Do).
    assert!(close(r.per_execution.transitions, 15.0));
    // 7 items, 2 at a time: 4 waves of 100 ms.
    assert!(
        close(r.per_execution.duration_s, 0.4),
        "{}",
        r.per_execution.duration_s
    );
    // Map 2 + 2, each iteration 2 + Prep 2 + Do 5, and the execution's own 2.
    assert!(close(r.per_execution.history_events, 4.0 + 7.0 * 9.0 + 2.0));
    let do_state = r.states.iter().find(|s| s.state == "Do").unwrap();
    assert!(close(do_state.visits, 7.0));
    // A distribution: half the time 1 item, half the time 9.
    let r = estimate(
        &def,
        &json!({"states": {"Each": {"items": {"distribution": [[1, 0.5], [9, 0.5]]}}}}),
    );
    assert!(close(r.per_execution.transitions, 1.0 + 5.0 * 2.0));
}

#[test]
fn retry_with_failure_rate_is_exact() {
    let def = json!({"StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2, "IntervalSeconds": 3, "BackoffRate": 2}],
                  "Next": "Done"},
        "Done": {"Type": "Succeed"}}});
    let r = estimate(
        &def,
        &json!({"states": {"Flaky": {"failures": {"Boom": 0.1}, "duration_ms": 100}}}),
    );
    // Attempts 1 + 0.1 + 0.01; Done is reached unless all three fail (0.001).
    assert!(
        close(r.per_execution.transitions, 1.11 + 0.999),
        "{}",
        r.per_execution.transitions
    );
    // 1.11 attempts × 100 ms + waits 0.1 × 3 s + 0.01 × 6 s.
    assert!(
        close(r.per_execution.duration_s, 0.111 + 0.36),
        "{}",
        r.per_execution.duration_s
    );
    assert!(close(r.per_execution.success_rate, 0.999));
    assert_eq!(r.per_execution.failures[0].error, "Boom");
    assert!(close(r.per_execution.failures[0].probability, 0.001));
}

#[test]
fn catch_and_no_choice_matched_are_failure_edges() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Catch": [{"ErrorEquals": ["E"], "Next": "Handle"}], "Next": "Pick"},
        "Handle": {"Type": "Pass", "End": true},
        "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}});
    let r = estimate(
        &def,
        &json!({"states": {"T": {"failures": {"E": 0.2}}, "Pick": {"branches": {"Done": 0.5}}}}),
    );
    // T 1, Handle 0.2, Pick 0.8, Done 0.4.
    assert!(close(r.per_execution.transitions, 1.0 + 0.2 + 0.8 + 0.4));
    assert!(close(r.per_execution.success_rate, 0.6));
    assert_eq!(r.per_execution.failures[0].error, "States.NoChoiceMatched");
    assert!(close(r.per_execution.failures[0].probability, 0.4));
}

#[test]
fn distributed_map_children_are_billed_as_their_own_type() {
    let def = json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 10},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                                  "StartAt": "Do", "States": {"Do": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}},
                "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},
                "End": true}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 1000, "states": {"Fan": {"items": 1000}}}),
    );
    // 1,000 items in batches of 10: 100 Express children per execution.
    assert!(close(r.per_execution.child_express_executions, 100.0));
    assert!(close(r.per_execution.transitions, 1.0));
    // The parent's 1,000 transitions are inside the free tier; the children cost
    // 100,000 requests × $1e-6 + 100,000 × 0.1 s × 64 MB = 625 GB-s.
    let children = 0.1 + 625.0 / 3600.0 * 0.06;
    assert!(
        close(r.standard.monthly, children),
        "{}",
        r.standard.monthly
    );
    assert!(
        !r.express.allowed,
        "a Distributed Map needs a Standard parent"
    );
    // Blocked: no Express price, no break-even, and the reason.
    assert_eq!(r.express.monthly, None);
    assert_eq!(r.express.per_million_executions, None);
    assert_eq!(r.break_even_executions_per_month, None);
    assert!(
        r.break_even.contains("cannot run as Express"),
        "{}",
        r.break_even
    );
    let text = sfn_lint::render::cost::render(sfn_lint::render::cost::CostFormat::Text, &r);
    assert!(
        text.contains("Express is not possible: `Fan` is a Distributed Map"),
        "{text}"
    );
    assert!(!text.contains("Express would save"), "{text}");
    // Standard children: their transitions are billed at the Standard rate.
    let mut std_def = def.clone();
    std_def["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] =
        json!("STANDARD");
    let r = estimate(
        &std_def,
        &json!({"executions_per_month": 1000, "states": {"Fan": {"items": 1000}}}),
    );
    assert!(close(r.per_execution.child_transitions, 100.0));
    assert!(close(
        r.standard.monthly,
        (1000.0 * 101.0 - 4000.0) * 0.000025
    ));
}

#[test]
fn free_tier_region_and_never_ending_loops() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let opts = Options {
        executions_per_month: Some(10_000.0),
        region: Some("sa-east-1".into()),
        no_free_tier: true,
        top: 5,
        ..Default::default()
    };
    let r = estimate_with(&def, &json!({}), opts);
    assert!(close(r.standard.monthly, 10_000.0 * 0.0375 / 1000.0));
    assert!(!r.prices.express_verified);
    let text = serde_json::to_string(&def).unwrap();
    let bad_region = Options {
        region: Some("mars-1".into()),
        ..Default::default()
    };
    let e = cost::estimate_text(
        "d.json",
        &text,
        Format::Json,
        &LoadedProfile::default(),
        &bad_region,
        &Pricing::bundled(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("mars-1"), "{e}");
    // A loop whose only exit the profile makes impossible.
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "W"}], "Default": "D"},
        "D": {"Type": "Succeed"}}});
    let text = serde_json::to_string(&def).unwrap();
    let p =
        LoadedProfile::parse("p.json", r#"{"states": {"C": {"branches": {"W": 1.0}}}}"#).unwrap();
    let e = cost::estimate_text(
        "d.json",
        &text,
        Format::Json,
        &p,
        &Options::default(),
        &Pricing::bundled(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("never leaves `W` → `C`")
            || e.to_string().contains("never leaves `C` → `W`"),
        "{e}"
    );
}

#[test]
fn profile_errors_name_the_place() {
    let def = json!({"StartAt": "ChargeCard", "States": {
        "ChargeCard": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "Pick"},
        "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Done"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}});
    let text = serde_json::to_string(&def).unwrap();
    let check = |profile: &str, want: &str, at: &str| {
        let p = LoadedProfile::parse("p.yaml", profile).unwrap();
        let e = cost::estimate_text(
            "d.json",
            &text,
            Format::Json,
            &p,
            &Options::default(),
            &Pricing::bundled(),
        )
        .unwrap_err();
        let cost::CostError::Profile(e) = e else {
            panic!("{e}")
        };
        assert!(e.message.contains(want), "{}", e.message);
        assert_eq!(&profile[e.span.clone().unwrap()], at, "{}", e.message);
    };
    check(
        "states:\n  ChargeCrad:\n    duration_ms: 5\n",
        "did you mean `ChargeCard`",
        "ChargeCrad",
    );
    check(
        "states:\n  Pick:\n    duration_ms: 5\n",
        "Choice state",
        "duration_ms",
    );
    check(
        "states:\n  Pick:\n    branches: {Nowhere: 0.5}\n",
        "not an outcome",
        "Nowhere",
    );
    check(
        "states:\n  ChargeCard:\n    failures: {E: 0.7, F: 0.6}\n",
        "more than 1",
        "failures",
    );
    let e = LoadedProfile::parse("p.yaml", "executions_per_month: lots\n").unwrap_err();
    assert!(e.message.contains("executions_per_month"), "{}", e.message);
}

/// Builds a random definition with loops, retries, catches, Maps and nested Parallels, and
/// a profile for it.
fn generated(seed: u64) -> (Value, Value, bool) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut profile = serde_json::Map::new();
    let mut has_parallel = false;
    fn scope(
        rng: &mut fastrand::Rng,
        prefix: &str,
        n: usize,
        depth: u32,
        profile: &mut serde_json::Map<String, Value>,
        has_parallel: &mut bool,
    ) -> Value {
        let mut states = serde_json::Map::new();
        let name = |i: usize| format!("{prefix}{i}");
        for i in 0..n {
            let next = if i + 1 < n {
                json!({"Next": name(i + 1)})
            } else {
                json!({"End": true})
            };
            let forward = |rng: &mut fastrand::Rng| {
                if i + 1 < n {
                    name(rng.usize(i + 1..n))
                } else {
                    name(i)
                }
            };
            let roll = rng.u32(0..10);
            let mut st = match roll {
                0..=2 => {
                    let mut t =
                        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage"});
                    let f = rng.f64() * 0.3;
                    profile.insert(name(i), json!({"failures": {"Boom": f, "Other": f / 3.0}, "duration_ms": rng.u32(10..500)}));
                    t["Retry"] = json!([{"ErrorEquals": ["Boom"], "MaxAttempts": rng.u32(0..4), "IntervalSeconds": 1, "BackoffRate": 1.5}]);
                    if i + 1 < n && rng.bool() {
                        t["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "Next": forward(rng)}]);
                    }
                    t
                }
                3 | 4 if i > 0 && i + 1 < n => {
                    // A loop back, with a forward Default so there is always a way out.
                    profile.insert(
                        name(i),
                        json!({"branches": {name(rng.usize(0..i)): rng.f64() * 0.8}}),
                    );
                    let back = profile[&name(i)]["branches"]
                        .as_object()
                        .unwrap()
                        .keys()
                        .next()
                        .unwrap()
                        .clone();
                    json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": back}], "Default": name(i + 1)})
                }
                5 if depth < 2 => {
                    *has_parallel = true;
                    let branches: Vec<Value> = (0..rng.usize(1..4))
                        .map(|b| {
                            let len = rng.usize(1..4);
                            scope(
                                rng,
                                &format!("{prefix}{i}b{b}s"),
                                len,
                                depth + 1,
                                profile,
                                has_parallel,
                            )
                        })
                        .collect();
                    json!({"Type": "Parallel", "Branches": branches})
                }
                6 if depth < 2 => {
                    let len = rng.usize(1..4);
                    let inner = scope(
                        rng,
                        &format!("{prefix}{i}m"),
                        len,
                        depth + 1,
                        profile,
                        has_parallel,
                    );
                    profile.insert(name(i), json!({"items": {"distribution": [[rng.u32(0..3), 0.5], [rng.u32(3..8), 0.5]]}}));
                    json!({"Type": "Map", "MaxConcurrency": rng.u32(0..4), "ItemProcessor": inner})
                }
                7 => json!({"Type": "Wait", "Seconds": rng.u32(0..5)}),
                _ => json!({"Type": "Pass"}),
            };
            if st["Type"] != "Choice" {
                for (k, v) in next.as_object().unwrap() {
                    st[k] = v.clone();
                }
            }
            states.insert(name(i), st);
        }
        json!({"StartAt": name(0), "States": states})
    }
    let def = scope(
        &mut rng,
        "S",
        8 + (seed as usize % 6),
        0,
        &mut profile,
        &mut has_parallel,
    );
    (def, json!({"states": profile}), has_parallel)
}

fn agree(what: &str, exact: f64, sim: sfn_lint::cost::simulate::Estimate, tag: &str) {
    let tol = 4.0 * sim.std_error + 1e-9 * (1.0 + exact.abs());
    assert!(
        (exact - sim.mean).abs() <= tol,
        "{tag}: {what}: exact {exact} vs simulated {} ± {}",
        sim.mean,
        sim.std_error
    );
}

fn cross_check(tag: &str, r: &CostReport, check_duration: bool) {
    let s = r.simulation.as_ref().unwrap();
    agree(
        "transitions",
        r.per_execution.transitions,
        s.transitions,
        tag,
    );
    agree(
        "history events",
        r.per_execution.history_events,
        s.events,
        tag,
    );
    agree(
        "success rate",
        r.per_execution.success_rate,
        s.success_rate,
        tag,
    );
    agree(
        "child transitions",
        r.per_execution.child_transitions,
        s.child_std_transitions,
        tag,
    );
    if check_duration {
        agree("duration", r.per_execution.duration_s, s.duration_s, tag);
        // Billed per execution: exact over the durations of the top-level paths (a Map or
        // Parallel counts its expected duration there, so only definitions without them), when
        // the report says nothing of a simulated or rounded-once bill.
        let nested = r.states.iter().any(|s| s.ty == "Map" || s.ty == "Parallel");
        if !nested
            && !r
                .approximations
                .iter()
                .any(|a| a.contains("Express duration"))
        {
            agree(
                "billed Express seconds",
                r.per_execution.express_billed_duration_s,
                s.express_billed_s,
                tag,
            );
        }
    }
}

#[test]
fn exact_matches_simulation_on_generated_graphs() {
    let mut with_loops = 0;
    for seed in 0..40 {
        let (def, profile, has_parallel) = generated(seed);
        let text = serde_json::to_string(&def).unwrap();
        with_loops += usize::from(text.contains("\"Choice\""));
        let opts = Options {
            simulate: 3000,
            seed: seed + 7,
            top: 5,
            ..Default::default()
        };
        let r = estimate_with(&def, &profile, opts);
        assert!(
            r.definition_errors.is_empty(),
            "seed {seed}: {:?}",
            r.definition_errors
        );
        cross_check(&format!("seed {seed}"), &r, !has_parallel);
    }
    assert!(
        with_loops >= 10,
        "the generator should produce loops ({with_loops})"
    );
}

#[test]
fn exact_matches_simulation_on_the_corpus() {
    let Some(corpus) = common::corpus() else {
        println!("note: ../shared/corpus is absent; the corpus cross-check was skipped (0 files)");
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("manifest.jsonl")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let e: Value = serde_json::from_str(line).unwrap();
        if e["kind"] != "asl" || e["expected"] != "valid" {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        let text = std::fs::read_to_string(corpus.join(path)).unwrap();
        let opts = Options {
            simulate: 1000,
            seed: 3,
            top: 5,
            ..Default::default()
        };
        let r = match cost::estimate_text(
            path,
            &text,
            Format::from_path(path),
            &LoadedProfile::default(),
            &opts,
            &Pricing::bundled(),
        ) {
            Ok(r) => r,
            // A loop that has no way out under equal Choice odds is reported, not costed.
            Err(cost::CostError::NeverEnds(_)) => continue,
            Err(e) => panic!("{path}: {e}"),
        };
        let has_parallel = r.states.iter().any(|s| s.ty == "Parallel");
        cross_check(path, &r, !has_parallel);
        checked += 1;
    }
    println!("cross-checked {checked} corpus definitions");
    assert!(checked > 100, "{checked}");
}

fn visits_of(r: &CostReport, name: &str) -> f64 {
    r.states
        .iter()
        .find(|s| s.state == name)
        .map_or_else(|| panic!("no state {name}"), |s| s.visits)
}

#[test]
fn free_tier_false_in_the_profile_is_no_free_tier() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let profile = json!({"executions_per_month": 1_000});
    let with = estimate(&def, &profile);
    let flag = estimate_with(
        &def,
        &profile,
        Options {
            top: 5,
            no_free_tier: true,
            ..Default::default()
        },
    );
    let key = estimate(
        &def,
        &json!({"executions_per_month": 1_000, "free_tier": false}),
    );
    // 1,000 executions × 1 transition: inside the free tier, else 1,000 × $0.025 / 1,000.
    assert_eq!(cents(with.standard.monthly), 0);
    assert_eq!(cents(flag.standard.monthly), 3);
    assert_eq!(cents(key.standard.monthly), 3);
    assert!(!key.free_tier);
}

#[test]
fn failure_rate_is_an_error_only_states_all_catches() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 3}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
              "Next": "Done"},
        "F": {"Type": "Pass", "End": true},
        "Done": {"Type": "Succeed"}}});
    let r = estimate(&def, &json!({"states": {"T": {"failure_rate": 0.2}}}));
    // No retrier names it: one attempt, and the catcher takes a fifth of the runs.
    assert!(close(visits_of(&r, "F"), 0.2), "{}", visits_of(&r, "F"));
    assert!(close(visits_of(&r, "Done"), 0.8));
    let t = r.states.iter().find(|s| s.state == "T").unwrap();
    assert!(close(t.attempts_per_visit, 1.0));
    // Beside named failures, the two add up.
    let both = estimate(
        &def,
        &json!({"states": {"T": {"failure_rate": 0.1, "failures": {"PaymentDeclined": 0.1}}}}),
    );
    assert!(close(visits_of(&both, "F"), 0.2));
    let err = cost_error(
        &def,
        r#"{"states": {"T": {"failure_rate": 0.7, "failures": {"X": 0.5}}}}"#,
    );
    assert!(err.contains("add up to 1.2"), "{err}");
}

#[test]
fn choice_branches_may_name_the_default_target() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice",
              "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "X"}],
              "Default": "Y"},
        "X": {"Type": "Succeed"},
        "Y": {"Type": "Succeed"}}});
    let by_name = estimate(&def, &json!({"states": {"C": {"branches": {"Y": 0.8}}}}));
    assert!(close(visits_of(&by_name, "Y"), 0.8));
    assert!(close(visits_of(&by_name, "X"), 0.2));
    let by_default = estimate(
        &def,
        &json!({"states": {"C": {"branches": {"Default": 0.8}}}}),
    );
    assert!(close(visits_of(&by_default, "Y"), 0.8));
    // Both at once name the Default outcome twice.
    let err = cost_error(
        &def,
        r#"{"states": {"C": {"branches": {"Default": 0.5, "Y": 0.5}}}}"#,
    );
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn the_verdict_reads_from_the_type_the_workflow_is_created_as() {
    use sfn_lint::asl::WorkflowType;
    use sfn_lint::render::cost::verdict;
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let as_type = |t: WorkflowType, execs: u64| {
        estimate_with(
            &def,
            &json!({"executions_per_month": execs}),
            Options {
                top: 5,
                workflow_type: Some(t),
                ..Default::default()
            },
        )
    };
    // Inside the free tier Standard costs nothing and Express a little; far past it, the
    // other way round.
    let v = verdict(&as_type(WorkflowType::Standard, 1_000));
    assert!(v.starts_with("Standard is"), "{v}");
    let v = verdict(&as_type(WorkflowType::Express, 1_000));
    assert!(v.starts_with("Standard would save"), "{v}");
    let v = verdict(&as_type(WorkflowType::Standard, 100_000_000));
    assert!(v.starts_with("Express would save"), "{v}");
    let v = verdict(&as_type(WorkflowType::Express, 100_000_000));
    assert!(
        v.starts_with("Express is") && v.ends_with("cheaper than Standard"),
        "{v}"
    );
}

#[test]
fn a_region_outside_the_table_takes_the_profiles_price() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 1_004_000, "region": "mars-1",
                "standard_price_per_1000_transitions": 0.03}),
    );
    // (1,004,000 − 4,000 free) × $0.03 / 1,000.
    assert_eq!(cents(r.standard.monthly), 3000);
    assert!(
        r.assumptions
            .iter()
            .any(|a| a.assumption.contains("`mars-1` is not in the price table")),
        "{:?}",
        r.assumptions
    );
    assert!(!r.prices.express_verified);
}

#[test]
fn express_billing_past_the_exact_walk_is_simulated_and_said() {
    // 16 stages, each a Choice between a Task of 2^i ms and one of 2 × 2^i ms: 65,536
    // equally likely durations, all different, more than the exact walk holds. The expected
    // billed duration (each execution rounded up to 100 ms) is worked out here by enumerating
    // them; the report's must agree within 4 standard errors of its 20,000 simulated runs
    // (the duration's standard deviation is 2^16 ms / √12 ≈ 18.9 s: a standard error ≈ 0.134 s).
    let n = 16;
    let mut states = serde_json::Map::new();
    let mut profile = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n {
            json!({"Next": format!("C{}", i + 1)})
        } else {
            json!({"End": true})
        };
        states.insert(
            format!("C{i}"),
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true,
                   "Next": format!("F{i}")}], "Default": format!("S{i}")}),
        );
        for (name, ms) in [(format!("F{i}"), 1u64 << i), (format!("S{i}"), 2u64 << i)] {
            let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"});
            task.as_object_mut()
                .unwrap()
                .extend(next.as_object().unwrap().clone());
            states.insert(name.clone(), task);
            profile.insert(name, json!({"duration_ms": ms}));
        }
        profile.insert(format!("C{i}"), json!({"branches": {format!("F{i}"): 0.5}}));
    }
    let def = json!({"StartAt": "C0", "States": states});
    let r = estimate(&def, &json!({"states": profile}));
    let mut exact = 0.0;
    for mask in 0u64..(1 << n) {
        let ms: u64 = (0..n)
            .map(|i| {
                if mask >> i & 1 == 1 {
                    2u64 << i
                } else {
                    1u64 << i
                }
            })
            .sum();
        exact += ms.div_ceil(100) as f64 * 0.1;
    }
    exact /= (1u64 << n) as f64;
    let got = r.per_execution.express_billed_duration_s;
    assert!((got - exact).abs() <= 4.0 * 0.134, "{got} vs {exact}");
    assert!(
        r.approximations
            .iter()
            .any(|a| a.contains("from 20,000 seeded simulated executions")),
        "{:?}",
        r.approximations
    );
}

#[test]
fn express_billing_follows_a_maps_item_counts() {
    // One item or three with even odds, one at a time, 50 ms each: 50 ms or 150 ms, billed
    // 100 or 200 ms, 150 ms on average (the expected 100 ms rounded once would bill 100 ms).
    // 10M executions at 64 MB: $10 of requests + 26.04 GB-hours × $0.06 = $11.5625.
    let def = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "MaxConcurrency": 1, "End": true,
                 "ItemProcessor": {"StartAt": "Work", "States": {
                     "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "End": true}}}}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 10_000_000, "express_memory_mb": 64, "states": {
            "Each": {"items": {"distribution": [[1, 0.5], [3, 0.5]]}},
            "Work": {"duration_ms": 50}}}),
    );
    assert!(
        close(r.per_execution.duration_s, 0.1),
        "{}",
        r.per_execution.duration_s
    );
    assert!(
        close(r.per_execution.express_billed_duration_s, 0.15),
        "{}",
        r.per_execution.express_billed_duration_s
    );
    assert_eq!(cents(r.express.monthly.unwrap() * 100.0), 115625);
}

#[test]
fn express_duration_is_rounded_per_execution() {
    // 50 ms or 150 ms with even odds: billed 100 ms or 200 ms, 150 ms on average (not the
    // expected 100 ms rounded once). 10M executions at 64 MB: $10 of requests +
    // 10M × 0.15 s × 64/1024 GB = 93,750 GB-s = 26.04 GB-h × $0.06 = $1.5625.
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice",
              "Choices": [{"Variable": "$.fast", "BooleanEquals": true, "Next": "Fast"}],
              "Default": "Slow"},
        "Fast": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
        "Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let r = estimate(
        &def,
        &json!({"executions_per_month": 10_000_000, "states": {
            "C": {"branches": {"Fast": 0.5}},
            "Fast": {"duration_ms": 50}, "Slow": {"duration_ms": 150}}}),
    );
    assert!(
        close(r.per_execution.express_billed_duration_s, 0.15),
        "{}",
        r.per_execution.express_billed_duration_s
    );
    assert_eq!(r.per_execution.express_billed_memory_mb, 64.0);
    let express = r.express.monthly.unwrap();
    assert!(close(express, 11.5625), "{express}");
    assert!(
        !r.approximations
            .iter()
            .any(|a| a.contains("rounded up to 100 ms")),
        "{:?}",
        r.approximations
    );
    // Retries count per execution too: 100 ms that fails half the time and is retried once
    // after 1 s takes 0.1 s or 1.2 s (billed 0.1 or 1.2), 0.65 s on average.
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}],
              "End": true}}});
    let r = estimate(
        &def,
        &json!({"states": {"T": {"duration_ms": 100, "failure_rate": 0.5}}}),
    );
    // Success first time (0.5): 0.1 s; else a second attempt after 1 s: 1.2 s (success or
    // not). Expected billed: 0.5 × 0.1 + 0.5 × 1.2.
    assert!(
        close(r.per_execution.express_billed_duration_s, 0.65),
        "{}",
        r.per_execution.express_billed_duration_s
    );
}
