//! `sfn-lint cost PATH...` on several workflows: one bill with the free tier and the Express
//! duration tiers counted once, profiles keyed by file and machine, and `--compare` per
//! workflow and per state against a git revision or a saved report. Figures are worked by hand.

mod common;

use common::{bin, root, run, write};

const A: &str = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#;

/// A SAM template: `Fast` (Express, one Lambda Task) and `Billing` (Standard, five states).
const TEMPLATE: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Fast:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition:
        StartAt: W
        States:
          W: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: f}, End: true}
  Billing:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: P
        States:
          P: {Type: Pass, Next: Q}
          Q: {Type: Pass, Next: R}
          R: {Type: Pass, Next: S}
          S: {Type: Pass, Next: T}
          T: {Type: Succeed}
"#;

fn json(r: &common::Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn close(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-6, "{got} ≠ {want}");
}

fn schema_errors(v: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/cost-report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_free_tier_is_counted_once_for_the_set() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.asl.json", A);
    write(dir.path(), "template.yaml", TEMPLATE);
    // The Express machine runs as Standard here (--type), so both bills are transitions:
    // a.asl.json 3 × 1,000, Fast 1 × 1,000, Billing 5 × 1,000 = 9,000 transitions, of which
    // 4,000 are free once: 5,000 × $0.000025 = $0.125. Priced one by one, only Billing would
    // pass the free tier (5,000 − 4,000), $0.025.
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        ".",
        "--executions",
        "1000",
        "--type",
        "standard",
        "--format",
        "json",
    ]));
    let v = json(&r);
    assert!(schema_errors(&v).is_empty(), "{:#?}", schema_errors(&v));
    let rows = v["workflows"].as_array().unwrap();
    let names: Vec<String> = rows
        .iter()
        .map(|w| match w["machine"].as_str() {
            Some(m) => format!("{}#{m}", w["file"].as_str().unwrap()),
            None => w["file"].as_str().unwrap().to_string(),
        })
        .collect();
    assert_eq!(
        names,
        ["a.asl.json", "template.yaml#Fast", "template.yaml#Billing"]
    );
    close(&v["total"]["monthly_usd"], 0.125);
    close(&v["total"]["standard_transitions"], 9000.0);
    close(&v["total"]["free_transitions"], 4000.0);
    // The rows add up to the total: each has the free tier in proportion to its transitions.
    let sum: f64 = rows
        .iter()
        .map(|w| w["monthly_usd"].as_f64().unwrap())
        .sum();
    assert!((sum - 0.125).abs() < 1e-9, "{sum}");
    close(&rows[2]["monthly_usd"], 0.125 * 5.0 / 9.0);
    // Without the free tier (flag or profile key): 9,000 × $0.000025.
    let p = write(dir.path(), "nofree.yaml", "free_tier: false\n");
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        ".",
        "--executions",
        "1000",
        "--type",
        "standard",
        "--format",
        "json",
        "--profile",
        p.to_str().unwrap(),
    ]));
    close(&json(&r)["total"]["monthly_usd"], 0.225);
}

#[test]
fn express_duration_tiers_are_counted_once_for_the_set() {
    let dir = tempfile::tempdir().unwrap();
    let flow = r#"{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}"#;
    write(dir.path(), "one.asl.json", flow);
    write(dir.path(), "two.asl.json", flow);
    // Each: 15,360,000 executions × 3 s × 64 MB = 800 GB-hours. Together 1,600 GB-hours:
    // 1,000 at $0.06 + 600 at $0.03 = $78, plus 30,720,000 requests at $1 per million =
    // $30.72; $108.72. Priced one by one, each would take the first tier: $126.72.
    let profile = write(
        dir.path(),
        "usage.yaml",
        "executions_per_month: 15360000\nexpress_memory_mb: 64\nstates:\n  W: {duration_ms: 3000}\n",
    );
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        "one.asl.json",
        "two.asl.json",
        "--type",
        "express",
        "--profile",
        profile.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let v = json(&r);
    close(&v["total"]["express_gb_hours"], 1600.0);
    close(&v["total"]["monthly_usd"], 108.72);
    close(&v["workflows"][0]["monthly_usd"], 54.36);
    let items: Vec<&str> = v["total"]["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "Express requests",
            "Express duration, GB-hours 0 to 1,000",
            "Express duration, GB-hours 1,000 to 5,000"
        ]
    );
    // The text report says the tiers are shared.
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        "one.asl.json",
        "two.asl.json",
        "--type",
        "express",
        "--profile",
        profile.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("counted once for the whole set") && r.stdout.contains("$108.72"),
        "{}",
        r.stdout
    );
}

#[test]
fn profiles_are_keyed_by_file_and_machine() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "flows/a.asl.json", A);
    write(dir.path(), "template.yaml", TEMPLATE);
    // Defaults 1,000 a month; a.asl.json by file 10,000; Billing by machine 2,000; Fast by
    // `file#machine` 100,000 as Express, its Task taking 3 s at 64 MB.
    let profile = write(
        dir.path(),
        "usage.yaml",
        "executions_per_month: 1000\nworkflows:\n  flows/a.asl.json:\n    executions_per_month: 10000\n  Billing:\n    executions_per_month: 2000\n  template.yaml#Fast:\n    executions_per_month: 100000\n    express_memory_mb: 64\n    states:\n      W: {duration_ms: 3000}\n",
    );
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        ".",
        "--profile",
        profile.to_str().unwrap(),
        "--no-free-tier",
        "--format",
        "json",
    ]));
    let v = json(&r);
    let rows = v["workflows"].as_array().unwrap();
    let execs: Vec<f64> = rows
        .iter()
        .map(|w| w["executions_per_month"].as_f64().unwrap())
        .collect();
    assert_eq!(execs, [10000.0, 100000.0, 2000.0]);
    // a: 30,000 transitions = $0.75. Billing: 10,000 = $0.25. Fast (Express): 100,000
    // requests = $0.10, and 100,000 × 3 s × 0.0625 GB / 3600 = 5.2083 GB-hours × $0.06.
    close(&rows[0]["monthly_usd"], 0.75);
    close(&rows[2]["monthly_usd"], 0.25);
    close(
        &rows[1]["monthly_usd"],
        0.1 + 100000.0 * 3.0 * 0.0625 / 3600.0 * 0.06,
    );
    // A key that names no workflow costed is said at its place (it may be for a workflow not
    // costed this time), and the rest is costed.
    let bad = write(
        dir.path(),
        "bad.yaml",
        "workflows:\n  Billling:\n    executions_per_month: 5\n",
    );
    let r =
        run(bin()
            .current_dir(dir.path())
            .args(["cost", ".", "--profile", bad.to_str().unwrap()]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("`workflows.Billling` names no workflow")
            && r.stderr.contains("bad.yaml:2:3"),
        "{}",
        r.stderr
    );
    // A workflow's entry inside another is an error at its place.
    let nested = write(
        dir.path(),
        "nested.yaml",
        "workflows:\n  Billing:\n    workflows: {x: {}}\n",
    );
    let r = run(bin().current_dir(dir.path()).args([
        "cost",
        ".",
        "--profile",
        nested.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("nested.yaml:3:5"), "{}", r.stderr);
    // An entry's state that its workflow lacks is an error at that entry.
    let bad = write(
        dir.path(),
        "bad2.yaml",
        "workflows:\n  Billing:\n    states:\n      W: {duration_ms: 5}\n",
    );
    let r =
        run(bin()
            .current_dir(dir.path())
            .args(["cost", ".", "--profile", bad.to_str().unwrap()]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad2.yaml:4:7"), "{}", r.stderr);
    // Several workflows have no one-page HTML report.
    let r = run(bin()
        .current_dir(dir.path())
        .args(["cost", ".", "--format", "html"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_pull_request_diff_lists_changed_new_and_removed_workflows() {
    // git is part of every CI image this runs on; its absence is a failure, not a skip.
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    common::git_init(dir.path());
    write(dir.path(), "sfn/a.asl.json", A);
    write(dir.path(), "sfn/gone.asl.json", A);
    write(dir.path(), "sfn/template.yaml", TEMPLATE);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    // The head: a.asl.json gains a state, gone.asl.json goes, new.asl.json comes.
    write(
        dir.path(),
        "sfn/a.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"D"},"D":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
    );
    std::fs::remove_file(dir.path().join("sfn/gone.asl.json")).unwrap();
    write(
        dir.path(),
        "sfn/new.asl.json",
        r#"{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}"#,
    );
    let cost = |args: &[&str]| run(bin().current_dir(dir.path()).arg("cost").args(args));
    // 1,000,000 executions each, no free tier, everything Standard: a.asl.json 3 → 4
    // transitions ($75 → $100), gone.asl.json $75 → removed, new.asl.json $25, the template
    // unchanged (Fast $25, Billing $125). Base $300, head $275.
    let common = [
        "--executions",
        "1000000",
        "--no-free-tier",
        "--type",
        "standard",
    ];
    let mut args = vec!["sfn", "--compare", "HEAD", "--format", "json"];
    args.extend(common);
    let r = cost(&args);
    let v = json(&r);
    assert!(schema_errors(&v).is_empty(), "{:#?}", schema_errors(&v));
    assert!(r.stderr.contains("as at HEAD from git"), "{}", r.stderr);
    close(&v["total"]["before_usd"], 300.0);
    close(&v["total"]["after_usd"], 275.0);
    close(&v["total"]["change_usd"], -25.0);
    let st: Vec<(String, String)> = v["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let name = match w["machine"].as_str() {
                Some(m) => format!("{}#{m}", w["file"].as_str().unwrap()),
                None => w["file"].as_str().unwrap().to_string(),
            };
            (name, w["status"].as_str().unwrap().to_string())
        })
        .collect();
    let st: Vec<(&str, &str)> = st.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        st,
        [
            ("sfn/a.asl.json", "changed"),
            ("sfn/new.asl.json", "new"),
            ("sfn/template.yaml#Fast", "unchanged"),
            ("sfn/template.yaml#Billing", "unchanged"),
            ("sfn/gone.asl.json", "removed"),
        ]
    );
    let a = &v["workflows"][0];
    close(&a["change_usd"], 25.0);
    assert_eq!(a["states"].as_array().unwrap().len(), 1);
    assert_eq!(a["states"][0]["name"], "D");
    close(&a["states"][0]["after"]["monthly_usd"], 25.0);
    // The Markdown for the pull request: headline, one row per change, the total, and the
    // per-state detail collapsed.
    let mut args = vec!["sfn", "--compare", "HEAD", "--format", "markdown"];
    args.extend(common);
    let r = cost(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = &r.stdout;
    for want in [
        "<!-- sfn-lint cost -->",
        "### Step Functions cost: -$25.00 a month (-8.3%)",
        "**$300.00 → $275.00** a month · 1 workflow changed, 1 new, 1 removed, 2 unchanged",
        "| `sfn/a.asl.json` | Standard | 3 → 4 | $75.00 | $100.00 | +$25.00 (+33.3%) |",
        "| `sfn/new.asl.json` | Standard | new: 1 | – | $25.00 | +$25.00 |",
        "| `sfn/gone.asl.json` | Standard | removed: 3 | $75.00 | – | -$75.00 (-100.0%) |",
        "| **Total** | | | **$300.00** | **$275.00** | **-$25.00 (-8.3%)** |",
        "| `D` | new: 1 | new: 1 | new: $25.00 |",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // Every table row has the header's number of cells (GitHub drops a ragged table).
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let lines: Vec<&str> = table.lines().collect();
        let n = lines[0].matches('|').count();
        for l in &lines {
            assert_eq!(l.replace("\\|", "").matches('|').count(), n, "{l}\n{table}");
        }
    }
    // A saved set report as the base reads the same.
    let mut saved_args = vec!["sfn", "--format", "json"];
    saved_args.extend(common);
    git(&["stash", "-u", "-q"]);
    let saved = cost(&saved_args);
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    git(&["stash", "pop", "-q"]);
    let base = write(dir.path(), "base.json", &saved.stdout);
    let mut args = vec![
        "sfn",
        "--compare",
        base.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend(common);
    let r = cost(&args);
    let w = json(&r);
    assert!(r.stderr.contains("as a saved cost report"), "{}", r.stderr);
    assert_eq!(w["workflows"], v["workflows"]);
    assert_eq!(w["total"], v["total"]);
}
