//! Many workflows, one bill. AWS applies the Standard free tier (4,000 transitions a month)
//! and the Express duration tiers to the account, not to each state machine, so a set of
//! reports is not summed: their quantities are pooled, priced once, and the bill is shared
//! back to each workflow in proportion to what it used.

use serde::Serialize;

use super::{CostReport, Line, fmt_count, pricing, tier_lines};
use crate::asl::WorkflowType;

/// One workflow's row in a set (read back from a saved report as the base of a comparison).
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct WorkflowRow {
    /// The file that holds it (the template, for a state machine in a template).
    pub file: String,
    /// Its name in the template (logical id, Serverless key, Terraform address).
    #[serde(default)]
    pub machine: Option<String>,
    /// The type it is billed as.
    #[serde(rename = "type")]
    pub ty: WorkflowType,
    #[serde(default)]
    pub region: String,
    pub executions_per_month: f64,
    pub transitions_per_execution: f64,
    /// Its share of the set's bill (the rows add up to the total).
    pub monthly_usd: f64,
    /// Whether it could run as Express.
    #[serde(default)]
    pub express_allowed: bool,
    /// Per state: expected visits and transitions per execution, and the state's share of
    /// the workflow's monthly bill (by transitions for Standard, by duration for Express).
    #[serde(default)]
    pub states: Vec<StateRow>,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct StateRow {
    pub name: String,
    pub expected_visits: f64,
    pub transitions: f64,
    pub monthly_usd: f64,
}

/// The set's bill, priced once.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Total {
    pub monthly_usd: f64,
    /// Standard transitions a month across the set (Standard workflows, and Standard child
    /// executions of Distributed Maps), before the free tier.
    pub standard_transitions: f64,
    /// The part of them the free tier covers.
    pub free_transitions: f64,
    pub express_requests: f64,
    pub express_gb_hours: f64,
    /// `monthly_usd` as quantity × unit price.
    pub breakdown: Vec<Line>,
}

/// What each workflow uses in a month, and what it costs when priced alone.
struct Usage {
    /// Standard transitions and their price per transition.
    transitions: f64,
    rate: f64,
    requests: f64,
    per_request: f64,
    gb_hours: f64,
}

fn usage(r: &CostReport) -> Usage {
    let n = r.executions_per_month;
    let p = &r.per_execution;
    let express = r.workflow_type == WorkflowType::Express;
    let own_transitions = if express { 0.0 } else { p.transitions };
    let own_requests = if express { 1.0 } else { 0.0 };
    let own_gbh = if express {
        p.express_billed_duration_s * p.express_billed_memory_mb
    } else {
        0.0
    };
    Usage {
        transitions: n * (own_transitions + p.child_transitions),
        rate: r.prices.standard_per_1000_transitions / 1000.0,
        requests: n * (own_requests + p.child_express_executions),
        per_request: r.prices.express_per_request,
        gb_hours: n * (own_gbh + p.child_express_billed_s * p.child_express_memory_mb)
            / 1024.0
            / 3600.0,
    }
}

/// The set's rows and total. `free_tier`: subtract the Standard free tier once, shared over
/// the workflows in proportion to their transitions. Each workflow is billed as the type its
/// report declares.
pub fn combine(
    workflows: &[(String, Option<String>, &CostReport)],
    free_tier: bool,
) -> (Vec<WorkflowRow>, Total) {
    let uses: Vec<Usage> = workflows.iter().map(|(_, _, r)| usage(r)).collect();
    let first = workflows.first().map(|(_, _, r)| &r.prices);
    let free_pool = match (free_tier, first) {
        (true, Some(p)) => p.standard_free_transitions,
        _ => 0.0,
    };
    let tiers: Vec<pricing::Tier> = first
        .map(|p| p.express_per_gb_hour.clone())
        .unwrap_or_default();
    let all_transitions: f64 = uses.iter().map(|u| u.transitions).sum();
    let all_gbh: f64 = uses.iter().map(|u| u.gb_hours).sum();
    let free = free_pool.min(all_transitions);
    let duration_usd = pricing::tiered_cost(&tiers, all_gbh);
    let mut rows = Vec::with_capacity(workflows.len());
    let mut total_usd = 0.0;
    for ((file, machine, r), u) in workflows.iter().zip(&uses) {
        let free_share = if all_transitions > 0.0 {
            free * u.transitions / all_transitions
        } else {
            0.0
        };
        let duration_share = if all_gbh > 0.0 {
            duration_usd * u.gb_hours / all_gbh
        } else {
            0.0
        };
        let usd = (u.transitions - free_share).max(0.0) * u.rate
            + u.requests * u.per_request
            + duration_share;
        total_usd += usd;
        rows.push(WorkflowRow {
            file: file.clone(),
            machine: machine.clone(),
            ty: r.workflow_type,
            region: r.region.clone(),
            executions_per_month: r.executions_per_month,
            transitions_per_execution: r.transitions_per_execution,
            monthly_usd: usd,
            express_allowed: r.express.allowed,
            states: state_rows(r, usd),
        });
    }
    let breakdown = total_breakdown(workflows, &uses, free, &tiers, all_gbh);
    let total = Total {
        monthly_usd: total_usd,
        standard_transitions: all_transitions,
        free_transitions: free,
        express_requests: uses.iter().map(|u| u.requests).sum(),
        express_gb_hours: all_gbh,
        breakdown,
    };
    (rows, total)
}

/// Each state's visits and transitions per execution, and its share of `usd`.
fn state_rows(r: &CostReport, usd: f64) -> Vec<StateRow> {
    let by_duration = r.workflow_type == WorkflowType::Express;
    let weight = |s: &super::StateCost| {
        if by_duration {
            s.duration_s
        } else {
            s.transitions
        }
    };
    let all: f64 = r.states.iter().map(weight).sum();
    r.states
        .iter()
        .map(|s| StateRow {
            name: s.name.clone(),
            expected_visits: s.expected_visits,
            transitions: s.transitions,
            monthly_usd: if all > 0.0 {
                usd * weight(s) / all
            } else {
                0.0
            },
        })
        .collect()
}

/// The total as lines: transitions beyond the free tier at each Standard price in the set,
/// requests, and the pooled GB-hours through the tiers.
fn total_breakdown(
    workflows: &[(String, Option<String>, &CostReport)],
    uses: &[Usage],
    free: f64,
    tiers: &[pricing::Tier],
    all_gbh: f64,
) -> Vec<Line> {
    // Transitions grouped by price (one group per region price in the set).
    let mut by_rate: Vec<(f64, String, f64)> = Vec::new();
    for ((_, _, r), u) in workflows.iter().zip(uses) {
        match by_rate.iter_mut().find(|(rate, _, _)| *rate == u.rate) {
            Some((_, _, t)) => *t += u.transitions,
            None => by_rate.push((u.rate, r.region.clone(), u.transitions)),
        }
    }
    let all: f64 = by_rate.iter().map(|(_, _, t)| t).sum();
    let mut lines = Vec::new();
    for (rate, region, t) in &by_rate {
        if *t <= 0.0 {
            continue;
        }
        let share = if all > 0.0 { free * t / all } else { 0.0 };
        let mut item = String::from("state transitions");
        if by_rate.len() > 1 {
            item.push_str(&format!(" ({region} price)"));
        }
        if free > 0.0 {
            item.push_str(&format!(" beyond {} free", fmt_count(share)));
        }
        let quantity = (t - share).max(0.0);
        lines.push(Line {
            item,
            quantity,
            unit: "transition",
            unit_price: *rate,
            usd: quantity * rate,
        });
    }
    let requests: f64 = uses.iter().map(|u| u.requests).sum();
    if requests > 0.0 {
        let per_request = uses.first().map(|u| u.per_request).unwrap_or(0.0);
        lines.push(Line {
            item: "Express requests".into(),
            quantity: requests,
            unit: "request",
            unit_price: per_request,
            usd: requests * per_request,
        });
    }
    if all_gbh > 0.0 {
        lines.extend(tier_lines("Express duration", tiers, all_gbh));
    }
    lines
}

/// The report on a set of workflows (`sfn-lint cost` on several; `schemas/cost-report.schema.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Portfolio {
    pub version: u32,
    pub free_tier: bool,
    pub workflows: Vec<WorkflowRow>,
    pub total: Total,
    /// Workflows found but not costed, and why.
    pub skipped: Vec<Skipped>,
    /// The defaults the profile left in play, with the workflows each touches.
    pub assumptions: Vec<SetAssumption>,
}

/// A default in play, and the workflows (`file` or `file#machine`) it touches.
#[derive(Clone, Debug, Serialize)]
pub struct SetAssumption {
    pub assumption: String,
    pub workflows: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub file: String,
    pub machine: Option<String>,
    pub reason: String,
}

impl Portfolio {
    /// The set of `reports` (each with its file and machine name), priced once.
    pub fn of(
        reports: &[(String, Option<String>, CostReport)],
        free_tier: bool,
        skipped: Vec<Skipped>,
    ) -> Portfolio {
        let refs: Vec<(String, Option<String>, &CostReport)> = reports
            .iter()
            .map(|(f, m, r)| (f.clone(), m.clone(), r))
            .collect();
        let (workflows, total) = combine(&refs, free_tier);
        let mut assumptions: Vec<SetAssumption> = Vec::new();
        for (file, machine, r) in reports {
            let who = match machine {
                Some(m) => format!("{file}#{m}"),
                None => file.clone(),
            };
            for a in &r.assumptions {
                match assumptions
                    .iter_mut()
                    .find(|x| x.assumption == a.assumption)
                {
                    Some(x) => x.workflows.push(who.clone()),
                    None => assumptions.push(SetAssumption {
                        assumption: a.assumption.clone(),
                        workflows: vec![who.clone()],
                    }),
                }
            }
        }
        Portfolio {
            version: super::REPORT_VERSION,
            free_tier,
            workflows,
            total,
            skipped,
            assumptions,
        }
    }
}
