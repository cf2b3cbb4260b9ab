//! Invariants the fuzz targets check beyond "does not panic".

use sfn_lint::source::Span;
use sfn_lint::syntax::Document;

/// A byte range lies inside the text, on character boundaries.
pub fn check_range(r: std::ops::Range<usize>, text: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "range {r:?} outside {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "range {r:?} splits a character"
    );
}

/// A span lies inside the text, on character boundaries.
pub fn check_span(s: Span, text: &str) {
    check_range(s.start as usize..s.end as usize, text);
}

/// Every node's span lies inside the text.
pub fn check_spans(doc: &Document, text: &str) {
    for n in &doc.nodes {
        check_span(n.span, text);
    }
}
