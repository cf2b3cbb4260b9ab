//! GitHub Actions workflow commands: one `::error file=…,line=…::message` per finding.

use crate::diagnostic::Severity;
use crate::lint::FileReport;

/// Escapes a property value (`%`, CR, LF, `:` and `,`).
fn prop(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Escapes the message part (`%`, CR, LF).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn render(reports: &[FileReport]) -> String {
    super::render(super::OutputFormat::Github, reports, false)
}

/// One file's annotations.
pub fn part(r: &FileReport) -> String {
    let mut out = String::new();
    {
        let index = r.line_index();
        for d in &r.diagnostics {
            let (s, e) = super::range(index, &r.text, d.span);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            out.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                prop(&r.path),
                s.line,
                s.column,
                e.line,
                e.column,
                prop(&format!("{} {}", d.rule.code, d.rule.name)),
                data(&message)
            ));
        }
    }
    out
}
