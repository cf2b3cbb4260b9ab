//! `sfn-lint graph`: Mermaid and DOT diagrams with scopes, dashed catches and highlights.

mod common;

use common::{bin, run};

#[test]
fn diagrams_of_the_example() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/cli");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for format in ["mermaid", "dot"] {
            let r = run(bin().args([
                "graph",
                "examples/order-processing.asl.json",
                "--format",
                format,
            ]));
            assert_eq!(r.code, 0, "{}", r.stderr);
            insta::assert_snapshot!(format!("graph-{format}"), r.stdout);
        }
    });
}

#[test]
fn mermaid_marks_scopes_catches_and_problems() {
    let r = run(bin().args(["graph", "examples/order-processing.asl.json"]));
    assert!(r.stdout.starts_with("flowchart TD\n"));
    assert!(
        r.stdout
            .contains("subgraph s1_1 [\"ParallelChecks · branch 1\"]")
    );
    assert!(
        r.stdout.contains("s0 -. \"InvalidOrderError\" .-> s6"),
        "catch edges are dashed: {}",
        r.stdout
    );
    assert!(r.stdout.contains("RefundAndNotify (undefined)"));
    let dir = tempfile::tempdir().unwrap();
    let f = common::write(
        dir.path(),
        "x.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Loop"}, "Loop": {"Type": "Pass", "Next": "Loop"}, "Orphan": {"Type": "Succeed"}}}"#,
    );
    let r = run(bin().arg("graph").arg(&f));
    assert!(r.stdout.contains("class s2 unreachable"), "{}", r.stdout);
    assert!(r.stdout.contains("class s0,s1 stuck"), "{}", r.stdout);
    let dot = run(bin().args(["graph", "--format", "dot"]).arg(&f));
    assert!(
        dot.stdout
            .contains("s2 [label=\"Orphan\", shape=oval, style=\"rounded,dashed\""),
        "{}",
        dot.stdout
    );
}

#[test]
fn graph_errors_are_clear() {
    let r = run(bin().args(["graph", "no/such.json"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such.json: no such file or directory"));
    let dir = tempfile::tempdir().unwrap();
    let f = common::write(dir.path(), "bad.json", "{");
    let r = run(bin().arg("graph").arg(&f));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("cannot draw it"), "{}", r.stderr);
}

#[test]
fn mermaid_stays_under_the_renderers_limit_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    // 3,000 two-state branches: drawn whole, far over 50,000 characters.
    let branches: Vec<String> = (0..3000)
        .map(|i| format!(r#"{{"StartAt": "B{i}", "States": {{"B{i}": {{"Type": "Pass", "Next": "C{i}"}}, "C{i}": {{"Type": "Pass", "End": true}}}}}}"#))
        .collect();
    let wide = format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Parallel", "Branches": [{}], "Next": "Z"}}, "Z": {{"Type": "Succeed"}}}}}}"#,
        branches.join(",")
    );
    // 4,000 top-level states: too many even collapsed.
    let states: Vec<String> = (0..4000)
        .map(|i| format!(r#""S{i}": {{"Type": "Pass", "Next": "S{}"}}"#, i + 1))
        .collect();
    let long = format!(
        r#"{{"StartAt": "S0", "States": {{{}, "S4000": {{"Type": "Succeed"}}}}}}"#,
        states.join(",")
    );
    for (name, text, says) in [
        ("wide.asl.json", wide, "Maps and Parallels are collapsed"),
        ("long.asl.json", long, "the first "),
    ] {
        let f = common::write(dir.path(), name, text);
        let r = run(bin().arg("graph").arg(&f));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.len() <= 50_000,
            "{name}: {} characters",
            r.stdout.len()
        );
        assert!(r.stdout.contains(says), "{name}: {}", &r.stdout[..200]);
        let r = run(bin().args(["cost", "--format", "markdown"]).arg(&f));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let block = r
            .stdout
            .split("```mermaid\n")
            .nth(1)
            .unwrap()
            .split("```")
            .next()
            .unwrap();
        assert!(block.len() <= 50_000, "{name}: {} characters", block.len());
        assert!(r.stdout.contains("longer than renderers draw"), "{name}");
    }
}
