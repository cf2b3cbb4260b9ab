//! The report on a set of workflows: one row each and the total, priced once.

use std::fmt::Write;

use super::{CostFormat, csv_field, md_escape};
use crate::asl::WorkflowType;
use crate::cost::portfolio::{Portfolio, WorkflowRow};
use crate::cost::{Line, fmt_count, fmt_money};

pub fn render(format: CostFormat, p: &Portfolio) -> String {
    match format {
        CostFormat::Json => {
            let mut o = serde_json::to_string_pretty(p).unwrap_or_default();
            o.push('\n');
            o
        }
        CostFormat::Markdown => markdown(p),
        CostFormat::Csv => csv(p),
        CostFormat::Text | CostFormat::Html => text(p),
    }
}

fn name(w: &WorkflowRow) -> String {
    match &w.machine {
        Some(m) => format!("{}#{m}", w.file),
        None => w.file.clone(),
    }
}

fn ty(t: WorkflowType) -> &'static str {
    match t {
        WorkflowType::Standard => "Standard",
        WorkflowType::Express => "Express",
    }
}

fn line_text(l: &Line) -> String {
    format!(
        "{} {} × ${} = {}",
        fmt_count(l.quantity),
        if l.quantity == 1.0 {
            l.unit.to_string()
        } else {
            format!("{}s", l.unit)
        },
        l.unit_price,
        fmt_money(l.usd)
    )
}

fn tiers_note(p: &Portfolio) -> &'static str {
    if p.free_tier {
        "the Standard free tier and the Express duration tiers counted once for the whole set"
    } else {
        "no free tier; the Express duration tiers counted once for the whole set"
    }
}

fn text(p: &Portfolio) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Step Functions cost for {} workflow{}: {} a month\n({})\n",
        p.workflows.len(),
        if p.workflows.len() == 1 { "" } else { "s" },
        fmt_money(p.total.monthly_usd),
        tiers_note(p)
    );
    let width = p
        .workflows
        .iter()
        .map(|w| name(w).chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(
        o,
        "  {:<width$}  {:<8}  {:>14}  {:>12}  {:>12}",
        "workflow", "type", "executions/mo", "transitions", "monthly"
    );
    for w in &p.workflows {
        let _ = writeln!(
            o,
            "  {:<width$}  {:<8}  {:>14}  {:>12}  {:>12}",
            name(w),
            ty(w.ty),
            fmt_count(w.executions_per_month),
            fmt_count(w.transitions_per_execution),
            fmt_money(w.monthly_usd)
        );
    }
    let _ = writeln!(
        o,
        "  {:<width$}  {:<8}  {:>14}  {:>12}  {:>12}\n",
        "total",
        "",
        "",
        "",
        fmt_money(p.total.monthly_usd)
    );
    o.push_str("How the total is made:\n");
    for l in &p.total.breakdown {
        let _ = writeln!(o, "  {}: {}", l.item, line_text(l));
    }
    if !p.skipped.is_empty() {
        o.push_str("\nNot costed:\n");
        for s in &p.skipped {
            let who = match &s.machine {
                Some(m) => format!("{}#{m}", s.file),
                None => s.file.clone(),
            };
            let _ = writeln!(o, "  {who}: {}", s.reason);
        }
    }
    if !p.assumptions.is_empty() {
        o.push_str("\nAssumed (set these in the profile to sharpen the estimate):\n");
        for a in &p.assumptions {
            let _ = writeln!(o, "  {} ({})", a.assumption, a.workflows.join(", "));
        }
    }
    o
}

fn markdown(p: &Portfolio) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "### Step Functions cost: {} a month for {} workflow{}\n\n{}.\n\n| Workflow | Type | Executions per month | Transitions per execution | Monthly |\n|---|---|---:|---:|---:|",
        fmt_money(p.total.monthly_usd),
        p.workflows.len(),
        if p.workflows.len() == 1 { "" } else { "s" },
        {
            let mut n = tiers_note(p).to_string();
            if let Some(c) = n.get_mut(0..1) {
                c.make_ascii_uppercase();
            }
            n
        }
    );
    for w in &p.workflows {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} |",
            md_escape(&name(w)),
            ty(w.ty),
            fmt_count(w.executions_per_month),
            fmt_count(w.transitions_per_execution),
            fmt_money(w.monthly_usd)
        );
    }
    let _ = writeln!(
        o,
        "| **Total** | | | | **{}** |\n",
        fmt_money(p.total.monthly_usd)
    );
    o.push_str("<details><summary>How the total is made</summary>\n\n| item | quantity | unit price | = |\n|---|---:|---:|---:|\n");
    for l in &p.total.breakdown {
        let _ = writeln!(
            o,
            "| {} | {} {} | ${} | {} |",
            md_escape(&l.item),
            fmt_count(l.quantity),
            l.unit,
            l.unit_price,
            fmt_money(l.usd)
        );
    }
    o.push_str("\n</details>\n");
    if !p.skipped.is_empty() {
        o.push_str("\n**Not costed**\n\n");
        for s in &p.skipped {
            let _ = writeln!(
                o,
                "- `{}`{}: {}",
                md_escape(&s.file),
                s.machine
                    .as_ref()
                    .map(|m| format!(" `{}`", md_escape(m)))
                    .unwrap_or_default(),
                md_escape(&s.reason)
            );
        }
    }
    o
}

fn csv(p: &Portfolio) -> String {
    let mut o = String::from(
        "file,machine,type,region,executions_per_month,transitions_per_execution,monthly_usd\n",
    );
    for w in &p.workflows {
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{}",
            csv_field(&w.file),
            csv_field(w.machine.as_deref().unwrap_or("")),
            ty(w.ty).to_ascii_lowercase(),
            csv_field(&w.region),
            w.executions_per_month,
            w.transitions_per_execution,
            w.monthly_usd
        );
    }
    let _ = writeln!(o, "total,,,,,,{}", p.total.monthly_usd);
    o
}
