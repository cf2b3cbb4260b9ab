//! The YAML loader (anchors, aliases, tags, block scalars) on arbitrary bytes: it must return a tree or an error, never panic,
//! and every span it gives must lie inside the text on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::syntax::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match syntax::parse(text, Format::Yaml) {
        Ok(doc) => sfn_lint_fuzz::check_spans(&doc, text),
        Err(e) => sfn_lint_fuzz::check_span(e.span, text),
    }
});
