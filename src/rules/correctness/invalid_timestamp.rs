//! SFN110: a Wait `Timestamp` that is not an RFC 3339 timestamp AWS accepts.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN110",
    name: "invalid-timestamp",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// Checks `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` with an uppercase `T` and `Z`.
pub fn is_valid_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if d == 0 || d > days || h > 23 || mi > 59 || se > 60 {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            matches!((num(s.len() - 5..s.len() - 3), num(s.len() - 2..s.len())), (Some(oh), Some(om)) if oh < 24 && om < 60)
        }
        _ => false,
    }
}

fn report(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, node: crate::syntax::NodeId, what: &str) {
    let Some(ts) = ctx.doc.as_str(node) else {
        return;
    };
    if crate::source::contains(ts, "{%")
        || crate::source::contains(ts, "${")
        || is_valid_timestamp(ts)
    {
        return;
    }
    let mut d = ctx
        .at(&RULE, node, format!("`{ts}` is not a valid timestamp{what}"))
        .help("write an RFC 3339 timestamp with an uppercase `T` and `Z` (or an offset), e.g. `2026-01-31T17:30:00Z`");
    if ts.len() >= 20 && (ts.as_bytes()[10] == b't' || ts.ends_with('z')) {
        d = d.note("AWS requires the `T` and `Z` to be uppercase");
    }
    out.push(d);
}

/// Timestamp comparison operators of Choice rules that take a literal.
const OPERATORS: &[&str] = &[
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
];

fn walk_rule(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, rule: crate::syntax::NodeId) {
    for m in ctx.doc.members(rule) {
        match ctx.doc.key(m) {
            "And" | "Or" => {
                for r in ctx.doc.items(m.value) {
                    walk_rule(ctx, out, *r);
                }
            }
            "Not" => walk_rule(ctx, out, m.value),
            k if OPERATORS.contains(&k) => {
                report(ctx, out, m.value, &format!(" to compare with in `{k}`"))
            }
            _ => {}
        }
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.states {
        if state.ty == StateType::Wait
            && let Some(node) = ctx.field(state, "Timestamp")
        {
            report(ctx, out, node, "");
        }
        for rule in &state.choices {
            walk_rule(ctx, out, rule.node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_timestamp as ok;

    #[test]
    fn timestamps() {
        assert!(ok("2026-01-31T17:30:00Z"));
        assert!(ok("2024-02-29T00:00:00.123Z"));
        assert!(ok("2026-01-31T17:30:00+01:00"));
        assert!(!ok("2026-01-31t17:30:00z"));
        assert!(!ok("2023-02-29T00:00:00Z"));
        assert!(!ok("2026-13-01T00:00:00Z"));
        assert!(!ok("2026-01-31 17:30:00Z"));
        assert!(!ok("tomorrow"));
    }
}
