//! The expression parsers on arbitrary strings: JSONPath (full and reference grammars), the
//! intrinsic-function parser, and the JSONata syntax check with its error locator.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::asl::expr::{intrinsic, jsonata, path};
use sfn_lint::rules::expressions::jsonata_syntax_error;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for r in [path::parse(src), path::parse_reference(src)] {
        if let Err(e) = r {
            sfn_lint_fuzz::check_range(e.range, src);
        }
    }
    let _ = intrinsic::parse(src);
    if let Some(message) = jsonata_syntax_error::syntax_error(src)
        && let Some(r) = jsonata::locate(src, &message)
    {
        sfn_lint_fuzz::check_range(r, src);
    }
});
