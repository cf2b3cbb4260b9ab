//! One line per finding: `path:line:col: CODE [severity] message`.

use crate::lint::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    super::render(super::OutputFormat::Concise, reports, false)
}

/// One file's lines.
pub fn part(r: &FileReport) -> String {
    let mut out = String::new();
    {
        let index = r.line_index();
        for d in &r.diagnostics {
            let lc = index.line_col(&r.text, d.span.start);
            out.push_str(&format!(
                "{}:{}:{}: {} [{}] {}\n",
                r.path,
                lc.line,
                lc.column,
                d.rule.code,
                d.severity.as_str(),
                d.message
            ));
        }
    }
    out
}
