//! The service a Task calls: the integrations rules (SFN601–606) on hand-made cases, silence on
//! correct calls of many services, and `sfn-lint policy` on definitions and templates.

mod common;

use common::{bin, run, write};
use sfn_lint::config::Settings;
use sfn_lint::lint::lint_text;
use sfn_lint::syntax::Format;

/// The findings of one Task calling `resource` with `params` (`Parameters`), as
/// (code, pointer, message, help).
fn findings(resource: &str, params: serde_json::Value) -> Vec<(String, String, String, String)> {
    let def = serde_json::json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": resource, "Parameters": params,
                          "TimeoutSeconds": 60, "HeartbeatSeconds": 30,
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "End": true},
                   "F": {"Type": "Fail"}}
    });
    lint_text(&def.to_string(), Format::Json, &Settings::default())
        .into_iter()
        .filter(|d| d.rule.code.starts_with("SFN6"))
        .map(|d| {
            (
                d.rule.code.to_string(),
                d.pointer.clone(),
                d.message.clone(),
                d.help.as_deref().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn codes(resource: &str, params: serde_json::Value) -> Vec<String> {
    findings(resource, params)
        .into_iter()
        .map(|f| f.0)
        .collect()
}

#[test]
fn misspelt_and_missing_integrations_are_errors_with_the_fix() {
    let f = findings(
        "arn:aws:states:::aws-sdk:s3:getObjectt",
        serde_json::json!({"Bucket": "b", "Key": "k"}),
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "SFN601");
    assert_eq!(f[0].1, "/States/T/Resource");
    assert!(f[0].3.contains("aws-sdk:s3:getObject"), "{f:?}");
    let f = findings(
        "arn:aws:states:::aws-sdk:dynamodbb:getItem",
        serde_json::json!({}),
    );
    assert_eq!(f[0].0, "SFN601");
    assert!(f[0].3.contains("aws-sdk:dynamodb:getItem"), "{f:?}");
    // `dynamodb:query` exists only as an SDK integration.
    let f = findings(
        "arn:aws:states:::dynamodb:query",
        serde_json::json!({"TableName": "t"}),
    );
    assert_eq!(f[0].0, "SFN601");
    assert!(
        f[0].3.contains("arn:aws:states:::aws-sdk:dynamodb:query"),
        "{f:?}"
    );
    let f = findings(
        "arn:aws:states:::lambda:invok",
        serde_json::json!({"FunctionName": "f"}),
    );
    assert!(f[0].3.contains("lambda:invoke"), "{f:?}");
}

#[test]
fn patterns_a_service_does_not_offer_are_errors() {
    assert_eq!(
        codes(
            "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
            serde_json::json!({"TableName": "t", "Item": {}})
        ),
        ["SFN602"]
    );
    assert_eq!(
        codes(
            "arn:aws:states:::aws-sdk:ecs:runTask.sync",
            serde_json::json!({"TaskDefinition": "td"})
        ),
        ["SFN602"]
    );
    assert_eq!(
        codes(
            "arn:aws:states:::lambda:invoke.sync",
            serde_json::json!({"FunctionName": "f"})
        ),
        ["SFN602"]
    );
    // `.sync:2` is Step Functions' own; the callback pattern works with SDK integrations.
    assert!(
        codes(
            "arn:aws:states:::states:startExecution.sync:2",
            serde_json::json!({"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:c"})
        )
        .is_empty()
    );
    assert!(
        codes(
            "arn:aws:states:::aws-sdk:ssm:startAutomationExecution.waitForTaskToken",
            serde_json::json!({"DocumentName": "d"})
        )
        .is_empty()
    );
}

#[test]
fn parameters_are_checked_against_the_api() {
    let f = findings(
        "arn:aws:states:::aws-sdk:s3:getObject",
        serde_json::json!({"Buckett": "b", "Key": "k"}),
    );
    // In document order: the missing member at `Parameters`, then the misspelt key.
    let got: Vec<&str> = f.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(got, ["SFN604", "SFN603"], "{f:?}");
    assert_eq!(f[1].1, "/States/T/Parameters/Buckett");
    assert!(f[1].3.contains("`Bucket`"), "{f:?}");
    assert!(f[0].2.contains("`Bucket`"), "{f:?}");
    // PutItem without Item.
    let f = findings(
        "arn:aws:states:::dynamodb:putItem",
        serde_json::json!({"TableName": "orders"}),
    );
    assert_eq!(f.len(), 1);
    assert!(f[0].0 == "SFN604" && f[0].2.contains("`Item`"), "{f:?}");
    // A path (`.$`) supplies a member; case follows the SDK for Java (`DbInstanceIdentifier`).
    assert!(
        codes(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!({"TableName": "orders", "Item.$": "$.item"})
        )
        .is_empty()
    );
    assert!(
        codes(
            "arn:aws:states:::aws-sdk:rds:describeDBInstances",
            serde_json::json!({"DbInstanceIdentifier": "db"})
        )
        .is_empty()
    );
    // A literal no coercion fits; scalars that read as the type are fine.
    assert_eq!(
        codes(
            "arn:aws:states:::aws-sdk:sqs:sendMessage",
            serde_json::json!({"QueueUrl": "q", "MessageBody": "m", "DelaySeconds": [1]})
        ),
        ["SFN605"]
    );
    assert!(
        codes(
            "arn:aws:states:::aws-sdk:autoscaling:detachInstances",
            serde_json::json!({"AutoScalingGroupName": "g", "ShouldDecrementDesiredCapacity": "false"})
        )
        .is_empty()
    );
}

#[test]
fn members_inside_the_parameters_are_checked_too() {
    // A misspelt member of a structure in a list in a structure, with did-you-mean.
    let f = findings(
        "arn:aws:states:::ecs:runTask.sync",
        serde_json::json!({"TaskDefinition": "t", "Overrides": {"ContainerOverrides": [
            {"Name": "app"}, {"Nmae": "side", "Environment": [{"Name": "A", "Value.$": "$.a"}]}
        ]}}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "SFN603");
    assert_eq!(
        f[0].1,
        "/States/T/Parameters/Overrides/ContainerOverrides/1/Nmae"
    );
    assert!(
        f[0].2
            .contains("`Nmae` is not a member of `Overrides.ContainerOverrides[1]`"),
        "{f:#?}"
    );
    assert!(f[0].3.contains("`Name`"), "{f:#?}");
    // A required member missing from a nested structure, at the structure.
    let f = findings(
        "arn:aws:states:::ecs:runTask",
        serde_json::json!({"TaskDefinition": "t", "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "SFN604");
    assert_eq!(
        f[0].1,
        "/States/T/Parameters/NetworkConfiguration/AwsvpcConfiguration"
    );
    assert!(f[0].2.contains("requires `Subnets`"), "{f:#?}");
    // A list where the model takes one, inside a structure (SDK integrations only).
    let f = findings(
        "arn:aws:states:::aws-sdk:s3:putObjectTagging",
        serde_json::json!({"Bucket": "b", "Key": "k", "Tagging": {"TagSet": {"Key": "a", "Value": "b"}}}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "SFN605");
    assert!(f[0].2.contains("`Tagging.TagSet`"), "{f:#?}");
    // Map values (DynamoDB attribute values) are structures; their keys are free.
    assert!(
        codes(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!({"TableName": "t", "Item": {"id": {"S.$": "$.id"}, "tags": {"L": [{"S": "a"}, {"M": {"n": {"N": "1"}}}]}}})
        )
        .is_empty()
    );
    assert_eq!(
        codes(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!({"TableName": "t", "Item": {"id": {"Str": "x"}}})
        ),
        ["SFN603"]
    );
    // A value computed at run time is not looked into.
    assert!(
        codes(
            "arn:aws:states:::ecs:runTask",
            serde_json::json!({"TaskDefinition": "t", "Overrides.$": "$.overrides"})
        )
        .is_empty()
    );
}

#[test]
fn api_gateway_and_http_tasks_take_their_own_parameters() {
    let f = findings(
        "arn:aws:states:::apigateway:invoke",
        serde_json::json!({"ApiEndpoint": "abc123.execute-api.us-east-1.amazonaws.com", "Method": "GET", "Stage": "prod", "Paht": "/orders", "AuthType": "IAM_ROLE"}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str()),
        ("SFN603", "/States/T/Parameters/Paht")
    );
    assert!(f[0].3.contains("`Path`"), "{f:#?}");
    let f = findings(
        "arn:aws:states:::http:invoke",
        serde_json::json!({"ApiEndpoint": "https://api.example.com/v1", "RequestBody": {"a": 1}, "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].0 == "SFN604" && f[0].2.contains("`Method`"), "{f:#?}");
    // A private API's connection comes in `InvocationConfig`.
    assert!(
        codes(
            "arn:aws:states:::http:invoke",
            serde_json::json!({"ApiEndpoint": "https://internal.example.com", "Method": "GET", "InvocationConfig": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}})
        )
        .is_empty()
    );
    assert!(
        codes(
            "arn:aws:states:::http:invoke",
            serde_json::json!({"ApiEndpoint.$": "$.url", "Method": "GET", "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}, "Headers": {"Accept": "application/json"}, "QueryParameters": {"q": "x"}, "Transform": {"RequestBodyEncoding": "URL_ENCODED"}})
        )
        .is_empty()
    );
}

#[test]
fn jsonata_arguments_and_placeholders() {
    let lint = |def: serde_json::Value| -> Vec<String> {
        lint_text(&def.to_string(), Format::Json, &Settings::default())
            .into_iter()
            .filter(|d| d.rule.code.starts_with("SFN6"))
            .map(|d| d.rule.code.to_string())
            .collect()
    };
    let task = |resource: &str, args: serde_json::Value| {
        serde_json::json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": resource, "Arguments": args, "End": true}}})
    };
    assert_eq!(
        lint(task(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!({"TableName": "t"})
        )),
        ["SFN604"]
    );
    assert!(
        lint(task(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!({"TableName": "t", "Item": "{% $states.input.item %}"})
        ))
        .is_empty()
    );
    // Arguments computed as a whole are not judged.
    assert!(
        lint(task(
            "arn:aws:states:::dynamodb:putItem",
            serde_json::json!("{% $states.input.request %}")
        ))
        .is_empty()
    );
    // Placeholders a deploy tool fills in are never judged.
    for r in [
        "arn:aws:states:::aws-sdk:${Service}:getObject",
        "arn:${AWS::Partition}:states:::aws-sdk:s3:${Action}",
    ] {
        assert!(lint(task(r, serde_json::json!({}))).is_empty(), "{r}");
    }
}

#[test]
fn correct_calls_of_many_services_are_silent() {
    let calls = [
        (
            "arn:aws:states:::lambda:invoke",
            serde_json::json!({"FunctionName": "f", "Payload.$": "$"}),
        ),
        (
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            serde_json::json!({"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}}),
        ),
        (
            "arn:aws:states:::dynamodb:getItem",
            serde_json::json!({"TableName": "t", "Key": {"id": {"S": "1"}}}),
        ),
        (
            "arn:aws:states:::dynamodb:updateItem",
            serde_json::json!({"TableName": "t", "Key": {}, "UpdateExpression": "SET a = :a"}),
        ),
        (
            "arn:aws:states:::sqs:sendMessage",
            serde_json::json!({"QueueUrl": "q", "MessageBody": {"any": "object"}}),
        ),
        (
            "arn:aws:states:::sns:publish",
            serde_json::json!({"TopicArn": "t", "Message": {"a": 1}}),
        ),
        (
            "arn:aws:states:::events:putEvents",
            serde_json::json!({"Entries": [{"Source": "s", "DetailType": "d", "Detail": {}}]}),
        ),
        (
            "arn:aws:states:::batch:submitJob.sync",
            serde_json::json!({"JobName": "j", "JobQueue": "q", "JobDefinition": "d"}),
        ),
        (
            "arn:aws:states:::ecs:runTask.sync",
            serde_json::json!({"Cluster": "c", "TaskDefinition": "td", "LaunchType": "FARGATE"}),
        ),
        (
            "arn:aws:states:::glue:startJobRun.sync",
            serde_json::json!({"JobName": "j"}),
        ),
        (
            "arn:aws:states:::athena:startQueryExecution.sync",
            serde_json::json!({"QueryString": "SELECT 1", "WorkGroup": "primary"}),
        ),
        (
            "arn:aws:states:::codebuild:startBuild.sync",
            serde_json::json!({"ProjectName": "p"}),
        ),
        (
            "arn:aws:states:::states:startExecution",
            serde_json::json!({"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:c", "Input": {"a": 1}}),
        ),
        (
            "arn:aws:states:::apigateway:invoke",
            serde_json::json!({"ApiEndpoint": "x.execute-api.us-east-1.amazonaws.com", "Method": "GET"}),
        ),
        (
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            serde_json::json!({"Bucket": "b", "MaxKeys": 10}),
        ),
        (
            "arn:aws:states:::aws-sdk:ec2:describeInstances",
            serde_json::json!({"Filters": [{"Name": "tag:a", "Values": ["b"]}]}),
        ),
        (
            "arn:aws:states:::aws-sdk:sfn:startSyncExecution",
            serde_json::json!({"StateMachineArn": "a"}),
        ),
        (
            "arn:aws:states:::aws-sdk:cloudwatchlogs:createLogStream",
            serde_json::json!({"LogGroupName": "g", "LogStreamName": "s"}),
        ),
        (
            "arn:aws:states:::aws-sdk:config:listAggregateDiscoveredResources",
            serde_json::json!({"ConfigurationAggregatorName": "a", "ResourceType": "AWS::EC2::Instance"}),
        ),
        (
            "arn:aws:states:::aws-sdk:eventbridge:putEvents",
            serde_json::json!({"Entries": []}),
        ),
        (
            "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
            serde_json::json!({"SecretId": "s"}),
        ),
    ];
    for (resource, params) in calls {
        let f = findings(resource, params);
        assert!(f.is_empty(), "{resource}: {f:?}");
    }
}

#[test]
fn policy_lists_what_each_integration_needs() {
    let dir = tempfile::tempdir().unwrap();
    let def = write(
        dir.path(),
        "flow.asl.json",
        r#"{"StartAt":"Get","States":{
 "Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Parameters":{"TableName":"orders","Key":{"id":{"S.$":"$.id"}}},"Next":"Charge"},
 "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge","Payload.$":"$"},"Next":"Notify"},
 "Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:done","Message":"ok"},"Next":"Queue"},
 "Queue":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/jobs","MessageBody.$":"$"},"Next":"Child"},
 "Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{}},"Next":"Each"},
 "Each":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"in","Key":"items.json"}},
   "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"res/"}},
   "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Scan","States":{"Scan":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:query","Parameters":{"TableName.$":"$.table","KeyConditionExpression":"pk = :p"},"End":true}}},"End":true}}}"#,
    );
    let r = run(bin().args(["policy", def.to_str().unwrap()]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["Version"], "2012-10-17");
    let mut grants: Vec<(String, String)> = Vec::new();
    for st in v["Statement"].as_array().unwrap() {
        assert_eq!(st["Effect"], "Allow");
        for a in st["Action"].as_array().unwrap() {
            for res in st["Resource"].as_array().unwrap() {
                grants.push((a.as_str().unwrap().into(), res.as_str().unwrap().into()));
            }
        }
    }
    let has = |a: &str, res: &str| grants.iter().any(|(x, y)| x == a && y == res);
    for (a, res) in [
        ("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/orders"),
        (
            "lambda:InvokeFunction",
            "arn:aws:lambda:*:*:function:charge",
        ),
        (
            "lambda:InvokeFunction",
            "arn:aws:lambda:*:*:function:charge:*",
        ),
        ("sns:Publish", "arn:aws:sns:us-east-1:123456789012:done"),
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs"),
        (
            "states:StartExecution",
            "arn:aws:states:us-east-1:123456789012:stateMachine:child",
        ),
        (
            "states:DescribeExecution",
            "arn:aws:states:us-east-1:123456789012:execution:child:*",
        ),
        (
            "states:StopExecution",
            "arn:aws:states:us-east-1:123456789012:execution:child:*",
        ),
        (
            "events:PutRule",
            "arn:aws:events:*:*:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
        ),
        (
            "events:PutTargets",
            "arn:aws:events:*:*:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
        ),
        (
            "events:DescribeRule",
            "arn:aws:events:*:*:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
        ),
        ("s3:GetObject", "arn:aws:s3:::in/items.json"),
        ("s3:PutObject", "arn:aws:s3:::out/res/*"),
        ("s3:AbortMultipartUpload", "arn:aws:s3:::out/res/*"),
        (
            "states:StartExecution",
            "arn:aws:states:*:*:stateMachine:${StateMachineName}",
        ),
        // A table named at run time: any table.
        ("dynamodb:Query", "*"),
    ] {
        assert!(has(a, res), "missing {a} on {res}: {grants:#?}");
    }
    // YAML and text say the same.
    let r = run(bin().args(["policy", def.to_str().unwrap(), "--format", "yaml"]));
    assert!(
        r.stdout
            .starts_with("Version: \"2012-10-17\"\nStatement:\n"),
        "{}",
        r.stdout
    );
    let r = run(bin().args(["policy", def.to_str().unwrap(), "--format", "text"]));
    assert!(
        r.stdout
            .contains("dynamodb:GetItem\n  on arn:aws:dynamodb:*:*:table/orders\n  for Get\n"),
        "{}",
        r.stdout
    );
}

/// The `(action, resource)` pairs of `sfn-lint policy` on a definition.
fn policy_grants(definition: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let def = write(dir.path(), "flow.asl.json", definition);
    let r = run(bin().args(["policy", def.to_str().unwrap()]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut grants = Vec::new();
    for st in v["Statement"].as_array().unwrap() {
        for a in st["Action"].as_array().unwrap() {
            for res in st["Resource"].as_array().unwrap() {
                grants.push((a.as_str().unwrap().into(), res.as_str().unwrap().into()));
            }
        }
    }
    grants
}

#[test]
fn streaming_operations_are_flagged_with_their_plain_twin() {
    let f = findings(
        "arn:aws:states:::aws-sdk:lambda:invokeWithResponseStream",
        serde_json::json!({"FunctionName": "work"}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "SFN606");
    assert!(f[0].2.contains("streams events"), "{f:#?}");
    assert!(f[0].3.contains("`aws-sdk:lambda:invoke`"), "{f:#?}");
    // No plain twin: read the stream in a function.
    let f = findings(
        "arn:aws:states:::aws-sdk:kinesis:subscribeToShard",
        serde_json::json!({"ConsumerARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1", "ShardId": "shardId-000000000000", "StartingPosition": {"Type": "LATEST"}}),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].3.contains("Lambda function"), "{f:#?}");
}

#[test]
fn sdk_operations_need_the_iam_actions_aws_names() {
    let grants = policy_grants(
        r#"{"StartAt":"Head","States":{
 "Head":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:headObject","Parameters":{"Bucket":"in","Key":"a.txt"},"Next":"List"},
 "List":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:listObjectsV2","Parameters":{"Bucket":"in"},"Next":"Copy"},
 "Copy":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:copyObject","Parameters":{"Bucket":"out","Key":"b.txt","CopySource":"in/a.txt"},"Next":"Invoke"},
 "Invoke":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:lambda:invoke","Parameters":{"FunctionName":"work"},"End":true}}}"#,
    );
    let has = |a: &str, res: &str| grants.iter().any(|(x, y)| x == a && y == res);
    for (a, res) in [
        ("s3:GetObject", "arn:aws:s3:::in/a.txt"),
        ("s3:ListBucket", "arn:aws:s3:::in"),
        ("s3:PutObject", "arn:aws:s3:::out/b.txt"),
        ("lambda:InvokeFunction", "arn:aws:lambda:*:*:function:work"),
    ] {
        assert!(has(a, res), "missing {a} on {res}: {grants:#?}");
    }
    for wrong in [
        "s3:HeadObject",
        "s3:ListObjectsV2",
        "s3:CopyObject",
        "lambda:Invoke",
    ] {
        assert!(
            !grants.iter().any(|(a, _)| a == wrong),
            "{wrong}: {grants:#?}"
        );
    }
    // A role that allows what AWS checks is not told it lacks the operation's name; an
    // operation whose action IAM does not define is printed but not required.
    let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: [s3:GetObject]\n              Resource: '*'\n      Definition:\n        StartAt: Head\n        States:\n          Head:\n            Type: Task\n            Resource: arn:aws:states:::aws-sdk:s3:headObject\n            Parameters: {Bucket: in, Key: a.txt}\n            Next: Write\n          Write:\n            Type: Task\n            Resource: arn:aws:states:::aws-sdk:dynamodb:transactWriteItems\n            Parameters: {TransactItems: []}\n            End: true\n";
    let f: Vec<_> = lint_text(template, Format::Yaml, &Settings::default())
        .into_iter()
        .filter(|d| d.rule.code == "SFN607")
        .map(|d| d.message)
        .collect();
    assert!(f.is_empty(), "{f:#?}");
    // The text report says which actions a role may do without, and why.
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "template.yaml", template);
    let r = run(bin().args(["policy", t.to_str().unwrap(), "--format", "text"]));
    assert!(
        r.stdout.contains(
            "dynamodb:TransactWriteItems\n  on *\n  for Write\n  not required of the role: IAM defines no such action"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("s3:GetObject\n  on arn:aws:s3:::in/a.txt\n  for Head\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn policy_of_a_template_adds_tracing_and_logging() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let t = write(
        dir.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Tracing:\n        Enabled: true\n      Logging:\n        Level: ALL\n        Destinations: []\n      Definition:\n        StartAt: P\n        States:\n          P:\n            Type: Task\n            Resource: arn:aws:states:::sns:publish\n            Parameters: {TopicArn: !Ref Topic, Message: hi}\n            End: true\n  Other:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: W\n        States:\n          W: {Type: Wait, Seconds: 1, End: true}\n",
    );
    let t = t.to_str().unwrap();
    let r = run(bin().args(["policy", t]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("choose one with --machine") && r.stderr.contains("`Flow`"),
        "{}",
        r.stderr
    );
    let r = run(bin().args(["policy", t, "--machine", "Flow", "--format", "text"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for a in [
        "sns:Publish",
        "xray:PutTraceSegments",
        "logs:CreateLogDelivery",
    ] {
        assert!(r.stdout.contains(a), "{a}: {}", r.stdout);
    }
    let r = run(bin().args(["policy", t, "--machine", "Other", "--format", "text"]));
    assert!(r.stdout.contains("needs no permission"), "{}", r.stdout);
}
