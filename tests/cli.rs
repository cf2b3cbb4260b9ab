//! The command line: every output format, exit codes, selection, config and suppression.

mod common;

use common::{VALID, bin, root, run, write};
use insta_cmd::assert_cmd_snapshot;

const EXAMPLE: &str = "examples/order-processing.asl.json";

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots/cli");
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(env!("CARGO_PKG_VERSION"), "[VERSION]");
    s
}

#[test]
fn every_format_on_the_example() {
    let settings = snapshot_settings();
    settings.bind(|| {
        for format in ["text", "concise", "json", "sarif", "github"] {
            let mut cmd = bin();
            cmd.args(["check", "--format", format, EXAMPLE]);
            assert_cmd_snapshot!(format!("example-{format}"), cmd);
        }
    });
}

/// The seed article's defect, at the same line and column in every format.
#[test]
fn refund_and_notify_is_located_in_every_format() {
    let concise = run(bin().args(["check", "--format", "concise", EXAMPLE]));
    assert_eq!(concise.code, 1);
    assert!(
        concise
            .stdout
            .contains("examples/order-processing.asl.json:63:19: SFN102"),
        "{}",
        concise.stdout
    );

    let json: serde_json::Value =
        serde_json::from_str(&run(bin().args(["check", "--format", "json", EXAMPLE])).stdout)
            .unwrap();
    let d = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SFN102")
        .unwrap()
        .clone();
    assert_eq!(d["pointer"], "/States/ChargePayment/Catch/0/Next");
    assert_eq!(
        d["range"]["start"],
        serde_json::json!({"line": 63, "column": 19})
    );
    assert_eq!(
        d["range"]["end"],
        serde_json::json!({"line": 63, "column": 36})
    );

    let gh = run(bin().args(["check", "--format", "github", EXAMPLE]));
    assert!(gh.stdout.contains("::error file=examples/order-processing.asl.json,line=63,col=19,endLine=63,endColumn=36,title=SFN102 undefined-transition-target::"), "{}", gh.stdout);

    let text = run(bin().args(["check", "--format", "text", EXAMPLE]));
    assert!(
        text.stdout
            .contains("examples/order-processing.asl.json:63:19"),
        "{}",
        text.stdout
    );

    let sarif: serde_json::Value =
        serde_json::from_str(&run(bin().args(["check", "--format", "sarif", EXAMPLE])).stdout)
            .unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "SFN102")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 63);
    assert_eq!(region["startColumn"], 19);
}

#[test]
fn json_output_follows_the_contract() {
    let json: serde_json::Value =
        serde_json::from_str(&run(bin().args(["check", "--format", "json", EXAMPLE])).stdout)
            .unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 5, "infos": 3})
    );
    let d = json["files"][0]["diagnostics"][0].as_object().unwrap();
    for key in [
        "code", "name", "severity", "message", "help", "pointer", "range", "fix",
    ] {
        assert!(d.contains_key(key), "missing {key}");
    }
    assert_eq!(json["files"][0]["path"], EXAMPLE);
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let ok = write(dir.path(), "ok.asl.json", VALID);
    assert_eq!(run(bin().arg("check").arg(&ok)).code, 0);
    assert_eq!(run(bin().args(["check", EXAMPLE])).code, 1);
    assert_eq!(run(bin().args(["check", "--exit-zero", EXAMPLE])).code, 0);
    // Downgraded to a warning the finding passes, unless warnings are denied.
    assert_eq!(
        run(bin().args(["check", "--warn", "SFN102", EXAMPLE])).code,
        0
    );
    assert_eq!(
        run(bin().args(["check", "--warn", "SFN102", "--deny-warnings", EXAMPLE])).code,
        1
    );
    let missing = run(bin().args(["check", "no/such/file.json"]));
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("no/such/file.json: no such file or directory"),
        "{}",
        missing.stderr
    );
    assert_eq!(
        run(bin().args(["check", "--format", "xml", EXAMPLE])).code,
        2
    );
    assert_eq!(run(bin().args(["frobnicate"])).code, 2);
}

#[test]
fn select_and_ignore_by_code_name_and_category() {
    for sel in [
        ["--ignore", "SFN102"],
        ["--ignore", "undefined-transition-target"],
        ["--ignore", "correctness"],
        ["--select", "schema"],
    ] {
        let r = run(bin()
            .arg("check")
            .args(sel)
            .args(["--format", "json", EXAMPLE]));
        assert_eq!(r.code, 0, "{sel:?}: {}", r.stdout);
    }
    let r = run(bin().args(["check", "--select", "SFN1", "--format", "concise", EXAMPLE]));
    assert_eq!(r.code, 1);
}

#[test]
fn stdin_with_a_filename() {
    use std::io::Write;
    let mut child = bin()
        .args([
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "flow.asl.yaml",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("flow.asl.yaml:5:11: SFN102"), "{stdout}");
}

#[test]
fn config_file_is_found_upward_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sfn-lint.toml",
        "[rules]\nundefined-transition-target = \"warning\"\n",
    );
    let f = write(
        dir.path(),
        "flows/deep/bad.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}"#,
    );
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("\"severity\": \"warning\""));
    // --isolated ignores it.
    assert_eq!(run(bin().args(["check", "--isolated"]).arg(&f)).code, 1);
    // A broken config is a usage error that names the key.
    write(
        dir.path(),
        "sfn-lint.toml",
        "[rules]\nno-such-rule = \"off\"\n",
    );
    let r = run(bin().arg("check").arg(&f));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-rule"), "{}", r.stderr);
}

#[test]
fn suppression_in_yaml_comments_and_json_comment_fields() {
    let dir = tempfile::tempdir().unwrap();
    let y = write(
        dir.path(),
        "a.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nope  # sfn-lint: ignore[undefined-transition-target]\n",
    );
    assert_eq!(run(bin().arg("check").arg(&y)).code, 0);
    let y2 = write(
        dir.path(),
        "b.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    # sfn-lint: ignore[SFN102]\n    Next: Nope\n",
    );
    assert_eq!(run(bin().arg("check").arg(&y2)).code, 0);
    let y3 = write(
        dir.path(),
        "c.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nope  # sfn-lint: ignore[SFN101]\n",
    );
    assert_eq!(
        run(bin().arg("check").arg(&y3)).code,
        1,
        "a directive for another rule must not suppress"
    );
    let j = write(
        dir.path(),
        "d.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "sfn-lint-ignore: SFN102", "Next": "Nope"}}}"#,
    );
    assert_eq!(run(bin().arg("check").arg(&j)).code, 0);
    // The marker written with a `\u` escape (the text search that skips marker-free files
    // must not miss it), and a file without one still fails.
    let j2 = write(
        dir.path(),
        "e.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "sfn-lint\u002dignore: SFN102", "Next": "Nope"}}}"#,
    );
    assert_eq!(run(bin().arg("check").arg(&j2)).code, 0);
    let j3 = write(
        dir.path(),
        "f.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "sfn-lint ignore: SFN102", "Next": "Nope"}}}"#,
    );
    assert_eq!(run(bin().arg("check").arg(&j3)).code, 1);
}

#[test]
fn directories_are_walked_by_extension_and_content_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b/flow.asl.json", VALID);
    write(dir.path(), "a/plain.json", VALID);
    write(
        dir.path(),
        "a/package.json",
        r#"{"name": "not a state machine"}"#,
    );
    write(dir.path(), "ignored/bad.asl.json", "{");
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "node_modules/x/bad.asl.json", "{");
    let r = run(bin().args(["check", "--format", "json"]).arg(dir.path()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(
        paths[0].ends_with("a/plain.json") && paths[1].ends_with("b/flow.asl.json"),
        "{paths:?}"
    );
}

#[test]
fn walked_files_are_chosen_by_their_root_and_named_files_linted_once() {
    let dir = tempfile::tempdir().unwrap();
    // StartAt and States, but not at the root: not a definition.
    write(
        dir.path(),
        "nested.json",
        r#"{"config": {"StartAt": "A", "States": {}}}"#,
    );
    // Broken, but it mentions both keys: linted, so that the syntax error is said.
    write(dir.path(), "broken.json", r#"{"StartAt": "A", "States": "#);
    write(
        dir.path(),
        "flow.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Succeed\n",
    );
    write(
        dir.path(),
        "other.tf",
        "resource \"aws_s3_bucket\" \"b\" {}\n",
    );
    let named = dir.path().join("flow.yaml");
    let r = run(bin()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .arg(&named));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap().replace('\\', "/");
            p.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(names, ["broken.json", "flow.yaml"], "{}", r.stdout);
    assert_eq!(files[0]["diagnostics"][0]["code"], "SFN001", "{}", r.stdout);

    // A broken config under a walked folder is a usage error, as for a named file.
    write(
        dir.path(),
        "sfn-lint.toml",
        "[rules]\nno-such-rule = \"off\"\n",
    );
    let r = run(bin().arg("check").arg(dir.path()));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no-such-rule"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn colour_is_opt_in_outside_a_terminal() {
    let plain = run(bin().args(["check", EXAMPLE]));
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = run(bin().args(["check", "--color", "always", EXAMPLE]));
    assert!(coloured.stdout.contains('\u{1b}'));
}

#[test]
fn rules_and_rule_commands() {
    let list = run(bin().arg("rules"));
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("SFN102  undefined-transition-target"));
    let page = run(bin().args(["rule", "SFN117"]));
    assert!(page.stdout.contains("# unreachable-state (SFN117)"));
    assert_eq!(run(bin().args(["rule", "unreachable-state"])).code, 0);
    let unknown = run(bin().args(["rule", "unreachable-states"]));
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `unreachable-state`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn output_order_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        write(
            dir.path(),
            &format!("f{i:02}.asl.json"),
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
        );
    }
    let a = run(bin().args(["check", "--format", "concise"]).arg(dir.path())).stdout;
    let b = run(bin().args(["check", "--format", "concise"]).arg(dir.path())).stdout;
    assert_eq!(a, b);
    let lines: Vec<&str> = a.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

#[test]
fn templates_and_terraform_are_read_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let tf = write(
        dir.path(),
        "main.tf",
        "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = file(\"flow.asl.json\")\n}\n",
    );
    let sam = write(
        dir.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  A: {Type: AWS::Serverless::StateMachine}\n  A: {Type: AWS::Serverless::Function}\n",
    );
    let bucket = write(
        dir.path(),
        "bucket.yaml",
        "Resources:\n  B: {Type: AWS::S3::Bucket}\n",
    );
    for (f, want, code) in [(tf, "SFN007", 1), (sam, "SFN007", 1), (bucket, "SFN006", 0)] {
        let r = run(bin().args(["check", "--format", "json"]).arg(&f));
        assert_eq!(r.code, code, "{}", r.stdout);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(common::first_file_codes(&json), [want], "{f:?}");
    }
}

/// Text, concise, GitHub and JSON reports are made file by file on the workers and joined in
/// order on the main thread (a template's, after its referenced files are resolved): a batch's
/// report is each file's report in the order given, whichever thread made it.
#[test]
fn a_batch_report_is_its_files_reports_in_order() {
    let dir = tempfile::tempdir().unwrap();
    // A repository: the template's DefinitionUri is resolved inside it.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let mut files = Vec::new();
    for i in 0..12 {
        // Different findings per file, so that a swapped pair would show.
        let next = if i % 3 == 0 { "Missing" } else { "B" };
        files.push(write(
            dir.path(),
            &format!("f{i:02}.asl.json"),
            format!(
                r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Next": "{next}"}}, "B": {{"Type": "Wait", "Seconds": {i}, "End": true}}}}}}"#
            ),
        ));
    }
    write(
        dir.path(),
        "sam/statemachine/flow.asl.json",
        r#"{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "Parameters": {"JobName": "${JobNmae}"}, "TimeoutSeconds": 60, "End": true}}}"#,
    );
    files.push(root().join(EXAMPLE));
    // Last: the definition a template names is reported after every file given.
    files.push(write(
        dir.path(),
        "sam/template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        JobName: etl\n",
    ));
    let check = |format: &str, paths: &[std::path::PathBuf]| {
        run(bin()
            .current_dir(dir.path())
            .args(["check", "--format", format, "--color", "always"])
            .args(paths))
        .stdout
    };
    for format in ["concise", "github"] {
        let whole = check(format, &files);
        let joined: String = files
            .iter()
            .map(|f| check(format, std::slice::from_ref(f)))
            .collect();
        assert!(whole.lines().count() > files.len(), "{whole}");
        assert_eq!(whole, joined, "{format}");
    }
    // Text: each file's code frames (and Express verdict), then one summary line for all.
    let whole = check("text", &files);
    let body = |s: &str| s[..s.trim_end().rfind('\n').map_or(0, |i| i + 1)].to_string();
    let joined: String = files
        .iter()
        .map(|f| body(&check("text", std::slice::from_ref(f))))
        .collect();
    assert!(
        whole.contains('\u{1b}'),
        "colour reaches the workers' parts"
    );
    assert_eq!(body(&whole), joined);
    assert!(
        whole
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("15 files checked: "),
        "{whole}"
    );
    // JSON: the same entries in the same order.
    let entries = |s: &str| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["files"].as_array().unwrap().clone()
    };
    let whole = entries(&check("json", &files));
    let joined: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|f| entries(&check("json", std::slice::from_ref(f))))
        .collect();
    assert_eq!(whole, joined);
}
