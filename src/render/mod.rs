//! Renderers: the same diagnostics for people (text, concise), programs (json), code scanning
//! (sarif) and CI annotations (github). Line and column are computed here, at the edge.

pub mod concise;
pub mod cost;
pub mod diagram;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

use crate::lint::FileReport;
use crate::source::{LineCol, LineIndex, Span};

/// Output formats of `sfn-lint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
}

/// Start and end of a span as 1-based lines and character columns.
pub fn range(index: &LineIndex, text: &str, span: Span) -> (LineCol, LineCol) {
    (
        index.line_col(text, span.start),
        index.line_col(text, span.end),
    )
}

/// Renders every report in the given format. `color` only affects `text`.
pub fn render(format: OutputFormat, reports: &[FileReport], color: bool) -> String {
    match format {
        OutputFormat::Text => text::render(reports, color),
        OutputFormat::Concise => concise::render(reports),
        OutputFormat::Json => json::render(reports),
        OutputFormat::Sarif => sarif::render(reports),
        OutputFormat::Github => github::render(reports),
        OutputFormat::Gitlab => gitlab::render(reports),
    }
}
