//! Cost reports: `text` for the terminal, `markdown` for pull requests (with a Mermaid diagram
//! shaded by expected visits), `json` for dashboards (`schemas/cost-report.schema.json`),
//! `html` (one self-contained file) and `csv` (one row per state).

pub mod compare;
pub mod html;
pub mod set;

use std::fmt::Write;

use crate::cost::{CostReport, fmt_count, fmt_duration, fmt_money};
use crate::diagnostic::Severity;
use crate::plan::payload::fmt_bytes;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostFormat {
    Text,
    Markdown,
    Json,
    Html,
    Csv,
}

pub fn render(format: CostFormat, r: &CostReport) -> String {
    match format {
        CostFormat::Text => text(r),
        CostFormat::Markdown => markdown(r),
        CostFormat::Json => json(r),
        CostFormat::Html => html::render(r),
        CostFormat::Csv => csv(r),
    }
}

pub fn json(r: &CostReport) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

/// The monthly figures as quantity × unit price, collapsed (a pull-request comment stays short).
fn breakdown_markdown(r: &CostReport) -> String {
    let mut o = String::from(
        "<details><summary>How the monthly figures are made</summary>\n\n| bill | item | quantity | unit price | = |\n|---|---|---:|---:|---:|\n",
    );
    for row in breakdown_rows(r) {
        match row {
            BreakdownRow::Line([bill, item, quantity, price, usd]) => {
                let _ = writeln!(
                    o,
                    "| {bill} | {} | {quantity} | {price} | {usd} |",
                    md_escape(&item)
                );
            }
            BreakdownRow::Total(bill, usd) => {
                let _ = writeln!(o, "| **{bill}** | **total** | | | **{usd}** |");
            }
        }
    }
    o.push_str("\n</details>\n\n");
    o
}

/// A row of the breakdown table, its cells formatted (not escaped).
pub(super) enum BreakdownRow {
    /// Bill, item, quantity with its unit, unit price, amount.
    Line([String; 5]),
    /// A bill's total.
    Total(&'static str, String),
}

/// Both bills line by line, each with its total (Express only when it has a price).
pub(super) fn breakdown_rows(r: &CostReport) -> Vec<BreakdownRow> {
    let bills = [
        ("Standard", &r.standard.breakdown, Some(r.standard.monthly)),
        ("Express", &r.express.breakdown, r.express.monthly),
    ];
    let mut rows = Vec::new();
    for (bill, lines, total) in bills {
        rows.extend(lines.iter().map(|l| {
            BreakdownRow::Line([
                bill.to_string(),
                l.item.clone(),
                format!("{} {}s", fmt_count(l.quantity), l.unit),
                unit_price(l.unit_price),
                fmt_money(l.usd),
            ])
        }));
        rows.extend(total.map(|t| BreakdownRow::Total(bill, fmt_money(t))));
    }
    rows
}

/// A unit price with the digits it needs ($0.000025 a transition, $0.000001 a request).
pub fn unit_price(v: f64) -> String {
    if v == 0.0 {
        return "$0".into();
    }
    let digits = (-(v.abs().log10().floor()) as i32 + 2).clamp(2, 12) as usize;
    let s = format!("{v:.digits$}");
    // Trailing zeros say nothing; cents keep two places.
    let point = s.find('.').unwrap_or(s.len());
    let keep = s.trim_end_matches('0').len().max(point + 3).min(s.len());
    format!("${}", &s[..keep])
}

/// An Express figure, or why there is none.
pub fn express_money(v: Option<f64>) -> String {
    v.map_or_else(|| "not possible".into(), fmt_money)
}

/// The sentence that compares the two types from the type the workflow is created as, naming
/// what stops Express when it is stopped.
pub fn verdict(r: &CostReport) -> String {
    let s = r.standard.monthly;
    let Some(e) = r.express.monthly else {
        let blockers = r.express.blockers.join("; ");
        return if r.workflow_type == crate::asl::WorkflowType::Express {
            format!("this workflow cannot run as Express: {blockers}")
        } else {
            format!("Express is not possible: {blockers}")
        };
    };
    let save = |what: &str, from: f64, to: f64| {
        format!(
            "{what} would save {}/month ({:.0}%)",
            fmt_money(from - to),
            (from - to) / from.max(1e-300) * 100.0
        )
    };
    let express_now = r.workflow_type == crate::asl::WorkflowType::Express;
    if e < s {
        if express_now {
            format!(
                "Express is {}/month cheaper than Standard",
                fmt_money(s - e)
            )
        } else {
            save("Express", s, e)
        }
    } else if s < e {
        if express_now {
            save("Standard", e, s)
        } else {
            format!("Standard is {}/month cheaper", fmt_money(e - s))
        }
    } else {
        "both types cost the same at this volume".into()
    }
}

fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.0005 {
        // Rare outcomes still show: 0.0% would hide them.
        format!("{:.1e}%", x * 100.0)
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

fn level(l: Severity) -> &'static str {
    match l {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn header_line(r: &CostReport) -> String {
    format!(
        "{} ({}) · {} executions/month · {} · prices checked {}",
        r.region,
        r.region_name,
        fmt_count(r.executions_per_month),
        if r.free_tier {
            "free tier counted"
        } else {
            "no free tier"
        },
        r.prices.checked
    )
}

fn per_execution_rows(r: &CostReport) -> Vec<(String, String)> {
    let p = &r.per_execution;
    let mut rows = vec![
        (
            "state transitions".into(),
            format!("{} (retries included)", fmt_count(p.transitions)),
        ),
        (
            "history events".into(),
            format!(
                "{} ({} of the 25,000 quota)",
                fmt_count(p.history_events),
                pct(p.history_events / crate::cost::HISTORY_LIMIT)
            ),
        ),
        (
            "duration".into(),
            format!(
                "{} (with p95 Task times {})",
                fmt_duration(p.duration_s),
                fmt_duration(p.p95_duration_s)
            ),
        ),
        ("succeeds".into(), pct(p.success_rate)),
        (
            "largest payload".into(),
            match &r.payload.peak_state {
                Some(s) => format!("{} (output of {s})", fmt_bytes(r.payload.peak_bytes)),
                None => "-".into(),
            },
        ),
        (
            "Express memory".into(),
            format!(
                "{:.1} MB, billed {} MB × {}",
                p.express_memory_mb,
                fmt_count(p.express_billed_memory_mb),
                fmt_duration(p.express_billed_duration_s)
            ),
        ),
    ];
    if p.child_transitions > 0.0 {
        rows.push((
            "child transitions".into(),
            format!(
                "{} (Distributed Map, Standard children)",
                fmt_count(p.child_transitions)
            ),
        ));
    }
    if p.child_express_executions > 0.0 {
        rows.push((
            "child executions".into(),
            format!(
                "{} (Distributed Map, Express children)",
                fmt_count(p.child_express_executions)
            ),
        ));
    }
    for f in &p.failures {
        rows.push((format!("fails with {}", f.error), pct(f.probability)));
    }
    rows
}

pub fn text(r: &CostReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Cost estimate for {}", r.file);
    let _ = writeln!(o, "  {}", header_line(r));
    if !r.definition_errors.is_empty() {
        let _ = writeln!(
            o,
            "\nThe definition has errors AWS would reject (an undefined target is taken as the end):"
        );
        for e in &r.definition_errors {
            let _ = writeln!(o, "  {e}");
        }
    }
    let _ = writeln!(o, "\nPer execution");
    for (k, v) in per_execution_rows(r) {
        let _ = writeln!(o, "  {k:<20} {v}");
    }
    let _ = writeln!(o, "\n  {:<20} {:>16} {:>16}", "", "Standard", "Express");
    let _ = writeln!(
        o,
        "  {:<20} {:>16} {:>16}",
        "per month",
        fmt_money(r.standard.monthly),
        express_money(r.express.monthly)
    );
    let _ = writeln!(
        o,
        "  {:<20} {:>16} {:>16}",
        "per 1M executions",
        fmt_money(r.standard.per_million_executions),
        express_money(r.express.per_million_executions)
    );
    let _ = writeln!(o, "\n  {}.", verdict(r));
    let _ = writeln!(o, "  Break-even: {}.", r.break_even);
    if !r.prices.express_verified {
        let _ = writeln!(
            o,
            "  Express rates are not published for {} in the sources used; us-east-1 rates are shown.",
            r.region
        );
    }
    let _ = writeln!(o, "\nWhat drives the cost");
    let _ = writeln!(
        o,
        "  {:<32} {:>12} {:>7} {:>10} {:>7}",
        "state", "transitions", "share", "time", "share"
    );
    for d in &r.drivers {
        let _ = writeln!(
            o,
            "  {:<32} {:>12} {:>7} {:>10} {:>7}",
            d.state,
            fmt_count(d.transitions),
            pct(d.share),
            fmt_duration(d.duration_s),
            pct(d.duration_share)
        );
    }
    if !r.risks.is_empty() {
        let _ = writeln!(o, "\nRisks");
        for k in &r.risks {
            let _ = writeln!(o, "  {}: {}", level(k.level), k.message);
        }
    }
    if !r.assumptions.is_empty() {
        let _ = writeln!(
            o,
            "\nAssumptions (set these in a profile, --profile, to sharpen the estimate)"
        );
        for a in &r.assumptions {
            if a.states.is_empty() {
                let _ = writeln!(o, "  - {}", a.assumption);
            } else {
                let _ = writeln!(o, "  - {}: {}", a.assumption, list(&a.states));
            }
        }
    }
    let _ = writeln!(o, "\nApproximations");
    for a in &r.approximations {
        let _ = writeln!(o, "  - {a}");
    }
    if let Some(s) = &r.simulation {
        let _ = writeln!(
            o,
            "\nSimulation ({} runs, seed {}): transitions {} ± {}, history events {} ± {}, duration {} ± {}",
            fmt_count(s.runs as f64),
            s.seed,
            fmt_f(s.transitions.mean),
            fmt_f(s.transitions.std_error),
            fmt_f(s.events.mean),
            fmt_f(s.events.std_error),
            fmt_duration(s.duration_s.mean),
            fmt_duration(s.duration_s.std_error)
        );
    }
    o
}

fn fmt_f(v: f64) -> String {
    format!("{v:.3}")
}

/// At most eight names, then a count.
fn list(names: &[String]) -> String {
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..8].join(", "), names.len() - 8)
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn markdown(r: &CostReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "### Step Functions cost estimate: `{}`\n", r.file);
    let _ = writeln!(o, "{}\n", header_line(r));
    if !r.definition_errors.is_empty() {
        let _ = writeln!(
            o,
            "> [!WARNING]\n> The definition has errors AWS would reject (an undefined target is taken as the end):"
        );
        for e in &r.definition_errors {
            let _ = writeln!(o, "> - {}", md_escape(e));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "| | Standard | Express |\n|---|---:|---:|");
    let _ = writeln!(
        o,
        "| per month | {} | {} |",
        fmt_money(r.standard.monthly),
        express_money(r.express.monthly)
    );
    let _ = writeln!(
        o,
        "| per 1M executions | {} | {} |\n",
        fmt_money(r.standard.per_million_executions),
        express_money(r.express.per_million_executions)
    );
    let _ = writeln!(
        o,
        "**{}.** Break-even: {}.\n",
        md_escape(&verdict(r)),
        r.break_even
    );
    o.push_str(&breakdown_markdown(r));
    let _ = writeln!(o, "| per execution | |\n|---|---|");
    for (k, v) in per_execution_rows(r) {
        let _ = writeln!(o, "| {} | {} |", md_escape(&k), md_escape(&v));
    }
    let _ = writeln!(o, "\n#### What drives the cost\n");
    let _ = writeln!(
        o,
        "| state | transitions per execution | share |\n|---|---:|---:|"
    );
    for d in &r.drivers {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} |",
            md_escape(&d.state),
            fmt_count(d.transitions),
            pct(d.share)
        );
    }
    if !r.risks.is_empty() {
        let _ = writeln!(o, "\n#### Risks\n");
        for k in &r.risks {
            let _ = writeln!(o, "- **{}**: {}", level(k.level), md_escape(&k.message));
        }
    }
    let _ = writeln!(o, "\n#### Expected visits per execution\n");
    let (diagram, left_out) = mermaid_within(r);
    let _ = writeln!(o, "```mermaid\n{diagram}```\n");
    if let Some(why) = left_out {
        let _ = writeln!(o, "_{}._\n", md_escape(&why));
    }
    let _ = writeln!(
        o,
        "<details><summary>Assumptions and approximations</summary>\n"
    );
    for a in &r.assumptions {
        if a.states.is_empty() {
            let _ = writeln!(o, "- {}", md_escape(&a.assumption));
        } else {
            let _ = writeln!(
                o,
                "- {}: {}",
                md_escape(&a.assumption),
                md_escape(&list(&a.states))
            );
        }
    }
    for a in &r.approximations {
        let _ = writeln!(o, "- {}", md_escape(a));
    }
    let _ = writeln!(o, "\n</details>");
    o
}

/// Heat level 0–4 of a state by visits, on a log scale against the busiest state.
pub fn heat(visits: f64, max: f64) -> usize {
    if visits <= 0.0 || max <= 0.0 {
        return 0;
    }
    let x = (1.0 + visits).ln() / (1.0 + max).ln();
    ((x * 4.0).round() as usize).clamp(1, 4)
}

pub const HEAT_COLORS: [&str; 5] = ["#f2f2f2", "#fff4d6", "#ffd699", "#ffa64d", "#e8590c"];

/// A Mermaid flowchart of the report's graph, states shaded by expected visits.
pub fn mermaid(r: &CostReport) -> String {
    mermaid_within(r).0
}

/// [`mermaid`], and what was left out to keep the block under the renderers' limit
/// ([`crate::render::MERMAID_LIMIT`]): first the insides of Maps and Parallels, then, if the
/// top level alone is too big, its later states.
pub fn mermaid_within(r: &CostReport) -> (String, Option<String>) {
    let limit = crate::render::MERMAID_LIMIT;
    let full = mermaid_drawn(r, false, usize::MAX);
    if full.len() <= limit {
        return (full, None);
    }
    let nested: usize = r.graph.scopes.iter().skip(1).map(|s| s.states.len()).sum();
    let collapsed = mermaid_drawn(r, true, usize::MAX);
    if collapsed.len() <= limit {
        return (
            collapsed,
            Some(format!(
                "the full diagram is longer than renderers draw ({limit} characters): Maps and Parallels are shown collapsed, their {nested} inner states left out"
            )),
        );
    }
    // The most top-level states that fit, by halving.
    let top = r.graph.scopes.first().map_or(0, |s| s.states.len());
    let (mut lo, mut hi) = (0usize, top);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if mermaid_drawn(r, true, mid).len() <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    (
        mermaid_drawn(r, true, lo),
        Some(format!(
            "the full diagram is longer than renderers draw ({limit} characters): it shows the first {lo} of {top} top-level states, with Maps and Parallels collapsed"
        )),
    )
}

/// Draws the graph; `collapsed`: nested scopes as a count on their owner; `first`: how many
/// top-level states to draw.
fn mermaid_drawn(r: &CostReport, collapsed: bool, first: usize) -> String {
    let q = |s: &str| s.replace('"', "#quot;");
    let max = r.states.iter().map(|s| s.visits).fold(0.0, f64::max);
    // Indexes, so that drawing is linear in the states and edges.
    let mut children: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
    for (ci, c) in r.graph.scopes.iter().enumerate() {
        if let Some(o) = c.owner {
            children.entry(o).or_default().push(ci);
        }
    }
    let mut edges_from: Vec<Vec<&crate::cost::EdgeOut>> = vec![Vec::new(); r.states.len()];
    for e in &r.graph.edges {
        if let Some(v) = edges_from.get_mut(e.from) {
            v.push(e);
        }
    }
    let mut drawn = vec![false; r.states.len()];
    if let Some(root) = r.graph.scopes.first() {
        for &s in root.states.iter().take(first) {
            drawn[s] = true;
        }
    }
    struct Ctx<'a> {
        r: &'a CostReport,
        max: f64,
        collapsed: bool,
        children: &'a rustc_hash::FxHashMap<usize, Vec<usize>>,
        edges_from: &'a [Vec<&'a crate::cost::EdgeOut>],
        drawn: &'a mut Vec<bool>,
        q: &'a dyn Fn(&str) -> String,
    }
    fn scope_body(cx: &mut Ctx<'_>, si: usize, depth: usize, o: &mut String) {
        let r = cx.r;
        let pad = "  ".repeat(depth);
        let sc = &r.graph.scopes[si];
        for &s in &sc.states {
            if !cx.drawn[s] {
                if depth > 1 {
                    cx.drawn[s] = true;
                } else {
                    continue;
                }
            }
            let st = &r.states[s];
            let inner: usize = cx
                .children
                .get(&s)
                .map(|cs| cs.iter().map(|c| r.graph.scopes[*c].states.len()).sum())
                .unwrap_or(0);
            let more = if cx.collapsed && inner > 0 {
                format!("<br/>+{inner} states inside")
            } else {
                String::new()
            };
            let label = format!("{}<br/>×{}{more}", (cx.q)(&st.state), fmt_visits(st.visits));
            let node = match st.ty.as_str() {
                "Choice" => format!("s{s}{{\"{label}\"}}"),
                "Succeed" | "Fail" => format!("s{s}([\"{label}\"])"),
                _ => format!("s{s}[\"{label}\"]"),
            };
            let _ = writeln!(o, "{pad}{node}:::heat{}", heat(st.visits, cx.max));
            if cx.collapsed {
                continue;
            }
            for &ci in cx.children.get(&s).map(Vec::as_slice).unwrap_or(&[]) {
                let c = &r.graph.scopes[ci];
                let _ = writeln!(o, "{pad}subgraph g{ci} [\"{}\"]", (cx.q)(&c.title));
                let _ = writeln!(o, "{pad}  direction TB");
                scope_body(cx, ci, depth + 1, o);
                let _ = writeln!(o, "{pad}end");
                if let Some(start) = c.start {
                    let _ = writeln!(o, "{pad}s{s} -.-> s{start}");
                }
            }
        }
        for &s in &sc.states {
            if !cx.drawn[s] {
                continue;
            }
            for e in &cx.edges_from[s] {
                let Some(to) = e.to else { continue };
                if !cx.drawn.get(to).copied().unwrap_or(false) && depth == 1 {
                    continue;
                }
                if e.probability < 0.999_999 {
                    let _ = writeln!(
                        o,
                        "{pad}s{} -- \"{}\" --> s{to}",
                        e.from,
                        pct(e.probability)
                    );
                } else {
                    let _ = writeln!(o, "{pad}s{} --> s{to}", e.from);
                }
            }
        }
    }
    let mut o = String::from("flowchart TD\n");
    if let Some(start) = r.graph.scopes.first().and_then(|s| s.start)
        && drawn[start]
    {
        let _ = writeln!(o, "  start((start)) --> s{start}");
    }
    if !r.graph.scopes.is_empty() {
        let mut cx = Ctx {
            r,
            max,
            collapsed,
            children: &children,
            edges_from: &edges_from,
            drawn: &mut drawn,
            q: &q,
        };
        scope_body(&mut cx, 0, 1, &mut o);
    }
    for (i, c) in HEAT_COLORS.iter().enumerate() {
        let _ = writeln!(
            o,
            "  classDef heat{i} fill:{c},stroke:#888888,color:#000000"
        );
    }
    o
}

pub fn fmt_visits(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(r: &CostReport) -> String {
    let mut o = String::from(
        "state,type,scope,visits,attempts_per_visit,transitions,history_events,duration_s,child_execution\n",
    );
    let q = csv_field;
    for s in &r.states {
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{},{}",
            q(&s.state),
            s.ty,
            q(&s.scope),
            s.visits,
            s.attempts_per_visit,
            s.transitions,
            s.history_events,
            s.duration_s,
            s.child_execution
        );
    }
    o
}
