//! The JSON contract (version 1) that other tools rely on:
//! `{"version":1,"files":[{"path","diagnostics":[{"code","name","severity","message","help",
//! "pointer","range":{"start":{"line","column"},"end":{…}},"fix"}]}],"summary":{…}}`.
//! Lines and columns are 1-based; columns count Unicode scalar values.

use serde::Serialize;

use crate::diagnostic::{Applicability, Summary};
use crate::lint::FileReport;
use crate::source::LineCol;

#[derive(Serialize)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    diagnostics: Vec<DiagOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    express: Option<&'a crate::lint::ExpressVerdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    machines: Option<usize>,
}

#[derive(Serialize)]
struct DiagOut<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
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
    applicability: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    range: Range,
    replacement: &'a str,
}

/// A file's entry as the JSON contract lays it out.
fn file_out(r: &FileReport) -> FileOut<'_> {
    let range = |s: crate::source::Span| {
        let (start, end) = super::range(r.line_index(), &r.text, s);
        Range { start, end }
    };
    FileOut {
        path: &r.path,
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| DiagOut {
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
                    applicability: match f.applicability {
                        Applicability::Safe => "safe",
                        Applicability::Unsafe => "unsafe",
                        Applicability::DisplayOnly => "display-only",
                    },
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
            .collect(),
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

/// Writes the report to `w` (see [`super::write`]).
pub fn write(reports: &[FileReport], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::write(super::OutputFormat::Json, reports, false, w)
}

/// One file's entry of the `files` array, serialised. `sfn-lint check` calls it on the worker
/// that linted the file, so that serialising overlaps linting instead of following it.
pub fn entry(r: &FileReport) -> Vec<u8> {
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
    let _ = file_out(r).serialize(&mut ser);
    buf
}

/// The whole document from entries made by [`entry`], one per report, in order, and the
/// reports' counts.
pub fn write_entries(
    summary: Summary,
    parts: &[impl AsRef<[u8]>],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    w.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?;
    // Handed to the kernel as they are (a batch's entries are megabytes), not copied into a
    // buffer first.
    let mut slices = Vec::with_capacity(2 * parts.len().min(512));
    for (i, part) in parts.iter().enumerate() {
        slices.push(std::io::IoSlice::new(if i == 0 {
            b"\n    "
        } else {
            b",\n    "
        }));
        slices.push(std::io::IoSlice::new(part.as_ref()));
        if slices.len() >= 1024 || i + 1 == parts.len() {
            super::write_all_vectored(w, &mut slices)?;
            slices.clear();
        }
    }
    w.write_all(if parts.is_empty() { b"]" } else { b"\n  ]" })?;
    let summary_json = serde_json::to_string_pretty(&summary)
        .unwrap_or_default()
        .replace('\n', "\n  ");
    write!(w, ",\n  \"summary\": {summary_json}\n}}\n")
}

pub fn render(reports: &[FileReport]) -> String {
    super::render(super::OutputFormat::Json, reports, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes at most 7 bytes a call, from the first non-empty slice only, as a pipe under
    /// pressure may: every partial write must be resumed where it stopped.
    struct Trickle(Vec<u8>);

    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn entries_survive_partial_vectored_writes() {
        let parts: Vec<Vec<u8>> = vec![b"{\"a\": 1}".to_vec(), Vec::new(), b"{}".repeat(40)];
        let mut whole = Vec::new();
        write_entries(Summary::default(), &parts, &mut whole).unwrap();
        let mut trickle = Trickle(Vec::new());
        write_entries(Summary::default(), &parts, &mut trickle).unwrap();
        assert_eq!(
            String::from_utf8(trickle.0).unwrap(),
            String::from_utf8(whole.clone()).unwrap()
        );
        assert!(
            String::from_utf8(whole)
                .unwrap()
                .contains("{\"a\": 1},\n    ,\n    {}{}")
        );
        // Only empty slices: nothing to write is not a failed write.
        let mut slices = [std::io::IoSlice::new(b""), std::io::IoSlice::new(b"")];
        crate::render::write_all_vectored(&mut Trickle(Vec::new()), &mut slices).unwrap();
    }
}
