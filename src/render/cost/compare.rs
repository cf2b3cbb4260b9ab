//! `sfn-lint cost … --compare BASE`: what a change does to the bill. The Markdown is shaped
//! for a pull-request comment: a headline, a table of the workflows that changed, and the
//! per-state detail collapsed.

use std::fmt::Write;

use super::CostFormat;
use crate::cost::diff::{Diff, Figures, Status, WorkflowDiff};
use crate::cost::portfolio::StateRow;
use crate::cost::{fmt_count, fmt_money};

/// The line a pull-request comment carries so that a later run updates it, not adds one.
pub const COMMENT_MARKER: &str = "<!-- sfn-lint cost -->";

pub fn render(format: CostFormat, d: &Diff) -> String {
    match format {
        CostFormat::Json => {
            let mut o = serde_json::to_string_pretty(d).unwrap_or_default();
            o.push('\n');
            o
        }
        CostFormat::Markdown => markdown(d),
        CostFormat::Csv => csv(d),
        CostFormat::Text | CostFormat::Html => text(d),
    }
}

fn signed_money(v: f64) -> String {
    if v.abs() < 0.005 {
        return "no change".into();
    }
    let s = fmt_money(v.abs());
    if v > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

fn pct(old: f64, new: f64) -> String {
    if old.abs() < 1e-12 || (new - old).abs() < 0.005 {
        return String::new();
    }
    format!(" ({:+.1}%)", (new - old) / old * 100.0)
}

fn name(w: &WorkflowDiff) -> String {
    match &w.machine {
        Some(m) => format!("{}#{m}", w.file),
        None => w.file.clone(),
    }
}

/// `2 → 3`, `new: 3`, `removed: 2`, or `3` when it did not change.
fn arrow(before: Option<f64>, after: Option<f64>, fmt: fn(f64) -> String) -> String {
    match (before, after) {
        (Some(b), Some(a)) if (a - b).abs() < 1e-9 => fmt(a),
        (Some(b), Some(a)) => format!("{} → {}", fmt(b), fmt(a)),
        (None, Some(a)) => format!("new: {}", fmt(a)),
        (Some(b), None) => format!("removed: {}", fmt(b)),
        (None, None) => String::new(),
    }
}

fn counts(d: &Diff) -> String {
    let n = |s: Status| d.workflows.iter().filter(|w| w.status == s).count();
    let plural = |k: usize| if k == 1 { "workflow" } else { "workflows" };
    let mut parts = vec![format!(
        "{} {} changed",
        n(Status::Changed),
        plural(n(Status::Changed))
    )];
    for (s, what) in [
        (Status::New, "new"),
        (Status::Removed, "removed"),
        (Status::Unchanged, "unchanged"),
    ] {
        if n(s) > 0 {
            parts.push(format!("{} {what}", n(s)));
        }
    }
    parts.join(", ")
}

fn headline(d: &Diff) -> String {
    let t = &d.total;
    if t.change_usd.abs() < 0.005 {
        format!("no change to the monthly bill ({})", fmt_money(t.after_usd))
    } else {
        format!(
            "{} a month{}",
            signed_money(t.change_usd),
            pct(t.before_usd, t.after_usd)
        )
    }
}

fn ty(f: Option<&Figures>) -> String {
    f.map(|f| match f.ty {
        crate::asl::WorkflowType::Standard => "Standard".to_string(),
        crate::asl::WorkflowType::Express => "Express".to_string(),
    })
    .unwrap_or_default()
}

fn md_code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn markdown(d: &Diff) -> String {
    let mut o = String::new();
    let t = &d.total;
    let _ = writeln!(
        o,
        "{COMMENT_MARKER}\n### Step Functions cost: {}\n\n**{} → {}** a month · {}\n",
        headline(d),
        fmt_money(t.before_usd),
        fmt_money(t.after_usd),
        counts(d)
    );
    let shown: Vec<&WorkflowDiff> = d
        .workflows
        .iter()
        .filter(|w| w.status != Status::Unchanged)
        .collect();
    if !shown.is_empty() {
        o.push_str("| Workflow | Type | Transitions per execution | Before | After | Change |\n|---|---|---:|---:|---:|---:|\n");
        for w in &shown {
            let (b, a) = (w.before.as_ref(), w.after.as_ref());
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {}{} |",
                md_code(&name(w)),
                ty(a.or(b)),
                arrow(
                    b.map(|f| f.transitions_per_execution),
                    a.map(|f| f.transitions_per_execution),
                    fmt_count
                ),
                b.map_or("–".into(), |f| fmt_money(f.monthly_usd)),
                a.map_or("–".into(), |f| fmt_money(f.monthly_usd)),
                signed_money(w.change_usd),
                pct(
                    b.map_or(0.0, |f| f.monthly_usd),
                    a.map_or(0.0, |f| f.monthly_usd)
                ),
            );
        }
        // Rows of unchanged workflows are not shown, but their share of the free tier and of
        // the Express tiers may move; say by how much, so that the column adds up.
        let shown_change: f64 = shown.iter().map(|w| w.change_usd).sum();
        let rest = t.change_usd - shown_change;
        if rest.abs() >= 0.005 {
            let _ = writeln!(
                o,
                "| unchanged workflows (shares of the free tier and Express tiers) | | | | | {} |",
                signed_money(rest)
            );
        }
        let _ = writeln!(
            o,
            "| **Total** | | | **{}** | **{}** | **{}{}** |\n",
            fmt_money(t.before_usd),
            fmt_money(t.after_usd),
            signed_money(t.change_usd),
            pct(t.before_usd, t.after_usd)
        );
    }
    let with_states: Vec<&&WorkflowDiff> = shown.iter().filter(|w| !w.states.is_empty()).collect();
    if !with_states.is_empty() {
        o.push_str("<details><summary>Per state</summary>\n\n");
        for w in with_states {
            let _ = writeln!(
                o,
                "**{}**\n\n| State | Visits per execution | Transitions per execution | Monthly |\n|---|---:|---:|---:|",
                md_code(&name(w))
            );
            for s in &w.states {
                let (b, a) = (s.before.as_ref(), s.after.as_ref());
                let get = |f: fn(&StateRow) -> f64| (b.map(f), a.map(f));
                let (vb, va) = get(|s| s.expected_visits);
                let (tb, ta) = get(|s| s.transitions);
                let (ub, ua) = get(|s| s.monthly_usd);
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    md_code(&s.name),
                    arrow(vb, va, fmt_count),
                    arrow(tb, ta, fmt_count),
                    arrow(ub, ua, fmt_money)
                );
            }
            o.push('\n');
        }
        o.push_str("</details>\n\n");
    }
    let _ = writeln!(
        o,
        "<sub>Base: {}. Monthly figures come from the usage profile and its defaults; a state's dollars are its share of its workflow's bill. Made by <code>sfn-lint cost --compare</code>.</sub>",
        d.base.replace('<', "&lt;")
    );
    o
}

fn text(d: &Diff) -> String {
    let mut o = String::new();
    let t = &d.total;
    let _ = writeln!(
        o,
        "Step Functions cost: {} ({} → {} a month; {})\nBase: {}",
        headline(d),
        fmt_money(t.before_usd),
        fmt_money(t.after_usd),
        counts(d),
        d.base
    );
    for w in d.workflows.iter().filter(|w| w.status != Status::Unchanged) {
        let (b, a) = (w.before.as_ref(), w.after.as_ref());
        let _ = writeln!(
            o,
            "\n  {} ({}): {} → {}, {}; transitions per execution {}",
            name(w),
            match w.status {
                Status::New => "new",
                Status::Removed => "removed",
                _ => "changed",
            },
            b.map_or("–".into(), |f| fmt_money(f.monthly_usd)),
            a.map_or("–".into(), |f| fmt_money(f.monthly_usd)),
            signed_money(w.change_usd),
            arrow(
                b.map(|f| f.transitions_per_execution),
                a.map(|f| f.transitions_per_execution),
                fmt_count
            ),
        );
        for s in &w.states {
            let (sb, sa) = (s.before.as_ref(), s.after.as_ref());
            let _ = writeln!(
                o,
                "    {:<28} visits {}, transitions {}, monthly {}",
                s.name,
                arrow(
                    sb.map(|s| s.expected_visits),
                    sa.map(|s| s.expected_visits),
                    fmt_count
                ),
                arrow(
                    sb.map(|s| s.transitions),
                    sa.map(|s| s.transitions),
                    fmt_count
                ),
                arrow(
                    sb.map(|s| s.monthly_usd),
                    sa.map(|s| s.monthly_usd),
                    fmt_money
                ),
            );
        }
    }
    o
}

fn csv(d: &Diff) -> String {
    let q = super::csv_field;
    let mut o = String::from(
        "file,machine,status,before_transitions_per_execution,after_transitions_per_execution,before_monthly_usd,after_monthly_usd,change_usd\n",
    );
    let num = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for w in &d.workflows {
        let (b, a) = (w.before.as_ref(), w.after.as_ref());
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{}",
            q(&w.file),
            q(w.machine.as_deref().unwrap_or("")),
            serde_json::to_value(w.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            num(b.map(|f| f.transitions_per_execution)),
            num(a.map(|f| f.transitions_per_execution)),
            num(b.map(|f| f.monthly_usd)),
            num(a.map(|f| f.monthly_usd)),
            w.change_usd
        );
    }
    o
}
