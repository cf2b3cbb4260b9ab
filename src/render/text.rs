//! Human output: rustc-style code frames via codespan-reporting, then a summary line.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};

use crate::diagnostic::{Severity, Summary};
use crate::lint::FileReport;

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// Renders one file's diagnostics as code frames.
pub fn render_file(report: &FileReport, color: bool) -> String {
    let file = SimpleFile::new(report.path.as_str(), report.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in &report.diagnostics {
        let mut labels = vec![Label::primary((), d.span.range())];
        labels.extend(
            d.labels
                .iter()
                .map(|l| Label::secondary((), l.span.range()).with_message(&l.message)),
        );
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
        let diag = CsDiagnostic::new(severity(d.severity))
            .with_code(d.rule.code)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        // Rendering can only fail on spans outside the file, which the pipeline never makes;
        // fall back to a plain line rather than lose the finding.
        if term::emit_to_write_style(&mut buffer, &config, &file, &diag).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                d.severity.as_str(),
                d.rule.code,
                d.message
            ));
        }
    }
    out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
    out
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
