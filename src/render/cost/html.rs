//! One self-contained HTML file: no script, no font, no network. The state diagram and the
//! cost-versus-volume chart are inline SVG drawn here (a layered layout per scope), so the
//! report opens the same anywhere, including offline and in a headless browser.

use std::fmt::Write;

use super::{HEAT_COLORS, fmt_visits, heat, per_execution_rows, verdict};
use crate::cost::{CostReport, fmt_count, fmt_money, monthly};

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(r: &CostReport) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Cost estimate: {}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n",
        esc(&r.file),
        CSS
    );
    let _ = writeln!(o, "<h1>Step Functions cost estimate</h1>");
    let _ = writeln!(
        o,
        "<p class=\"sub\"><code>{}</code> · {} ({}) · {} executions/month · prices checked {}</p>",
        esc(&r.file),
        esc(&r.region),
        esc(&r.region_name),
        fmt_count(r.executions_per_month),
        esc(&r.prices.checked)
    );
    if !r.definition_errors.is_empty() {
        let _ = writeln!(
            o,
            "<div class=\"errors\"><strong>The definition has errors AWS would reject</strong> (an undefined target is taken as the end):<ul>"
        );
        for e in &r.definition_errors {
            let _ = writeln!(o, "<li><code>{}</code></li>", esc(e));
        }
        let _ = writeln!(o, "</ul></div>");
    }
    let _ = writeln!(
        o,
        "<table class=\"bill\"><tr><th></th><th>Standard</th><th>Express</th></tr>\n<tr><td>per month</td><td id=\"standard-monthly\">{}</td><td id=\"express-monthly\">{}</td></tr>\n<tr><td>per 1M executions</td><td>{}</td><td>{}</td></tr></table>",
        fmt_money(r.standard.monthly),
        super::express_money(r.express.monthly),
        fmt_money(r.standard.per_million_executions),
        super::express_money(r.express.per_million_executions)
    );
    let _ = writeln!(
        o,
        "<p class=\"verdict\"><strong>{}.</strong> Break-even: {}.</p>",
        esc(&verdict(r)),
        esc(&r.break_even)
    );
    let _ = writeln!(
        o,
        "<details class=\"breakdown\"><summary>How the monthly figures are made</summary>\n<table><tr><th>bill</th><th>item</th><th>quantity</th><th>unit price</th><th>=</th></tr>"
    );
    for row in super::breakdown_rows(r) {
        match row {
            super::BreakdownRow::Line([bill, item, quantity, price, usd]) => {
                let _ = writeln!(
                    o,
                    "<tr><td>{bill}</td><td>{}</td><td>{quantity}</td><td>{price}</td><td>{usd}</td></tr>",
                    esc(&item)
                );
            }
            super::BreakdownRow::Total(bill, usd) => {
                let _ = writeln!(
                    o,
                    "<tr><th>{bill}</th><th>total</th><td></td><td></td><th>{usd}</th></tr>"
                );
            }
        }
    }
    let _ = writeln!(o, "</table></details>");
    let _ = writeln!(o, "<h2>Monthly cost by volume</h2>\n{}", chart(r));
    let _ = writeln!(o, "<h2>Per execution</h2>\n<table>");
    for (k, v) in per_execution_rows(r) {
        let _ = writeln!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(&k), esc(&v));
    }
    let _ = writeln!(o, "</table>");
    let _ = writeln!(
        o,
        "<h2>What drives the cost</h2>\n<table><tr><th>state</th><th>transitions per execution</th><th>share (Standard)</th><th>time per execution</th><th>share (Express)</th></tr>"
    );
    for d in &r.drivers {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{:.1}%</td><td>{}</td><td>{:.1}%</td></tr>",
            esc(&d.state),
            fmt_count(d.transitions),
            d.share * 100.0,
            crate::cost::fmt_duration(d.duration_s),
            d.duration_share * 100.0
        );
    }
    let _ = writeln!(o, "</table>");
    if !r.risks.is_empty() {
        let _ = writeln!(o, "<h2>Risks</h2>\n<ul>");
        for k in &r.risks {
            let _ = writeln!(
                o,
                "<li class=\"{}\">{}</li>",
                super::level(k.level),
                esc(&k.message)
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2>Expected visits per execution</h2>");
    // Edges by the scope of their source, so that each scope's drawing reads only its own.
    let mut scope_of = vec![usize::MAX; r.states.len()];
    for (si, sc) in r.graph.scopes.iter().enumerate() {
        for &s in &sc.states {
            if let Some(x) = scope_of.get_mut(s) {
                *x = si;
            }
        }
    }
    let mut edges_by_scope: Vec<Vec<&crate::cost::EdgeOut>> =
        vec![Vec::new(); r.graph.scopes.len()];
    for e in &r.graph.edges {
        if let Some(&si) = scope_of.get(e.from)
            && let Some(list) = edges_by_scope.get_mut(si)
        {
            list.push(e);
        }
    }
    for (si, _) in r.graph.scopes.iter().enumerate() {
        let _ = writeln!(o, "{}", diagram(r, si, &edges_by_scope[si]));
    }
    let _ = writeln!(o, "<h2>Assumptions</h2>\n<ul>");
    for a in &r.assumptions {
        let states = if a.states.is_empty() {
            String::new()
        } else {
            format!(": {}", esc(&a.states.join(", ")))
        };
        let _ = writeln!(o, "<li>{}{states}</li>", esc(&a.assumption));
    }
    let _ = writeln!(o, "</ul>\n<h2>Approximations</h2>\n<ul>");
    for a in &r.approximations {
        let _ = writeln!(o, "<li>{}</li>", esc(a));
    }
    let _ = writeln!(
        o,
        "</ul>\n<p class=\"sub\">sfn-lint {} · prices from data/pricing.toml</p>\n</body>\n</html>",
        crate::VERSION
    );
    o
}

const CSS: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
.sub{color:#666}table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #eee;text-align:left}
table.bill td:not(:first-child),table.bill th{text-align:right;font-variant-numeric:tabular-nums}
li.warning{color:#a61b1b}li.info{color:#555}svg{max-width:100%;height:auto}
.errors{background:#fff4e6;border-left:4px solid #e8590c;padding:.5em 1em}
.scope-title{font-weight:600;margin:.8em 0 .2em}";

const W: f64 = 180.0;
const H: f64 = 40.0;
const GAP_X: f64 = 30.0;
const GAP_Y: f64 = 46.0;
const MARGIN: f64 = 20.0;

/// Where a scope's states go: layers by longest path over the forward edges (back edges,
/// found by a depth-first search from the start, point up), states in DFS order within a
/// layer.
struct Layout {
    xy: Vec<(f64, f64)>,
    layer: Vec<usize>,
    back: std::collections::HashSet<(usize, usize)>,
    width: f64,
    height: f64,
}

fn layout(n: usize, edges: &[(usize, usize, f64, bool)], start: Option<usize>) -> Layout {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut seen = rustc_hash::FxHashSet::default();
    for (f, t, _, _) in edges {
        if seen.insert((*f, *t)) {
            adj[*f].push(*t);
        }
    }
    // Iterative DFS from the start, then from any state not reached, to classify back edges;
    // `finished` is the postorder.
    let mut order = Vec::new();
    let mut finished = Vec::with_capacity(n);
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut back = std::collections::HashSet::new();
    for s0 in start.into_iter().chain(0..n) {
        if state[s0] != 0 {
            continue;
        }
        let mut stack = vec![(s0, 0usize)];
        state[s0] = 1;
        order.push(s0);
        while let Some((v, i)) = stack.pop() {
            if i < adj[v].len() {
                stack.push((v, i + 1));
                let w = adj[v][i];
                match state[w] {
                    0 => {
                        state[w] = 1;
                        order.push(w);
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                finished.push(v);
            }
        }
    }
    // Without back edges and self-loops the graph is acyclic, and reverse postorder is a
    // topological order of it: one pass gives each state its longest path from a source.
    let mut layer = vec![0usize; n];
    for &f in finished.iter().rev() {
        for &t in &adj[f] {
            if t != f && !back.contains(&(f, t)) && layer[t] < layer[f] + 1 {
                layer[t] = layer[f] + 1;
            }
        }
    }
    let layers = layer.iter().copied().max().unwrap_or(0) + 1;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for &v in &order {
        rows[layer[v]].push(v);
    }
    let widest = rows.iter().map(|r| r.len()).max().unwrap_or(1).max(1);
    let width = MARGIN * 2.0 + widest as f64 * (W + GAP_X) + 80.0;
    let height = MARGIN * 2.0 + layers as f64 * (H + GAP_Y);
    let mut xy = vec![(0.0, 0.0); n];
    for (li, row) in rows.iter().enumerate() {
        let offset = (widest - row.len()) as f64 * (W + GAP_X) / 2.0;
        for (ci, v) in row.iter().enumerate() {
            xy[*v] = (
                MARGIN + offset + ci as f64 * (W + GAP_X),
                MARGIN + li as f64 * (H + GAP_Y),
            );
        }
    }
    Layout {
        xy,
        layer,
        back,
        width,
        height,
    }
}

/// A layered drawing of one scope: layers by longest path over forward edges (back edges
/// found by depth-first search from the start), order within a layer by discovery.
fn diagram(r: &CostReport, si: usize, scope_edges: &[&crate::cost::EdgeOut]) -> String {
    let sc = &r.graph.scopes[si];
    let states = &sc.states;
    let n = states.len();
    let local: rustc_hash::FxHashMap<usize, usize> =
        states.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let pos = |s: usize| local.get(&s).copied();
    let edges: Vec<(usize, usize, f64, bool)> = scope_edges
        .iter()
        .filter_map(|e| {
            let from = pos(e.from)?;
            let to = pos(e.to?)?;
            Some((from, to, e.probability, e.kind == "next"))
        })
        .collect();
    let Layout {
        xy,
        layer,
        back,
        width,
        height,
    } = layout(n, &edges, sc.start.and_then(pos));
    let max = r.states.iter().map(|s| s.visits).fold(0.0, f64::max);
    let mut o = String::new();
    let title = if sc.owner.is_none() {
        "Top level".to_string()
    } else {
        format!(
            "{} (runs {} times per execution)",
            sc.title,
            fmt_visits(sc.runs)
        )
    };
    let _ = writeln!(o, "<div class=\"scope-title\">{}</div>", esc(&title));
    let _ = writeln!(
        o,
        "<svg class=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{}\">",
        esc(&title)
    );
    let _ = writeln!(
        o,
        "<defs><marker id=\"arrow{si}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>"
    );
    for (f, t, p, normal) in &edges {
        let (fx, fy) = xy[*f];
        let (tx, ty) = xy[*t];
        let dash = if *normal {
            ""
        } else {
            " stroke-dasharray=\"5 4\""
        };
        let path = if back.contains(&(*f, *t)) || f == t || layer[*t] <= layer[*f] {
            // Around the right-hand side.
            let x1 = fx + W;
            let y1 = fy + H / 2.0;
            let x2 = tx + W;
            let y2 = ty + H / 2.0;
            let bulge = x1.max(x2) + 50.0;
            format!("M{x1:.1},{y1:.1} C{bulge:.1},{y1:.1} {bulge:.1},{y2:.1} {x2:.1},{y2:.1}")
        } else {
            let x1 = fx + W / 2.0;
            let y1 = fy + H;
            let x2 = tx + W / 2.0;
            let y2 = ty;
            let my = (y1 + y2) / 2.0;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{my:.1} {x2:.1},{my:.1} {x2:.1},{y2:.1}")
        };
        let _ = writeln!(
            o,
            "<path class=\"edge\" d=\"{path}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.3\"{dash} marker-end=\"url(#arrow{si})\"/>"
        );
        if *p < 0.999_999 {
            let (lx, ly) = ((fx + tx) / 2.0 + W / 2.0 + 4.0, (fy + H + ty) / 2.0);
            let _ = writeln!(
                o,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#333\">{:.1}%</text>",
                p * 100.0
            );
        }
    }
    for (i, &s) in states.iter().enumerate() {
        let st = &r.states[s];
        let (x, y) = xy[i];
        let fill = HEAT_COLORS[heat(st.visits, max)];
        let rx = if st.ty == "Choice" { 16 } else { 6 };
        let name: String = if st.state.chars().count() > 24 {
            st.state.chars().take(23).collect::<String>() + "…"
        } else {
            st.state.clone()
        };
        let _ = writeln!(
            o,
            "<g class=\"state\" data-state=\"{}\"><title>{} ({}): {} visits, {} transitions per execution</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{W}\" height=\"{H}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"#777\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"middle\" fill=\"#444\">{} · ×{}</text></g>",
            esc(&st.state),
            esc(&st.state),
            esc(&st.ty),
            fmt_visits(st.visits),
            fmt_visits(st.transitions),
            x + W / 2.0,
            y + 16.0,
            esc(&name),
            x + W / 2.0,
            y + 31.0,
            esc(&st.ty),
            fmt_visits(st.visits)
        );
    }
    o.push_str("</svg>");
    o
}

/// 1000 → "1k", 1e6 → "1M": axis labels that fit.
fn compact(v: f64, prefix: &str) -> String {
    let (n, unit) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    format!("{prefix}{}{unit}", n.round() as i64)
}

/// Monthly cost of both types against monthly volume, log–log, 10³ to 10⁹ executions.
fn chart(r: &CostReport) -> String {
    let (w, h) = (760.0, 340.0);
    let (left, right, top, bottom) = (80.0, 20.0, 20.0, 50.0);
    let (x0, x1) = (3.0f64, 9.0f64);
    let points: Vec<(f64, f64, f64)> = (0..=120)
        .map(|i| {
            let lx = x0 + (x1 - x0) * i as f64 / 120.0;
            let n = 10f64.powf(lx);
            let (s, e) = monthly(&r.per_execution, &r.prices, n, r.free_tier);
            (lx, s, e)
        })
        .collect();
    let floor = 0.01f64;
    let max = points
        .iter()
        .map(|(_, s, e)| s.max(*e))
        .fold(floor * 10.0, f64::max);
    let (y0, y1) = (floor.log10(), max.log10().ceil());
    let px = |lx: f64| left + (lx - x0) / (x1 - x0) * (w - left - right);
    let py = |v: f64| {
        let lv = v.max(floor).log10();
        top + (1.0 - (lv - y0) / (y1 - y0)) * (h - top - bottom)
    };
    let mut o = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Monthly cost by monthly executions\">\n"
    );
    for d in (x0 as i32)..=(x1 as i32) {
        let x = px(d as f64);
        let _ = writeln!(
            o,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            h - bottom,
            h - bottom + 16.0,
            compact(10f64.powi(d), "")
        );
    }
    let mut d = y0 as i32;
    while d as f64 <= y1 {
        let y = py(10f64.powi(d));
        let _ = writeln!(
            o,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            if d < 0 {
                fmt_money(10f64.powi(d))
            } else {
                compact(10f64.powi(d), "$")
            }
        );
        d += 1;
    }
    for (idx, color, name) in [(1, "#1c7ed6", "Standard"), (2, "#e8590c", "Express")] {
        let pts: Vec<String> = points
            .iter()
            .map(|p| {
                let v = if idx == 1 { p.1 } else { p.2 };
                format!("{:.1},{:.1}", px(p.0), py(v))
            })
            .collect();
        let _ = writeln!(
            o,
            "<polyline class=\"series\" data-series=\"{name}\" points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
    }
    let now = r.executions_per_month.max(1.0).log10();
    if (x0..=x1).contains(&now) {
        let x = px(now);
        let _ = writeln!(
            o,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">this profile</text>",
            h - bottom,
            x + 4.0,
            top + 12.0
        );
    }
    if let Some(be) = r.break_even_executions_per_month {
        let lb = be.log10();
        if (x0..=x1).contains(&lb) {
            let x = px(lb);
            let _ = writeln!(
                o,
                "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#2b8a3e\" stroke-dasharray=\"2 3\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#2b8a3e\">break-even</text>",
                h - bottom,
                x + 4.0,
                top + 26.0
            );
        }
    }
    let _ = writeln!(
        o,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"3\" fill=\"#1c7ed6\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">Standard</text><rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"3\" fill=\"#e8590c\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">Express</text>",
        left + 10.0,
        top + 8.0,
        left + 26.0,
        top + 13.0,
        left + 100.0,
        top + 8.0,
        left + 116.0,
        top + 13.0
    );
    let _ = writeln!(
        o,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">executions per month</text>",
        left + (w - left - right) / 2.0,
        h - 10.0
    );
    o.push_str("</svg>");
    o
}
