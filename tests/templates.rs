//! Definitions inside templates: CloudFormation/SAM (JSON and YAML, DefinitionString in all
//! its forms, Definition with intrinsics, DefinitionUri), Serverless and Terraform; every
//! diagnostic at the right place of the file the user edits; containment of file references;
//! discovery by content.

mod common;

use common::{bin, run, write};

/// Lints and returns the concise output.
fn concise(dir: &std::path::Path, args: &[&str]) -> common::Run {
    let mut c = bin();
    c.current_dir(dir)
        .args(["check", "--format", "concise"])
        .args(args);
    run(&mut c)
}

fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    d
}

#[test]
fn sam_definition_string_sub_block_points_into_the_template() {
    let d = repo();
    write(
        d.path(),
        "template.yaml",
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {
          "StartAt": "Work",
          "States": {
            "Work": {
              "Type": "Task",
              "Resource": "arn:${AWS::Partition}:states:::sqs:sendMessage",
              "Next": "Dnoe"
            },
            "Done": { "Type": "Succeed" }
          }
        }
"#,
    );
    let r = concise(d.path(), &["template.yaml"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    // Line 13, column 23 of the template: the `"Dnoe"` string.
    assert!(
        r.stdout
            .contains("template.yaml:13:23: SFN102 [error] `Next` names `Dnoe`"),
        "{}",
        r.stdout
    );
}

#[test]
fn cloudformation_json_definition_string_join_maps_through_escapes() {
    let d = repo();
    let template = r#"{
  "Resources": {
    "Fn": { "Type": "AWS::Lambda::Function", "Properties": {} },
    "Flow": {
      "Type": "AWS::StepFunctions::StateMachine",
      "Properties": {
        "DefinitionString": { "Fn::Join": ["", [
          "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"",
          { "Fn::GetAtt": ["Fn", "Arn"] },
          "\", \"TimeoutSecs\": 5, \"End\": true}}}"
        ]] }
      }
    }
  }
}
"#;
    write(d.path(), "stack.template.json", template);
    let r = concise(d.path(), &["stack.template.json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = template
        .lines()
        .position(|l| l.contains("TimeoutSecs"))
        .unwrap()
        + 1;
    let col = template
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("TimeoutSecs")
        .unwrap()
        + 1
        - 2;
    // The unknown field is reported at `\"TimeoutSecs\"` inside the third piece.
    assert!(
        r.stdout
            .contains(&format!("stack.template.json:{line}:{col}: SFN201")),
        "want {line}:{col}\n{}",
        r.stdout
    );
}

#[test]
fn sam_definition_with_intrinsics_is_clean_and_errors_get_template_pointers() {
    let d = repo();
    write(
        d.path(),
        "template.yaml",
        r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      DefinitionSubstitutions:
        QueueUrl: !Ref Queue
      Definition:
        StartAt: Send
        States:
          Send:
            Type: Task
            Resource: !Sub arn:${AWS::Partition}:states:::sqs:sendMessage
            Parameters:
              QueueUrl: ${QueueUrl}
              MessageBody.$: $
              Target: !GetAtt Fn.Arn
              Other: { "Fn::GetAtt": [Fn, Arn] }
            Next: Wait
          Wait:
            Type: Wait
            Seconds: 600
            End: true
"#,
    );
    let mut c = bin();
    c.current_dir(d.path())
        .args(["check", "--format", "json", "template.yaml"]);
    let r = run(&mut c);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["machines"], 1);
    let codes: Vec<(&str, &str)> = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["pointer"].as_str().unwrap()))
        .collect();
    // The EXPRESS type from the template applies: a 10-minute Wait cannot run.
    assert!(
        codes.contains(&(
            "SFN502",
            "/Resources/Flow/Properties/Definition/States/Wait/Seconds"
        )),
        "{codes:?}"
    );
    assert!(
        codes.iter().all(|(c, _)| !c.starts_with("SFN2")),
        "intrinsics are not schema errors: {codes:?}"
    );
}

#[test]
fn definition_uri_is_linted_with_the_template_context_once() {
    let d = repo();
    write(
        d.path(),
        "sam/statemachine/flow.asl.json",
        r#"{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "Parameters": {"JobName": "${JobNmae}"}, "TimeoutSeconds": 60, "End": true}}}"#,
    );
    write(
        d.path(),
        "sam/template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        JobName: etl\n",
    );
    // The directory run finds the template and the definition, and reports the definition once.
    let r = concise(d.path(), &["."]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = r.stdout;
    assert!(
        out.contains("sam/statemachine/flow.asl.json:1:") && out.contains("SFN501"),
        "{out}"
    );
    assert!(
        out.contains("SFN008 [warning] `${JobNmae}` is not substituted")
            && out.contains("did you mean `JobName`"),
        "{out}"
    );
    assert_eq!(out.matches("SFN501").count(), 1, "{out}");
    assert!(
        out.contains("sam/template.yaml:7:22: SFN007 [error] the definition of `Flow`"),
        "{out}"
    );
}

#[test]
fn references_stay_inside_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    write(
        outer.path(),
        "secret.asl.json",
        "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\"}}}",
    );
    let d = outer.path().join("repo");
    std::fs::create_dir_all(d.join(".git")).unwrap();
    write(&d, "not-asl.json", "{\"password\": \"hunter2\"}");
    write(&d, "big.asl.json", vec![b' '; 17 * 1024 * 1024]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outer.path().join("secret.asl.json"),
            d.join("link.asl.json"),
        )
        .unwrap();
        let fifo = d.join("fifo.asl.json");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "mkfifo");
    }
    let machine = |name: &str, uri: &str| {
        format!(
            "  {name}:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: {uri}\n"
        )
    };
    let mut t = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
    for (n, u) in [
        ("Up", "../secret.asl.json"),
        ("Abs", "/etc/passwd"),
        ("Missing", "nope.asl.json"),
        ("NotAsl", "not-asl.json"),
        ("Big", "big.asl.json"),
        ("Link", "link.asl.json"),
        ("Fifo", "fifo.asl.json"),
    ] {
        t.push_str(&machine(n, u));
    }
    write(&d, "template.yaml", &t);
    let r = concise(&d, &["template.yaml"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = &r.stdout;
    for (name, what) in [
        ("Up", "outside the repository"),
        ("Abs", "absolute path"),
        ("Missing", "does not exist"),
        ("NotAsl", "not a state machine definition"),
        ("Big", "over the size limit"),
        ("Link", "outside the repository"),
        ("Fifo", "not a regular file"),
    ] {
        assert!(
            out.lines().any(|l| l.contains("SFN007")
                && l.contains(&format!("`{name}`"))
                && l.contains(what)),
            "{name}: {what}\n{out}"
        );
    }
    assert!(
        !out.contains("hunter2") && !r.stderr.contains("hunter2"),
        "content of a non-definition is never shown"
    );
    assert!(
        !out.contains("secret.asl.json:"),
        "files outside the root are not linted: {out}"
    );
    // With --root at the outer folder, `..` is inside again.
    let r = concise(
        &d,
        &["--root", outer.path().to_str().unwrap(), "template.yaml"],
    );
    assert!(
        !r.stdout.lines().any(|l| l.contains("`Up`")),
        "{}",
        r.stdout
    );
}

#[test]
fn serverless_framework_files() {
    let d = repo();
    write(
        d.path(),
        "sm/b.json",
        r#"{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}}}"#,
    );
    write(
        d.path(),
        "serverless.yml",
        r#"service: orders
provider:
  name: aws
stepFunctions:
  stateMachines:
    first:
      type: EXPRESS
      definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource:
              Fn::GetAtt: [hello, Arn]
            Next: Missing
    second:
      definition: ${file(./sm/b.json)}
"#,
    );
    let r = concise(d.path(), &["serverless.yml"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("serverless.yml:15:19: SFN102"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("sm/b.json:1:") && r.stdout.contains("`Y`"),
        "{}",
        r.stdout
    );
}

#[test]
fn terraform_definitions() {
    let d = repo();
    write(
        d.path(),
        "statemachine/flow.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${fn_arn}", "Next": "B"}, "B": {"Type": "Task", "Resource": "${other_arn}", "End": true}}}"#,
    );
    let tf = r#"resource "aws_sfn_state_machine" "files" {
  name       = "files"
  definition = templatefile("${path.module}/statemachine/flow.asl.json", { fn_arn = aws_lambda_function.f.arn })
}

resource "aws_sfn_state_machine" "inline" {
  name = "inline"
  type = "EXPRESS"
  definition = jsonencode({
    StartAt = "Run"
    States = {
      Run = {
        Type     = "Task"
        Resource = "arn:aws:states:::glue:startJobRun.sync"
        End      = true
      }
    }
  })
}
"#;
    write(d.path(), "main.tf", tf);
    let r = concise(d.path(), &["."]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    // The .sync in an EXPRESS machine, at the HCL string.
    let line = tf.lines().position(|l| l.contains("startJobRun")).unwrap() + 1;
    let col = tf.lines().nth(line - 1).unwrap().find("\"arn:").unwrap() + 1;
    assert!(
        r.stdout.contains(&format!("main.tf:{line}:{col}: SFN501")),
        "want {line}:{col}\n{}",
        r.stdout
    );
    // templatefile(): `${other_arn}` is not in the variables map, and it is in a Resource.
    assert!(
        r.stdout.contains("statemachine/flow.asl.json:1:")
            && r.stdout.contains("SFN008 [error] `${other_arn}`"),
        "{}",
        r.stdout
    );
    // A Terraform syntax error names the place.
    write(
        d.path(),
        "broken.tf",
        "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = \n}\n",
    );
    let r = concise(d.path(), &["broken.tf"]);
    assert!(
        r.stdout.contains("broken.tf:3:1: SFN001") || r.stdout.contains("broken.tf:2:"),
        "{}",
        r.stdout
    );
}

#[test]
fn discovery_by_content_skips_node_modules_and_cdk_out_unless_asked() {
    let d = repo();
    let sm = "Resources:\n  F:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Next: Nowhere\n";
    write(d.path(), "infra/stack.yaml", sm);
    write(
        d.path(),
        "infra/other.yaml",
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
    );
    write(d.path(), "node_modules/pkg/template.yaml", sm);
    write(
        d.path(),
        "cdk.out/App.template.json",
        r#"{"Resources": {"F": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}"}}}}"#,
    );
    write(d.path(), ".gitignore", "cdk.out\n");
    let r = concise(d.path(), &["."]);
    assert!(
        r.stdout.contains("infra/stack.yaml:10:19: SFN102"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("other.yaml")
            && !r.stdout.contains("node_modules")
            && !r.stdout.contains("cdk.out"),
        "{}",
        r.stdout
    );
    let r = concise(d.path(), &["--cdk-out", "."]);
    assert!(
        r.stdout.contains("cdk.out/App.template.json:1:") && r.stdout.contains("`Gone`"),
        "{}",
        r.stdout
    );
}

#[test]
fn discovery_by_structure_skips_files_that_only_mention_state_machines() {
    let d = repo();
    // A JSON Schema that lists the resource type names in an enum.
    write(
        d.path(),
        "schemas/resource.schema.json",
        r#"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"Type": {"enum": ["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"]}, "StartAt": {"type": "string"}, "States": {"type": "object"}}}"#,
    );
    // A CloudFormation resource specification fragment.
    write(
        d.path(),
        "spec/CloudFormationResourceSpecification.json",
        r#"{"ResourceTypes": {"AWS::StepFunctions::StateMachine": {"Properties": {"Definition": {"Required": false}, "StartAt": {}, "States": {}}}}}"#,
    );
    // A JSON array of definitions (a fixture list), and an expected-output fixture.
    write(
        d.path(),
        "fixtures/cases.json",
        r#"[{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}]"#,
    );
    write(
        d.path(),
        "fixtures/expected.yaml",
        "output: AWS::StepFunctions::StateMachine\nResources: none\nStartAt: mentioned\n",
    );
    // An AWS service model.
    write(
        d.path(),
        "models/states.json",
        r#"{"version": "2.0", "metadata": {"serviceId": "SFN"}, "shapes": {"StartAt": {"type": "string"}, "States": {"type": "structure"}}}"#,
    );
    // A Serverless-looking file whose `stepFunctions` is not a mapping of state machines.
    write(
        d.path(),
        "docs/notes.yml",
        "stepFunctions: see the docs\nstateMachines: none\n",
    );
    // A template with no state machine but the type named in a description.
    write(
        d.path(),
        "infra/bucket.yaml",
        "Description: Not an AWS::StepFunctions::StateMachine\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
    );
    // One real definition, so that the walk has something to check.
    write(d.path(), "flow.json", common::VALID);
    let r = concise(d.path(), &["."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout.trim(), "", "no finding expected:\n{}", r.stdout);

    // Named explicitly, a file that is not a definition gets one clear finding.
    let r = concise(d.path(), &["models/states.json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "models/states.json:1:1: SFN003 [error] this file is not a state machine definition"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn terraform_module_definition_is_read_like_the_resource() {
    let d = repo();
    write(
        d.path(),
        "main.tf",
        r#"module "step_function" {
  source = "terraform-aws-modules/step-functions/aws"
  name   = "orders"
  type   = "EXPRESS"
  definition = <<EOT
{
  "StartAt": "Hello",
  "States": {
    "Hello": {"Type": "Pass", "Next": "Missing"}
  }
}
EOT
}

module "network" {
  source = "./network"
}
"#,
    );
    let r = concise(d.path(), &["."]);
    assert!(
        r.stdout
            .contains("main.tf:9:39: SFN102 [error] `Next` names `Missing`, which is not a state"),
        "{}",
        r.stdout
    );
    let r = run(bin()
        .current_dir(d.path())
        .args(["check", "--format", "json", "main.tf"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d0 = &v["files"][0]["diagnostics"][0];
    assert_eq!(
        d0["pointer"],
        "/module/step_function/definition/States/Hello/Next"
    );
}

#[test]
fn unquoted_placeholders_in_a_definition_file_are_values_of_unknown_type() {
    let d = repo();
    write(
        d.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        totalExecutionTimeout: 300\n        retries: 3\n",
    );
    let def = r#"{
  "StartAt": "Wait",
  "TimeoutSeconds": ${totalExecutionTimeout},
  "States": {
    "Wait": {
      "Type": "Wait",
      "Seconds": ${pause},
      "Next": "Work"
    },
    "Work": {
      "Type": "Pass",
      "Result": {"retries": ${retries}},
      "End": true
    }
  }
}
"#;
    write(d.path(), "statemachine/flow.asl.json", def);
    let r = concise(d.path(), &["."]);
    // The one finding: `pause` is not substituted, at its exact place.
    assert_eq!(
        r.stdout.trim(),
        "statemachine/flow.asl.json:7:18: SFN008 [warning] `${pause}` is not substituted: the template defines `totalExecutionTimeout`, `retries`",
        "{}",
        r.stdout
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Substituted, the file lints clean.
    write(
        d.path(),
        "statemachine/flow.asl.json",
        def.replace("${pause}", "${retries}"),
    );
    let r = concise(d.path(), &["."]);
    assert_eq!(r.stdout.trim(), "", "{}", r.stdout);
    // An unclosed placeholder is a syntax error at the `${`.
    write(
        d.path(),
        "statemachine/flow.asl.json",
        def.replace("${pause}", "${pause"),
    );
    let r = concise(d.path(), &["statemachine/flow.asl.json"]);
    assert!(
        r.stdout
            .contains("statemachine/flow.asl.json:7:18: SFN001 [error] unclosed `${` placeholder"),
        "{}",
        r.stdout
    );
}

#[test]
fn terraform_heredoc_interpolations_in_value_position_are_placeholders() {
    let d = repo();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_sfn_state_machine" "m" {
  name       = "m"
  definition = <<EOF
{
  "StartAt": "Call",
  "TimeoutSeconds": ${var.timeout},
  "States": {
    "Call": {
      "Type": "Task",
      "Resource": "${aws_lambda_function.f.arn}",
      "TimeoutSeconds": ${jsonencode({"a" = "}"})},
      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": ${var.retries}}],
      "Next": "Gone"
    }
  }
}
EOF
}
"#,
    );
    let r = concise(d.path(), &["."]);
    let errors: Vec<&str> = r.stdout.lines().filter(|l| l.contains("[error]")).collect();
    assert_eq!(
        errors,
        ["./main.tf:13:15: SFN102 [error] `Next` names `Gone`, which is not a state"],
        "{}",
        r.stdout
    );
}
