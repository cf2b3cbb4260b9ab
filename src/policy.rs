//! The least-privilege IAM policy a state machine's role needs: the actions of each service it
//! calls (per integration and pattern), with the resources narrowed where the definition names
//! them literally, the EventBridge rule actions `.sync` integrations need, the S3 access of
//! Distributed Map readers and writers, and X-Ray and CloudWatch Logs delivery when the
//! template turns tracing or logging on. Values computed at run time leave a resource at `*`;
//! placeholders (`${TableName}`) stay as written.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::asl::services::{self, Pattern, optimized, sdk};
use crate::asl::{Definition, Model, State, StateType};
use crate::syntax::{Document, NodeId, NodeKind};

/// What the template says of the state machine beyond its definition.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub tracing: bool,
    pub logging: bool,
}

/// One permission: an action on resources, and the states that need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Need {
    /// Each resource, with the states that need the action on it.
    pub by_resource: BTreeMap<String, BTreeSet<String>>,
    /// What AWS's policy pages list but a workflow runs without (following and stopping a
    /// Distributed Map's child executions), or an action IAM does not define: printed, not
    /// required of a role.
    pub optional: bool,
    /// Why it is not required (the first reason given).
    pub why: &'static str,
}

/// Every action the role needs, with its resources.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub needs: BTreeMap<String, Need>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    pub version: &'static str,
    pub statement: Vec<Statement>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub effect: &'static str,
    pub action: Vec<String>,
    pub resource: Vec<String>,
}

const ANY: &str = "*";
/// The state machine itself (a Distributed Map starts child executions of it).
pub const OWN_MACHINE: &str = "arn:aws:states:*:*:stateMachine:${StateMachineName}";
const OWN_EXECUTIONS: &str = "arn:aws:states:*:*:execution:${StateMachineName}/*";

impl Policy {
    fn add(&mut self, action: &str, resource: impl Into<String>, state: &str) {
        self.add_as(action, resource, state, None);
    }

    /// `optional`: why the role may do without it.
    fn add_as(
        &mut self,
        action: &str,
        resource: impl Into<String>,
        state: &str,
        optional: Option<&'static str>,
    ) {
        let fresh = !self.needs.contains_key(action);
        let need = self.needs.entry(action.to_string()).or_default();
        // Required once anything requires it.
        need.optional = if fresh {
            optional.is_some()
        } else {
            need.optional && optional.is_some()
        };
        if need.why.is_empty() {
            need.why = optional.unwrap_or_default();
        }
        let states = need.by_resource.entry(resource.into()).or_default();
        if !state.is_empty() {
            states.insert(state.to_string());
        }
    }

    /// The policy document: one statement per set of resources, actions sorted. A resource
    /// list that holds `*` is `*` alone.
    pub fn document(&self) -> PolicyDocument {
        let mut by_resources: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for (action, need) in &self.needs {
            let resources: Vec<String> = if need.by_resource.contains_key(ANY) {
                vec![ANY.to_string()]
            } else {
                need.by_resource.keys().cloned().collect()
            };
            by_resources
                .entry(resources)
                .or_default()
                .push(action.clone());
        }
        PolicyDocument {
            version: "2012-10-17",
            statement: by_resources
                .into_iter()
                .map(|(resource, action)| Statement {
                    effect: "Allow",
                    action,
                    resource,
                })
                .collect(),
        }
    }
}

/// The policy `def` needs.
pub fn of(def: &Definition, opts: Options) -> Policy {
    of_model(&def.doc, &def.model, opts)
}

/// The policy the definition read into `model` from `doc` needs (a definition inside a
/// template shares the template's tree).
pub fn of_model(doc: &Document, model: &Model, opts: Options) -> Policy {
    let mut p = Policy::default();
    for state in &model.states {
        match state.ty {
            StateType::Task => task(doc, state, &mut p),
            StateType::Map => distributed_map(doc, state, &mut p),
            _ => {}
        }
    }
    if opts.tracing {
        for a in [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
        ] {
            p.add(a, ANY, "");
        }
    }
    if opts.logging {
        for a in [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ] {
            p.add(a, ANY, "");
        }
    }
    p
}

/// A literal string argument of a Task (`Parameters` or JSONata `Arguments`), by name in any
/// case; `None` when absent or computed at run time.
fn literal<'d>(doc: &'d Document, state: &State, name: &str) -> Option<&'d str> {
    let args = doc
        .get(state.node, "Parameters")
        .or_else(|| doc.get(state.node, "Arguments"))?;
    let NodeKind::Object(members) = doc.kind(args) else {
        return None;
    };
    let m = members
        .iter()
        .find(|m| doc.key(m).eq_ignore_ascii_case(name))?;
    let s = doc.as_str(m.value)?;
    let t = s.trim();
    (!(t.starts_with("{%") && t.ends_with("%}"))).then_some(s)
}

fn task(doc: &Document, state: &State, p: &mut Policy) {
    let Some(raw) = doc.get(state.node, "Resource").and_then(|n| doc.as_str(n)) else {
        return;
    };
    let name = state.name.as_ref();
    // A Lambda function named by its ARN.
    if raw.contains(":lambda:") && raw.contains(":function:") {
        function(p, raw, name);
        return;
    }
    let Some(call) = services::parse(raw) else {
        return;
    };
    if call.sdk {
        sdk_call(doc, state, &call, p);
        return;
    }
    let Some(o) = optimized::find(call.service, call.action) else {
        return;
    };
    let sync = matches!(call.pattern, Pattern::Sync | Pattern::Sync2);
    let resource = optimized_resource(doc, state, o);
    match (o.service, literal(doc, state, "FunctionName")) {
        ("lambda", Some(f)) => function(p, f, name),
        // Step Functions signs the request with the role only under `AuthType: IAM_ROLE`, and
        // the role needs `execute-api:Invoke` only when the API checks IAM: listed, not
        // required of a role.
        ("apigateway", _) => {
            if literal(doc, state, "AuthType") == Some("IAM_ROLE") {
                for a in o.iam {
                    p.add_as(
                        a,
                        resource.clone(),
                        name,
                        Some("needed only when the API checks IAM"),
                    );
                }
            }
        }
        _ => {
            for a in o.iam {
                p.add(a, resource.clone(), name);
            }
        }
    }
    if sync {
        let follow = match (o.service, o.action) {
            ("states", _) => execution_of(&resource),
            _ => ANY.to_string(),
        };
        // AWS's pages list them, but deployed workflows follow their jobs without them (the
        // EventBridge rule is what Step Functions needs).
        for a in o.iam_sync {
            p.add_as(
                a,
                follow.clone(),
                name,
                Some("AWS lists it, but the EventBridge rule is what follows the job"),
            );
        }
        if let Some(rule) = o.events_rule {
            for a in ["events:PutTargets", "events:PutRule", "events:DescribeRule"] {
                p.add(a, format!("arn:aws:events:*:*:rule/{rule}"), name);
            }
        }
    }
}

/// `lambda:InvokeFunction` on a function (a name or an ARN), and its versions and aliases.
fn function(p: &mut Policy, f: &str, state: &str) {
    let arn = if f.starts_with("arn:") {
        f.to_string()
    } else {
        format!("arn:aws:lambda:*:*:function:{f}")
    };
    // An unqualified function ARN has 7 parts; its qualified forms need `:*`.
    if arn.split(':').count() == 7 {
        p.add("lambda:InvokeFunction", format!("{arn}:*"), state);
    }
    p.add("lambda:InvokeFunction", arn, state);
}

/// The resource an optimized integration acts on, from its literal parameters.
fn optimized_resource(doc: &Document, state: &State, o: &optimized::Optimized) -> String {
    let lit = |n: &str| literal(doc, state, n);
    let found = match o.service {
        "dynamodb" => lit("TableName").map(table),
        "sqs" => lit("QueueUrl").and_then(queue),
        "sns" => lit("TopicArn").map(str::to_string),
        "states" => lit("StateMachineArn").map(str::to_string),
        "events" => Some(
            lit("EventBusName")
                .map(bus)
                .unwrap_or_else(|| "arn:aws:events:*:*:event-bus/default".into()),
        ),
        "athena" => None,
        "batch" => lit("JobQueue")
            .filter(|q| q.starts_with("arn:"))
            .map(str::to_string),
        "glue" => lit("JobName").map(|j| format!("arn:aws:glue:*:*:job/{j}")),
        "codebuild" => lit("ProjectName").map(|n| {
            if n.starts_with("arn:") {
                n.to_string()
            } else {
                format!("arn:aws:codebuild:*:*:project/{n}")
            }
        }),
        "http" => lit("ApiEndpoint").map(|_| ANY.to_string()),
        _ => None,
    };
    found.unwrap_or_else(|| ANY.to_string())
}

/// The executions of a state machine (`…:stateMachine:name` → `…:execution:name:*`).
fn execution_of(machine: &str) -> String {
    if machine == ANY || !machine.contains(":stateMachine:") {
        return ANY.to_string();
    }
    format!("{}:*", machine.replacen(":stateMachine:", ":execution:", 1))
}

fn table(t: &str) -> String {
    if t.starts_with("arn:") {
        t.to_string()
    } else {
        format!("arn:aws:dynamodb:*:*:table/{t}")
    }
}

fn bus(b: &str) -> String {
    if b.starts_with("arn:") {
        b.to_string()
    } else {
        format!("arn:aws:events:*:*:event-bus/{b}")
    }
}

/// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` → its ARN.
fn queue(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let account = parts.next()?;
    let name = parts.next()?;
    let region = host.strip_prefix("sqs.")?.split('.').next()?;
    Some(format!("arn:aws:sqs:{region}:{account}:{name}"))
}

/// An AWS SDK call: the service's IAM prefix and the operation, on what the parameters name.
fn sdk_call(doc: &Document, state: &State, call: &services::Call<'_>, p: &mut Policy) {
    let catalog = sdk::catalog();
    let Some(service) = catalog.service(call.service) else {
        return;
    };
    let op = service
        .operation(call.action)
        .map(|o| o.name.to_string())
        .unwrap_or_else(|| {
            let mut c = call.action.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        });
    let lit = |n: &str| literal(doc, state, n);
    let resource = match service.iam_prefix {
        "s3" => match (lit("Bucket"), lit("Key")) {
            (Some(b), Some(k)) => Some(format!("arn:aws:s3:::{b}/{k}")),
            (Some(b), None) if op.starts_with("List") || op.contains("Bucket") => {
                Some(format!("arn:aws:s3:::{b}"))
            }
            (Some(b), None) => Some(format!("arn:aws:s3:::{b}/*")),
            _ => None,
        },
        "dynamodb" => lit("TableName").map(table),
        "sqs" => lit("QueueUrl").and_then(queue),
        "sns" => lit("TopicArn").map(str::to_string),
        "lambda" => lit("FunctionName").map(|f| {
            if f.starts_with("arn:") {
                f.to_string()
            } else {
                format!("arn:aws:lambda:*:*:function:{f}")
            }
        }),
        "states" => lit("StateMachineArn").map(str::to_string),
        _ => None,
    };
    let resource = resource.unwrap_or_else(|| ANY.to_string());
    let (copy_from, actions) = iam_actions(service.iam_prefix, &op);
    for action in actions {
        let on = match (copy_from, lit("CopySource")) {
            // The object a copy reads is named by `CopySource` (`bucket/key`).
            (Some(a), Some(src)) if a == action => {
                format!("arn:aws:s3:::{}", src.trim_start_matches('/'))
            }
            (Some(a), None) if a == action => ANY.to_string(),
            _ => resource.clone(),
        };
        // An action AWS does not define means the operation needs another permission, which
        // is not known here: printed, not required of a role.
        let known = services::iam::is_action(service.iam_prefix, &action);
        p.add_as(
            &format!("{}:{action}", service.iam_prefix),
            on,
            state.name.as_ref(),
            (!known).then_some(
                "IAM defines no such action: the operation needs another, which is not known here",
            ),
        );
    }
}

/// The IAM actions an SDK operation needs, where AWS names them otherwise than the operation
/// (from each API reference's "Permissions" section); with the action that reads a copy's
/// source, whose resource is `CopySource`.
fn iam_actions(prefix: &str, op: &str) -> (Option<&'static str>, Vec<String>) {
    let renamed: &[&str] = match (prefix, op) {
        ("s3", "HeadObject" | "SelectObjectContent") => &["GetObject"],
        ("s3", "GetObjectAttributes") => &["GetObject", "GetObjectAttributes"],
        ("s3", "HeadBucket" | "ListObjects" | "ListObjectsV2") => &["ListBucket"],
        ("s3", "ListObjectVersions") => &["ListBucketVersions"],
        ("s3", "ListMultipartUploads") => &["ListBucketMultipartUploads"],
        ("s3", "ListParts") => &["ListMultipartUploadParts"],
        ("s3", "ListBuckets") => &["ListAllMyBuckets"],
        ("s3", "CreateMultipartUpload" | "UploadPart" | "CompleteMultipartUpload") => {
            &["PutObject"]
        }
        ("s3", "CopyObject" | "UploadPartCopy") => {
            return (
                Some("GetObject"),
                vec!["GetObject".into(), "PutObject".into()],
            );
        }
        ("s3", "DeleteObjects") => &["DeleteObject"],
        ("s3", "GetBucketLifecycleConfiguration") => &["GetLifecycleConfiguration"],
        ("s3", "PutBucketLifecycleConfiguration" | "DeleteBucketLifecycle") => {
            &["PutLifecycleConfiguration"]
        }
        ("s3", "GetBucketNotificationConfiguration") => &["GetBucketNotification"],
        ("s3", "PutBucketNotificationConfiguration") => &["PutBucketNotification"],
        ("s3", "GetBucketEncryption") => &["GetEncryptionConfiguration"],
        ("s3", "PutBucketEncryption" | "DeleteBucketEncryption") => &["PutEncryptionConfiguration"],
        ("lambda", "Invoke" | "InvokeAsync" | "InvokeWithResponseStream") => &["InvokeFunction"],
        ("bedrock", "Converse") => &["InvokeModel"],
        ("bedrock", "ConverseStream") => &["InvokeModelWithResponseStream"],
        _ => return (None, vec![op.to_string()]),
    };
    (None, renamed.iter().map(|a| a.to_string()).collect())
}

/// A Distributed Map: starting and following its child executions, reading its items from S3
/// and writing its results there.
fn distributed_map(doc: &Document, state: &State, p: &mut Policy) {
    let mode = doc
        .get(state.node, "ItemProcessor")
        .and_then(|i| doc.get(i, "ProcessorConfig"))
        .and_then(|c| doc.get(c, "Mode"))
        .and_then(|m| doc.as_str(m));
    if mode != Some("DISTRIBUTED") {
        return;
    }
    let name = state.name.as_ref();
    // The map starts executions of this very state machine, whose name the definition does not
    // hold: a placeholder to fill in (or substitute in the template).
    p.add("states:StartExecution", OWN_MACHINE, name);
    let why = Some("AWS lists it, but a Distributed Map runs its children without it");
    p.add_as("states:DescribeExecution", OWN_EXECUTIONS, name, why);
    p.add_as("states:StopExecution", OWN_EXECUTIONS, name, why);
    if let Some(reader) = doc.get(state.node, "ItemReader") {
        let resource = doc.get(reader, "Resource").and_then(|r| doc.as_str(r));
        let bucket = s3_arg(doc, reader, "Bucket");
        let key = s3_arg(doc, reader, "Key");
        match resource.and_then(services::parse).map(|c| c.action) {
            Some("listObjectsV2") => {
                p.add(
                    "s3:ListBucket",
                    bucket.map_or(ANY.to_string(), |b| format!("arn:aws:s3:::{b}")),
                    name,
                );
                p.add(
                    "s3:GetObject",
                    bucket.map_or(ANY.to_string(), |b| format!("arn:aws:s3:::{b}/*")),
                    name,
                );
            }
            Some("getObject") => p.add(
                "s3:GetObject",
                match (bucket, key) {
                    (Some(b), Some(k)) => format!("arn:aws:s3:::{b}/{k}"),
                    (Some(b), None) => format!("arn:aws:s3:::{b}/*"),
                    _ => ANY.to_string(),
                },
                name,
            ),
            _ => {}
        }
    }
    if let Some(writer) = doc.get(state.node, "ResultWriter") {
        let bucket = s3_arg(doc, writer, "Bucket");
        let prefix = s3_arg(doc, writer, "Prefix").unwrap_or("");
        let objects = bucket.map_or(ANY.to_string(), |b| format!("arn:aws:s3:::{b}/{prefix}*"));
        for a in [
            "s3:PutObject",
            "s3:GetObject",
            "s3:ListMultipartUploadParts",
            "s3:AbortMultipartUpload",
        ] {
            p.add(a, objects.clone(), name);
        }
    }
}

/// A literal of an ItemReader's or ResultWriter's `Parameters` (or `Arguments`).
fn s3_arg<'d>(doc: &'d Document, node: NodeId, name: &str) -> Option<&'d str> {
    let args = doc
        .get(node, "Parameters")
        .or_else(|| doc.get(node, "Arguments"))?;
    let v = doc.get(args, name)?;
    let s = doc.as_str(v)?;
    (!s.trim().starts_with("{%")).then_some(s)
}

/// The policy as a JSON document.
pub fn to_json(p: &Policy) -> String {
    let mut s = serde_json::to_string_pretty(&p.document()).unwrap_or_default();
    s.push('\n');
    s
}

/// The policy as YAML (as a CloudFormation `PolicyDocument` takes it).
pub fn to_yaml(p: &Policy) -> String {
    let d = p.document();
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut o = format!("Version: {}\nStatement:\n", q(d.version));
    for st in &d.statement {
        o.push_str(&format!("  - Effect: {}\n    Action:\n", st.effect));
        for a in &st.action {
            o.push_str(&format!("      - {}\n", q(a)));
        }
        o.push_str("    Resource:\n");
        for r in &st.resource {
            o.push_str(&format!("      - {}\n", q(r)));
        }
    }
    o
}

/// The policy as text: each action, its resources and the states that need it.
pub fn to_text(p: &Policy) -> String {
    let mut o = String::new();
    if p.needs.is_empty() {
        o.push_str("The state machine calls no AWS service: its role needs no permission.\n");
        return o;
    }
    for (action, need) in &p.needs {
        let resources: Vec<&str> = need.by_resource.keys().map(String::as_str).collect();
        o.push_str(&format!("{action}\n  on {}\n", resources.join(", ")));
        let states: BTreeSet<&str> = need
            .by_resource
            .values()
            .flatten()
            .map(String::as_str)
            .collect();
        if !states.is_empty() {
            let states: Vec<&str> = states.into_iter().collect();
            o.push_str(&format!("  for {}\n", states.join(", ")));
        }
        if need.optional {
            o.push_str(&format!("  not required of the role: {}\n", need.why));
        }
    }
    o
}
