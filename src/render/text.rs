//! Human output: rustc-style code frames via codespan-reporting, then a summary line.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};

use crate::diagnostic::{Severity, Summary};
use crate::lint::FileReport;
use crate::source::{LineIndex, Span};
use std::io::Write;

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// Code frames print whole lines. A line longer than this (a minified definition, a template's
/// one-line `DefinitionString`) is cut to a window around the labels on it instead: printing it
/// whole for every finding made a 100 KB one-line file with 5,000 findings write gigabytes.
const FRAME_LINE: usize = 240;
/// Bytes of context kept either side of the labels in such a window.
const WINDOW_CONTEXT: usize = 60;

/// Renders one file's diagnostics as code frames.
pub fn render_file(report: &FileReport, color: bool) -> String {
    let text = report.text.as_str();
    let file = SimpleFile::new(report.path.as_str(), text);
    let config = Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let index = report.line_index();
    for d in &report.diagnostics {
        let mut notes = Vec::new();
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        if let Some(n) = &d.note {
            notes.push(format!("note: {n}"));
        }
        if let Some(f) = &d.fix {
            let kind = match f.applicability {
                crate::diagnostic::Applicability::Safe => "fix available",
                crate::diagnostic::Applicability::Unsafe => "unsafe fix available",
                crate::diagnostic::Applicability::DisplayOnly => "suggestion",
            };
            notes.push(format!("{kind}: {}", f.title));
        }
        notes.push(format!("rule: {} ({})", d.rule.name, d.rule.url()));
        let spans: Vec<(Span, Option<&str>)> = std::iter::once((d.span, None))
            .chain(d.labels.iter().map(|l| (l.span, Some(l.message.as_str()))))
            .collect();
        // A line longer than FRAME_LINE (line break included) is cut.
        let long = spans
            .iter()
            .any(|(s, _)| index.longest_line(text, s.start, s.end) > FRAME_LINE + 1);
        let excerpt = long.then(|| Excerpt::new(report.path.as_str(), text, index, &spans));
        let labels = spans
            .iter()
            .enumerate()
            .map(|(i, (span, message))| {
                let range = match &excerpt {
                    Some(x) => x.map(*span),
                    None => span.range(),
                };
                let label = if i == 0 {
                    Label::primary((), range)
                } else {
                    Label::secondary((), range)
                };
                match message {
                    Some(m) => label.with_message(*m),
                    None => label,
                }
            })
            .collect();
        let diag = CsDiagnostic::new(severity(d.severity))
            .with_code(d.rule.code)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        let emitted = match &excerpt {
            Some(x) => term::emit_to_write_style(&mut buffer, &config, x, &diag),
            None => term::emit_to_write_style(&mut buffer, &config, &file, &diag),
        };
        // Rendering can only fail on spans outside the file, which the pipeline never makes;
        // fall back to a plain line rather than lose the finding.
        if emitted.is_err() {
            let _ = writeln!(
                buffer,
                "{}[{}]: {}",
                d.severity.as_str(),
                d.rule.code,
                d.message
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One diagnostic's view of a file with a long labelled line: each line a label starts on,
/// cut to a window around its labels (each label ends on the line it starts on), with the real
/// line and column numbers.
struct Excerpt<'t> {
    name: &'t str,
    source: String,
    lines: Vec<ExcerptLine>,
    text: &'t str,
    index: &'t LineIndex,
}

struct ExcerptLine {
    /// The window's range in `source`, markers included.
    range: std::ops::Range<usize>,
    /// Where the window starts in the real text, and where that lands in `source`; where the
    /// window's real text ends in `source` (before a closing marker).
    real_start: usize,
    at: usize,
    real_end: usize,
    line_number: usize,
}

impl<'t> Excerpt<'t> {
    fn new(
        name: &'t str,
        text: &'t str,
        index: &'t LineIndex,
        spans: &[(Span, Option<&str>)],
    ) -> Self {
        // Labels in order; one window for labels close together on a line, so that two far
        // apart on one long line get a window each rather than everything between them.
        let mut labels: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .map(|(span, _)| {
                let (ls, le) = index.line_bounds(text, span.start);
                let s = (span.start as usize).clamp(ls, le);
                let e = (span.end as usize).clamp(s, le).min(s + FRAME_LINE);
                (ls, s, e, le)
            })
            .collect();
        labels.sort_unstable();
        let mut windows: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (ls, s, e, le) in labels {
            match windows.last_mut() {
                Some(w) if w.0 == ls && s <= w.3 + 2 * WINDOW_CONTEXT => w.3 = w.3.max(e),
                _ => windows.push((ls, le, s, e)),
            }
        }
        let mut source = String::new();
        let mut lines = Vec::new();
        for (ls, le, s, e) in windows {
            // A short line is kept whole, and a cut that would hide only a few bytes
            // (indentation) is not made.
            let short = le - ls <= FRAME_LINE;
            let mut ws = s.saturating_sub(WINDOW_CONTEXT).max(ls);
            if short || ws - ls <= 16 {
                ws = ls;
            }
            while !text.is_char_boundary(ws) {
                ws -= 1;
            }
            let mut we = (e + WINDOW_CONTEXT).min(le);
            if short || le - we <= 16 {
                we = le;
            }
            while !text.is_char_boundary(we) {
                we += 1;
            }
            if !source.is_empty() {
                source.push('\n');
            }
            let begin = source.len();
            if ws > ls {
                source.push('…');
            }
            let at = source.len();
            source.push_str(&text[ws..we]);
            let real_end = source.len();
            if we < le {
                source.push('…');
            }
            lines.push(ExcerptLine {
                range: begin..source.len(),
                real_start: ws,
                at,
                real_end,
                line_number: index.line_col(text, ws as u32).line as usize,
            });
        }
        Excerpt {
            name,
            source,
            lines,
            text,
            index,
        }
    }

    /// A real span's range in the excerpt (clipped to its window).
    fn map(&self, span: Span) -> std::ops::Range<usize> {
        let s = span.start as usize;
        let Some(line) = self
            .lines
            .iter()
            .rev()
            .find(|l| l.real_start <= s)
            .or(self.lines.first())
        else {
            return 0..0;
        };
        let window = line.real_end - line.at;
        let to = |x: usize| line.at + x.saturating_sub(line.real_start).min(window);
        let start = to(s);
        // Within the window's real text, and on a character boundary of the excerpt.
        let mut end = to((span.end as usize).max(s)).max(start);
        while !self.source.is_char_boundary(end) {
            end -= 1;
        }
        start.min(end)..end
    }

    fn line(&self, i: usize) -> Result<&ExcerptLine, codespan_reporting::files::Error> {
        self.lines
            .get(i)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: i,
                max: self.lines.len().saturating_sub(1),
            })
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.source)
    }

    fn line_index(
        &'a self,
        (): (),
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self
            .lines
            .iter()
            .rposition(|l| l.range.start <= byte)
            .unwrap_or(0))
    }

    fn line_number(&'a self, (): (), i: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line(i)?.line_number)
    }

    fn column_number(
        &'a self,
        (): (),
        i: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        // The real column: where the excerpt's byte falls in the real line.
        let line = self.line(i)?;
        let real = line.real_start + byte.saturating_sub(line.at);
        let real = real.min(self.text.len());
        Ok(self.index.line_col(self.text, real as u32).column as usize)
    }

    fn line_range(
        &'a self,
        (): (),
        i: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(self.line(i)?.range.clone())
    }
}

/// One file's part of the report: its code frames, then its Express verdict if any.
pub fn part(r: &FileReport, color: bool) -> String {
    let mut out = render_file(r, color);
    if let Some(e) = &r.express {
        out.push_str(&format!(
            "{}: {} workflow; {}\n",
            r.path,
            e.workflow_type.name(),
            e.sentence()
        ));
    }
    out
}

pub fn render(reports: &[FileReport], color: bool) -> String {
    super::render(super::OutputFormat::Text, reports, color)
}

pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if s.errors + s.warnings + s.infos == 0 {
        format!("{} checked: no problems found\n", plural(s.files, "file"))
    } else {
        format!(
            "{} checked: {}, {}, {}\n",
            plural(s.files, "file"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint_bytes;

    /// One 100 KB line with findings far apart: each frame shows windows around its labels, with
    /// the real line and column, instead of the whole line.
    #[test]
    fn long_lines_are_cut_to_windows_around_the_labels() {
        let n = 4000;
        let members: Vec<&str> = std::iter::repeat_n(r#""A":{"Type":"Succeed"}"#, n).collect();
        let text = format!(r#"{{"StartAt":"A","States":{{{}}}}}"#, members.join(","));
        let report = lint_bytes("one-line.json", text.as_bytes(), &Default::default());
        let dups = report
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "SFN002")
            .count();
        assert_eq!(dups, n - 1);
        let out = render_file(&report, false);
        // Whole lines would be n * 100 KB; windows are a few hundred bytes a finding.
        assert!(out.len() < 1500 * n, "{} bytes", out.len());
        let last = report
            .diagnostics
            .iter()
            .rfind(|d| d.rule.code == "SFN002")
            .unwrap();
        let col = last.span.start + 1;
        assert!(
            out.contains(&format!("one-line.json:1:{col}")),
            "real column"
        );
        let frame = &out[out.find(&format!("one-line.json:1:{col}")).unwrap()..];
        let frame = &frame[..frame.find("= help").unwrap()];
        assert!(frame.contains("--- first defined here"), "{frame}");
        assert!(
            frame.contains("1 │ …"),
            "a window that starts mid-line says so: {frame}"
        );
        assert!(
            frame.lines().all(|l| l.len() < 2 * FRAME_LINE + 100),
            "{frame}"
        );
    }

    /// Files with short lines render exactly as codespan-reporting renders the whole file.
    #[test]
    fn short_lines_are_printed_whole() {
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n";
        let report = lint_bytes("short.json", text.as_bytes(), &Default::default());
        assert!(!report.diagnostics.is_empty());
        let out = render_file(&report, false);
        assert!(
            out.contains("4 │     \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}"),
            "{out}"
        );
        assert!(!out.contains('…'), "{out}");
    }

    /// A finding with one label on a long line and one on a short line: the short line is
    /// printed whole, the long one cut.
    #[test]
    fn short_lines_stay_whole_beside_a_cut_one() {
        let pad = " ".repeat(150);
        let long: Vec<&str> = std::iter::repeat_n(r#""B":{"Type":"Succeed"}"#, 60).collect();
        let text = format!(
            "{{\"StartAt\":\"A\",\"States\":{{{pad}\"A\":{{\"Type\":\"Succeed\"}},\n{},\"A\":{{\"Type\":\"Succeed\"}}}}}}\n",
            long.join(",")
        );
        let report = lint_bytes("mixed.json", text.as_bytes(), &Default::default());
        let out = render_file(&report, false);
        let first = text.lines().next().unwrap();
        assert!(first.len() <= FRAME_LINE, "the first line is short");
        assert!(out.contains(&format!("1 │ {first}")), "{out}");
        assert!(out.contains("2 │ …"), "{out}");
    }
}
