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

/// What a comparison reads of one version: a report made now, or a saved JSON report.
#[derive(Clone, Debug)]
pub struct Side {
    pub file: String,
    transitions: f64,
    history_events: f64,
    duration_s: f64,
    standard_monthly: f64,
    express_monthly: Option<f64>,
}

impl From<&CostReport> for Side {
    fn from(r: &CostReport) -> Side {
        Side {
            file: r.file.clone(),
            transitions: r.per_execution.transitions + r.per_execution.child_transitions,
            history_events: r.per_execution.history_events,
            duration_s: r.per_execution.duration_s,
            standard_monthly: r.standard.monthly,
            express_monthly: r.express.monthly,
        }
    }
}

impl Side {
    /// A saved `sfn-lint cost --format json` report (`schemas/cost-report.schema.json`), or
    /// `None` when the value is not one.
    pub fn from_saved(v: &serde_json::Value) -> Option<Side> {
        if v.get("version")?.as_u64()? != u64::from(crate::cost::REPORT_VERSION) {
            return None;
        }
        let num = |p: &str| v.pointer(p).and_then(serde_json::Value::as_f64);
        Some(Side {
            file: v.get("file")?.as_str()?.to_string(),
            transitions: num("/per_execution/transitions")?
                + num("/per_execution/child_transitions").unwrap_or(0.0),
            history_events: num("/per_execution/history_events")?,
            duration_s: num("/per_execution/duration_s")?,
            standard_monthly: num("/standard/monthly")?,
            express_monthly: num("/express/monthly"),
        })
    }
}

fn rows(old: &Side, new: &Side) -> Vec<Row> {
    let r = |what, o: f64, n: f64| Row {
        what,
        old: o,
        new: n,
        change: n - o,
    };
    let mut rows = vec![
        r(
            "transitions per execution",
            old.transitions,
            new.transitions,
        ),
        r(
            "history events per execution",
            old.history_events,
            new.history_events,
        ),
        r("duration per execution (s)", old.duration_s, new.duration_s),
        r(
            "Standard per month ($)",
            old.standard_monthly,
            new.standard_monthly,
        ),
    ];
    // Only when both versions could run as Express: a price that does not exist has no change.
    if let (Some(o), Some(n)) = (old.express_monthly, new.express_monthly) {
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

/// The change from `old` (costed now, or a saved report) to `new`.
pub fn render(format: CostFormat, old: &Side, new: &CostReport) -> String {
    let rows = rows(old, &Side::from(new));
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
