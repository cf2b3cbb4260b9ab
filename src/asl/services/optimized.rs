//! The optimized integrations (`arn:aws:states:::service:action`): which exist, which
//! integration patterns each supports, the AWS API whose parameters it takes, and the IAM
//! actions its role needs per pattern.
//!
//! Sources, checked 2026-12-06: AWS Step Functions Developer Guide, "Integrating optimized
//! services with Step Functions" (the table of services and patterns:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html>), each
//! service's page linked from it (`connect-<service>.html`: supported APIs and parameters), and
//! "IAM policies for integrated services"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html>).

/// The integration patterns a resource may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    RequestResponse,
    /// `.sync`
    Sync,
    /// `.sync:2` (Step Functions `startExecution` only: the output as JSON).
    Sync2,
    /// `.waitForTaskToken`
    Callback,
}

impl Pattern {
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::Callback => ".waitForTaskToken",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "request-response",
            Pattern::Sync => "`.sync` (run a job)",
            Pattern::Sync2 => "`.sync:2` (run a job, JSON output)",
            Pattern::Callback => "`.waitForTaskToken` (callback)",
        }
    }
}

const R: u8 = 1;
const S: u8 = 2;
const S2: u8 = 4;
const C: u8 = 8;

fn bit(p: Pattern) -> u8 {
    match p {
        Pattern::RequestResponse => R,
        Pattern::Sync => S,
        Pattern::Sync2 => S2,
        Pattern::Callback => C,
    }
}

pub struct Optimized {
    pub service: &'static str,
    /// camelCase, as the resource spells it.
    pub action: &'static str,
    patterns: u8,
    /// The AWS SDK operation (catalog service name, PascalCase operation) whose input members
    /// this integration takes, when it takes exactly those.
    pub sdk: Option<(&'static str, &'static str)>,
    /// IAM actions for every pattern, and the ones `.sync` adds (with the EventBridge rule
    /// Step Functions creates to learn that the job ended, when it uses one).
    pub iam: &'static [&'static str],
    pub iam_sync: &'static [&'static str],
    pub events_rule: Option<&'static str>,
}

impl Optimized {
    pub fn supports(&self, p: Pattern) -> bool {
        self.patterns & bit(p) != 0
    }

    pub fn patterns(&self) -> impl Iterator<Item = Pattern> + '_ {
        [
            Pattern::RequestResponse,
            Pattern::Sync,
            Pattern::Sync2,
            Pattern::Callback,
        ]
        .into_iter()
        .filter(|p| self.supports(*p))
    }
}

macro_rules! opt {
    ($svc:literal, $act:literal, $pat:expr, $sdk:expr, [$($iam:literal),*], [$($sync:literal),*], $rule:expr) => {
        Optimized {
            service: $svc,
            action: $act,
            patterns: $pat,
            sdk: $sdk,
            iam: &[$($iam),*],
            iam_sync: &[$($sync),*],
            events_rule: $rule,
        }
    };
}

/// Every optimized integration, by service then action.
pub static ALL: &[Optimized] = &[
    opt!(
        "apigateway",
        "invoke",
        R | C,
        None,
        ["execute-api:Invoke"],
        [],
        None
    ),
    opt!(
        "athena",
        "getQueryExecution",
        R,
        Some(("athena", "GetQueryExecution")),
        ["athena:GetQueryExecution"],
        [],
        None
    ),
    opt!(
        "athena",
        "getQueryResults",
        R,
        Some(("athena", "GetQueryResults")),
        ["athena:GetQueryResults"],
        [],
        None
    ),
    opt!(
        "athena",
        "startQueryExecution",
        R | S,
        Some(("athena", "StartQueryExecution")),
        ["athena:StartQueryExecution"],
        ["athena:GetQueryExecution", "athena:StopQueryExecution"],
        None
    ),
    opt!(
        "athena",
        "stopQueryExecution",
        R,
        Some(("athena", "StopQueryExecution")),
        ["athena:StopQueryExecution"],
        [],
        None
    ),
    opt!(
        "batch",
        "submitJob",
        R | S | C,
        Some(("batch", "SubmitJob")),
        ["batch:SubmitJob"],
        ["batch:DescribeJobs", "batch:TerminateJob"],
        Some("StepFunctionsGetEventsForBatchJobsRule")
    ),
    opt!(
        "bedrock",
        "createModelCustomizationJob",
        R | S,
        Some(("bedrock", "CreateModelCustomizationJob")),
        ["bedrock:CreateModelCustomizationJob"],
        [
            "bedrock:GetModelCustomizationJob",
            "bedrock:StopModelCustomizationJob"
        ],
        None
    ),
    opt!(
        "bedrock",
        "invokeModel",
        R,
        None,
        ["bedrock:InvokeModel"],
        [],
        None
    ),
    opt!(
        "codebuild",
        "batchDeleteBuilds",
        R,
        Some(("codebuild", "BatchDeleteBuilds")),
        ["codebuild:BatchDeleteBuilds"],
        [],
        None
    ),
    opt!(
        "codebuild",
        "batchGetReports",
        R,
        Some(("codebuild", "BatchGetReports")),
        ["codebuild:BatchGetReports"],
        [],
        None
    ),
    opt!(
        "codebuild",
        "deleteBuildBatch",
        R,
        Some(("codebuild", "DeleteBuildBatch")),
        ["codebuild:DeleteBuildBatch"],
        [],
        None
    ),
    opt!(
        "codebuild",
        "retryBuild",
        R | S,
        Some(("codebuild", "RetryBuild")),
        ["codebuild:RetryBuild"],
        ["codebuild:StopBuild", "codebuild:BatchGetBuilds"],
        Some("StepFunctionsGetEventForCodeBuildStartBuildRule")
    ),
    opt!(
        "codebuild",
        "retryBuildBatch",
        R | S,
        Some(("codebuild", "RetryBuildBatch")),
        ["codebuild:RetryBuildBatch"],
        ["codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"],
        Some("StepFunctionsGetEventForCodeBuildStartBuildBatchRule")
    ),
    opt!(
        "codebuild",
        "startBuild",
        R | S,
        Some(("codebuild", "StartBuild")),
        ["codebuild:StartBuild"],
        ["codebuild:StopBuild", "codebuild:BatchGetBuilds"],
        Some("StepFunctionsGetEventForCodeBuildStartBuildRule")
    ),
    opt!(
        "codebuild",
        "startBuildBatch",
        R | S,
        Some(("codebuild", "StartBuildBatch")),
        ["codebuild:StartBuildBatch"],
        ["codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"],
        Some("StepFunctionsGetEventForCodeBuildStartBuildBatchRule")
    ),
    opt!(
        "codebuild",
        "stopBuild",
        R,
        Some(("codebuild", "StopBuild")),
        ["codebuild:StopBuild"],
        [],
        None
    ),
    opt!(
        "codebuild",
        "stopBuildBatch",
        R,
        Some(("codebuild", "StopBuildBatch")),
        ["codebuild:StopBuildBatch"],
        [],
        None
    ),
    opt!(
        "databrew",
        "startJobRun",
        R | S,
        Some(("databrew", "StartJobRun")),
        ["databrew:StartJobRun"],
        ["databrew:ListJobRuns", "databrew:StopJobRun"],
        None
    ),
    opt!(
        "dynamodb",
        "deleteItem",
        R,
        Some(("dynamodb", "DeleteItem")),
        ["dynamodb:DeleteItem"],
        [],
        None
    ),
    opt!(
        "dynamodb",
        "getItem",
        R,
        Some(("dynamodb", "GetItem")),
        ["dynamodb:GetItem"],
        [],
        None
    ),
    opt!(
        "dynamodb",
        "putItem",
        R,
        Some(("dynamodb", "PutItem")),
        ["dynamodb:PutItem"],
        [],
        None
    ),
    opt!(
        "dynamodb",
        "updateItem",
        R,
        Some(("dynamodb", "UpdateItem")),
        ["dynamodb:UpdateItem"],
        [],
        None
    ),
    opt!(
        "ecs",
        "runTask",
        R | S | C,
        Some(("ecs", "RunTask")),
        ["ecs:RunTask"],
        ["ecs:StopTask", "ecs:DescribeTasks"],
        Some("StepFunctionsGetEventsForECSTaskRule")
    ),
    opt!("eks", "call", R, None, ["eks:DescribeCluster"], [], None),
    opt!(
        "eks",
        "createCluster",
        R | S,
        None,
        ["eks:CreateCluster"],
        ["eks:DescribeCluster", "eks:DeleteCluster"],
        None
    ),
    opt!(
        "eks",
        "createFargateProfile",
        R | S,
        None,
        ["eks:CreateFargateProfile"],
        ["eks:DescribeFargateProfile", "eks:DeleteFargateProfile"],
        None
    ),
    opt!(
        "eks",
        "createNodegroup",
        R | S,
        None,
        ["eks:CreateNodegroup"],
        ["eks:DescribeNodegroup", "eks:DeleteNodegroup"],
        None
    ),
    opt!(
        "eks",
        "deleteCluster",
        R | S,
        None,
        ["eks:DeleteCluster"],
        ["eks:DescribeCluster"],
        None
    ),
    opt!(
        "eks",
        "deleteFargateProfile",
        R | S,
        None,
        ["eks:DeleteFargateProfile"],
        ["eks:DescribeFargateProfile"],
        None
    ),
    opt!(
        "eks",
        "deleteNodegroup",
        R | S,
        None,
        ["eks:DeleteNodegroup"],
        ["eks:DescribeNodegroup"],
        None
    ),
    opt!(
        "eks",
        "runJob",
        R | S,
        None,
        ["eks:DescribeCluster"],
        [],
        None
    ),
    opt!(
        "elasticmapreduce",
        "addStep",
        R | S,
        None,
        ["elasticmapreduce:AddJobFlowSteps"],
        [
            "elasticmapreduce:DescribeStep",
            "elasticmapreduce:CancelSteps"
        ],
        Some("StepFunctionsGetEventForEMRAddJobFlowStepsRule")
    ),
    opt!(
        "elasticmapreduce",
        "cancelStep",
        R,
        None,
        ["elasticmapreduce:CancelSteps"],
        [],
        None
    ),
    opt!(
        "elasticmapreduce",
        "createCluster",
        R | S,
        None,
        ["elasticmapreduce:RunJobFlow"],
        [
            "elasticmapreduce:DescribeCluster",
            "elasticmapreduce:TerminateJobFlows"
        ],
        Some("StepFunctionsGetEventForEMRRunJobFlowRule")
    ),
    opt!(
        "elasticmapreduce",
        "modifyInstanceFleetByName",
        R,
        None,
        [
            "elasticmapreduce:ModifyInstanceFleet",
            "elasticmapreduce:ListInstanceFleets"
        ],
        [],
        None
    ),
    opt!(
        "elasticmapreduce",
        "modifyInstanceGroupByName",
        R,
        None,
        [
            "elasticmapreduce:ModifyInstanceGroups",
            "elasticmapreduce:ListInstanceGroups"
        ],
        [],
        None
    ),
    opt!(
        "elasticmapreduce",
        "setClusterTerminationProtection",
        R,
        None,
        ["elasticmapreduce:SetTerminationProtection"],
        [],
        None
    ),
    opt!(
        "elasticmapreduce",
        "terminateCluster",
        R | S,
        None,
        ["elasticmapreduce:TerminateJobFlows"],
        ["elasticmapreduce:DescribeCluster"],
        Some("StepFunctionsGetEventForEMRTerminateJobFlowsRule")
    ),
    opt!(
        "emr-containers",
        "createVirtualCluster",
        R,
        Some(("emrcontainers", "CreateVirtualCluster")),
        ["emr-containers:CreateVirtualCluster"],
        [],
        None
    ),
    opt!(
        "emr-containers",
        "deleteVirtualCluster",
        R | S,
        Some(("emrcontainers", "DeleteVirtualCluster")),
        ["emr-containers:DeleteVirtualCluster"],
        ["emr-containers:DescribeVirtualCluster"],
        None
    ),
    opt!(
        "emr-containers",
        "startJobRun",
        R | S,
        Some(("emrcontainers", "StartJobRun")),
        ["emr-containers:StartJobRun"],
        [
            "emr-containers:DescribeJobRun",
            "emr-containers:CancelJobRun"
        ],
        None
    ),
    opt!(
        "emr-serverless",
        "cancelJobRun",
        R | S,
        Some(("emrserverless", "CancelJobRun")),
        ["emr-serverless:CancelJobRun"],
        ["emr-serverless:GetJobRun"],
        None
    ),
    opt!(
        "emr-serverless",
        "createApplication",
        R | S,
        Some(("emrserverless", "CreateApplication")),
        ["emr-serverless:CreateApplication"],
        ["emr-serverless:GetApplication"],
        None
    ),
    opt!(
        "emr-serverless",
        "deleteApplication",
        R | S,
        Some(("emrserverless", "DeleteApplication")),
        ["emr-serverless:DeleteApplication"],
        ["emr-serverless:GetApplication"],
        None
    ),
    opt!(
        "emr-serverless",
        "startApplication",
        R | S,
        Some(("emrserverless", "StartApplication")),
        ["emr-serverless:StartApplication"],
        ["emr-serverless:GetApplication"],
        None
    ),
    opt!(
        "emr-serverless",
        "startJobRun",
        R | S,
        Some(("emrserverless", "StartJobRun")),
        ["emr-serverless:StartJobRun"],
        ["emr-serverless:GetJobRun", "emr-serverless:CancelJobRun"],
        None
    ),
    opt!(
        "emr-serverless",
        "stopApplication",
        R | S,
        Some(("emrserverless", "StopApplication")),
        ["emr-serverless:StopApplication"],
        ["emr-serverless:GetApplication"],
        None
    ),
    opt!(
        "events",
        "putEvents",
        R | C,
        Some(("eventbridge", "PutEvents")),
        ["events:PutEvents"],
        [],
        None
    ),
    opt!(
        "glue",
        "startJobRun",
        R | S,
        Some(("glue", "StartJobRun")),
        ["glue:StartJobRun"],
        ["glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
        None
    ),
    opt!(
        "http",
        "invoke",
        R,
        None,
        [
            "states:InvokeHTTPEndpoint",
            "events:RetrieveConnectionCredentials",
            "secretsmanager:GetSecretValue",
            "secretsmanager:DescribeSecret"
        ],
        [],
        None
    ),
    opt!(
        "lambda",
        "invoke",
        R | C,
        Some(("lambda", "Invoke")),
        ["lambda:InvokeFunction"],
        [],
        None
    ),
    opt!(
        "mediaconvert",
        "createJob",
        R | S,
        Some(("mediaconvert", "CreateJob")),
        ["mediaconvert:CreateJob"],
        ["mediaconvert:GetJob", "mediaconvert:CancelJob"],
        Some("StepFunctionsGetEventsForMediaConvertJobRule")
    ),
    opt!(
        "sagemaker",
        "createEndpoint",
        R,
        Some(("sagemaker", "CreateEndpoint")),
        ["sagemaker:CreateEndpoint"],
        [],
        None
    ),
    opt!(
        "sagemaker",
        "createEndpointConfig",
        R,
        Some(("sagemaker", "CreateEndpointConfig")),
        ["sagemaker:CreateEndpointConfig"],
        [],
        None
    ),
    opt!(
        "sagemaker",
        "createHyperParameterTuningJob",
        R | S,
        Some(("sagemaker", "CreateHyperParameterTuningJob")),
        ["sagemaker:CreateHyperParameterTuningJob"],
        [
            "sagemaker:DescribeHyperParameterTuningJob",
            "sagemaker:StopHyperParameterTuningJob",
            "sagemaker:ListTrainingJobsForHyperParameterTuningJob"
        ],
        Some("StepFunctionsGetEventsForSageMakerTuningJobsRule")
    ),
    opt!(
        "sagemaker",
        "createLabelingJob",
        R | S,
        Some(("sagemaker", "CreateLabelingJob")),
        ["sagemaker:CreateLabelingJob"],
        ["sagemaker:DescribeLabelingJob", "sagemaker:StopLabelingJob"],
        Some("StepFunctionsGetEventsForSageMakerLabelingJobsRule")
    ),
    opt!(
        "sagemaker",
        "createModel",
        R,
        Some(("sagemaker", "CreateModel")),
        ["sagemaker:CreateModel"],
        [],
        None
    ),
    opt!(
        "sagemaker",
        "createProcessingJob",
        R | S,
        Some(("sagemaker", "CreateProcessingJob")),
        ["sagemaker:CreateProcessingJob"],
        [
            "sagemaker:DescribeProcessingJob",
            "sagemaker:StopProcessingJob"
        ],
        Some("StepFunctionsGetEventsForSageMakerProcessingJobsRule")
    ),
    opt!(
        "sagemaker",
        "createTrainingJob",
        R | S,
        Some(("sagemaker", "CreateTrainingJob")),
        ["sagemaker:CreateTrainingJob"],
        ["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
        Some("StepFunctionsGetEventsForSageMakerTrainingJobsRule")
    ),
    opt!(
        "sagemaker",
        "createTransformJob",
        R | S,
        Some(("sagemaker", "CreateTransformJob")),
        ["sagemaker:CreateTransformJob"],
        [
            "sagemaker:DescribeTransformJob",
            "sagemaker:StopTransformJob"
        ],
        Some("StepFunctionsGetEventsForSageMakerTransformJobsRule")
    ),
    opt!(
        "sagemaker",
        "updateEndpoint",
        R,
        Some(("sagemaker", "UpdateEndpoint")),
        ["sagemaker:UpdateEndpoint"],
        [],
        None
    ),
    opt!(
        "sns",
        "publish",
        R | C,
        Some(("sns", "Publish")),
        ["sns:Publish"],
        [],
        None
    ),
    opt!(
        "sqs",
        "sendMessage",
        R | C,
        Some(("sqs", "SendMessage")),
        ["sqs:SendMessage"],
        [],
        None
    ),
    opt!(
        "states",
        "startExecution",
        R | S | S2 | C,
        Some(("sfn", "StartExecution")),
        ["states:StartExecution"],
        ["states:DescribeExecution", "states:StopExecution"],
        Some("StepFunctionsGetEventsForStepFunctionsExecutionRule")
    ),
];

/// The optimized integration `service:action`.
pub fn find(service: &str, action: &str) -> Option<&'static Optimized> {
    ALL.iter()
        .find(|o| o.service == service && o.action == action)
}

/// The parameters of the optimized integrations that call no AWS API of their own but take a
/// request of Step Functions' design, from their pages: "Create API Gateway REST APIs with
/// Step Functions" (`connect-api-gateway.html`, request format: required and optional
/// parameters) and "Call HTTPS APIs" (`call-https-apis.html`, HTTP Task fields).
pub fn own_parameters(service: &str, action: &str) -> Option<&'static super::sdk::Operation> {
    use super::sdk::Operation;
    static API_GATEWAY: Operation = Operation::own(
        "Invoke",
        "ApiEndpoint:s!,Method:s!,Headers:m,Stage:s,Path:s,QueryParameters:m,RequestBody:?,AllowNullValues:b,AuthType:s",
    );
    // The connection comes in `Authentication` or, for private APIs, `InvocationConfig`
    // (deployed AWS samples use either), so neither is required alone.
    static HTTP: Operation = Operation::own(
        "Invoke",
        "ApiEndpoint:s!,Method:s!,Authentication:o,InvocationConfig:o,Headers:m,QueryParameters:m,RequestBody:?,Transform:o",
    );
    match (service, action) {
        ("apigateway", "invoke") => Some(&API_GATEWAY),
        ("http", "invoke") => Some(&HTTP),
        _ => None,
    }
}

/// Whether Step Functions has optimized integrations for `service`.
pub fn has_service(service: &str) -> bool {
    ALL.iter().any(|o| o.service == service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sdk_twin_is_in_the_catalog() {
        let c = super::super::sdk::catalog();
        for o in ALL {
            if let Some((svc, op)) = o.sdk {
                let s = c
                    .service(svc)
                    .unwrap_or_else(|| panic!("{}:{}: no SDK service {svc}", o.service, o.action));
                assert!(
                    s.named(op).is_some(),
                    "{}:{}: no {svc}:{op}",
                    o.service,
                    o.action
                );
            }
        }
        let mut names: Vec<(&str, &str)> = ALL.iter().map(|o| (o.service, o.action)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "an integration is listed twice");
        assert!(find("dynamodb", "putItem").is_some_and(|o| !o.supports(Pattern::Sync)));
        assert!(find("dynamodb", "query").is_none());
        assert!(find("states", "startExecution").is_some_and(|o| o.supports(Pattern::Sync2)));
    }

    /// The hand-written IAM actions are actions IAM defines (AWS's Service Authorization
    /// Reference, `data/iam-actions.txt`): a typo or a renamed action fails here.
    #[test]
    fn every_iam_action_is_one_aws_defines() {
        for o in ALL {
            for a in o.iam.iter().chain(o.iam_sync) {
                let (prefix, name) = a.split_once(':').unwrap();
                assert!(
                    super::super::iam::is_action(prefix, name),
                    "{}:{}: IAM defines no {a}",
                    o.service,
                    o.action
                );
            }
        }
        // The SDK catalog's IAM prefixes where they differ from the signing name.
        let c = super::super::sdk::catalog();
        for (service, prefix, action) in [
            ("cloudcontrol", "cloudformation", "CreateResource"),
            ("iotjobsdataplane", "iotjobsdata", "DescribeJobExecution"),
            ("cloudwatchlogs", "logs", "PutLogEvents"),
            ("sfn", "states", "StartExecution"),
            ("cloudwatch", "cloudwatch", "PutMetricData"),
        ] {
            assert_eq!(c.service(service).unwrap().iam_prefix, prefix, "{service}");
            assert!(
                super::super::iam::is_action(prefix, action),
                "{prefix}:{action}"
            );
        }
    }
}
