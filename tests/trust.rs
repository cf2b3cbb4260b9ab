//! Verdicts that real repositories and AWS's own behaviour hold us to: no error where AWS
//! accepts a definition, an error at the offending node where it rejects one.

use sfn_lint::config::Settings;
use sfn_lint::diagnostic::Severity;
use sfn_lint::lint::lint_text;
use sfn_lint::syntax::Format;

/// (code, severity, pointer) of every finding above info.
fn findings(text: &str, format: Format) -> Vec<(String, Severity, String)> {
    lint_text(text, format, &Settings::default())
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.rule.code.to_string(), d.severity, d.pointer.clone()))
        .collect()
}

fn json(text: &str) -> Vec<(String, Severity, String)> {
    findings(text, Format::Json)
}

fn has(found: &[(String, Severity, String)], code: &str, sev: Severity, pointer: &str) -> bool {
    found
        .iter()
        .any(|(c, s, p)| c == code && *s == sev && p == pointer)
}

#[test]
fn unreachable_states_are_reported_when_start_at_is_undefined() {
    // A near miss: reachability from the state StartAt meant.
    let f = json(
        r#"{"StartAt": "Strt", "States": {
            "Start": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "End": true},
            "Orphan": {"Type": "Pass", "End": true}}}"#,
    );
    assert!(has(&f, "SFN101", Severity::Error, "/StartAt"), "{f:?}");
    assert!(
        has(&f, "SFN117", Severity::Error, "/States/Orphan"),
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|(_, _, p)| p == "/States/Start" || p == "/States/B"),
        "{f:?}"
    );
    // No near miss: from the first state nothing enters.
    let f = json(
        r#"{"StartAt": "Entry", "States": {
            "First": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "End": true},
            "Orphan": {"Type": "Pass", "End": true}}}"#,
    );
    assert!(
        has(&f, "SFN117", Severity::Error, "/States/Orphan"),
        "{f:?}"
    );
    assert_eq!(f.len(), 2, "{f:?}");
}

#[test]
fn a_dangling_default_near_miss_still_reports_other_unreachable_states() {
    let f = json(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "B"}], "Default": "Fallbak"},
            "B": {"Type": "Pass", "End": true},
            "Fallback": {"Type": "Pass", "End": true},
            "Orphan": {"Type": "Pass", "End": true}}}"#,
    );
    assert!(
        has(&f, "SFN102", Severity::Error, "/States/A/Default"),
        "{f:?}"
    );
    assert!(
        has(&f, "SFN117", Severity::Error, "/States/Orphan"),
        "{f:?}"
    );
    assert!(!f.iter().any(|(_, _, p)| p == "/States/Fallback"), "{f:?}");
}

#[test]
fn yaml_merge_keys_override_without_inventing_duplicates_or_loops() {
    let f = findings(
        "StartAt: A\nStates:\n  A: &step\n    Type: Pass\n    Next: B\n  B:\n    <<: *step\n    Next: C\n  C:\n    Type: Pass\n    End: true\n",
        Format::Yaml,
    );
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn relaxed_where_aws_accepts() {
    // Parameters that are not objects; MaxItems 0; script expressions; trailing blanks;
    // an explicit DataLimitExceeded catcher.
    let f = json(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Parameters": ["x", 1], "Next": "B"},
            "B": {"Type": "Pass", "Parameters": "text", "Next": "C"},
            "C": {"Type": "Pass", "Parameters": {"last.$": "$.items[(@.length-1)]"}, "OutputPath": "$.last ", "Next": "M"},
            "M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}, "ReaderConfig": {"MaxItems": 0}},
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},
                  "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "F"}], "End": true},
            "F": {"Type": "Fail"}}}"#,
    );
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn advice_where_aws_accepts_but_it_may_not_work() {
    let s = Settings {
        workflow_type: Some(sfn_lint::asl::WorkflowType::Express),
        ..Default::default()
    };
    let d = lint_text(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "t", "Key": {"id": {"S.$": "$.id"}}}, "TimeoutSeconds": 900, "End": true}}}"#,
        Format::Json,
        &s,
    );
    let t = d.iter().find(|d| d.rule.code == "SFN502").expect("SFN502");
    assert_eq!(t.severity, Severity::Warning);
    // Assign with JSONata text in a JSONPath state is literal text: a warning.
    let f = json(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": "{% 1 + 1 %}", "my-var": 1}, "End": true}}}"#,
    );
    assert!(
        has(&f, "SFN308", Severity::Warning, "/States/A/Assign/x"),
        "{f:?}"
    );
    assert!(
        has(&f, "SFN310", Severity::Warning, "/States/A/Assign/my-var"),
        "{f:?}"
    );
    assert!(!f.iter().any(|(_, s, _)| *s == Severity::Error), "{f:?}");
}

#[test]
fn every_rule_points_into_the_template_the_user_edits() {
    let f = findings(
        "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Bogus: 1\n            Next: Nowhere\n",
        Format::Yaml,
    );
    let base = "/Resources/Flow/Properties/Definition/States/A";
    assert!(
        has(&f, "SFN201", Severity::Error, &format!("{base}/Bogus")),
        "{f:?}"
    );
    assert!(
        has(&f, "SFN102", Severity::Error, &format!("{base}/Next")),
        "{f:?}"
    );
}

/// A state machine around one state (named `S`), with `extra` states after it.
fn one(state: &str) -> String {
    format!(r#"{{"StartAt": "S", "States": {{"S": {state}, "Done": {{"Type": "Succeed"}}}}}}"#)
}

#[test]
fn rejections_aws_makes_are_errors_at_the_offending_node() {
    let task = |extra: &str| {
        one(&format!(
            r#"{{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {{"QueueUrl": "q", "MessageBody.$": "$"}}, {extra}, "Next": "Done"}}"#
        ))
    };
    let map = |extra: &str| {
        one(&format!(
            r#"{{"Type": "Map", "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "W", "States": {{"W": {{"Type": "Pass", "End": true}}}}}}, "ResultWriter": {{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {{"Bucket": "b", "Prefix": "p"}}}}, {extra}, "Next": "Done"}}"#
        ))
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (
            one(r#"{"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}"#),
            "SFN121",
            "/States/S/ErrorPath",
        ),
        (
            one(r#"{"Type": "Fail", "CausePath": "$.c", "Cause": "C"}"#),
            "SFN121",
            "/States/S/Cause",
        ),
        (
            task(r#""TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t""#),
            "SFN121",
            "/States/S/TimeoutSecondsPath",
        ),
        (
            map(r#""ToleratedFailureCount": 1, "ToleratedFailureCountPath": "$.t""#),
            "SFN121",
            "/States/S/ToleratedFailureCountPath",
        ),
        (
            map(r#""ItemBatcher": {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.b"}"#),
            "SFN121",
            "/States/S/ItemBatcher/MaxItemsPerBatchPath",
        ),
        (
            map(r#""ItemSelector": {}, "Parameters": {}"#),
            "SFN121",
            "/States/S/Parameters",
        ),
        (
            one(
                r#"{"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "IsNull": false, "Next": "Done"}], "Default": "Done"}"#,
            ),
            "SFN122",
            "/States/S/Choices/0/IsNull",
        ),
        (
            one(
                r#"{"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "Done"}], "Default": "Done"}"#,
            ),
            "SFN122",
            "/States/S/Choices/0",
        ),
        (
            one(
                r#"{"Type": "Choice", "Choices": [{"Not": {"Variable": "$.x", "IsPresent": true, "Next": "Done"}, "Next": "Done"}], "Default": "Done"}"#,
            ),
            "SFN122",
            "/States/S/Choices/0/Not/Next",
        ),
        (
            one(
                r#"{"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true}], "Default": "Done"}"#,
            ),
            "SFN122",
            "/States/S/Choices/0",
        ),
        (
            one(
                r#"{"Type": "Choice", "QueryLanguage": "JSONata", "Choices": [{"Next": "Done"}], "Default": "Done"}"#,
            ),
            "SFN122",
            "/States/S/Choices/0",
        ),
        (
            one(r#"{"Type": "Pass", "Parameters": {"a.$": 1}, "Next": "Done"}"#),
            "SFN304",
            "/States/S/Parameters/a.$",
        ),
        (
            one(r#"{"Type": "Pass", "Parameters": {"a": {"b.$": ["x"]}}, "Next": "Done"}"#),
            "SFN304",
            "/States/S/Parameters/a/b.$",
        ),
        (
            one(r#"{"Type": "Pass", "Parameters": {"a.$": "  States.UUID()"}, "Next": "Done"}"#),
            "SFN304",
            "/States/S/Parameters/a.$",
        ),
        (
            one(r#"{"Type": "Fail", "CausePath": "States.Array($.a)"}"#),
            "SFN301",
            "/States/S/CausePath",
        ),
        (
            one(
                r#"{"Type": "Pass", "Parameters": {"a.$": "States.Format('x\\n{}', $.a)"}, "Next": "Done"}"#,
            ),
            "SFN301",
            "/States/S/Parameters/a.$",
        ),
        (
            one(r#"{"Type": "Pass", "Parameters": {"x.$": "$.a", "x": 1}, "Next": "Done"}"#),
            "SFN314",
            "/States/S/Parameters/x",
        ),
        (
            one(r#"{"Type": "Pass", "ResultPath": "$var", "Next": "Done"}"#),
            "SFN303",
            "/States/S/ResultPath",
        ),
        (
            one(r#"{"Type": "Task", "Resource": "foo:bar", "Next": "Done"}"#),
            "SFN123",
            "/States/S/Resource",
        ),
        (
            one(r#"{"Type": "Task", "Resource": "Lambda", "Next": "Done"}"#),
            "SFN123",
            "/States/S/Resource",
        ),
        (
            one(
                r#"{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f:", "Next": "Done"}"#,
            ),
            "SFN123",
            "/States/S/Resource",
        ),
        (
            one(
                r#"{"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 + 1", "Next": "Done"}"#,
            ),
            "SFN302",
            "/States/S/Output",
        ),
        (
            one(
                r#"{"Type": "Map", "QueryLanguage": "JSONata", "Items": "abc", "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}, "Next": "Done"}"#,
            ),
            "SFN204",
            "/States/S/Items",
        ),
        (map(r#""Label": """#), "SFN204", "/States/S/Label"),
        (map(r#""Label": "a/b""#), "SFN204", "/States/S/Label"),
        (
            task(r#""Credentials": {"Role": "x"}"#),
            "SFN202",
            "/States/S/Credentials",
        ),
        (
            task(r#""Credentials": {"RoleArn": "arn:aws:iam::1:role/r", "Extra": 1}"#),
            "SFN201",
            "/States/S/Credentials/Extra",
        ),
    ];
    for (text, code, pointer) in cases {
        let f = json(&text);
        assert!(
            has(&f, code, Severity::Error, pointer),
            "{code} at {pointer} expected in\n{text}\ngot {f:?}"
        );
    }
    // A variable in ResultPath is an invalid path, not a read of an unassigned variable.
    let f = json(&one(
        r#"{"Type": "Pass", "ResultPath": "$var", "Next": "Done"}"#,
    ));
    assert!(!f.iter().any(|(c, _, _)| c == "SFN311"), "{f:?}");
}

#[test]
fn jsonpath_inside_a_jsonata_distributed_map_child_is_a_warning() {
    let f = json(
        r#"{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "L",
              "States": {"L": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": true}}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b", "Prefix": "p"}}, "End": true}}}"#,
    );
    assert!(
        has(
            &f,
            "SFN116",
            Severity::Warning,
            "/States/M/ItemProcessor/States/L/QueryLanguage"
        ),
        "{f:?}"
    );
    assert!(!f.iter().any(|(_, s, _)| *s == Severity::Error), "{f:?}");
    // At the top level it stays an error.
    let f = json(
        r#"{"QueryLanguage": "JSONata", "StartAt": "L", "States": {"L": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": true}}}"#,
    );
    assert!(
        has(&f, "SFN116", Severity::Error, "/States/L/QueryLanguage"),
        "{f:?}"
    );
}
