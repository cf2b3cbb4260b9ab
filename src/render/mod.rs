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
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(format, reports, color, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes every report in the given format to `w`; per-file parts are made in parallel.
pub fn write(
    format: OutputFormat,
    reports: &[FileReport],
    color: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Sarif => w.write_all(sarif::render(reports).as_bytes()),
        OutputFormat::Gitlab => w.write_all(gitlab::render(reports).as_bytes()),
        OutputFormat::Json | OutputFormat::Text | OutputFormat::Concise | OutputFormat::Github => {
            use rayon::prelude::*;
            let parts: Vec<Vec<u8>> = reports.par_iter().map(|r| part(format, r, color)).collect();
            let mut summary = crate::diagnostic::Summary::default();
            for r in reports {
                summary.add(&r.diagnostics);
            }
            write_parts(format, summary, &parts, w)
        }
    }
}

impl OutputFormat {
    /// Whether a report in this format is each file's part, in order, then a tail that needs
    /// only the counts. `sfn-lint check` makes such parts on the worker that linted the file,
    /// so that rendering overlaps linting instead of following it on one thread.
    pub fn per_file(self) -> bool {
        matches!(
            self,
            OutputFormat::Json | OutputFormat::Text | OutputFormat::Concise | OutputFormat::Github
        )
    }
}

/// One file's part of a report in a [`OutputFormat::per_file`] format (empty for the others).
pub fn part(format: OutputFormat, report: &FileReport, color: bool) -> Vec<u8> {
    match format {
        OutputFormat::Json => json::entry(report),
        OutputFormat::Text => text::part(report, color).into_bytes(),
        OutputFormat::Concise => concise::part(report).into_bytes(),
        OutputFormat::Github => github::part(report).into_bytes(),
        OutputFormat::Sarif | OutputFormat::Gitlab => Vec::new(),
    }
}

/// Writes a whole report from parts made by [`part`], one per file in order, and the counts of
/// all the files. The parts go to the kernel as they are, never joined into one buffer (a
/// batch's report is megabytes).
pub fn write_parts(
    format: OutputFormat,
    summary: crate::diagnostic::Summary,
    parts: &[impl AsRef<[u8]>],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if format == OutputFormat::Json {
        return json::write_entries(summary, parts, w);
    }
    for chunk in parts.chunks(1024) {
        let mut slices: Vec<std::io::IoSlice<'_>> = chunk
            .iter()
            .map(|p| std::io::IoSlice::new(p.as_ref()))
            .collect();
        write_all_vectored(w, &mut slices)?;
    }
    if format == OutputFormat::Text {
        w.write_all(text::summary_line(&summary).as_bytes())?;
    }
    Ok(())
}

/// `Write::write_all_vectored` is unstable: the same, on stable.
pub(crate) fn write_all_vectored(
    w: &mut dyn std::io::Write,
    mut slices: &mut [std::io::IoSlice<'_>],
) -> std::io::Result<()> {
    // Drops leading empty slices, so that a tail of only empty ones is not taken for a
    // writer that wrote nothing (0 bytes means a failed write).
    std::io::IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match w.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => std::io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The most characters a Mermaid block may have and still be drawn: GitHub renders at most
/// 50,000. Diagrams past it are drawn collapsed, then cut, and say so.
pub const MERMAID_LIMIT: usize = 50_000;
