//! The ASL schema compiled into Rust at build time (see `build.rs`): a yes/no check that reads
//! the spanned tree directly, with nothing to compile at run time.

use crate::syntax::{Document, NodeKind};

/// What a check found out besides its verdict.
#[derive(Default)]
pub(super) struct Cx {
    /// A number was checked that is not written plainly (see [`plain_number`]): the runtime
    /// validator's reading of it decides instead.
    pub unsure: bool,
}

pub(super) use compiled::root;

/// The functions build.rs writes, one per subschema. Generated code is checked by the tests
/// that hold it to the runtime validator, not by lints written for hand-written code.
#[allow(unused_variables, clippy::all, clippy::pedantic)]
mod compiled {
    use super::{Cx, is_integer, is_jsonata, max_chars, min_chars, plain_number};
    use crate::syntax::{Document, NodeId, NodeKind};

    include!(concat!(env!("OUT_DIR"), "/asl_schema.rs"));
}

/// The value of a number written plainly, `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, with integers short
/// enough that `f64` holds them exactly. The runtime validator compares such numbers exactly
/// as this value does (integers as integers, decimals through the same `f64` parse); anything
/// else (exponents, `+`, hexadecimal, huge integers) is left to it.
pub(super) fn plain_number(t: &str) -> Option<f64> {
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    // A byte loop: numbers are a few bytes, where `split_once`'s `memchr` set-up dominated.
    let (int, frac) = match unsigned.bytes().position(|b| b == b'.') {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    match frac {
        // Most numbers in a definition are small integers: summed digit by digit, exact
        // below 2^53, without the float parser.
        None if int.len() <= 15 => {
            crate::syntax::small_integer(int).map(|v| if unsigned.len() < t.len() { -v } else { v })
        }
        Some(f) if digits(f) && t.len() <= 24 => t.parse().ok(),
        _ => None,
    }
}

fn is_integer(cx: &mut Cx, d: &Document, k: &NodeKind) -> bool {
    match k {
        NodeKind::Number(t) => match plain_number(d.text(*t)) {
            Some(x) => x.fract() == 0.0,
            None => {
                cx.unsure = true;
                true
            }
        },
        _ => false,
    }
}

/// At least `n` characters (code points, as JSON Schema counts), from the byte length where
/// it settles the question (a character is one to four bytes).
fn min_chars(v: &str, n: usize) -> bool {
    v.len() >= n && (v.len() >= 4 * n || v.chars().count() >= n)
}

fn max_chars(v: &str, n: usize) -> bool {
    v.len() <= n || v.chars().count() <= n
}

/// The schema's one pattern, `^\{%[\s\S]*%\}$`: a whole-string JSONata expression.
fn is_jsonata(v: &str) -> bool {
    v.len() >= 4 && v.starts_with("{%") && v.ends_with("%}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_only() {
        for (t, want) in [
            ("0", Some(0.0)),
            ("-0", Some(0.0)),
            ("42", Some(42.0)),
            ("-7", Some(-7.0)),
            ("999999999999999", Some(999_999_999_999_999.0)),
            ("2.0", Some(2.0)),
            ("-0.5", Some(-0.5)),
            ("1000000000000000", None),
            ("007", None),
            ("00.5", None),
            ("+5", None),
            ("1.", None),
            (".5", None),
            ("1e2", None),
            ("1.5E3", None),
            ("0x10", None),
            ("-", None),
            ("", None),
        ] {
            assert_eq!(plain_number(t), want, "{t}");
        }
    }

    #[test]
    fn characters_are_counted_as_code_points() {
        assert!(min_chars("a", 1));
        assert!(!min_chars("", 1));
        assert!(min_chars("é", 1));
        assert!(!min_chars("é", 2), "two bytes, one character");
        assert!(max_chars("ééé", 3));
        assert!(!max_chars("éééé", 3));
    }

    #[test]
    fn jsonata_pattern() {
        assert!(is_jsonata("{% $x %}"));
        assert!(is_jsonata("{%%}"));
        assert!(!is_jsonata("{%}"));
        assert!(!is_jsonata("{% $x %}\n"));
        assert!(!is_jsonata(" {% $x %}"));
    }
}
