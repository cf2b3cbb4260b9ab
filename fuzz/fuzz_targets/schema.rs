//! The two schema validators on arbitrary JSON: the generated one (build.rs compiles the
//! schema into Rust; it answers for every valid definition) must agree with the runtime one on every machine-like object
//! (anything with `States`) wherever it gives a verdict.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::rules::schema::{generated_is_valid, runtime_is_valid};
use sfn_lint::syntax::{self, Format, NodeId, NodeKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = syntax::parse(text, Format::Json) else {
        return;
    };
    for id in (0..doc.nodes.len() as u32).map(NodeId) {
        if matches!(doc.kind(id), NodeKind::Object(_)) && doc.get(id, "States").is_some() {
            if let Some(generated) = generated_is_valid(&doc, id) {
                assert_eq!(generated, runtime_is_valid(&doc, id), "{text}");
            }
        }
    }
});
