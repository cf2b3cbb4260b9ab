//! SFN109: a Wait state without exactly one of Seconds, Timestamp, SecondsPath, TimestampPath.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN109",
    name: "invalid-wait-duration",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

const FIELDS: [&str; 4] = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in ctx.model.states.iter().filter(|s| s.ty == StateType::Wait) {
        let present: Vec<&str> = FIELDS
            .iter()
            .copied()
            .filter(|f| ctx.field(state, f).is_some())
            .collect();
        match present.as_slice() {
            [_] => {}
            [] => out.push(
                ctx.at_key(
                    &RULE,
                    state.node,
                    format!("Wait state `{}` does not say how long to wait", state.name),
                )
                .help("add one of `Seconds`, `Timestamp`, `SecondsPath` or `TimestampPath`"),
            ),
            [first, rest @ ..] => {
                let second = ctx.field(state, rest[0]).unwrap_or(state.node);
                let mut d = ctx
                    .at_key(&RULE, second, format!("Wait state `{}` sets both `{first}` and `{}`", state.name, rest[0]))
                    .help("keep exactly one of `Seconds`, `Timestamp`, `SecondsPath` and `TimestampPath`");
                if let Some(f) = ctx.field(state, first) {
                    d = d.label(
                        ctx.doc.key_span(f).unwrap_or_else(|| ctx.doc.span(f)),
                        format!("`{first}` is set here"),
                    );
                }
                d.pointer = ctx.doc.pointer(state.node);
                out.push(d);
            }
        }
    }
}
