//! The cost estimator: expected transitions, duration, history events and payload per
//! execution from the state graph and a usage profile, and the monthly bill for Standard and
//! Express. Pure: text in, a [`CostReport`] out; the CLI renders it.
//!
//! Pipeline: [`plan`] (what each visit of a state can lead to) → [`analytic`] (exact
//! expectations, one linear solve per loop) → bill (this module) → `render::cost`.
//! [`simulate`] walks the same plan at random to cross-check the solver.

pub mod analytic;
pub mod billing;
pub mod diff;
pub mod portfolio;
pub mod pricing;
pub mod simulate;
pub mod solve;

use serde::Serialize;

use crate::asl::{Definition, ScopeId, StateType, WorkflowType};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Analysis;

use crate::plan::payload::{self, PayloadEstimate, fmt_bytes};
use crate::plan::{self, Kind, defaults, fmt_num};
use crate::profile::{self, LoadedProfile};
pub use analytic::Totals;
pub use pricing::Pricing;

pub use crate::asl::quotas::{EXPRESS_DURATION_LIMIT_S, HISTORY_LIMIT, PAYLOAD_LIMIT};

/// What the user asked for on the command line (each overrides the profile).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub executions_per_month: Option<f64>,
    pub region: Option<String>,
    pub no_free_tier: bool,
    /// The type the state machine is (or will be) created as.
    pub workflow_type: Option<WorkflowType>,
    /// How many states to list as cost drivers.
    pub top: usize,
    /// Monte Carlo runs (0: none) and seed.
    pub simulate: u64,
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum CostError {
    #[error("the definition has {} error(s); fix them first (run `sfn-lint check`)", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("{0}")]
    Profile(#[from] profile::ProfileError),
    #[error("{0}")]
    Plan(#[from] plan::PlanError),
    #[error("{0}")]
    NeverEnds(#[from] analytic::NeverEnds),
    #[error("{0}")]
    Region(String),
    #[error("{0}")]
    Simulation(#[from] simulate::Runaway),
}

/// The report's JSON contract version (`schemas/cost-report.schema.json`).
pub const REPORT_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct CostReport {
    pub version: u32,
    pub file: String,
    /// The type the state machine is created as (the report compares both).
    pub workflow_type: WorkflowType,
    pub region: String,
    pub region_name: String,
    pub executions_per_month: f64,
    /// The same as `per_execution.transitions`, at the path the usage docs name.
    pub transitions_per_execution: f64,
    pub free_tier: bool,
    pub prices: Prices,
    pub per_execution: PerExecution,
    pub standard: Bill,
    pub express: ExpressBill,
    /// Monthly executions above which Express is cheaper (None: no crossing up to 10¹², or
    /// Express is not possible).
    pub break_even_executions_per_month: Option<f64>,
    pub break_even: String,
    /// The states that drive the cost, largest first.
    pub drivers: Vec<Driver>,
    /// Every state, in definition order.
    pub states: Vec<StateCost>,
    pub risks: Vec<Risk>,
    /// Errors `check` reports in the definition (`line:column: code message`).
    pub definition_errors: Vec<String>,
    pub assumptions: Vec<Assumption>,
    pub approximations: Vec<String>,
    pub simulation: Option<simulate::SimulationResult>,
    /// The estimated payload along the graph (the largest state input and how it grew).
    pub payload: payload::PayloadEstimate,
    /// The state graph with probabilities, for diagrams (indices into `states`).
    pub graph: GraphOut,
    /// This workflow as a set of one (the shape `sfn-lint cost` gives several workflows),
    /// and that set's bill: the declared type's.
    pub workflows: Vec<portfolio::WorkflowRow>,
    pub total: portfolio::Total,
}

impl CostReport {
    /// Names the workflow in `workflows` (its file, and its name in a template).
    pub fn name_workflow(&mut self, file: &str, machine: Option<&str>) {
        for row in &mut self.workflows {
            row.file = file.to_string();
            row.machine = machine.map(str::to_string);
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct GraphOut {
    pub scopes: Vec<ScopeOut>,
    pub edges: Vec<EdgeOut>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScopeOut {
    pub title: String,
    /// The Parallel or Map state that owns it (index into `states`).
    pub owner: Option<usize>,
    pub states: Vec<usize>,
    pub start: Option<usize>,
    /// Runs of this scope per execution.
    pub runs: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct EdgeOut {
    pub from: usize,
    /// None: the scope ends (or fails) here.
    pub to: Option<usize>,
    /// `next`, `end` or `fail: <error>`.
    pub kind: String,
    /// Probability per visit of `from`.
    pub probability: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Prices {
    pub currency: String,
    pub checked: String,
    pub standard_per_1000_transitions: f64,
    pub standard_free_transitions: f64,
    pub express_per_request: f64,
    pub express_per_gb_hour: Vec<pricing::Tier>,
    /// False when the region's Express rates are not verified (us-east-1 rates are used).
    pub express_verified: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PerExecution {
    /// State transitions billed to the execution (Standard), retries included.
    pub transitions: f64,
    /// Transitions of Standard child executions (Distributed Map).
    pub child_transitions: f64,
    /// Express child executions started (Distributed Map).
    pub child_express_executions: f64,
    pub history_events: f64,
    pub duration_s: f64,
    pub p95_duration_s: f64,
    pub success_rate: f64,
    pub failures: Vec<ErrorShare>,
    pub express_memory_mb: f64,
    pub express_billed_memory_mb: f64,
    pub express_billed_duration_s: f64,
    /// Billed seconds of Express child executions (Distributed Map), and their memory.
    pub child_express_billed_s: f64,
    pub child_express_memory_mb: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorShare {
    pub error: String,
    pub probability: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bill {
    pub monthly: f64,
    /// The same as `monthly`, at the path the usage docs name.
    pub monthly_usd: f64,
    /// The bill for 1,000,000 executions in a month, free tier not counted.
    pub per_million_executions: f64,
    /// `monthly` as quantity × unit price, line by line.
    pub breakdown: Vec<Line>,
}

/// One line of a bill: a quantity billed at a unit price.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub item: String,
    pub quantity: f64,
    pub unit: &'static str,
    pub unit_price: f64,
    pub usd: f64,
}

/// The Express bill; no price (`None`) when the workflow cannot run as Express.
#[derive(Clone, Debug, Serialize)]
pub struct ExpressBill {
    pub monthly: Option<f64>,
    /// The same as `monthly`, at the path the usage docs name.
    pub monthly_usd: Option<f64>,
    pub per_million_executions: Option<f64>,
    /// `monthly` as quantity × unit price (empty when there is no Express price).
    pub breakdown: Vec<Line>,
    /// Whether the definition could run as Express at all.
    pub allowed: bool,
    pub blockers: Vec<String>,
}

impl ExpressBill {
    /// `bill` when the workflow can run as Express; else no price, and why.
    fn priced(bill: Bill, allowed: bool, blockers: Vec<String>) -> ExpressBill {
        let price = |v: f64| allowed.then_some(v);
        ExpressBill {
            monthly: price(bill.monthly),
            monthly_usd: price(bill.monthly),
            per_million_executions: price(bill.per_million_executions),
            breakdown: if allowed { bill.breakdown } else { Vec::new() },
            allowed,
            blockers,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Driver {
    pub state: String,
    pub transitions: f64,
    /// Share of the execution's transitions (what Standard bills).
    pub share: f64,
    /// Seconds the state itself takes per execution, and its share of the total (what
    /// Express bills).
    pub duration_s: f64,
    pub duration_share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StateCost {
    pub state: String,
    /// The same as `state`, at the path the usage docs name.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// Where it sits: `Top level`, or the owning Map/Parallel.
    pub scope: String,
    pub visits: f64,
    /// The same as `visits`, at the path the usage docs name.
    pub expected_visits: f64,
    pub attempts_per_visit: f64,
    pub transitions: f64,
    pub history_events: f64,
    pub duration_s: f64,
    /// Runs in a Distributed Map's child executions (billed on their own).
    pub child_execution: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Risk {
    pub kind: &'static str,
    pub level: Severity,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assumption {
    pub assumption: String,
    pub states: Vec<String>,
}

/// Lints a definition's text once, with the workflow type of `opts`, and costs what the
/// pipeline read (what `sfn-lint cost` does for a plain definition file).
pub fn estimate_text(
    path: &str,
    text: &str,
    format: crate::syntax::Format,
    profile: &LoadedProfile,
    opts: &Options,
    pricing: &Pricing,
) -> Result<CostReport, CostError> {
    let settings = crate::config::Settings {
        workflow_type: opts.workflow_type,
        ..Default::default()
    };
    let (analysis, read) = crate::lint::analyze_keeping(text, format, &settings);
    estimate(path, text, &analysis, read.as_ref(), profile, opts, pricing)
}

/// Costs a definition the lint pipeline read ([`crate::lint::analyze_keeping`], with the
/// workflow type of `opts`): `analysis` gives its errors, `definition` its tree, model and
/// graph (`None` when the text is not a single definition the model can read).
pub fn estimate(
    path: &str,
    text: &str,
    analysis: &Analysis,
    definition: Option<&Definition>,
    profile: &LoadedProfile,
    opts: &Options,
    pricing: &Pricing,
) -> Result<CostReport, CostError> {
    let errors: Vec<Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let Some(Definition {
        doc, model, graph, ..
    }) = definition
    else {
        // Not a state machine the model can read (wrong root, a template, …).
        return Err(CostError::Invalid(errors));
    };
    // A definition with errors is still costed (a draft in review often has one), and the
    // report says so: an undefined target is taken as the end of its scope.
    let definition_errors = located(text, &errors);
    profile.check(model)?;
    let p = &profile.profile;
    let mut plan = plan::build(doc, model, p)?;
    let step_s = pricing.express.duration_step_ms / 1000.0;
    let sol = analytic::solve(&plan, step_s)?;
    let simulation = match opts.simulate {
        0 => None,
        n => Some(simulate::simulate(&plan, n, opts.seed, step_s)?),
    };

    let region = opts
        .region
        .clone()
        .or_else(|| p.region.clone())
        .unwrap_or_else(|| defaults::REGION.to_string());
    let reg = &region_of(
        pricing,
        &region,
        p.standard_price_per_1000_transitions,
        &mut plan.assumptions,
    )?;
    let n = executions(opts, p, &mut plan.assumptions);
    let root_t = sol.root().totals;
    let payload = payload::estimate(doc, model, graph, &plan);

    // Each execution rounded up on its own, over the distribution of durations; the expected
    // duration rounded once when that distribution is too large.
    let (per_execution_billing, billing_note) =
        billed_per_execution(&plan, &sol, step_s, opts.seed);
    let memory = express_memory(
        pricing,
        p.express_memory_mb,
        text.len() as f64,
        payload.typical_bytes,
        &root_t,
        per_execution_billing,
    );
    if root_t.child_express_requests > 0.0 {
        plan.assumptions
            .entry(format!(
                "Express child executions use {} MB (definition and input only)",
                fmt_num(memory.child_mb)
            ))
            .or_default();
    }
    let prices = Prices {
        currency: pricing.currency.clone(),
        checked: pricing.checked.clone(),
        standard_per_1000_transitions: reg.per_1000_transitions,
        standard_free_transitions: pricing.standard.free_transitions_per_month,
        express_per_request: pricing.express.per_request,
        express_per_gb_hour: pricing.express.tiers.clone(),
        express_verified: pricing.express_verified(&region),
    };
    let free_tier = !opts.no_free_tier && p.free_tier != Some(false);

    let states = state_costs(model, &plan, &sol);
    let drivers = drivers(&states, opts.top);

    let declared = opts.workflow_type.unwrap_or_default();
    let verdict = analysis.express.clone();
    let (allowed, blockers) = match &verdict {
        Some(v) => (v.allowed, v.blockers.clone()),
        None => (true, Vec::new()),
    };
    let per_execution = per_execution(&sol, &memory);
    let risks = risks(declared, per_execution.history_events, &root_t, &payload);
    let approximations = approximations(&payload, &sol, billing_note);
    let graph_out = graph_out(model, &plan, &sol);
    let assumptions = plan
        .assumptions
        .iter()
        .map(|(k, v)| Assumption {
            assumption: k.clone(),
            states: v.clone(),
        })
        .collect();
    let Bills {
        standard,
        express,
        break_even,
        break_even_text,
    } = bills(&per_execution, &prices, n, free_tier);
    let mut report = CostReport {
        version: REPORT_VERSION,
        file: path.to_string(),
        workflow_type: declared,
        region: region.clone(),
        region_name: reg.name.clone(),
        executions_per_month: n,
        transitions_per_execution: per_execution.transitions,
        free_tier,
        prices,
        per_execution,
        standard,
        express: ExpressBill::priced(express, allowed, blockers),
        break_even_executions_per_month: break_even.filter(|_| allowed),
        break_even: if allowed {
            break_even_text
        } else {
            "none: the workflow cannot run as Express".into()
        },
        drivers,
        states,
        risks,
        definition_errors,
        assumptions,
        approximations,
        simulation,
        payload,
        graph: graph_out,
        workflows: Vec::new(),
        total: portfolio::Total::default(),
    };
    let (rows, total) = portfolio::combine(&[(path.to_string(), None, &report)], free_tier);
    report.workflows = rows;
    report.total = total;
    Ok(report)
}

/// Simulated executions and state visits the billing fallback may take: a constant, so the
/// fallback's cost does not grow with the definition's loops.
const BILLING_RUNS: u64 = 20_000;
const BILLING_STEPS: u64 = 2_000_000;

/// The expected billed Express seconds of one execution, each execution rounded on its own:
/// exact over the distribution of durations, else from seeded simulated executions, else (not
/// one simulated run finished) the expected duration rounded once by the caller. With the
/// footnote the report gives the last two.
fn billed_per_execution(
    plan: &plan::Plan,
    sol: &analytic::Solution,
    step_s: f64,
    seed: u64,
) -> (Option<f64>, Option<String>) {
    if let Some(exact) = billing::expected_billed_s(plan, sol, step_s) {
        return (Some(exact), None);
    }
    match simulate::billed_by_simulation(plan, step_s, seed, BILLING_RUNS, BILLING_STEPS) {
        Some((e, runs)) => (
            Some(e.mean),
            Some(format!(
                "Express duration is billed per execution from {} seeded simulated executions (standard error {:.4} s): the distribution of durations was too large to follow exactly",
                fmt_count(runs as f64),
                e.std_error
            )),
        ),
        None => (
            None,
            Some("Express duration is billed on the expected duration rounded up to 100 ms, not on each execution's own rounding: the distribution of durations was too large to follow or simulate".into()),
        ),
    }
}

/// Each error as `line:column: code message`.
fn located(text: &str, errors: &[Diagnostic]) -> Vec<String> {
    let lines = crate::source::LineIndex::new(text);
    errors
        .iter()
        .map(|d| {
            let lc = lines.line_col(text, d.span.start);
            format!("{}:{}: {} {}", lc.line, lc.column, d.rule.code, d.message)
        })
        .collect()
}

/// Executions per month: `--executions`, the profile's, or the default (an assumption).
fn executions(opts: &Options, p: &profile::Profile, assumptions: &mut plan::Assumptions) -> f64 {
    opts.executions_per_month
        .or(p.executions_per_month)
        .unwrap_or_else(|| {
            assumptions
                .entry(format!(
                    "{} executions per month (set `executions_per_month` or --executions)",
                    fmt_count(defaults::EXECUTIONS_PER_MONTH)
                ))
                .or_default();
            defaults::EXECUTIONS_PER_MONTH
        })
}

/// The prices of a region: the table's, or for a region the table lacks the profile's Standard
/// price (said in the assumptions); else the error that lists the known regions.
fn region_of(
    pricing: &Pricing,
    region: &str,
    given: Option<f64>,
    assumptions: &mut plan::Assumptions,
) -> Result<pricing::Region, CostError> {
    if let Some(r) = pricing.region(region) {
        return Ok(r.clone());
    }
    if let Some(price) = given {
        assumptions
            .entry(format!(
                "`{region}` is not in the price table: Standard transitions at the profile's ${price} per 1,000, Express at us-east-1 rates"
            ))
            .or_default();
        return Ok(pricing::Region {
            name: format!("{region}, Standard price from the profile"),
            per_1000_transitions: price,
        });
    }
    Err(CostError::Region(format!(
        "no verified Step Functions price for region `{region}`; known regions: {} (or give `standard_price_per_1000_transitions` in the profile)",
        pricing
            .regions
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// An Express execution's memory and billed figures.
struct ExpressMemory {
    memory_mb: f64,
    billed_mb: f64,
    billed_s: f64,
    /// A Distributed Map's Express children: the definition and the input, no steps.
    child_mb: f64,
}

/// AWS's formula: 50 MB + definition + payload × Map/Parallel steps, rounded up to the
/// billing step; the profile's `express_memory_mb` overrides the estimate.
fn express_memory(
    pricing: &Pricing,
    given_mb: Option<f64>,
    definition_bytes: f64,
    payload_bytes: f64,
    root_t: &Totals,
    billed_s: Option<f64>,
) -> ExpressMemory {
    let mb = |bytes: f64| bytes / 1e6;
    let step_s = pricing.express.duration_step_ms / 1000.0;
    let memory_mb = given_mb.unwrap_or_else(|| {
        pricing.express.base_memory_mb + mb(definition_bytes) + mb(payload_bytes) * root_t.steps
    });
    let step_mb = pricing.express.memory_step_mb;
    let billed_mb = ((memory_mb / step_mb) - 1e-9).ceil().max(1.0) * step_mb;
    // An Express execution is stopped at five minutes, so it is billed for five at most.
    let billed_s = billed_s.unwrap_or_else(|| {
        analytic::billed(root_t.duration_s.min(EXPRESS_DURATION_LIMIT_S), step_s)
    });
    let child_mb = ((pricing.express.base_memory_mb + mb(definition_bytes) + mb(payload_bytes))
        / step_mb
        - 1e-9)
        .ceil()
        .max(1.0)
        * step_mb;
    ExpressMemory {
        memory_mb,
        billed_mb,
        billed_s,
        child_mb,
    }
}

/// Per-state figures, scaled to one execution.
fn state_costs(
    model: &crate::asl::Model,
    plan: &plan::Plan,
    sol: &analytic::Solution,
) -> Vec<StateCost> {
    let mut states = Vec::with_capacity(model.states.len());
    for st in &model.states {
        let si = st.scope.0 as usize;
        let li = plan.local[st.id.0 as usize];
        let res = &sol.scopes[si].states[li];
        let visits = sol.scope_runs[si] * sol.scopes[si].visits[li];
        let own_events = analytic::events_per_visit(st.ty, res.attempts.attempts);
        let sp = &plan.scopes[si].states[li];
        states.push(StateCost {
            state: st.name.to_string(),
            name: st.name.to_string(),
            ty: st.ty.name().to_string(),
            scope: scope_label(model, st.scope),
            visits,
            expected_visits: visits,
            attempts_per_visit: res.attempts.attempts,
            transitions: visits * res.attempts.attempts,
            history_events: visits * own_events,
            duration_s: visits * (res.attempts.attempts * sp.attempt_s + res.attempts.delay_s),
            child_execution: in_child_execution(model, plan, st.scope),
        });
    }
    states
}

/// The `top` states that take the most transitions, with their shares.
fn drivers(states: &[StateCost], top: usize) -> Vec<Driver> {
    let total_t: f64 = states
        .iter()
        .map(|s| s.transitions)
        .sum::<f64>()
        .max(1e-300);
    let total_d: f64 = states.iter().map(|s| s.duration_s).sum::<f64>().max(1e-300);
    let mut drivers: Vec<Driver> = states
        .iter()
        .map(|s| Driver {
            state: s.state.clone(),
            transitions: s.transitions,
            share: s.transitions / total_t,
            duration_s: s.duration_s,
            duration_share: s.duration_s / total_d,
        })
        .collect();
    drivers.sort_by(|a, b| {
        b.transitions
            .total_cmp(&a.transitions)
            .then(a.state.cmp(&b.state))
    });
    drivers.truncate(top.max(1));
    drivers
}

/// The quotas an average execution comes near: history, Express's duration, payload.
fn risks(
    declared: WorkflowType,
    history_events: f64,
    root_t: &Totals,
    payload: &PayloadEstimate,
) -> Vec<Risk> {
    let mut risks = Vec::new();
    if declared == WorkflowType::Standard {
        let share = history_events / HISTORY_LIMIT;
        if share >= 0.8 {
            risks.push(Risk {
                kind: "history",
                level: Severity::Warning,
                message: format!(
                    "an execution writes {} history events on average, {:.0}% of the 25,000 quota: a long run fails; continue as a new execution or use a Distributed Map",
                    fmt_count(history_events),
                    share * 100.0
                ),
            });
        } else if share >= 0.2 {
            risks.push(Risk {
                kind: "history",
                level: Severity::Info,
                message: format!(
                    "an execution writes {} history events on average ({:.0}% of the 25,000 quota); runs with more loop passes or items than average write more",
                    fmt_count(history_events),
                    share * 100.0
                ),
            });
        }
    }
    if root_t.duration_s > EXPRESS_DURATION_LIMIT_S {
        risks.push(Risk {
            kind: "express-duration",
            level: if declared == WorkflowType::Express { Severity::Warning } else { Severity::Info },
            message: format!(
                "an execution takes {} on average, over Express's 5-minute limit: as Express it would time out",
                fmt_duration(root_t.duration_s)
            ),
        });
    } else if root_t.p95_s > EXPRESS_DURATION_LIMIT_S {
        risks.push(Risk {
            kind: "express-duration",
            level: if declared == WorkflowType::Express { Severity::Warning } else { Severity::Info },
            message: format!(
                "with p95 Task times an execution takes {}, over Express's 5-minute limit: slow runs would time out as Express",
                fmt_duration(root_t.p95_s)
            ),
        });
    }
    if let Some(r) = payload_risk(payload) {
        risks.push(r);
    }
    risks
}

/// What the figures leave out, for the report's footnotes.
fn approximations(
    payload: &PayloadEstimate,
    sol: &analytic::Solution,
    billing_note: Option<String>,
) -> Vec<String> {
    let mut approximations = vec![
        "a Parallel takes as long as its slowest branch's expected duration (the expected maximum is at least that)".to_string(),
        "a Map's duration is the expected number of waves (items ÷ concurrency, rounded up) × one item's expected duration".to_string(),
    ];
    approximations.extend(billing_note);
    if payload.incomplete {
        approximations.push(format!(
            "the payload estimate stopped after its budget of {} state visits; the largest payload is what it had found by then",
            payload::WORK_BUDGET
        ));
    }
    if sol.approximate {
        approximations.push("a state's retry counters had too many combinations and were cut after 2,000,000 (the remaining probability goes to failure)".into());
    }
    approximations
}

/// One execution's figures: the root scope's totals, its failures (likeliest first) and the
/// Express memory and billing.
fn per_execution(sol: &analytic::Solution, memory: &ExpressMemory) -> PerExecution {
    let root_t = sol.root().totals;
    let mut failures: Vec<ErrorShare> = sol
        .root()
        .failures
        .iter()
        .map(|(e, p)| ErrorShare {
            error: e.clone(),
            probability: *p,
        })
        .collect();
    failures.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    PerExecution {
        transitions: root_t.transitions,
        child_transitions: root_t.child_std_transitions,
        child_express_executions: root_t.child_express_requests,
        // ExecutionStarted and the closing event.
        history_events: root_t.events + 2.0,
        duration_s: root_t.duration_s,
        p95_duration_s: root_t.p95_s,
        success_rate: sol.root().success,
        failures,
        express_memory_mb: memory.memory_mb,
        express_billed_memory_mb: memory.billed_mb,
        express_billed_duration_s: memory.billed_s,
        child_express_billed_s: root_t.child_express_billed_s,
        child_express_memory_mb: memory.child_mb,
    }
}

/// The monthly bills at `n` executions and per million, and where Express gets cheaper.
struct Bills {
    standard: Bill,
    express: Bill,
    break_even: Option<f64>,
    break_even_text: String,
}

fn bills(per_execution: &PerExecution, prices: &Prices, n: f64, free_tier: bool) -> Bills {
    let bill = |execs: f64, free: bool| monthly(per_execution, prices, execs, free);
    let break_even = break_even(|x| {
        let (s, e) = bill(x, free_tier);
        s - e
    });
    let (std_m, exp_m) = bill(n, free_tier);
    let (std_1m, exp_1m) = bill(1e6, false);
    let (std_lines, exp_lines) = breakdown(per_execution, prices, n, free_tier);
    let break_even_text = match break_even {
        Some(x) => format!(
            "Express is cheaper above {} executions per month",
            fmt_count(x)
        ),
        None if bill(1e9, free_tier).0 <= bill(1e9, free_tier).1 => {
            "Standard is cheaper at every volume".into()
        }
        None => "Express is cheaper at every volume".into(),
    };
    Bills {
        standard: Bill {
            monthly: std_m,
            monthly_usd: std_m,
            per_million_executions: std_1m,
            breakdown: std_lines,
        },
        express: Bill {
            monthly: exp_m,
            monthly_usd: exp_m,
            per_million_executions: exp_1m,
            breakdown: exp_lines,
        },
        break_even,
        break_even_text,
    }
}

fn graph_out(model: &crate::asl::Model, plan: &plan::Plan, sol: &analytic::Solution) -> GraphOut {
    let mut out = GraphOut::default();
    for scope in &model.scopes {
        let si = scope.id.0 as usize;
        out.scopes.push(ScopeOut {
            title: scope_label(model, scope.id),
            owner: scope.owner.map(|o| o.0 as usize),
            states: scope.states.iter().map(|s| s.0 as usize).collect(),
            start: plan.scopes[si].start.map(|l| scope.states[l].0 as usize),
            runs: sol.scope_runs[si],
        });
        for (li, &sid) in scope.states.iter().enumerate() {
            // Merge outcomes that go to the same place.
            let mut merged: Vec<(Option<usize>, String, f64)> = Vec::new();
            for (p, nx) in &sol.scopes[si].states[li].outcomes {
                let (to, kind) = match nx {
                    plan::Next::Goto(j) => (Some(scope.states[*j].0 as usize), "next".to_string()),
                    plan::Next::End => (None, "end".to_string()),
                    plan::Next::Fail(e) => (None, format!("fail: {e}")),
                };
                match merged.iter_mut().find(|(t, k, _)| *t == to && *k == kind) {
                    Some((_, _, q)) => *q += p,
                    None => merged.push((to, kind, *p)),
                }
            }
            for (to, kind, probability) in merged {
                out.edges.push(EdgeOut {
                    from: sid.0 as usize,
                    to,
                    kind,
                    probability,
                });
            }
        }
    }
    out
}

/// The payload risk line, when the estimate's peak is near or over the quota, when the peak is near or over the quota.
fn payload_risk(est: &PayloadEstimate) -> Option<Risk> {
    let state = est.peak_state.as_deref()?;
    let share = est.peak_bytes / PAYLOAD_LIMIT;
    if share < 0.5 {
        return None;
    }
    let chain = est
        .chain
        .iter()
        .map(|g| format!("{} (+{})", g.state, fmt_bytes(g.adds_bytes)))
        .collect::<Vec<_>>()
        .join(" → ");
    Some(Risk {
        kind: "payload",
        level: if share >= 1.0 {
            Severity::Warning
        } else {
            Severity::Info
        },
        message: format!(
            "the output of `{state}` can reach {} ({:.0}% of the 256 KiB quota), grown by {chain}: trim results with ResultSelector or `\"ResultPath\": null`, keep large data in S3 and pass its key, or give a Distributed Map a ResultWriter",
            fmt_bytes(est.peak_bytes),
            share * 100.0
        ),
    })
}

/// The monthly bill (Standard, Express) for `executions` runs, from a report's per-execution
/// figures and prices. Standard: transitions beyond the free tier. Express: requests plus
/// GB-hours through the duration tiers. Both pay for Distributed Map children the same way.
pub fn monthly(p: &PerExecution, prices: &Prices, executions: f64, free_tier: bool) -> (f64, f64) {
    let rate = prices.standard_per_1000_transitions / 1000.0;
    let free = if free_tier {
        prices.standard_free_transitions
    } else {
        0.0
    };
    let tiered = |gb_hours: f64| pricing::tiered_cost(&prices.express_per_gb_hour, gb_hours);
    let children = executions * p.child_express_executions * prices.express_per_request
        + tiered(
            executions * p.child_express_billed_s * p.child_express_memory_mb / 1024.0 / 3600.0,
        );
    let standard =
        (executions * (p.transitions + p.child_transitions) - free).max(0.0) * rate + children;
    let express = executions * prices.express_per_request
        + tiered(
            executions * p.express_billed_duration_s * p.express_billed_memory_mb / 1024.0 / 3600.0,
        )
        + (executions * p.child_transitions - free).max(0.0) * rate
        + children;
    (standard, express)
}

/// [`monthly`] line by line (Standard, Express): the same sums, as quantity × unit price.
pub fn breakdown(
    p: &PerExecution,
    prices: &Prices,
    executions: f64,
    free_tier: bool,
) -> (Vec<Line>, Vec<Line>) {
    let rate = prices.standard_per_1000_transitions / 1000.0;
    let free = if free_tier {
        prices.standard_free_transitions
    } else {
        0.0
    };
    let line = |item: String, quantity: f64, unit: &'static str, unit_price: f64| Line {
        item,
        quantity,
        unit,
        unit_price,
        usd: quantity * unit_price,
    };
    let transitions = |what: &str, count: f64| {
        let billed = (count - free).max(0.0);
        let item = if free > 0.0 {
            format!("{what} beyond the {} free", fmt_count(free))
        } else {
            what.to_string()
        };
        line(item, billed, "transition", rate)
    };
    let mut children = Vec::new();
    if p.child_express_executions > 0.0 {
        children.push(line(
            "Express child executions".into(),
            executions * p.child_express_executions,
            "request",
            prices.express_per_request,
        ));
        children.extend(tier_lines(
            "Express child duration",
            &prices.express_per_gb_hour,
            executions * p.child_express_billed_s * p.child_express_memory_mb / 1024.0 / 3600.0,
        ));
    }
    let mut standard = vec![transitions(
        "state transitions",
        executions * (p.transitions + p.child_transitions),
    )];
    standard.extend(children.iter().cloned());
    let mut express = vec![line(
        "requests".into(),
        executions,
        "request",
        prices.express_per_request,
    )];
    express.extend(tier_lines(
        "duration",
        &prices.express_per_gb_hour,
        executions * p.express_billed_duration_s * p.express_billed_memory_mb / 1024.0 / 3600.0,
    ));
    if p.child_transitions > 0.0 {
        express.push(transitions(
            "Standard child transitions",
            executions * p.child_transitions,
        ));
    }
    express.extend(children);
    (standard, express)
}

/// GB-hours split over the price tiers they fall in, one line a tier used.
fn tier_lines(what: &str, tiers: &[pricing::Tier], gb_hours: f64) -> Vec<Line> {
    let mut out = Vec::new();
    let mut from = 0.0;
    for (i, tier) in tiers.iter().enumerate() {
        if gb_hours <= from && i > 0 {
            break;
        }
        let to = tier.up_to_gb_hours.unwrap_or(f64::INFINITY);
        let quantity = (gb_hours.min(to) - from).max(0.0);
        let item = match (tiers.len(), tier.up_to_gb_hours) {
            (1, _) => format!("{what} (GB-hours)"),
            (_, Some(up)) => format!("{what}, GB-hours {} to {}", fmt_count(from), fmt_count(up)),
            (_, None) => format!("{what}, GB-hours over {}", fmt_count(from)),
        };
        out.push(Line {
            item,
            quantity,
            unit: "GB-hour",
            unit_price: tier.per_gb_hour,
            usd: quantity * tier.per_gb_hour,
        });
        from = to;
    }
    out
}

/// The smallest monthly volume where `diff` (Standard − Express) turns positive, searched on
/// a log grid from 1 to 10¹² and refined by bisection.
fn break_even(diff: impl Fn(f64) -> f64) -> Option<f64> {
    let mut prev = 1.0f64;
    let mut prev_d = diff(prev);
    for i in 1..=240 {
        let x = 10f64.powf(i as f64 / 20.0);
        let d = diff(x);
        if prev_d <= 0.0 && d > 0.0 {
            let (mut lo, mut hi) = (prev, x);
            for _ in 0..100 {
                let mid = (lo + hi) / 2.0;
                if diff(mid) > 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return Some(hi);
        }
        prev = x;
        prev_d = d;
    }
    None
}

fn scope_label(model: &crate::asl::Model, scope: ScopeId) -> String {
    let s = model.scope(scope);
    match s.owner {
        None => "top level".into(),
        Some(o) => {
            let owner = model.state(o);
            if owner.ty == StateType::Parallel {
                let i = owner.children.iter().position(|c| *c == scope).unwrap_or(0) + 1;
                format!("{} branch {i}", owner.name)
            } else {
                format!("{} items", owner.name)
            }
        }
    }
}

fn in_child_execution(model: &crate::asl::Model, plan: &plan::Plan, mut scope: ScopeId) -> bool {
    while let Some(o) = model.scope(scope).owner {
        let owner = model.state(o);
        let li = plan.local[o.0 as usize];
        if let Kind::Map(m) = &plan.scopes[owner.scope.0 as usize].states[li].kind
            && m.distributed.is_some()
        {
            return true;
        }
        scope = owner.scope;
    }
    false
}

/// 1234567.8 → "1,234,568"; small numbers keep two decimals.
pub fn fmt_count(v: f64) -> String {
    if v.abs() < 100.0 && v.fract().abs() > 1e-9 {
        return format!("{v:.2}");
    }
    let r = v.round() as i128;
    let s = r.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if r < 0 { format!("-{out}") } else { out }
}

/// Dollars with cents, or more digits below a cent.
pub fn fmt_money(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.01 {
        return format!("${v:.6}");
    }
    let cents = (v * 100.0).round() as i128;
    let whole = fmt_count((cents / 100) as f64);
    format!("${whole}.{:02}", (cents % 100).abs())
}

pub fn fmt_duration(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86_400.0)
    }
}
