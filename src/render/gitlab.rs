//! GitLab Code Quality reports (a subset of the Code Climate format): one issue per finding,
//! with a fingerprint stable across runs so GitLab can tell new findings from old ones.

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::lint::FileReport;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// FNV-1a, 64 bits: a fingerprint, not a security measure.
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for r in reports {
        let index = r.line_index();
        for d in &r.diagnostics {
            let (s, e) = super::range(index, &r.text, d.span);
            issues.push(Issue {
                description: format!("{} ({} {})", d.message, d.rule.code, d.rule.name),
                check_name: d.rule.code,
                // Path, rule, pointer and message: stable when unrelated lines move.
                fingerprint: fnv(&[&r.path, d.rule.code, &d.pointer, &d.message]),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path: r.path.strip_prefix("./").unwrap_or(&r.path),
                    lines: Lines {
                        begin: s.line,
                        end: e.line,
                    },
                },
            });
        }
    }
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
