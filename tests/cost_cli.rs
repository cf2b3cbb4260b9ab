//! `sfn-lint cost` end to end: every report format on the bundled example, snapshots of what
//! people read, the JSON contract against its schema, the HTML's self-containment, --compare,
//! --output, and exit codes.

mod common;

use common::{bin, root, run, write};

const EXAMPLE: &str = "examples/order-processing.asl.json";
const PROFILE: &str = "examples/order-processing.profile.yaml";

fn cost(args: &[&str]) -> common::Run {
    run(bin().arg("cost").args(args))
}

#[test]
fn text_and_markdown_reports() {
    let r = cost(&[EXAMPLE, "--profile", PROFILE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("cost_text", r.stdout);
    let r = cost(&[EXAMPLE, "--profile", PROFILE, "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("```mermaid\nflowchart TD"));
    insta::assert_snapshot!("cost_markdown", r.stdout);
}

#[test]
fn csv_has_a_row_per_state() {
    let r = cost(&[EXAMPLE, "--profile", PROFILE, "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 7, "{}", r.stdout);
    assert!(lines[0].starts_with("state,type,scope,visits"));
    insta::assert_snapshot!("cost_csv", r.stdout);
}

#[test]
fn json_report_follows_its_schema() {
    let r = cost(&[
        EXAMPLE,
        "--profile",
        PROFILE,
        "--format",
        "json",
        "--simulate",
        "200",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/cost-report.schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["version"], 1);
    assert!(report["simulation"]["runs"] == 200);
    // The same contract for a report without a profile and with risks.
    let r = cost(&[EXAMPLE, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.is_valid(&report));
}

#[test]
fn the_profile_schema_knows_every_priced_region() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/cost-profile.schema.json")).unwrap(),
    )
    .unwrap();
    let mut in_schema: Vec<String> = schema["properties"]["region"]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    in_schema.sort();
    let mut priced: Vec<String> = sfn_lint::cost::Pricing::bundled()
        .regions
        .keys()
        .cloned()
        .collect();
    priced.sort();
    assert_eq!(in_schema, priced);
    // The bundled example profile follows the schema.
    let text = std::fs::read_to_string(root().join(PROFILE)).unwrap();
    let doc = sfn_lint::syntax::parse(&text, sfn_lint::syntax::Format::Yaml).unwrap();
    let value = doc.to_value(doc.root.unwrap());
    let v = jsonschema::validator_for(&schema).unwrap();
    assert!(v.is_valid(&value));
    assert!(!v.is_valid(&serde_json::json!({"states": {"A": {"branches": {"B": 2}}}})));
}

#[test]
fn html_report_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let r = cost(&[
        EXAMPLE,
        "--profile",
        PROFILE,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    // No scripts, stylesheets, fonts or images from anywhere: the only URL is the SVG namespace.
    for banned in ["<script", "<link", "<img", "@import", "<iframe"] {
        assert!(!html.contains(banned), "{banned}");
    }
    let urls = html.matches("http").count();
    assert_eq!(
        urls,
        html.matches("http://www.w3.org/2000/svg").count(),
        "only the SVG namespace"
    );
    // One diagram per scope (top level and two branches), the chart with both series.
    assert_eq!(html.matches("<svg class=\"diagram\"").count(), 3);
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert!(html.contains("data-series=\"Standard\"") && html.contains("data-series=\"Express\""));
    assert!(html.contains("data-state=\"ChargePayment\""));
    assert!(
        html.contains("id=\"standard-monthly\">$292.05<"),
        "the bill is in the page"
    );
}

#[test]
fn compare_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(
        dir.path(),
        "old.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#,
    );
    let new = write(
        dir.path(),
        "new.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#,
    );
    let r = cost(&[
        new.to_str().unwrap(),
        "--compare",
        old.to_str().unwrap(),
        "--executions",
        "1000000",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // (2M − 4,000) → (3M − 4,000) transitions at $0.025 per 1,000.
    assert!(
        r.stdout
            .contains("| Standard | 2 → 3 | $49.90 | $74.90 | +$25.00 (+50.1%) |"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("### Step Functions cost: +$25.00 a month (+50.1%)")
            && r.stdout.starts_with("<!-- sfn-lint cost -->"),
        "{}",
        r.stdout
    );
    // The new state, per state, collapsed.
    assert!(
        r.stdout.contains("<details><summary>Per state</summary>")
            && r.stdout.contains("| `C` | new: 1 | new: 1 | new: $24.97 |"),
        "{}",
        r.stdout
    );
    let r = cost(&[
        new.to_str().unwrap(),
        "--compare",
        old.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["workflows"][0]["status"], "changed");
    assert_eq!(
        v["workflows"][0]["before"]["transitions_per_execution"],
        2.0
    );
    assert_eq!(v["workflows"][0]["after"]["transitions_per_execution"], 3.0);
    assert_eq!(v["workflows"][0]["states"][0]["name"], "C");
    assert!(
        r.stderr.contains("costed") && r.stderr.contains("as the older definition"),
        "{}",
        r.stderr
    );
    // A saved JSON report is read as the base, and said so.
    let saved = cost(&[
        old.to_str().unwrap(),
        "--executions",
        "1000000",
        "--format",
        "json",
    ]);
    let base = write(dir.path(), "base.json", &saved.stdout);
    let r = cost(&[
        new.to_str().unwrap(),
        "--compare",
        base.to_str().unwrap(),
        "--executions",
        "1000000",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("as a saved cost report"), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("| Standard | 2 → 3 | $49.90 | $74.90 | +$25.00 (+50.1%) |"),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_input_exits_2_with_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let r = cost(&["no/such/file.asl.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no/such/file.asl.json: no such file"),
        "{}",
        r.stderr
    );
    let p = write(
        dir.path(),
        "p.yaml",
        "states:\n  ChargePaymnet:\n    duration_ms: 5\n",
    );
    let r = cost(&[EXAMPLE, "--profile", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `ChargePayment`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("p.yaml:2:3"), "{}", r.stderr);
    let p = write(dir.path(), "p.toml", "executions_per_month = \"many\"\n");
    let r = cost(&[EXAMPLE, "--profile", p.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("p.toml:1:"), "{}", r.stderr);
    let r = cost(&[EXAMPLE, "--region", "mars-1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("mars-1"));
    // A file that is not JSON cannot be costed: exit 1 with the syntax error.
    let bad = write(dir.path(), "bad.asl.json", "{\"StartAt\": ");
    let r = cost(&[bad.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("bad.asl.json:1:"), "{}", r.stderr);
    // A file that is no definition at all (a saved cost report, say) is the wrong file: exit
    // 2, never a bill of zero.
    let report = cost(&[EXAMPLE, "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let saved = write(dir.path(), "report.json", &report.stdout);
    let r = cost(&[saved.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("report.json: not a state machine definition"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn check_uses_the_profile_for_the_payload_estimate() {
    let dir = tempfile::tempdir().unwrap();
    // A Map whose iterations return a Lambda's whole response into the state.
    let def = write(
        dir.path(),
        "fanout.asl.json",
        r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.orders",
          "ItemProcessor": {"StartAt": "Enrich", "States": {"Enrich": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "enrich", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}], "End": true}}},
          "ResultPath": "$.enriched", "Next": "Done"}, "Done": {"Type": "Succeed"}}}"#,
    );
    let d = def.to_str().unwrap();
    let r = run(bin().args(["check", "--format", "concise", "--select", "SFN413", d]));
    assert_eq!(
        r.code, 0,
        "no finding with the defaults (10 items): {}",
        r.stdout
    );
    let profile = write(
        dir.path(),
        "p.yaml",
        "states:\n  Each:\n    items: 500\n  Enrich:\n    result_bytes: 2048\n",
    );
    let r = run(bin().args([
        "check",
        "--format",
        "concise",
        "--select",
        "SFN413",
        "--profile",
        profile.to_str().unwrap(),
        d,
    ]));
    assert!(
        r.stdout
            .contains("SFN413 [warning] the output of `Each` is estimated at 1001."),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("`Enrich` (+"), "{}", r.stdout);
    // A broken profile is a usage error with its place.
    let bad = write(dir.path(), "bad.yaml", "states:\n  Each:\n    itms: 5\n");
    let r = run(bin().args(["check", "--profile", bad.to_str().unwrap(), d]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.yaml:3:5"), "{}", r.stderr);
}

#[test]
fn templates_are_costed_per_state_machine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "sm/b.asl.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}, "Q": {"Type": "Pass", "End": true}}}"#,
    );
    let t = write(
        dir.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Inline:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      Definition:\n        StartAt: T\n        States:\n          T:\n            Type: Task\n            Resource: !GetAtt Fn.Arn\n            End: true\n  FromFile:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: sm/b.asl.json\n",
    );
    let t = t.to_str().unwrap();
    // Every state machine of the template, one bill.
    let r = cost(&[t, "--format", "json", "--executions", "1000000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rows = v["workflows"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|w| w["machine"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Inline", "FromFile"]);
    assert_eq!(rows[0]["type"], "express");
    assert_eq!(rows[1]["transitions_per_execution"], 2.0);
    let r = cost(&[t, "--machine", "Nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no state machine `Nope`") && r.stderr.contains("`Inline`"),
        "{}",
        r.stderr
    );
    let r = cost(&[
        t,
        "--machine",
        "Inline",
        "--format",
        "json",
        "--executions",
        "1000000",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["workflow_type"], "express", "the template's type is used");
    assert_eq!(v["per_execution"]["transitions"], 1.0);
    assert!(
        v["file"]
            .as_str()
            .unwrap()
            .ends_with("template.yaml#Inline")
    );
    let r = cost(&[t, "--machine", "FromFile", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["per_execution"]["transitions"], 2.0);
    let tf = write(
        dir.path(),
        "main.tf",
        "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = jsonencode({ StartAt = \"A\", States = { A = { Type = \"Pass\", End = true } } })\n}\n",
    );
    let r = cost(&[tf.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["per_execution"]["transitions"], 1.0);
}

#[test]
fn profiles_with_numbers_that_are_not_finite_or_duplicate_keys_are_errors_at_the_place() {
    let d = tempfile::tempdir().unwrap();
    let def = write(d.path(), "flow.asl.json", common::VALID);
    for (name, text, place) in [
        (
            "a.yaml",
            "region: us-east-1\nexecutions_per_month: .inf\n",
            "a.yaml:2:23",
        ),
        ("b.yaml", "executions_per_month: .nan\n", "b.yaml:1:23"),
        ("c.json", "{\"input_bytes\": 1e400}", "c.json:1:17"),
        ("d.toml", "executions_per_month = inf\n", "d.toml:1:1"),
        (
            "e.yaml",
            "executions_per_month: 10\nexecutions_per_month: 20\n",
            "e.yaml:2:1",
        ),
    ] {
        let p = write(d.path(), name, text);
        let r = cost(&[def.to_str().unwrap(), "--profile", p.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(place),
            "{name}: no {place} in\n{}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{name}: an estimate was printed");
    }
}

#[test]
fn a_fractional_item_count_in_a_distribution_is_an_error_and_a_mean_is_exact() {
    let d = tempfile::tempdir().unwrap();
    let def = write(
        d.path(),
        "map.asl.json",
        r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    );
    let p = write(
        d.path(),
        "p.yaml",
        "states:\n  Each:\n    items:\n      distribution: [[2.5, 1.0]]\n",
    );
    let r = cost(&[def.to_str().unwrap(), "--profile", p.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not a whole number"), "{}", r.stderr);
    // A mean of 2.5 items: 1 (Map) + 2.5 (Pass) transitions, exactly.
    let p = write(d.path(), "m.yaml", "states:\n  Each:\n    items: 2.5\n");
    let r = cost(&[
        def.to_str().unwrap(),
        "--profile",
        p.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["per_execution"]["transitions"], 3.5, "{}", r.stdout);
}

#[test]
fn retries_are_capped_by_the_execution_time_limit() {
    let d = tempfile::tempdir().unwrap();
    let def = write(
        d.path(),
        "r.asl.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "IntervalSeconds": 99999999, "BackoffRate": 2.0}], "End": true}}}"#,
    );
    let p = write(
        d.path(),
        "p.yaml",
        "states:\n  T:\n    failures:\n      States.TaskFailed: 0.999\n",
    );
    let r = cost(&[
        def.to_str().unwrap(),
        "--profile",
        p.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let year = 365.0 * 24.0 * 3600.0;
    let duration = v["per_execution"]["duration_s"].as_f64().unwrap();
    assert!(duration <= year + 1.0, "{duration}");
    // Express bills at most five minutes an execution.
    let text = cost(&[def.to_str().unwrap(), "--profile", p.to_str().unwrap()]);
    assert!(
        text.stdout.contains("billed 64 MB × 5.0 min"),
        "{}",
        text.stdout
    );
    for line in text.stdout.lines().filter(|l| l.contains('$')) {
        assert!(line.len() < 120, "an astronomic figure: {line}");
    }
}

#[cfg(unix)]
#[test]
fn cost_output_keeps_the_target_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("report.md");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = cost(&[EXAMPLE, "--format", "markdown", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("```mermaid")
    );
    // A new file gets the usual permissions, not a temporary file's 0600.
    let new = d.path().join("new.md");
    let r = cost(&[EXAMPLE, "-o", new.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode, 0o600, "{mode:o}");
}

#[test]
fn compare_reads_the_base_from_a_git_revision() {
    // git is part of every CI image this runs on; its absence is a failure, not a skip.
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    common::git_init(dir.path());
    write(
        dir.path(),
        "flows/flow.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#,
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    write(
        dir.path(),
        "flows/flow.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#,
    );
    let cost_in = |args: &[&str]| run(bin().current_dir(dir.path()).arg("cost").args(args));
    let r = cost_in(&[
        "flows/flow.asl.json",
        "--compare",
        "HEAD",
        "--executions",
        "1000000",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "| `flows/flow.asl.json` | Standard | 2 → 3 | $49.90 | $74.90 | +$25.00 (+50.1%) |"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("read 1 workflow(s) as at HEAD from git"),
        "{}",
        r.stderr
    );
    // A revision git does not know: exit 2 with git's reason.
    let r = cost_in(&["flows/flow.asl.json", "--compare", "no-such-branch"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--compare no-such-branch"),
        "{}",
        r.stderr
    );
}
