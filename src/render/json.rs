//! The JSON contract (version 1) that other tools rely on:
//! `{"version":1,"files":[{"path","diagnostics":[{"code","name","severity","message","help",
//! "pointer","range":{"start":{"line","column"},"end":{…}},"fix"}]}],"summary":{…}}`.
//! Lines and columns are 1-based; columns count Unicode scalar values.

use serde::Serialize;

use crate::diagnostic::{Applicability, Summary};
use crate::lint::FileReport;
use crate::source::{LineCol, LineIndex};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    diagnostics: Vec<Diag<'a>>,
    /// Whether the workflow could run as Express; absent when the file could not be analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    express: Option<&'a crate::lint::ExpressVerdict>,
}

#[derive(Serialize)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
    pointer: &'a str,
    range: Range,
    labels: Vec<LabelOut<'a>>,
    url: String,
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct FixOut<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    range: Range,
    replacement: &'a str,
}

/// One file's entry.
fn file_entry(r: &FileReport) -> File<'_> {
    let index = LineIndex::new(&r.text);
    let range = |s: crate::source::Span| {
        let (start, end) = super::range(&index, &r.text, s);
        Range { start, end }
    };
    let diagnostics = r
        .diagnostics
        .iter()
        .map(|d| Diag {
            code: d.rule.code,
            name: d.rule.name,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            note: d.note.as_deref(),
            pointer: &d.pointer,
            range: range(d.span),
            labels: d
                .labels
                .iter()
                .map(|l| LabelOut {
                    message: &l.message,
                    range: range(l.span),
                })
                .collect(),
            url: d.rule.url(),
            fix: d.fix.as_ref().map(|f| FixOut {
                title: &f.title,
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditOut {
                        range: range(e.span),
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
        })
        .collect();
    File {
        path: &r.path,
        diagnostics,
        express: r.express.as_ref(),
    }
}

/// Writes the report to `w` without building it in memory first (a large batch's report is
/// megabytes).
pub fn write(reports: &[FileReport], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut summary = Summary::default();
    for r in reports {
        summary.add(&r.diagnostics);
    }
    // Building the entries (positions, URLs) runs in parallel; serialising is one pass.
    let files: Vec<File<'_>> = reports.par_iter().map(file_entry).collect();
    serde_json::to_writer_pretty(
        &mut *w,
        &Output {
            version: 1,
            files,
            summary,
        },
    )?;
    w.write_all(b"\n")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(reports, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
