//! SFN412: a state whose output can pass the 256 KiB payload quota: a service call that returns
//! unbounded data kept whole, or a Distributed Map returning every result inline.

use super::task_resource;
use crate::asl::graph::Edge;
use crate::asl::{QueryLanguage, StateId, StateType};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use petgraph::visit::EdgeRef;

declare_rule!(RULE {
    code: "SFN412",
    name: "payload-size-risk",
    category: Resilience,
    severity: Warning,
    fix: None,
    check: Some(check)
});

/// Service actions whose result size depends on the data, not on the request.
fn unbounded(action: &str) -> Option<&'static str> {
    let a = action
        .strip_prefix("aws-sdk:")
        .unwrap_or(action)
        .to_ascii_lowercase();
    Some(match a.as_str() {
        "s3:getobject" => "an S3 object's body",
        "athena:getqueryresults" => "an Athena result page",
        "dynamodb:scan" | "dynamodb:query" => "a page of DynamoDB items",
        "http:invoke" => "an HTTP response",
        "bedrock:invokemodel" => "a model response",
        "glue:getjobruns" | "s3:listobjectsv2" => "a listing",
        _ => return None,
    })
}

/// Request fields that bound a response's size: a page size, an item limit, a byte range, a
/// model's token limit.
const BOUNDS: &[&str] = &[
    "MaxResults",
    "Limit",
    "MaxItems",
    "MaxKeys",
    "PageSize",
    "Range",
    "max_tokens",
    "maxTokens",
    "max_tokens_to_sample",
    "maxTokenCount",
    "max_gen_len",
    "max_new_tokens",
];

/// True when the call's request sets a bound on the response (`MaxResults`, `Limit`, a
/// model's `max_tokens`, …), in `Parameters`/`Arguments` or in a JSON body written as a string.
fn bounded_by_request(ctx: &Ctx<'_>, state: &crate::asl::State) -> bool {
    let doc = ctx.doc;
    let mut stack: Vec<crate::syntax::NodeId> = ["Parameters", "Arguments"]
        .iter()
        .filter_map(|k| ctx.field(state, k))
        .collect();
    while let Some(n) = stack.pop() {
        match doc.kind(n) {
            crate::syntax::NodeKind::Object(members) => {
                for m in members {
                    let key = doc.key(m);
                    if BOUNDS.contains(&key.strip_suffix(".$").unwrap_or(key)) {
                        return true;
                    }
                    stack.push(m.value);
                }
            }
            crate::syntax::NodeKind::Array(items) => stack.extend(items.iter().copied()),
            crate::syntax::NodeKind::String(t) => {
                let t = doc.text(*t);
                if t.len() < 65_536
                    && BOUNDS[6..]
                        .iter()
                        .any(|b| crate::source::contains(t, &format!("\"{b}\"")))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// True when the state trims its result before it becomes the output.
fn trims(ctx: &Ctx<'_>, state: &crate::asl::State) -> bool {
    let null = |k: &str| {
        ctx.field(state, k)
            .is_some_and(|n| matches!(ctx.doc.kind(n), crate::syntax::NodeKind::Null))
    };
    match state.query_language {
        QueryLanguage::JsonPath => {
            ctx.field(state, "ResultSelector").is_some()
                || null("ResultPath")
                || ctx.field(state, "OutputPath").is_some()
        }
        QueryLanguage::Jsonata => ctx.field(state, "Output").is_some(),
    }
}

/// The states that carry the output on (following `Next`), until one trims it.
fn carried_by(ctx: &Ctx<'_>, from: StateId) -> Vec<StateId> {
    let sg = ctx.graph.scope(ctx.model.state(from).scope);
    let mut out = Vec::new();
    let mut cur = from;
    while out.len() < 4 {
        let n = ctx.graph.index[cur.0 as usize];
        let Some(next) = sg
            .graph
            .edges(n)
            .find(|e| *e.weight() == Edge::Next)
            .map(|e| sg.graph[e.target()])
        else {
            break;
        };
        if out.contains(&next) || next == from {
            break;
        }
        let st = ctx.model.state(next);
        if trims(ctx, st)
            || matches!(
                st.ty,
                StateType::Succeed | StateType::Fail | StateType::Choice
            )
        {
            break;
        }
        out.push(next);
        cur = next;
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        let what = match state.ty {
            StateType::Task => task_resource(ctx, state).and_then(|r| r.action.and_then(unbounded)),
            StateType::Map
                if ctx.distributed(state).is_some()
                    && ctx.field(state, "ResultWriter").is_none() =>
            {
                Some("the results of every item (a Distributed Map without ResultWriter)")
            }
            _ => None,
        };
        let Some(what) = what else { continue };
        if trims(ctx, state) || (state.ty == StateType::Task && bounded_by_request(ctx, state)) {
            continue;
        }
        let mut d = ctx.at_key(
            &RULE,
            state.node,
            format!(
                "`{}` keeps {what} whole in its output, which can pass the 256 KiB payload quota",
                state.name
            ),
        );
        let chain = carried_by(ctx, state.id);
        for s in &chain {
            d = d.label(
                ctx.state_name_span(ctx.model.state(*s)),
                "carries the payload on",
            );
        }
        let help = if state.ty == StateType::Map {
            "add a `ResultWriter` to write results to S3, or a `ResultSelector` / `\"ResultPath\": null` if the results are not needed"
        } else if state.query_language == QueryLanguage::Jsonata {
            "select what you need in `Output` (e.g. `{% $states.result.Body.items[0] %}`), or write the data to S3 and pass its key"
        } else {
            "select what you need with `ResultSelector`, drop the result with `\"ResultPath\": null`, or write the data to S3 and pass its key"
        };
        out.push(
            d.help(help)
                .note("a state input or output over 256 KiB fails the execution with `States.DataLimitExceeded`, which `States.ALL` does not catch"),
        );
    }
}
