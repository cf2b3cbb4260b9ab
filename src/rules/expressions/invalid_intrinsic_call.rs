//! SFN301: an intrinsic function call AWS rejects: unknown function, wrong number of
//! arguments, `States.Format` placeholders that do not match its arguments, or bad syntax.

use crate::asl::QueryLanguage;
use crate::asl::expr::intrinsic::{Arg, Call, parse};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN301",
    name: "invalid-intrinsic-call",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

/// Name, fewest and most arguments (None: no upper bound).
const FUNCTIONS: &[(&str, usize, Option<usize>)] = &[
    ("States.Format", 1, None),
    ("States.StringToJson", 1, Some(1)),
    ("States.JsonToString", 1, Some(1)),
    ("States.Array", 0, None),
    ("States.ArrayPartition", 2, Some(2)),
    ("States.ArrayContains", 2, Some(2)),
    ("States.ArrayRange", 3, Some(3)),
    ("States.ArrayGetItem", 2, Some(2)),
    ("States.ArrayLength", 1, Some(1)),
    ("States.ArrayUnique", 1, Some(1)),
    ("States.Base64Encode", 1, Some(1)),
    ("States.Base64Decode", 1, Some(1)),
    ("States.Hash", 2, Some(2)),
    ("States.JsonMerge", 3, Some(3)),
    ("States.MathRandom", 2, Some(3)),
    ("States.MathAdd", 2, Some(2)),
    ("States.StringSplit", 2, Some(2)),
    ("States.UUID", 0, Some(0)),
];

/// Hash algorithms `States.Hash` accepts.
const HASH_ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

fn int(arg: &Arg) -> Option<i64> {
    match arg {
        Arg::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// What is wrong with a literal argument, if anything. Paths and nested calls are only
/// known at run time and pass.
fn literal_problem(
    function: &str,
    i: usize,
    arg: &Arg,
    args: &[(Arg, std::ops::Range<usize>)],
) -> Option<String> {
    if matches!(arg, Arg::Path | Arg::Call(_)) {
        return None;
    }
    let is_int = |a: &Arg| matches!(a, Arg::Number(n) if n.parse::<i64>().is_ok());
    let kind = |a: &Arg| match a {
        Arg::String(_) => "a string",
        Arg::Number(_) => "a number",
        Arg::Bool(_) => "a boolean",
        Arg::Null => "null",
        _ => "a value",
    };
    let want = |what: &str| Some(format!("must be {what}, not {}", kind(arg)));
    match (function, i) {
        ("States.Format", 0) if !matches!(arg, Arg::String(_)) => want("a string template"),
        ("States.StringToJson" | "States.Base64Encode" | "States.Base64Decode", 0)
            if !matches!(arg, Arg::String(_)) =>
        {
            want("a string")
        }
        ("States.JsonToString", 0) => want("a path"),
        (
            "States.ArrayPartition"
            | "States.ArrayContains"
            | "States.ArrayGetItem"
            | "States.ArrayLength"
            | "States.ArrayUnique",
            0,
        ) => want("an array (a path)"),
        ("States.ArrayPartition", 1) if !is_int(arg) || int(arg).is_some_and(|n| n <= 0) => {
            want("a positive integer chunk size")
        }
        ("States.ArrayGetItem", 1) if !is_int(arg) || int(arg).is_some_and(|n| n < 0) => {
            want("a non-negative integer index")
        }
        ("States.ArrayRange", 0..=2) if !is_int(arg) => want("an integer"),
        ("States.ArrayRange", 2) if int(arg) == Some(0) => Some("(the step) cannot be 0".into()),
        ("States.ArrayRange", 2) => {
            let (a, b, step) = (int(&args[0].0)?, int(&args[1].0)?, int(arg)?);
            let items = (b - a) / step + 1;
            (items > 1000).then(|| format!("makes a range of {items} items; the limit is 1,000"))
        }
        ("States.Hash", 1) => match arg {
            Arg::String(a) if HASH_ALGORITHMS.contains(&a.as_str()) => None,
            Arg::String(a) => Some(format!(
                "names the algorithm `{a}`; use one of {}",
                HASH_ALGORITHMS.join(", ")
            )),
            _ => want("an algorithm name string"),
        },
        ("States.JsonMerge", 0 | 1) => want("an object (a path)"),
        ("States.JsonMerge", 2) if !matches!(arg, Arg::Bool(false)) => {
            Some("must be `false` (only shallow merges are supported)".into())
        }
        ("States.MathRandom" | "States.MathAdd", _) if !is_int(arg) => want("an integer"),
        ("States.StringSplit", _) if !matches!(arg, Arg::String(_)) => want("a string"),
        _ => None,
    }
}

/// Counts `{}` placeholders in a States.Format template, skipping escaped braces.
fn placeholders(template: &str) -> usize {
    let mut n = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                n += 1;
            }
            _ => {}
        }
    }
    n
}

fn check_call(ctx: &Ctx<'_>, node: crate::syntax::NodeId, call: &Call, out: &mut Vec<Diagnostic>) {
    let Some(&(_, min, max)) = FUNCTIONS.iter().find(|(n, ..)| *n == call.name) else {
        let names = FUNCTIONS.iter().map(|(n, ..)| *n);
        let mut d = Diagnostic::new(
            &RULE,
            format!("unknown intrinsic function `{}`", call.name),
            ctx.inner_span(node, call.name_range.clone()),
            ctx.doc.pointer(node),
        );
        d = match crate::suggest::did_you_mean(&call.name, names) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(
                "see the list of intrinsic functions in the AWS Step Functions developer guide",
            ),
        };
        out.push(d);
        return;
    };
    let n = call.args.len();
    if n < min || max.is_some_and(|m| n > m) {
        let expect = match max {
            Some(m) if m == min => format!("{m} argument{}", if m == 1 { "" } else { "s" }),
            Some(m) => format!("{min} to {m} arguments"),
            None => format!("at least {min} argument{}", if min == 1 { "" } else { "s" }),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                format!(
                    "`{}` takes {expect}, but {n} {} given",
                    call.name,
                    if n == 1 { "is" } else { "are" }
                ),
                ctx.inner_span(node, call.range.clone()),
                ctx.doc.pointer(node),
            )
            .help(format!("call `{}` with {expect}", call.name)),
        );
    }
    for (i, (arg, range)) in call.args.iter().enumerate() {
        if let Some(problem) = literal_problem(&call.name, i, arg, &call.args) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("argument {} of `{}` {problem}", i + 1, call.name),
                    ctx.inner_span(node, range.clone()),
                    ctx.doc.pointer(node),
                )
                .help(format!(
                    "see the signature of `{}` in the AWS intrinsic functions reference",
                    call.name
                )),
            );
        }
    }
    if call.name == "States.Format"
        && let Some((Arg::String(t), range)) = call.args.first()
    {
        let want = placeholders(t);
        if want != n - 1 {
            out.push(
                    Diagnostic::new(&RULE, format!("the template has {want} `{{}}` placeholder{} but {} value{} follow", if want == 1 { "" } else { "s" }, n - 1, if n == 2 { "" } else { "s" }), ctx.inner_span(node, range.clone()), ctx.doc.pointer(node))
                        .help("give exactly one value after the template for each `{}`; write a literal brace as `\\{`"),
                );
        }
    }
    for (arg, _) in &call.args {
        if let Arg::Call(inner) = arg {
            check_call(ctx, node, inner, out);
        }
    }
}

/// The intrinsic functions a Fail state's `ErrorPath` and `CausePath` accept: those that
/// return a string.
const STRING_FUNCTIONS: &[&str] = &[
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    super::for_each_string(ctx, QueryLanguage::JsonPath, |key, node| {
        let error_path =
            matches!(key, "ErrorPath" | "CausePath") && ctx.doc.pointer(node).ends_with(key);
        if !key.ends_with(".$") && !error_path {
            return;
        }
        let Some(value) = ctx.doc.as_str(node) else {
            return;
        };
        let trimmed = value.trim_start();
        if !trimmed.starts_with("States.") {
            return;
        }
        let lead = value.len() - trimmed.len();
        match parse(trimmed) {
            Ok(call) => {
                let mut shifted = Vec::new();
                if error_path && !STRING_FUNCTIONS.contains(&call.name.as_str()) {
                    shifted.push(
                        Diagnostic::new(&RULE, format!("`{key}` takes an intrinsic function that returns a string; `{}` does not", call.name), ctx.inner_span(node, call.name_range.clone()), ctx.doc.pointer(node))
                            .help(format!("use one of {}, or wrap the value in `States.JsonToString(…)`", STRING_FUNCTIONS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")))
                            .note("AWS rejects the definition: a Fail state's error and cause are strings"),
                    );
                }
                check_call(ctx, node, &call, &mut shifted);
                for mut d in shifted {
                    // Spans were computed on the trimmed text; shift past leading spaces.
                    if lead > 0 && ctx.doc.span(node) != d.span {
                        d.span.start += lead as u32;
                        d.span.end += lead as u32;
                    }
                    out.push(d);
                }
            }
            Err(e) => out.push(
                Diagnostic::new(&RULE, format!("invalid intrinsic function call: {}", e.message), ctx.inner_span(node, lead + e.range.start..lead + e.range.end.max(e.range.start + 1)), ctx.doc.pointer(node))
                    .help("intrinsic calls look like `States.Format('Hello {}', $.name)`: 'single-quoted' strings, paths, numbers and nested calls"),
            ),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_calls_and_paths() {
        let c =
            parse("States.Format('a {} \\{ {}', $.x[?(@.a == 'b,c')], States.ArrayLength($.y))")
                .unwrap();
        assert_eq!(c.name, "States.Format");
        assert_eq!(c.args.len(), 3);
        assert!(matches!(c.args[2].0, Arg::Call(_)));
        if let Arg::String(t) = &c.args[0].0 {
            assert_eq!(placeholders(t), 2);
        }
        assert!(parse("States.UUID()").unwrap().args.is_empty());
        assert!(parse("States.Format('x'").is_err());
        assert!(parse("States.Format('x') y").is_err());
    }
}
