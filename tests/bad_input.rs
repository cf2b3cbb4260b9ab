//! Bad input gets a clear error naming the file and place, never a panic, hang or silent pass.

mod common;

use common::{VALID, bin, run, write};

fn json_of(r: &common::Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr))
}

fn first_code(r: &common::Run, file: usize) -> String {
    json_of(r)["files"][file]["diagnostics"][0]["code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn malformed_json_reports_line_and_column_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "a.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\" \"End\": true}}\n}\n",
    );
    let good = write(
        dir.path(),
        "b.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}}}"#,
    );
    let r = run(bin()
        .args(["check", "--format", "concise"])
        .arg(&bad)
        .arg(&good));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("a.json:3:35: SFN001 [error] unexpected `\"`, expected `,` or `}`"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("b.json:1:59: SFN102"),
        "the rest of the batch is linted: {}",
        r.stdout
    );
}

#[test]
fn malformed_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "a.yaml",
        "StartAt: A\nStates:\n  A: [unclosed\n",
    );
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(first_code(&r, 0), "SFN001");
}

#[test]
fn not_an_object_empty_bom_and_invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        ("array.json", b"[1, 2]", "SFN003"),
        ("string.yaml", b"just a string\n", "SFN003"),
        ("empty.json", b"   \n", "SFN001"),
        (
            "bom.json",
            "\u{FEFF}{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}".as_bytes(),
            "SFN005",
        ),
        (
            "latin1.json",
            b"{\"StartAt\": \"Caf\xe9\", \"States\": {}}",
            "SFN001",
        ),
    ];
    for (name, content, code) in cases {
        let f = write(dir.path(), name, content);
        let r = run(bin().args(["check", "--format", "json"]).arg(&f));
        assert_eq!(r.code, 1, "{name}");
        assert_eq!(first_code(&r, 0), code, "{name}: {}", r.stdout);
        assert!(!r.stderr.contains("panicked"), "{name}");
    }
    let r = run(bin()
        .args(["check", "--format", "concise"])
        .arg(dir.path().join("latin1.json")));
    assert!(
        r.stdout
            .contains(":1:17: SFN001 [error] the file is not valid UTF-8 (bad byte 0xE9)"),
        "{}",
        r.stdout
    );
}

#[test]
fn missing_path_and_empty_directory_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "hello");
    let r = run(bin().arg("check").arg(dir.path()));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no state machine definitions found"),
        "{}",
        r.stderr
    );
    let ok = write(dir.path(), "sub/ok.asl.json", VALID);
    let r = run(bin()
        .arg("check")
        .arg(&ok)
        .arg(dir.path().join("missing.json")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.json: no such file or directory"));
    assert!(
        r.stdout.contains("1 file checked"),
        "the files that exist are still linted: {}",
        r.stdout
    );
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "{{\"StartAt\": \"A\", \"States\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let f = write(dir.path(), "deep.json", deep);
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(first_code(&r, 0), "SFN004");
    let yaml = format!(
        "StartAt: A\nStates: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let f = write(dir.path(), "deep.yaml", yaml);
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(first_code(&r, 0), "SFN004", "{}", r.stdout);
}

#[test]
fn deep_but_legal_nesting_of_parallels_is_linted() {
    // 60 nested Parallel states: deep, but within the nesting limit.
    let mut inner =
        r#"{"StartAt": "L", "States": {"L": {"Type": "Pass", "End": true}}}"#.to_string();
    for i in 0..60 {
        inner = format!(
            r#"{{"StartAt": "P{i}", "States": {{"P{i}": {{"Type": "Parallel", "End": true, "Branches": [{inner}]}}}}}}"#
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "nested.asl.json", inner);
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_fifty_megabyte_file_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.json");
    let file = std::fs::File::create(&f).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(first_code(&r, 0), "SFN004");
    assert!(r.stdout.contains("over 16 MiB"), "{}", r.stdout);
}

#[test]
fn yaml_alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("StartAt: A\nStates: {A: {Type: Pass, End: true}}\n");
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bomb.yaml", text);
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1);
    assert_eq!(first_code(&r, 0), "SFN004");
}

#[test]
fn wrong_types_everywhere_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        r#"{"StartAt": 1, "States": []}"#,
        r#"{"StartAt": "A", "States": {"A": 5}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": {"x": 1}, "Default": 3}}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [1, {"States": 2}], "End": "yes"}}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Map", "ItemProcessor": [], "Catch": [{"ErrorEquals": "x", "Next": 1}], "End": true}}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": ["x"], "Retry": [1, {"ErrorEquals": [1]}], "End": true}}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a.$": "States.Format('{}"}, "End": true}}}"#,
    ];
    for (i, c) in cases.iter().enumerate() {
        let f = write(dir.path(), &format!("t{i}.json"), c);
        let r = run(bin().args(["check", "--format", "json"]).arg(&f));
        assert_eq!(r.code, 1, "case {i}: {}{}", r.stdout, r.stderr);
        assert!(json_of(&r)["summary"]["errors"].as_u64().unwrap() > 0);
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is unavailable here; the FIFO case was not run");
        return;
    }
    let r = run(bin().arg("check").arg(&fifo));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
}

/// A chain of `n` Pass states, each one's `Next` the following one.
fn pass_chain(n: usize) -> String {
    let mut states = String::from("{\"StartAt\": \"S0\", \"States\": {");
    for i in 0..n {
        let sep = if i == 0 { "" } else { "," };
        let tail = if i + 1 == n {
            "\"End\": true".to_string()
        } else {
            format!("\"Next\": \"S{}\"", i + 1)
        };
        states.push_str(&format!("{sep}\"S{i}\": {{\"Type\": \"Pass\", {tail}}}"));
    }
    states.push_str("}}");
    states
}

#[test]
fn the_longest_chain_the_limits_allow_does_not_overflow_the_stack() {
    // Recursive graph algorithms (petgraph's tarjan_scc) overflowed the main thread's stack
    // on a chain this long; the check and the cost estimate must both finish.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "long.asl.json",
        pass_chain(sfn_lint::limits::MAX_STATES),
    );
    let r = run(bin().args(["check", "--format", "concise"]).arg(&f));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(bin().args(["cost", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json_of(&r);
    assert_eq!(v["per_execution"]["transitions"], 100_000.0, "{}", r.stdout);
}

#[test]
fn more_states_than_the_limit_are_refused_at_the_states_key() {
    // One state over `limits::MAX_STATES`.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "huge.asl.json",
        pass_chain(sfn_lint::limits::MAX_STATES + 1),
    );
    let r = run(bin().args(["check", "--format", "json"]).arg(&f));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json_of(&r);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "SFN004", "{d}");
    assert_eq!(d["pointer"], "/States");
    assert!(
        d["message"].as_str().unwrap().contains("100001 states"),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 1);
}

#[test]
fn long_jsonata_is_parsed_and_one_nested_past_the_parser_is_reported_as_not_checked() {
    let run_on = |expr: String| {
        let def = serde_json::json!({
            "QueryLanguage": "JSONata",
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Output": expr, "End": true}}
        });
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "long.asl.json", def.to_string());
        let r = run(bin().args(["check", "--format", "json"]).arg(&f));
        json_of(&r)
    };
    // 200 KB of a flat array: parsed (no SFN009), and valid.
    let items: Vec<String> = (0..40_000).map(|i| i.to_string()).collect();
    let v = run_on(format!("{{% [{}] %}}", items.join(",")));
    let codes = common::first_file_codes(&v);
    assert!(
        !codes.contains(&"SFN009") && !codes.contains(&"SFN302"),
        "{codes:?}"
    );
    // 20,000 additions nest deeper than the parser goes: not checked, and said so.
    let v = run_on(format!("{{% $states.input.a {} %}}", "+ 1 ".repeat(20_000)));
    let codes = common::first_file_codes(&v);
    assert!(
        codes.contains(&"SFN009") && !codes.contains(&"SFN302"),
        "{codes:?}"
    );
    let d = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SFN009")
        .unwrap();
    assert_eq!(d["pointer"], "/States/A/Output");
    assert!(
        d["message"].as_str().unwrap().contains("nests deeper"),
        "{d}"
    );
}

#[test]
fn the_time_budget_skips_and_names_the_remaining_checks() {
    use sfn_lint::config::Settings;
    let settings = Settings {
        time_budget: Some(std::time::Duration::ZERO),
        ..Settings::default()
    };
    let d = sfn_lint::lint::lint_text(VALID, sfn_lint::syntax::Format::Json, &settings);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].rule.code, "SFN009");
    let ran = sfn_lint::rules::ALL
        .iter()
        .filter(|r| r.check.is_some())
        .count();
    assert!(
        d[0].message
            .contains(&format!("{ran} rule checks were skipped")),
        "{}",
        d[0].message
    );
    assert!(d[0].message.contains("SFN101"), "{}", d[0].message);
    // The CLI's default budget (10 s) is far from reached on a normal file; 0 means no limit.
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "ok.asl.json", VALID);
    for extra in [&[][..], &["--time-budget", "0"][..]] {
        let r = run(bin()
            .args(["check", "--format", "concise"])
            .args(extra)
            .arg(&f));
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("SFN009"));
    }
}

#[test]
fn nesting_just_under_the_limit_is_checked_on_one_thread_and_in_a_batch() {
    // One file is linted on the main thread, a batch on the pool's threads; the schema
    // validator recurses per level on both, and neither may overflow its stack.
    let mut inner = serde_json::json!(1);
    for i in 0..(sfn_lint::limits::MAX_DEPTH - 6) {
        inner = if i % 2 == 0 {
            serde_json::json!([inner])
        } else {
            serde_json::json!({ "a": inner })
        };
    }
    let def = |extra: bool| {
        let mut state =
            serde_json::json!({"Type": "Pass", "Parameters": {"x": inner}, "End": true});
        if extra {
            state["Foo"] = 1.into();
        }
        serde_json::json!({"StartAt": "A", "States": {"A": state}}).to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let ok = write(dir.path(), "deep.asl.json", def(false));
    let bad = write(dir.path(), "deep-bad.asl.json", def(true));
    let r = run(bin().args(["check", "--format", "concise"]).arg(&ok));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(bin().args(["check", "--format", "concise"]).arg(&bad));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("SFN201"), "{}", r.stdout);
    let r = run(bin()
        .args(["check", "--format", "concise"])
        .arg(&bad)
        .arg(&ok));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout.matches("SFN201").count(), 1, "{}", r.stdout);
}

#[test]
fn terraform_brackets_are_checked_before_parsing() {
    use sfn_lint::config::Settings;
    let lint =
        |text: String| sfn_lint::lint::lint_bytes("main.tf", text.as_bytes(), &Settings::default());
    // Past the nesting limit: a resource limit, like JSON and YAML.
    let deep = lint(format!("x = {}1{}", "(".repeat(300), ")".repeat(300)));
    let codes: Vec<_> = deep.diagnostics.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes, ["SFN004"], "{:?}", deep.diagnostics);
    // An unclosed `{` after an operator, the shape hcl-edit searches exponentially: a syntax
    // error at that bracket (40 levels would take hcl-edit hours).
    let text = format!("x = {}", "a%s.b/{".repeat(40));
    let last = text.len() - 1;
    let r = lint(text);
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(r.diagnostics[0].rule.code, "SFN001");
    assert_eq!(r.diagnostics[0].span.start as usize, last);
    assert!(r.diagnostics[0].message.contains("`{` is never closed"));
}

/// A minified (one-line) definition with thousands of findings: every format's report grows
/// with the findings, not with findings times the line (code frames printed the whole 100 KB
/// line for each; columns were counted from the line start each time).
#[test]
fn one_line_file_with_thousands_of_findings_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<&str> = std::iter::repeat_n(r#""A":{"Type":"Succeed"}"#, 3000).collect();
    let f = write(
        dir.path(),
        "minified.asl.json",
        format!(r#"{{"StartAt":"A","States":{{{}}}}}"#, members.join(",")),
    );
    for format in ["text", "concise", "json", "sarif", "github", "gitlab"] {
        let r = run(bin().args(["check", "--format", format]).arg(&f));
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.matches("SFN002").count() >= 2999, "{format}");
        assert!(
            r.stdout.len() < 3000 * 1600,
            "{format}: {} bytes for 3,000 findings",
            r.stdout.len()
        );
    }
}
