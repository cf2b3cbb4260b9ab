//! Whether the role a CloudFormation/SAM template gives a state machine allows what its
//! definition calls. The role is read only when it is statically known: SAM `Policies` (inline
//! statements and SAM policy templates, expanded from `data/sam-policy-templates.json`), or an
//! `AWS::IAM::Role` of the same template with its inline policies and the `AWS::IAM::Policy`,
//! `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy` resources of the template attached to
//! it. A role imported or built from parameters, a managed policy, SAM connectors, `NotAction`
//! or `NotResource` make it unknown, and then nothing is said. A resource a statement builds
//! with an intrinsic function matches any resource; so does a region, account or
//! placeholder: a permission is reported missing only when no statement could grant it.

use std::sync::OnceLock;

use crate::policy::Policy;
use crate::source::Span;
use crate::syntax::{Document, NodeId, NodeKind};
use crate::template::intrinsic;

/// One `Allow` statement: action patterns, and resource patterns (`None`: built at deploy
/// time, so it may be anything).
#[derive(Clone, Debug)]
pub struct Grant {
    /// In lower case (IAM action names are case-insensitive), compared as such.
    pub actions: Vec<String>,
    pub resources: Vec<Option<String>>,
}

/// A state machine's role, as far as the template shows it.
#[derive(Clone, Debug)]
pub struct Role {
    pub grants: Vec<Grant>,
    /// Where the role is given (the `Policies`, `Role` or `RoleArn` value; the resource when
    /// SAM makes a role with no policy).
    pub span: Span,
    pub what: String,
    /// Services whose resources the template gives a resource-based policy (a Lambda
    /// permission, a topic, queue, bucket or event bus policy), which may allow the call
    /// without the role: their actions are not reported.
    pub resource_policies: Vec<&'static str>,
    /// Where a statement can be added to the role (the end of SAM `Policies`), for the fix.
    pub append: Option<Append>,
}

/// The end of a list of policies, and how to write one more item there.
#[derive(Clone, Debug)]
pub struct Append {
    pub at: u32,
    /// The indentation of a YAML block list's `- `; `None` in JSON.
    pub yaml_indent: Option<String>,
}

impl Append {
    /// The text that adds a statement allowing `actions` on `resources`.
    pub fn statement(&self, actions: &[&str], resources: &[&str]) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        match &self.yaml_indent {
            Some(i) => {
                let mut o =
                    format!("\n{i}- Statement:\n{i}    - Effect: Allow\n{i}      Action:\n");
                for a in actions {
                    o.push_str(&format!("{i}        - {}\n", q(a)));
                }
                o.push_str(&format!("{i}      Resource:\n"));
                for r in resources {
                    o.push_str(&format!("{i}        - {}\n", q(r)));
                }
                o.pop();
                o
            }
            None => format!(
                ", {}",
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]})
            ),
        }
    }
}

/// The end of the last item of a SAM `Policies` list written as a block (YAML) or an array
/// (JSON), and its indentation.
fn append_point(doc: &Document, text: &str, list: NodeId) -> Option<Append> {
    let NodeKind::Array(items) = doc.kind(list) else {
        return None;
    };
    let last = *items.last()?;
    let first = doc.span(items[0]).start as usize;
    let line_start = text.get(..first)?.rfind('\n').map_or(0, |i| i + 1);
    let lead = text.get(line_start..first)?;
    let at = doc.span(last).end;
    if text.get(doc.span(list).start as usize..)?.starts_with('[') {
        // A JSON array (or a YAML flow list, which takes the same JSON text).
        return Some(Append {
            at,
            yaml_indent: None,
        });
    }
    let indent = lead.strip_suffix("- ")?;
    indent.chars().all(|c| c == ' ').then(|| Append {
        at,
        yaml_indent: Some(indent.to_string()),
    })
}

/// The services a template writes resource-based policies for.
fn resource_policies(doc: &Document, resources: NodeId) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = doc
        .members(resources)
        .iter()
        .filter_map(
            |m| match doc.get(m.value, "Type").and_then(|t| doc.as_str(t))? {
                "AWS::Lambda::Permission" => Some("lambda"),
                "AWS::SNS::TopicPolicy" | "AWS::SNS::TopicInlinePolicy" => Some("sns"),
                "AWS::SQS::QueuePolicy" | "AWS::SQS::QueueInlinePolicy" => Some("sqs"),
                "AWS::S3::BucketPolicy" => Some("s3"),
                "AWS::Events::EventBusPolicy" => Some("events"),
                _ => None,
            },
        )
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The role of state machine `name` in a CloudFormation/SAM template, when every part of it
/// is known.
pub fn role_of(doc: &Document, text: &str, name: &str) -> Option<Role> {
    let mut role = role_as_written(doc, name)?;
    role.append = doc
        .get(doc.root?, "Resources")
        .and_then(|r| doc.get(r, name))
        .and_then(|m| doc.get(m, "Properties"))
        .and_then(|p| doc.get(p, "Policies"))
        .filter(|_| role.what.starts_with("the `Policies`"))
        .and_then(|list| append_point(doc, text, list));
    role.resource_policies = resource_policies(doc, doc.get(doc.root?, "Resources")?);
    Some(role)
}

fn role_as_written(doc: &Document, name: &str) -> Option<Role> {
    let resources = doc.get(doc.root?, "Resources")?;
    let machine = doc.get(resources, name)?;
    let ty = doc.get(machine, "Type").and_then(|t| doc.as_str(t))?;
    let props = doc.get(machine, "Properties")?;
    // Connectors (a resource attribute, or `AWS::Serverless::Connector` resources) add
    // permissions the template does not spell out.
    if doc.get(machine, "Connectors").is_some()
        || doc.get(props, "Connectors").is_some()
        || has_connector_to(doc, resources, name)
    {
        return None;
    }
    match ty {
        "AWS::Serverless::StateMachine" => {
            if let Some(role) = doc.get(props, "Role") {
                return iam_role(doc, resources, role);
            }
            match doc.get(props, "Policies") {
                None => Some(Role {
                    grants: Vec::new(),
                    span: doc.key_span(props).unwrap_or(doc.span(machine)),
                    what: format!(
                        "`{name}` has no `Policies`, so SAM gives it a role without permissions"
                    ),
                    resource_policies: Vec::new(),
                    append: None,
                }),
                Some(p) => Some(Role {
                    grants: sam_policies(doc, p)?,
                    span: doc.key_span(p).unwrap_or(doc.span(p)),
                    what: format!("the `Policies` of `{name}`"),
                    resource_policies: Vec::new(),
                    append: None,
                }),
            }
        }
        "AWS::StepFunctions::StateMachine" => iam_role(doc, resources, doc.get(props, "RoleArn")?),
        _ => None,
    }
}

/// The role of a Terraform state machine (`aws_sfn_state_machine.NAME`), when every policy
/// attached to it is in the file (see `template::terraform::role_policies`).
pub fn terraform_role(text: &str, address: &str) -> Option<Role> {
    let found = crate::template::terraform::role_policies(text, address)?;
    let span = found.span;
    let mut grants = Vec::new();
    for json in found.policies {
        let doc = crate::syntax::parse(&json, crate::syntax::Format::Json).ok()?;
        grants.extend(statements(&doc, doc.root?)?);
    }
    for arn in &found.managed {
        grants.extend(aws_managed(&stars(arn))?);
    }
    let mut resource_policies: Vec<&'static str> = [
        ("aws_lambda_permission", "lambda"),
        ("aws_sns_topic_policy", "sns"),
        ("aws_sqs_queue_policy", "sqs"),
        ("aws_s3_bucket_policy", "s3"),
        ("aws_cloudwatch_event_bus_policy", "events"),
    ]
    .into_iter()
    .filter(|(ty, _)| text.contains(&format!("\"{ty}\"")))
    .map(|(_, service)| service)
    .collect();
    resource_policies.dedup();
    Some(Role {
        grants,
        span,
        what: "the policies of the state machine's `aws_iam_role`".into(),
        resource_policies,
        append: None,
    })
}

/// An `AWS::Serverless::Connector` whose source is the state machine.
fn has_connector_to(doc: &Document, resources: NodeId, name: &str) -> bool {
    doc.members(resources).iter().any(|m| {
        doc.get(m.value, "Type").and_then(|t| doc.as_str(t)) == Some("AWS::Serverless::Connector")
            && doc
                .get(m.value, "Properties")
                .and_then(|p| doc.get(p, "Source"))
                .and_then(|s| doc.get(s, "Id"))
                .and_then(|i| doc.as_str(i))
                == Some(name)
    })
}

/// The logical id a `!GetAtt Role.Arn` (or `${Role.Arn}`, `!Ref`) value names.
fn logical_id(doc: &Document, value: NodeId) -> Option<String> {
    let (f, arg) = intrinsic(doc, value)?;
    let arg = arg?;
    match f.as_str() {
        "Fn::GetAtt" => match doc.kind(arg) {
            NodeKind::Array(items) => items
                .first()
                .and_then(|i| doc.as_str(*i))
                .map(str::to_string),
            NodeKind::String(_) => doc.as_str(arg)?.split('.').next().map(str::to_string),
            _ => None,
        },
        "Ref" => doc.as_str(arg).map(str::to_string),
        "Fn::Sub" => {
            let s = doc.as_str(arg)?.trim();
            let inner = s.strip_prefix("${")?.strip_suffix('}')?;
            inner.strip_suffix(".Arn").map(str::to_string)
        }
        _ => None,
    }
}

/// An `AWS::IAM::Role` of the template and the policies attached to it there.
fn iam_role(doc: &Document, resources: NodeId, value: NodeId) -> Option<Role> {
    let id = logical_id(doc, value)?;
    let role = doc.get(resources, &id)?;
    if doc.get(role, "Type").and_then(|t| doc.as_str(t)) != Some("AWS::IAM::Role") {
        return None;
    }
    let props = doc.get(role, "Properties")?;
    let mut grants = Vec::new();
    // A managed policy is one of AWS's (read from the data) or one of the template's (read
    // below); any other is not known.
    for arn in doc
        .get(props, "ManagedPolicyArns")
        .map(|a| doc.items(a).to_vec())
        .unwrap_or_default()
    {
        if let Some(policy) = policy_arn(doc, arn).as_deref().and_then(aws_managed) {
            grants.extend(policy);
            continue;
        }
        let (f, arg) = intrinsic(doc, arn)?;
        let target = doc.as_str(arg?)?;
        let attached = doc.get(resources, target)?;
        if f != "Ref"
            || doc.get(attached, "Type").and_then(|t| doc.as_str(t))
                != Some("AWS::IAM::ManagedPolicy")
        {
            return None;
        }
    }
    for p in doc
        .get(props, "Policies")
        .map(|a| doc.items(a).to_vec())
        .unwrap_or_default()
    {
        grants.extend(statements(doc, doc.get(p, "PolicyDocument")?)?);
    }
    // Policies of the template that name the role.
    for m in doc.members(resources) {
        let ty = doc.get(m.value, "Type").and_then(|t| doc.as_str(t));
        let Some(p) = doc.get(m.value, "Properties") else {
            continue;
        };
        let names_role = |n: Option<NodeId>| {
            n.is_some_and(|n| logical_id(doc, n).as_deref() == Some(id.as_str()))
        };
        let attached = match ty {
            Some("AWS::IAM::Policy") | Some("AWS::IAM::ManagedPolicy") => doc
                .get(p, "Roles")
                .is_some_and(|r| doc.items(r).iter().any(|n| names_role(Some(*n)))),
            Some("AWS::IAM::RolePolicy") => names_role(doc.get(p, "RoleName")),
            _ => false,
        };
        // A managed policy the role lists by `!Ref` is attached too.
        let listed = ty == Some("AWS::IAM::ManagedPolicy")
            && doc.get(props, "ManagedPolicyArns").is_some_and(|a| {
                doc.items(a)
                    .iter()
                    .any(|n| logical_id(doc, *n).as_deref() == Some(doc.key(m)))
            });
        if attached || listed {
            grants.extend(statements(doc, doc.get(p, "PolicyDocument")?)?);
        }
    }
    Some(Role {
        grants,
        span: doc.span(value),
        what: format!("the policies of role `{id}`"),
        resource_policies: Vec::new(),
        append: None,
    })
}

/// SAM `Policies`: a list (or one) of inline documents, policy templates and managed policies
/// (a name or an ARN); a managed policy that is not one of AWS's makes the role unknown.
fn sam_policies(doc: &Document, node: NodeId) -> Option<Vec<Grant>> {
    let items = match doc.kind(node) {
        NodeKind::Array(items) => items.clone(),
        _ => vec![node],
    };
    let mut grants = Vec::new();
    for item in items {
        if doc.as_str(item).is_some() || intrinsic(doc, item).is_some() {
            grants.extend(aws_managed(&policy_arn(doc, item)?)?);
            continue;
        }
        let NodeKind::Object(members) = doc.kind(item) else {
            return None;
        };
        if doc.get(item, "Statement").is_some() {
            grants.extend(statements(doc, item)?);
            continue;
        }
        let [m] = members.as_slice() else {
            return None;
        };
        grants.extend(sam_template(doc, doc.key(m), m.value)?);
    }
    Some(grants)
}

#[derive(serde::Deserialize)]
struct Templates {
    source: String,
    templates: std::collections::BTreeMap<String, Template>,
}

#[derive(serde::Deserialize)]
struct Template {
    parameters: Vec<String>,
    statements: Vec<TemplateStatement>,
}

#[derive(serde::Deserialize)]
struct TemplateStatement {
    actions: Vec<String>,
    resources: Vec<String>,
}

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| {
        // Generated by scripts/gen-sam-policies.py and checked by the `sam_templates_load`
        // test: failing here is a build defect.
        serde_json::from_str(include_str!("../data/sam-policy-templates.json"))
            .expect("data/sam-policy-templates.json is valid")
    })
}

const MANAGED: crate::packed::Packed = crate::packed::Packed {
    index: include_str!(concat!(env!("OUT_DIR"), "/aws-managed-policies.index")),
    blocks: include_bytes!(concat!(env!("OUT_DIR"), "/aws-managed-policies.blocks")),
};

/// AWS's managed policies by name: path, whether they can be read as grants, and the place of
/// their statements (`data/aws-managed-policies.txt`, generated by
/// `scripts/gen-aws-managed-policies.py`).
struct Managed {
    source: &'static str,
    policies: rustc_hash::FxHashMap<&'static str, ManagedPolicy>,
}

struct ManagedPolicy {
    path: &'static str,
    /// Whether it can be read as grants (no `NotAction`/`NotResource`).
    readable: bool,
    block: crate::packed::Block,
    /// Its statements, inflated once a process (a language server reads them on every edit).
    grants: OnceLock<Vec<Grant>>,
}

fn managed() -> &'static Managed {
    static M: OnceLock<Managed> = OnceLock::new();
    M.get_or_init(|| Managed {
        source: MANAGED.source(),
        policies: MANAGED
            .records("P\t")
            .map(|(head, block)| {
                let mut f = head.split('\t');
                let name = f.next().unwrap_or_default();
                let path = f.next().unwrap_or("/");
                let policy = ManagedPolicy {
                    path,
                    readable: f.next() != Some("?"),
                    block,
                    grants: OnceLock::new(),
                };
                (name, policy)
            })
            .collect(),
    })
}

/// Where the AWS managed policies come from.
pub fn managed_policies_source() -> &'static str {
    managed().source
}

/// What an attached managed policy grants, when it is one of AWS's (`reference` is its ARN, or
/// its bare name as SAM `Policies` takes it); `None`, and so an unknown role, for any other
/// policy, one the data lacks, or one that cannot be read as grants (`NotAction`).
pub fn aws_managed(reference: &str) -> Option<Vec<Grant>> {
    let (path, name) = match reference.split_once(":iam::aws:policy/") {
        // `arn:aws:…`, `arn:aws-cn:…`, or a partition filled in at deploy time (`arn:*:…`).
        Some((head, rest)) if head.starts_with("arn:") && !head[4..].contains(':') => {
            match rest.rsplit_once('/') {
                Some((p, n)) => (Some(format!("/{p}/")), n),
                None => (Some("/".to_string()), rest),
            }
        }
        Some(_) => return None,
        None if reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) =>
        {
            (None, reference)
        }
        None => return None,
    };
    let policy = managed().policies.get(name)?;
    if !policy.readable || path.is_some_and(|p| p != policy.path) {
        return None;
    }
    let grants = policy.grants.get_or_init(|| {
        MANAGED
            .body(policy.block)
            .lines()
            .filter_map(|line| {
                let (actions, resources) = line.strip_prefix("A\t")?.split_once('\t')?;
                Some(Grant {
                    actions: actions.split(',').map(str::to_string).collect(),
                    // An IAM policy variable (`${aws:username}`) may be anything.
                    resources: resources
                        .split(' ')
                        .filter(|r| !r.is_empty())
                        .map(|r| (!r.contains("${")).then(|| r.to_string()))
                        .collect(),
                })
            })
            .collect()
    });
    Some(grants.clone())
}

/// Where the SAM policy templates come from.
pub fn sam_templates_source() -> &'static str {
    &templates().source
}

/// A SAM policy template, its parameters filled in (a value that is not a literal is `*`).
fn sam_template(doc: &Document, name: &str, params: NodeId) -> Option<Vec<Grant>> {
    let t = templates().templates.get(name)?;
    let mut out = Vec::new();
    for st in &t.statements {
        let resources = st
            .resources
            .iter()
            .map(|r| {
                let mut r = r.clone();
                for p in &t.parameters {
                    // A literal; anything a function makes (`!Ref Table`) may be any name.
                    let value = doc
                        .get(params, p)
                        .filter(|v| intrinsic(doc, *v).is_none())
                        .and_then(|v| doc.as_str(v))
                        .unwrap_or("*");
                    r = r.replace(&format!("${{{p}}}"), value);
                }
                Some(r)
            })
            .collect();
        out.push(Grant {
            actions: st.actions.iter().map(|a| a.to_ascii_lowercase()).collect(),
            resources,
        });
    }
    Some(out)
}

/// The `Allow` statements of a policy document; `None` when one cannot be read statically
/// (`NotAction`, `NotResource`, a statement list built by a function).
fn statements(doc: &Document, policy: NodeId) -> Option<Vec<Grant>> {
    let list = doc.get(policy, "Statement")?;
    let items = match doc.kind(list) {
        NodeKind::Array(items) => items.clone(),
        NodeKind::Object(_) => vec![list],
        _ => return None,
    };
    let mut out = Vec::new();
    for st in items {
        if !matches!(doc.kind(st), NodeKind::Object(_)) {
            return None;
        }
        if doc.get(st, "NotAction").is_some() || doc.get(st, "NotResource").is_some() {
            return None;
        }
        if doc.get(st, "Effect").and_then(|e| doc.as_str(e)) != Some("Allow") {
            // A Deny only takes away; leaving it out can only hide a finding.
            continue;
        }
        let strings = |key: &str| -> Vec<Option<String>> {
            match doc.get(st, key) {
                None => Vec::new(),
                // `!GetAtt [Role, Arn]` is a list in YAML, and one value.
                Some(n) if intrinsic(doc, n).is_some() => vec![pattern(doc, n)],
                Some(n) => match doc.kind(n) {
                    NodeKind::Array(items) => items.iter().map(|i| pattern(doc, *i)).collect(),
                    _ => vec![pattern(doc, n)],
                },
            }
        };
        let actions: Vec<String> = strings("Action")
            .into_iter()
            .map(|a| a.map_or_else(|| "*".into(), |a| a.to_ascii_lowercase()))
            .collect();
        out.push(Grant {
            actions,
            resources: strings("Resource"),
        });
    }
    Some(out)
}

/// A managed policy's ARN as [`pattern`] reads it, or a `!Join` with each part a function
/// makes as `*` (`!Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/…"]]`, as the CDK
/// writes it).
fn policy_arn(doc: &Document, n: NodeId) -> Option<String> {
    if let Some(p) = pattern(doc, n) {
        return Some(p);
    }
    let (f, arg) = intrinsic(doc, n)?;
    if f != "Fn::Join" {
        return None;
    }
    let NodeKind::Array(args) = doc.kind(arg?) else {
        return None;
    };
    let [sep, parts] = args.as_slice() else {
        return None;
    };
    let NodeKind::Array(parts) = doc.kind(*parts) else {
        return None;
    };
    let parts: Vec<String> = parts
        .iter()
        .map(|p| pattern(doc, *p).unwrap_or_else(|| "*".to_string()))
        .collect();
    Some(parts.join(doc.as_str(*sep)?))
}

/// A string, or a `!Sub` with its `${…}` as `*`; `None` for any other function.
fn pattern(doc: &Document, n: NodeId) -> Option<String> {
    if let Some(s) = doc.as_str(n)
        && intrinsic(doc, n).is_none()
    {
        // A value Terraform interpolates (`${!…}`, possibly nested) or an IAM policy variable
        // may be anything.
        return (!s.contains("${")).then(|| s.to_string());
    }
    let (f, arg) = intrinsic(doc, n)?;
    let arg = arg?;
    if f != "Fn::Sub" {
        return None;
    }
    let text = match doc.kind(arg) {
        NodeKind::Array(items) => doc.as_str(*items.first()?)?,
        _ => doc.as_str(arg)?,
    };
    Some(stars(text))
}

/// Pattern-matching steps [`missing`] may take for one state machine (a few milliseconds).
pub const WORK_BUDGET: usize = 20_000_000;

/// In a needed resource, a placeholder: it may stand for a whole ARN.
const ANY: u8 = 1;

/// `${…}` placeholders as `*`.
fn stars(s: &str) -> String {
    replace_placeholders(s, '*')
}

fn replace_placeholders(s: &str, by: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => {
                out.push(by);
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a granted pattern `a` (IAM's `*`: any run of characters) and a needed resource `b`
/// can name the same string. A `*` in `b` is a part the definition leaves open (a region, an
/// account, a placeholder): one ARN segment, never a `:` or a `/`. Quadratic in two short ARNs.
pub fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let w = b.len() + 1;
    // can[i * w + j]: a[i..] and b[j..] can match a common string.
    let mut can = vec![false; (a.len() + 1) * w];
    can[a.len() * w + b.len()] = true;
    for i in (0..=a.len()).rev() {
        for j in (0..=b.len()).rev() {
            if i == a.len() && j == b.len() {
                continue;
            }
            let at = |i: usize, j: usize| can[i * w + j];
            let sa = i < a.len() && a[i] == b'*';
            // In `b`: `*` one segment, ANY (a placeholder) any run.
            let sb = j < b.len() && (b[j] == b'*' || b[j] == ANY);
            let segment = |c: u8| b[j] == ANY || (c != b':' && c != b'/');
            let v = (sa && (at(i + 1, j) || (j < b.len() && at(i, j + 1))))
                || (sb && (at(i, j + 1) || (i < a.len() && segment(a[i]) && at(i + 1, j))))
                || (i < a.len() && j < b.len() && !sa && !sb && a[i] == b[j] && at(i + 1, j + 1));
            can[i * w + j] = v;
        }
    }
    can[0]
}

/// The needs of `policy` no grant of `role` can meet: (action, resource, states). X-Ray and
/// CloudWatch Logs delivery are left out (SAM adds them with tracing and logging).
pub struct Missing {
    pub needs: Vec<(String, String, Vec<String>)>,
    /// The work budget ran out before every need was checked.
    pub incomplete: bool,
}

pub fn missing(policy: &Policy, role: &Role) -> Missing {
    let mut out = Missing {
        needs: Vec::new(),
        incomplete: false,
    };
    // Pattern matching is quadratic in two ARNs' lengths and runs for needs × grants: past
    // this many steps the rest is not checked (no finding, never a wrong one).
    let mut budget: usize = WORK_BUDGET;
    let mut fits = |a: &str, b: &str| {
        let cost = (a.len() + 1) * (b.len() + 1);
        budget = budget.checked_sub(cost)?;
        Some(overlap(a, b))
    };
    for (action, need) in &policy.needs {
        let prefix = action.split(':').next().unwrap_or_default();
        if prefix == "xray"
            || prefix == "logs"
            || need.optional
            || role.resource_policies.contains(&prefix)
        {
            continue;
        }
        let lower = action.to_ascii_lowercase();
        // The grants for this action, found once for all its resources.
        let mut grants = Vec::new();
        for g in &role.grants {
            let mut any = false;
            for a in &g.actions {
                let Some(hit) = fits(a, &lower) else {
                    out.incomplete = true;
                    return out;
                };
                if hit {
                    any = true;
                    break;
                }
            }
            if any {
                grants.push(g);
            }
        }
        for (resource, states) in &need.by_resource {
            // A resource known only at run time may be whichever one a grant names.
            let wanted = if resource == "*" {
                (ANY as char).to_string()
            } else {
                replace_placeholders(resource, ANY as char)
            };
            let mut granted = false;
            'grants: for g in &grants {
                for r in &g.resources {
                    let hit = match r {
                        None => true,
                        Some(r) => match fits(r, &wanted) {
                            Some(hit) => hit,
                            None => {
                                out.incomplete = true;
                                return out;
                            }
                        },
                    };
                    if hit {
                        granted = true;
                        break 'grants;
                    }
                }
            }
            if !granted {
                out.needs.push((
                    action.clone(),
                    resource.clone(),
                    states.iter().cloned().collect(),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_overlap_when_a_string_fits_both() {
        assert!(overlap(
            "arn:aws:dynamodb:*:*:table/orders",
            "arn:*:dynamodb:us-east-1:1:table/orders"
        ));
        assert!(overlap("dynamodb:*", "dynamodb:putitem"));
        assert!(overlap("*", "anything"));
        assert!(!overlap(
            "arn:aws:dynamodb:*:*:table/orders",
            "arn:aws:dynamodb:*:*:table/users"
        ));
        assert!(!overlap("dynamodb:getitem", "dynamodb:putitem"));
        assert!(overlap("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
        // An open region in the need is one segment: it cannot swallow a table's name.
        assert!(!overlap(
            "arn:*:dynamodb:*:*:table/users/index/*",
            "arn:aws:dynamodb:*:*:table/orders"
        ));
        assert_eq!(stars("arn:${AWS::Partition}:sqs:${R}:q"), "arn:*:sqs:*:q");
        // A placeholder may be a whole ARN.
        let topic = replace_placeholders("${Topic}", ANY as char);
        assert!(overlap("arn:aws:sns:us-east-1:1:topic", &topic));
        assert!(!overlap("arn:aws:sns:us-east-1:1:topic", "*"));
    }

    #[test]
    fn sam_templates_load() {
        assert!(sam_templates_source().contains("aws-sam-translator"));
        let t = &templates().templates["DynamoDBCrudPolicy"];
        assert_eq!(t.parameters, ["TableName"]);
        assert!(
            t.statements[0]
                .actions
                .iter()
                .any(|a| a == "dynamodb:PutItem")
        );
    }

    #[test]
    fn aws_managed_policies_load() {
        assert!(managed_policies_source().contains("moto"));
        let m = managed();
        assert!(m.policies.len() > 1000, "{}", m.policies.len());
        // Every readable policy's record inflates into grants.
        for (name, policy) in &m.policies {
            if policy.readable {
                assert!(aws_managed(name).is_some(), "{name}");
            }
        }
        let role = aws_managed("arn:aws:iam::aws:policy/service-role/AWSLambdaRole").unwrap();
        assert_eq!(role[0].actions, ["lambda:invokefunction"]);
        assert_eq!(role[0].resources, [Some("*".to_string())]);
        assert!(aws_managed("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaRole").is_some());
        assert!(aws_managed("arn:*:iam::aws:policy/service-role/AWSLambdaRole").is_some());
        // The wrong path, a customer's policy, an unreadable one, or not a policy at all.
        assert!(aws_managed("arn:aws:iam::aws:policy/AWSLambdaRole").is_none());
        assert!(aws_managed("arn:aws:iam::123456789012:policy/AWSLambdaRole").is_none());
        assert!(aws_managed("PowerUserAccess").is_none());
        assert!(aws_managed("arn:aws:s3:::bucket/x").is_none());
    }
}
