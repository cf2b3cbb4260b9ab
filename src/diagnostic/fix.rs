//! Applying fixes: pure text in, text out. Edits of one fix apply together or not at all;
//! a fix that overlaps one already taken waits for the next round, and rounds repeat (after
//! re-linting) until nothing changes, as ruff does.

use super::{Applicability, Diagnostic};

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Safe,
    /// Safe and unsafe fixes.
    Unsafe,
}

impl Mode {
    fn allows(self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self == Mode::Unsafe,
            Applicability::DisplayOnly => false,
        }
    }
}

/// Applies the non-overlapping fixes of one round. Returns the new text and how many fixes
/// were applied (0 when nothing applied).
pub fn apply_round(text: &str, diagnostics: &[Diagnostic], mode: Mode) -> (String, usize) {
    let mut fixes: Vec<_> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<(u32, u32)> = Vec::new();
    let mut edits = Vec::new();
    let mut applied = 0;
    'fixes: for f in fixes {
        for e in &f.edits {
            if e.span.end as usize > text.len()
                || !text.is_char_boundary(e.span.start as usize)
                || !text.is_char_boundary(e.span.end as usize)
            {
                continue 'fixes;
            }
            // Two insertions at the same point, or any overlap, conflict.
            if taken
                .iter()
                .any(|&(s, t)| e.span.start < t.max(s + 1) && s < e.span.end.max(e.span.start + 1))
            {
                continue 'fixes;
            }
        }
        for e in &f.edits {
            taken.push((e.span.start, e.span.end));
            edits.push(e);
        }
        applied += 1;
    }
    edits.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.span.range(), &e.replacement);
    }
    (out, applied)
}

/// Applies fixes until none is left, re-linting between rounds with `lint`. Returns the final
/// text and the number of fixes applied; a round whose result fails to parse is discarded.
pub fn apply_all(
    text: &str,
    mode: Mode,
    lint: impl Fn(&str) -> Vec<Diagnostic>,
) -> (String, usize) {
    let mut current = text.to_string();
    let mut total = 0;
    for _ in 0..10 {
        let diags = lint(&current);
        let (next, n) = apply_round(&current, &diags, mode);
        if n == 0 {
            break;
        }
        let broken = lint(&next)
            .iter()
            .any(|d| d.rule.category == crate::diagnostic::rule::Category::Syntax)
            && !diags
                .iter()
                .any(|d| d.rule.category == crate::diagnostic::rule::Category::Syntax);
        if broken {
            break;
        }
        total += n;
        current = next;
    }
    (current, total)
}

/// A unified diff of a fix, for `--diff`.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}
