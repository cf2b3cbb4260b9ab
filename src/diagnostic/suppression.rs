//! Suppression written in the definition itself, no separate file needed.
//!
//! - YAML: a `# sfn-lint: ignore[rule, …]` comment on the offending line, or alone on the line
//!   above it; `# sfn-lint: ignore-file[rule, …]` anywhere applies to the whole file. A bare
//!   `ignore` (no list) silences every rule there.
//! - JSON (which has no comments) and YAML alike: `sfn-lint-ignore: rule, …` inside a state's
//!   `Comment` silences those rules within that state; in the top-level `Comment`, the file.
//!
//! Rules are named by code or name. Syntax errors cannot be suppressed: the rest of the file
//! was never checked.

use super::Diagnostic;
use crate::diagnostic::rule::Category;
use crate::source::{LineIndex, Span};
use crate::syntax::{Document, NodeKind};

/// One suppression: which rules (None = all), where.
#[derive(Debug)]
struct Directive {
    rules: Option<Vec<String>>,
    scope: Scope,
}

#[derive(Debug)]
enum Scope {
    File,
    Line(u32),
    /// Diagnostics whose pointer lies at or under this pointer.
    Pointer(String),
}

fn parse_list(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let inner = s.strip_prefix('[')?.split(']').next()?;
    Some(
        inner
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
    )
}

fn matches(rules: &Option<Vec<String>>, d: &Diagnostic) -> bool {
    match rules {
        None => true,
        Some(list) => list
            .iter()
            .any(|r| r.eq_ignore_ascii_case(d.rule.code) || r == d.rule.name),
    }
}

fn under(pointer: &str, base: &str) -> bool {
    pointer == base || pointer.starts_with(&format!("{base}/"))
}

/// Removes suppressed diagnostics.
pub fn apply(text: &str, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let mut directives = Vec::new();
    let mut lines: Option<LineIndex> = None;
    for c in &doc.comments {
        let body = c.text.trim();
        let Some(rest) = body.strip_prefix("sfn-lint:") else {
            continue;
        };
        let rest = rest.trim();
        let index = lines.get_or_insert_with(|| LineIndex::new(text));
        let line = index.line_col(text, c.span.start).line;
        let (file, rest) = match rest.strip_prefix("ignore-file") {
            Some(r) => (true, r),
            None => match rest.strip_prefix("ignore") {
                Some(r) => (false, r),
                None => continue,
            },
        };
        let rules = if rest.trim().is_empty() {
            None
        } else {
            parse_list(rest)
        };
        if rules.is_none() && !rest.trim().is_empty() {
            continue;
        }
        let scope = if file {
            Scope::File
        } else if own_line(text, c.span) {
            Scope::Line(line + 1)
        } else {
            Scope::Line(line)
        };
        directives.push(Directive { rules, scope });
    }
    // A JSON text without the marker, nor a `\u` escape that could spell it, has none to
    // find: the walk over every state's `Comment` is skipped.
    let none = doc.json
        && memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none()
        && (memchr::memchr(b'\\', text.as_bytes()).is_none()
            || memchr::memmem::find(text.as_bytes(), b"\\u").is_none());
    if !none {
        comment_markers(doc, &mut directives);
    }
    if directives.is_empty() {
        return;
    }
    let index = lines.unwrap_or_else(|| LineIndex::new(text));
    diagnostics.retain(|d| {
        if d.rule.category == Category::Syntax {
            return true;
        }
        let line = index.line_col(text, d.span.start).line;
        !directives.iter().any(|dir| {
            matches(&dir.rules, d)
                && match &dir.scope {
                    Scope::File => true,
                    Scope::Line(l) => *l == line,
                    Scope::Pointer(p) => under(&d.pointer, p),
                }
        })
    });
}

/// True when only white space precedes the comment on its line.
fn own_line(text: &str, span: Span) -> bool {
    let start = span.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..start].trim().is_empty()
}

/// What a `Comment` holds to suppress rules.
const MARKER: &str = "sfn-lint-ignore:";

/// Finds `sfn-lint-ignore:` markers in `Comment` fields of the top level and of states.
fn comment_markers(doc: &Document, out: &mut Vec<Directive>) {
    let Some(root) = doc.root else { return };
    let mut visit = vec![(root, true)];
    while let Some((obj, top)) = visit.pop() {
        if let Some(comment) = doc.get(obj, "Comment").and_then(|c| doc.as_str(c))
            && let Some(i) = comment.find(MARKER)
        {
            let list = comment[i + MARKER.len()..].lines().next().unwrap_or("");
            let rules: Vec<String> = list
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect();
            let scope = if top {
                Scope::File
            } else {
                Scope::Pointer(doc.pointer(obj))
            };
            out.push(Directive {
                rules: (!rules.is_empty()).then_some(rules),
                scope,
            });
        }
        // Descend into States, Branches and processors to reach every state.
        for key in ["States"] {
            if let Some(states) = doc.get(obj, key) {
                for m in doc.members(states) {
                    if matches!(doc.kind(m.value), NodeKind::Object(_)) {
                        visit.push((m.value, false));
                        for sub in ["ItemProcessor", "Iterator"] {
                            if let Some(p) = doc.get(m.value, sub) {
                                visit.push((p, false));
                            }
                        }
                        if let Some(b) = doc.get(m.value, "Branches") {
                            for br in doc.items(b) {
                                visit.push((*br, false));
                            }
                        }
                    }
                }
            }
        }
    }
}
