//! `sfn-lint cost NEW --compare OLD`: what a change does to the bill, for a PR comment.

use std::fmt::Write;

use super::CostFormat;
use crate::cost::{CostReport, fmt_count, fmt_money};

#[derive(serde::Serialize)]
struct Row {
    what: &'static str,
    old: f64,
    new: f64,
    change: f64,
}

fn rows(old: &CostReport, new: &CostReport) -> Vec<Row> {
    let r = |what, o: f64, n: f64| Row {
        what,
        old: o,
        new: n,
        change: n - o,
    };
    let mut rows = vec![
        r(
            "transitions per execution",
            old.per_execution.transitions + old.per_execution.child_transitions,
            new.per_execution.transitions + new.per_execution.child_transitions,
        ),
        r(
            "history events per execution",
            old.per_execution.history_events,
            new.per_execution.history_events,
        ),
        r(
            "duration per execution (s)",
            old.per_execution.duration_s,
            new.per_execution.duration_s,
        ),
        r(
            "Standard per month ($)",
            old.standard.monthly,
            new.standard.monthly,
        ),
    ];
    // Only when both versions could run as Express: a price that does not exist has no change.
    if let (Some(o), Some(n)) = (old.express.monthly, new.express.monthly) {
        rows.push(r("Express per month ($)", o, n));
    }
    rows
}

fn fmt(what: &str, v: f64) -> String {
    if what.contains('$') {
        fmt_money(v)
    } else {
        fmt_count(v)
    }
}

fn signed(what: &str, v: f64) -> String {
    let s = fmt(what, v.abs());
    if v > 0.0 {
        format!("+{s}")
    } else if v < 0.0 {
        format!("-{s}")
    } else {
        "no change".into()
    }
}

fn pct(old: f64, new: f64) -> String {
    if old == 0.0 {
        return String::new();
    }
    format!(" ({:+.1}%)", (new - old) / old * 100.0)
}

pub fn render(format: CostFormat, old: &CostReport, new: &CostReport) -> String {
    let rows = rows(old, new);
    let mut o = String::new();
    match format {
        CostFormat::Json => {
            let v = serde_json::json!({
                "version": crate::cost::REPORT_VERSION,
                "old": old.file,
                "new": new.file,
                "executions_per_month": new.executions_per_month,
                "changes": rows,
            });
            o = serde_json::to_string_pretty(&v).unwrap_or_default();
            o.push('\n');
        }
        CostFormat::Markdown => {
            let _ = writeln!(
                o,
                "### Step Functions cost change: `{}`\n\nAt {} executions/month in {}.\n\n| | before | after | change |\n|---|---:|---:|---:|",
                new.file,
                fmt_count(new.executions_per_month),
                new.region
            );
            for r in &rows {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {}{} |",
                    r.what,
                    fmt(r.what, r.old),
                    fmt(r.what, r.new),
                    signed(r.what, r.change),
                    pct(r.old, r.new)
                );
            }
        }
        CostFormat::Csv => {
            o.push_str("what,old,new,change\n");
            for r in &rows {
                let _ = writeln!(o, "{},{},{},{}", r.what, r.old, r.new, r.change);
            }
        }
        CostFormat::Text | CostFormat::Html => {
            let _ = writeln!(
                o,
                "Cost change {} → {} at {} executions/month ({})",
                old.file,
                new.file,
                fmt_count(new.executions_per_month),
                new.region
            );
            for r in &rows {
                let _ = writeln!(
                    o,
                    "  {:<30} {:>14} → {:>14}  {}{}",
                    r.what,
                    fmt(r.what, r.old),
                    fmt(r.what, r.new),
                    signed(r.what, r.change),
                    pct(r.old, r.new)
                );
            }
        }
    }
    o
}
