//! SFN121: two fields that AWS accepts one at a time set together (`TimeoutSeconds` and
//! `TimeoutSecondsPath`, `Iterator` and `ItemProcessor`, …).

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::syntax::NodeId;

declare_rule!(RULE {
    code: "SFN121",
    name: "mutually-exclusive-fields",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// Pairs of a state's fields of which at most one may be set.
const STATE_PAIRS: &[(&str, &str)] = &[
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    (
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ),
    ("ItemProcessor", "Iterator"),
    ("ItemSelector", "Parameters"),
];

/// The same inside a Map's `ItemBatcher`.
const BATCHER_PAIRS: &[(&str, &str)] = &[
    ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
    ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
];

/// The same inside a Map's `ItemReader.ReaderConfig`.
const READER_PAIRS: &[(&str, &str)] = &[("MaxItems", "MaxItemsPath")];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        // Every pair has a member that ends in `Path`, or is a Map's `Iterator` or `Parameters`:
        // most states have none but `InputPath`/`OutputPath`/`ResultPath`, and skip the lookups.
        let map = state.ty == crate::asl::StateType::Map;
        let may = ctx.doc.members(state.node).iter().any(|m| {
            let k = ctx.doc.key(m);
            (k.ends_with("Path")
                && !matches!(k, "InputPath" | "OutputPath" | "ResultPath" | "ItemsPath"))
                || (map && matches!(k, "Iterator" | "Parameters"))
        });
        if may {
            pairs(ctx, out, state.node, STATE_PAIRS);
        }
        if !map {
            continue;
        }
        if let Some(b) = ctx.doc.get(state.node, "ItemBatcher") {
            pairs(ctx, out, b, BATCHER_PAIRS);
        }
        if let Some(c) = ctx
            .doc
            .get(state.node, "ItemReader")
            .and_then(|r| ctx.doc.get(r, "ReaderConfig"))
        {
            pairs(ctx, out, c, READER_PAIRS);
        }
    }
}

/// Reports each pair both set in `object`, at the one written second.
fn pairs(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, object: NodeId, list: &[(&str, &str)]) {
    let doc = ctx.doc;
    for &(a, b) in list {
        let (Some(na), Some(nb)) = (doc.get(object, a), doc.get(object, b)) else {
            continue;
        };
        let (first, (second, second_node)) = if doc.span(na).start < doc.span(nb).start {
            (na, (b, nb))
        } else {
            (nb, (a, na))
        };
        let other = if second == a { b } else { a };
        let mut d = ctx
            .at_key(
                &RULE,
                second_node,
                format!("`{a}` and `{b}` cannot both be set"),
            )
            .help(format!(
                "keep one: remove `{second}` or `{other}`"
            ))
            .note(if b.ends_with("Path") {
                "AWS rejects a definition that sets both: one gives the value, the other reads it from the input"
            } else {
                "AWS rejects a definition that sets both: the second is the older name of the first"
            });
        if let Some(span) = doc.key_span(first) {
            d = d.label(span, "also set here");
        }
        out.push(d);
    }
}
