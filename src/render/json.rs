//! The JSON contract (version 1) that other tools rely on:
//! `{"version":1,"files":[{"path","diagnostics":[{"code","name","severity","message","help",
//! "pointer","range":{"start":{"line","column"},"end":{…}},"fix"}]}],"summary":{…}}`.
//! Lines and columns are 1-based; columns count Unicode scalar values.

use serde::Serialize;

use crate::diagnostic::{Applicability, Summary};
use crate::lint::FileReport;
use crate::source::{LineCol, LineIndex};

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    diagnostics: Vec<Diag<'a>>,
    /// Whether the workflow could run as Express; absent when the file could not be analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    express: Option<&'a crate::lint::ExpressVerdict>,
    /// For a template: how many state machines it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    machines: Option<usize>,
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
    url: Url,
    fix: Option<FixOut<'a>>,
}

/// A rule's page URL, written straight into the output (no string per diagnostic).
struct Url(&'static crate::rules::RuleMeta);

impl Serialize for Url {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.url_display())
    }
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
            url: Url(d.rule),
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
        machines: r.machines,
    }
}

/// serde_json's pretty layout (two-space indent), starting `depth` levels deep, so that file
/// entries can be serialised separately and spliced into the report byte for byte.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Indented {
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Starts an array element or an object key on its own line.
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes the report to `w`. File entries are built and serialised in parallel (a large
/// batch's report is megabytes) and written in order, never joined into one buffer.
pub fn write(reports: &[FileReport], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let parts: Vec<Vec<u8>> = reports.par_iter().map(entry).collect();
    write_entries(reports, &parts, w)
}

/// One file's entry of the `files` array, serialised. `sfn-lint check` calls it on the worker
/// that linted the file, so that serialising overlaps linting instead of following it.
pub fn entry(r: &FileReport) -> Vec<u8> {
    use serde::Serialize;
    // About 1.2 KB per diagnostic as written: one allocation instead of a doubling series.
    let mut buf = Vec::with_capacity(512 + 1280 * r.diagnostics.len());
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        Indented {
            depth: 2,
            has_value: false,
        },
    );
    // Serialising plain structs of strings and numbers into a Vec cannot fail.
    let _ = file_entry(r).serialize(&mut ser);
    buf
}

/// The whole document from entries made by [`entry`], one per report, in order.
pub fn write_entries(
    reports: &[FileReport],
    parts: &[impl AsRef<[u8]>],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut summary = Summary::default();
    for r in reports {
        summary.add(&r.diagnostics);
    }
    w.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?;
    for (i, part) in parts.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        w.write_all(part.as_ref())?;
    }
    w.write_all(if parts.is_empty() { b"]" } else { b"\n  ]" })?;
    let summary_json = serde_json::to_string_pretty(&summary)
        .unwrap_or_default()
        .replace('\n', "\n  ");
    write!(w, ",\n  \"summary\": {summary_json}\n}}\n")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(reports, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
