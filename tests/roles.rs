//! SFN607: templates whose roles grant too little (flagged at the right Task, with the role
//! labelled and the statement to add) or enough (silent), and roles sfn-lint cannot know
//! (silent).

mod common;

use common::{bin, run, write};
use sfn_lint::config::Settings;
use sfn_lint::lint::lint_text;
use sfn_lint::syntax::Format;

/// SFN607 findings of a template: (pointer, message, help, label).
fn role_findings(template: &str) -> Vec<(String, String, String, String)> {
    lint_text(template, Format::Yaml, &Settings::default())
        .into_iter()
        .filter(|d| d.rule.code == "SFN607")
        .map(|d| {
            (
                d.pointer.clone(),
                d.message.clone(),
                d.help.as_deref().unwrap_or("").to_string(),
                d.labels
                    .first()
                    .map(|l| l.message.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

const DEFINITION: &str = r#"      Definition:
        StartAt: Save
        States:
          Save:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters:
              TableName: orders
              Item:
                id:
                  S.$: $.id
            Next: Notify
          Notify:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage
            Parameters:
              QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/jobs
              MessageBody.$: $
            End: true
"#;

fn sam(policies: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n{policies}{DEFINITION}"
    )
}

#[test]
fn sam_policy_templates_that_grant_too_little_are_flagged_at_the_task() {
    let f = role_findings(&sam(
        "      Policies:\n        - DynamoDBReadPolicy:\n            TableName: orders\n        - SQSSendMessagePolicy:\n            QueueName: jobs\n",
    ));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].0,
        "/Resources/Orders/Properties/Definition/States/Save/Resource"
    );
    assert!(f[0].1.contains("`dynamodb:PutItem`"), "{f:#?}");
    assert!(
        f[0].2.contains(r#""Action":["dynamodb:PutItem"]"#)
            && f[0].2.contains("arn:aws:dynamodb:*:*:table/orders"),
        "{f:#?}"
    );
    assert_eq!(f[0].3, "the `Policies` of `Orders`");
    // Enough: CRUD on the table, send on the queue; or an inline statement with a `!Sub`.
    assert!(
        role_findings(&sam(
            "      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: orders\n        - SQSSendMessagePolicy:\n            QueueName: jobs\n"
        ))
        .is_empty()
    );
    assert!(
        role_findings(&sam(
            "      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: [dynamodb:PutItem, sqs:SendMessage]\n              Resource:\n                - !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders\n                - !GetAtt Jobs.Arn\n"
        ))
        .is_empty()
    );
    // The wrong table is not enough.
    let f = role_findings(&sam(
        "      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: users\n        - SQSSendMessagePolicy:\n            QueueName: jobs\n",
    ));
    assert_eq!(f.len(), 1, "{f:#?}");
    // No `Policies`: SAM's role has no permission.
    assert_eq!(role_findings(&sam("")).len(), 2);
}

#[test]
fn a_cloudformation_role_and_the_policies_attached_to_it() {
    let template = |extra: &str| {
        format!(
            r#"Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{}}
      Policies:
        - PolicyName: table
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: dynamodb:*
                Resource: !GetAtt Table.Arn
{extra}  Orders:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt Role.Arn
{DEFINITION}"#
        )
    };
    let f = role_findings(&template(""));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].0,
        "/Resources/Orders/Properties/Definition/States/Notify/Resource"
    );
    assert!(f[0].1.contains("`sqs:SendMessage`"), "{f:#?}");
    assert_eq!(f[0].3, "the policies of role `Role`");
    // A policy resource that names the role grants the rest.
    let attached = "  Send:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: send\n      Roles: [!Ref Role]\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: [sqs:SendMessage]\n            Resource: '*'\n";
    assert!(role_findings(&template(attached)).is_empty());
}

#[test]
fn roles_that_cannot_be_known_are_left_alone() {
    for policies in [
        // A managed policy that is not AWS's (its statements are not in the template).
        "      Policies:\n        - arn:aws:iam::123456789012:policy/ops\n",
        // AWS's, under a path it does not have, or one the data lacks.
        "      Policies:\n        - arn:aws:iam::aws:policy/service-role/AmazonSQSFullAccess\n",
        "      Policies:\n        - AmazonNoSuchPolicy\n",
        // AWS's, granting all but some actions (`NotAction`).
        "      Policies:\n        - PowerUserAccess\n",
        // Built from a parameter.
        "      Policies:\n        - !Ref OpsPolicy\n",
        // A role from elsewhere.
        "      Role: !ImportValue shared-role\n",
        "      Role: arn:aws:iam::123456789012:role/ops\n",
        // A statement that grants all but some actions.
        "      Policies:\n        - Statement:\n            - Effect: Allow\n              NotAction: iam:*\n              Resource: '*'\n",
    ] {
        assert!(role_findings(&sam(policies)).is_empty(), "{policies}");
    }
    // Connectors add permissions of their own.
    let with_connector = sam("      Policies: []\n").replace(
        "    Properties:\n",
        "    Connectors:\n      Write:\n        Properties:\n          Destination: {Id: Table}\n          Permissions: [Write]\n    Properties:\n",
    );
    assert!(role_findings(&with_connector).is_empty());
}

#[test]
fn aws_managed_policies_are_read_from_the_data() {
    // By name (as SAM takes it): the table is allowed, the queue is not.
    let f = role_findings(&sam(
        "      Policies:\n        - AmazonDynamoDBFullAccess\n",
    ));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].0,
        "/Resources/Orders/Properties/Definition/States/Notify/Resource"
    );
    assert!(f[0].1.contains("`sqs:SendMessage`"), "{f:#?}");
    // A read-only policy does not send.
    assert_eq!(
        role_findings(&sam(
            "      Policies:\n        - AmazonDynamoDBFullAccess\n        - AmazonSQSReadOnlyAccess\n"
        ))
        .len(),
        1
    );
    // By ARN, literal or with the partition filled in at deploy time: enough.
    for sqs in [
        "AmazonSQSFullAccess",
        "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
        "!Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSQSFullAccess",
    ] {
        let policies =
            format!("      Policies:\n        - AmazonDynamoDBFullAccess\n        - {sqs}\n");
        assert!(role_findings(&sam(&policies)).is_empty(), "{sqs}");
    }
    // A CloudFormation role's `ManagedPolicyArns`.
    let cfn = |arns: &str| {
        format!(
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n      ManagedPolicyArns:\n{arns}  Orders:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      RoleArn: !GetAtt Role.Arn\n{DEFINITION}"
        )
    };
    let f = role_findings(&cfn(
        "        - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSQSFullAccess\n",
    ));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].1.contains("`dynamodb:PutItem`"), "{f:#?}");
    assert!(
        role_findings(&cfn(
            "        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess\n        - arn:aws:iam::aws:policy/AmazonSQSFullAccess\n"
        ))
        .is_empty()
    );
    // The CDK's `Fn::Join` of the partition and the path.
    let f = role_findings(&cfn(
        "        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/AmazonDynamoDBFullAccess']]\n        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/AmazonSQSReadOnlyAccess']]\n",
    ));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].1.contains("`sqs:SendMessage`"), "{f:#?}");
}

#[test]
fn sync_integrations_need_the_eventbridge_rule() {
    let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Parent:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Policies:\n        - StepFunctionsExecutionPolicy:\n            StateMachineName: child\n      Definition:\n        StartAt: Run\n        States:\n          Run:\n            Type: Task\n            Resource: arn:aws:states:::states:startExecution.sync:2\n            Parameters:\n              StateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:child\n            TimeoutSeconds: 600\n            End: true\n";
    let f = role_findings(template);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].1.contains("`events:PutRule`") && f[0].1.contains("`events:PutTargets`"),
        "{f:#?}"
    );
    assert!(!f[0].1.contains("states:StartExecution"), "{f:#?}");
}

#[test]
fn a_definition_file_is_checked_against_its_template_role() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "statemachine/flow.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "${Topic}", "Message": "hi"}, "End": true}}}"#,
    );
    let t = write(
        dir.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        Topic: !Ref Topic\n      Policies:\n        - SQSSendMessagePolicy:\n            QueueName: q\n",
    );
    let r = run(bin().args(["check", "--format", "concise", t.to_str().unwrap()]));
    assert!(
        r.stdout.contains("template.yaml:6:22: SFN607")
            && r.stdout
                .contains("`Call` (in `statemachine/flow.asl.json`) calls `sns:Publish`"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn a_resource_named_at_run_time_may_be_the_one_granted() {
    let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Policies:\n        - LambdaInvokePolicy:\n            FunctionName: quote\n      Definition:\n        StartAt: Call\n        States:\n          Call:\n            Type: Task\n            Resource: arn:aws:states:::lambda:invoke\n            Parameters:\n              FunctionName.$: $.provider\n            Retry:\n              - ErrorEquals: [Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException]\n            End: true\n";
    assert!(role_findings(template).is_empty());
    // And a role that may invoke no function at all cannot.
    let none = template
        .replace("LambdaInvokePolicy", "SQSPollerPolicy")
        .replace("FunctionName: quote", "QueueName: q");
    assert_eq!(role_findings(&none).len(), 1);
}

#[test]
fn the_fix_adds_the_statement_to_sam_policies() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = sam(
        "      Policies:\n        - DynamoDBReadPolicy:\n            TableName: orders\n        - SQSSendMessagePolicy:\n            QueueName: jobs\n",
    );
    let t = write(dir.path(), "template.yaml", &yaml);
    let t = t.to_str().unwrap();
    // Unsafe: only with --unsafe-fixes.
    let r = run(bin().args(["check", "--fix", t]));
    assert_eq!(std::fs::read_to_string(t).unwrap(), yaml, "{}", r.stderr);
    let r = run(bin().args(["check", "--fix", "--unsafe-fixes", t]));
    assert!(
        r.stderr.contains("fixed 1 problem"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    let fixed = std::fs::read_to_string(t).unwrap();
    assert!(
        fixed.contains("        - Statement:\n            - Effect: Allow\n              Action:\n                - \"dynamodb:PutItem\"\n              Resource:\n                - \"arn:aws:dynamodb:*:*:table/orders\"\n      Definition:"),
        "{fixed}"
    );
    assert!(role_findings(&fixed).is_empty(), "{fixed}");
    // A JSON template gets a JSON item.
    let json = serde_json::json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"F": {
        "Type": "AWS::Serverless::StateMachine", "Properties": {
            "Policies": [{"SQSSendMessagePolicy": {"QueueName": "jobs"}}],
            "Definition": {"StartAt": "P", "States": {"P": {"Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"}, "End": true}}}}}}});
    let j = write(
        dir.path(),
        "template.json",
        serde_json::to_string_pretty(&json).unwrap(),
    );
    let r = run(bin().args(["check", "--fix", "--unsafe-fixes", j.to_str().unwrap()]));
    assert!(
        r.stderr.contains("fixed 1 problem"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    let fixed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    assert_eq!(
        fixed["Resources"]["F"]["Properties"]["Policies"][1]["Statement"][0]["Action"][0],
        "sns:Publish"
    );
}

const TERRAFORM: &str = r#"resource "aws_iam_role" "sfn" {
  name = "orders"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = []})
  inline_policy {
    name = "table"
    policy = jsonencode({
      Statement = [{
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem"]
        Resource = aws_dynamodb_table.orders.arn
      }]
    })
  }
}

resource "aws_iam_role_policy" "queue" {
  role   = aws_iam_role.sfn.id
  policy = data.aws_iam_policy_document.queue.json
}

data "aws_iam_policy_document" "queue" {
  statement {
    actions   = ["QUEUE_ACTION"]
    resources = ["arn:aws:sqs:us-east-1:123456789012:jobs"]
  }
}
EXTRA
resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = aws_iam_role.sfn.arn
  definition = jsonencode({
    StartAt = "Save"
    States = {
      Save = {
        Type = "Task"
        Resource = "arn:aws:states:::dynamodb:putItem"
        Parameters = { TableName = "orders", Item = { id = { "S.$" = "$.id" } } }
        Next = "Notify"
      }
      Notify = {
        Type = "Task"
        Resource = "arn:aws:states:::sqs:sendMessage"
        Parameters = { QueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "MessageBody.$" = "$" }
        End = true
      }
    }
  })
}
"#;

#[test]
fn terraform_roles_and_their_policies() {
    let lint = |tf: &str| -> Vec<(u32, String)> {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "main.tf", tf);
        let r = run(bin().args(["check", "--format", "json", f.to_str().unwrap()]));
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "SFN607")
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap() as u32,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // The queue policy allows receiving only: the send is flagged at `Notify`'s Resource.
    let tf = TERRAFORM
        .replace("QUEUE_ACTION", "sqs:ReceiveMessage")
        .replace("EXTRA", "");
    let f = lint(&tf);
    assert_eq!(f.len(), 1, "{f:?}");
    let send_line = tf
        .lines()
        .position(|l| l.contains("states:::sqs:sendMessage"))
        .unwrap() as u32
        + 1;
    assert_eq!(f[0].0, send_line);
    assert!(f[0].1.contains("`Notify` calls `sqs:SendMessage`"), "{f:?}");
    // Allowed by the policy document: silent.
    assert!(
        lint(
            &TERRAFORM
                .replace("QUEUE_ACTION", "sqs:SendMessage")
                .replace("EXTRA", "")
        )
        .is_empty()
    );
    // A managed policy of AWS attached to the role is read: full access allows the send, read
    // only does not; one that is not AWS's makes the role unknown (silent).
    let managed = |arn: &str| {
        TERRAFORM.replace("QUEUE_ACTION", "sqs:ReceiveMessage").replace(
            "EXTRA",
            &format!("resource \"aws_iam_role_policy_attachment\" \"ops\" {{\n  role       = aws_iam_role.sfn.name\n  policy_arn = \"{arn}\"\n}}\n"),
        )
    };
    assert!(lint(&managed("arn:aws:iam::aws:policy/AmazonSQSFullAccess")).is_empty());
    assert!(
        lint(&managed(
            "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSQSFullAccess"
        ))
        .is_empty()
    );
    assert_eq!(
        lint(&managed("arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess")).len(),
        1
    );
    assert!(lint(&managed("arn:aws:iam::123456789012:policy/ops")).is_empty());
}

#[test]
fn a_role_too_large_to_check_says_so() {
    // 300 calls against 300 statements on other tables: more pattern matching than the
    // budget, which is said (SFN009), not silently cut.
    let n = 300;
    let mut t = String::from(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Policies:\n",
    );
    for j in 0..n {
        t.push_str(&format!("        - Statement:\n            - Effect: Allow\n              Action: [dynamodb:PutItem]\n              Resource: arn:aws:dynamodb:us-east-1:123456789012:table/other{j}\n"));
    }
    t.push_str("      Definition:\n        StartAt: S0\n        States:\n");
    for i in 0..n {
        let next = if i + 1 < n {
            format!("Next: S{}", i + 1)
        } else {
            "End: true".into()
        };
        t.push_str(&format!("          S{i}:\n            Type: Task\n            Resource: arn:aws:states:::dynamodb:putItem\n            Parameters: {{TableName: table{i}, Item: {{}}}}\n            {next}\n"));
    }
    let codes: Vec<&str> = lint_text(&t, Format::Yaml, &Settings::default())
        .iter()
        .map(|d| d.rule.code)
        .filter(|c| *c == "SFN009" || *c == "SFN607")
        .collect();
    assert!(codes.contains(&"SFN009"), "{codes:?}");
    assert!(
        codes.iter().filter(|c| **c == "SFN607").count() < n,
        "{codes:?}"
    );
}
