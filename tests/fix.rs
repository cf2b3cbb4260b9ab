//! `--fix` round-trips: the fixed file parses, the fixed rule no longer fires, nothing else
//! changes; `--diff` writes nothing.

mod common;

use common::{bin, run, write};

/// (code, pointer) of every finding, for comparing before and after.
fn findings(path: &std::path::Path) -> Vec<(String, String)> {
    let r = run(bin().args(["check", "--format", "json"]).arg(path));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut v: Vec<(String, String)> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

const CASES: &[(&str, &str)] = &[
    (
        "multi.asl.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:states:::lambda:invoke\",\n      \"Parameters\": { \"FunctionName\": \"f\" },\n      \"Next\": \"B\"\n    },\n    \"B\": { \"Type\": \"Task\", \"Resource\": \"arn:aws:lambda:us-east-1:123:function:g\", \"End\": true }\n  }\n}\n",
    ),
    (
        "block.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    Parameters:\n      FunctionName: f\n    End: true  # the last step\n",
    ),
    (
        "flow.asl.yaml",
        "StartAt: A\nStates:\n  A: {Type: Task, Resource: arn:aws:states:::lambda:invoke, End: true}\n",
    ),
];

#[test]
fn fix_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in CASES {
        let f = write(dir.path(), name, content);
        let before = findings(&f);
        assert!(
            before.iter().any(|(c, _)| c == "SFN404"),
            "{name}: nothing to fix"
        );
        let r = run(bin().args(["check", "--fix"]).arg(&f));
        assert!(r.stderr.contains("fixed"), "{name}: {}", r.stderr);
        let after = findings(&f);
        assert!(
            !after
                .iter()
                .any(|(c, _)| c == "SFN404" || c.starts_with("SFN0") || c.starts_with("SFN2")),
            "{name}: {after:?}\n{}",
            std::fs::read_to_string(&f).unwrap()
        );
        let expected: Vec<_> = before.into_iter().filter(|(c, _)| c != "SFN404").collect();
        assert_eq!(after, expected, "{name}: the fix changed other findings");
        let fixed = std::fs::read_to_string(&f).unwrap();
        assert!(fixed.contains("Lambda.ServiceException"));
        // Fixing again changes nothing.
        run(bin().args(["check", "--fix"]).arg(&f));
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            fixed,
            "{name}: the fix is not idempotent"
        );
    }
    let comment = std::fs::read_to_string(dir.path().join("block.asl.yaml")).unwrap();
    assert!(
        comment.contains("End: true  # the last step\n    Retry:"),
        "{comment}"
    );
}

#[test]
fn diff_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), CASES[0].0, CASES[0].1);
    let r = run(bin().args(["check", "--diff"]).arg(&f));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("+      \"Retry\": ["), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), CASES[0].1);
    let clean = write(dir.path(), "clean.asl.json", common::VALID);
    assert_eq!(run(bin().args(["check", "--diff"]).arg(&clean)).code, 0);
}

#[test]
fn unsafe_fixes_need_opting_in() {
    let dir = tempfile::tempdir().unwrap();
    let content = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Bee"}, "B": {"Type": "Succeed"}}}"#;
    let f = write(dir.path(), "t.asl.json", content);
    run(bin().args(["check", "--fix"]).arg(&f));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        content,
        "an unsafe fix was applied without --unsafe-fixes"
    );
    let r = run(bin().args(["check", "--fix", "--unsafe-fixes"]).arg(&f));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        std::fs::read_to_string(&f)
            .unwrap()
            .contains(r#""Next": "B""#)
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), CASES[0].0, CASES[0].1);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    run(bin().args(["check", "--fix"]).arg(&f));
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
}
