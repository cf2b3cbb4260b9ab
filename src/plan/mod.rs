//! The cost plan: for every state, what one visit can lead to and with what probability,
//! built once from the definition and the profile. The exact solver and the Monte Carlo
//! simulation both read this one plan, so they model the same thing.

pub mod attempts;
pub mod payload;

use std::collections::BTreeMap;

use crate::asl::errors;
use crate::asl::resource::{Pattern, classify};
use crate::asl::{Model, ScopeId, State, StateId, StateType};
use crate::syntax::Document;

use crate::profile::{Profile, StateProfile, mean_distribution};

/// Where a state goes after its visit.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Another state of the same scope (local index).
    Goto(usize),
    /// The scope finishes normally.
    End,
    /// The scope fails with this error.
    Fail(String),
}

#[derive(Clone, Debug)]
pub struct RetrierPlan {
    pub matchers: Vec<String>,
    pub max_attempts: u64,
    pub interval_s: f64,
    pub backoff: f64,
    pub max_delay_s: Option<f64>,
    pub full_jitter: bool,
}

impl RetrierPlan {
    /// The expected wait before retry number `k` (0-based) of this retrier.
    pub fn delay(&self, k: u64) -> f64 {
        let mut d = self.interval_s * self.backoff.powi(k.min(i32::MAX as u64) as i32);
        if let Some(cap) = self.max_delay_s {
            d = d.min(cap);
        }
        if !d.is_finite() {
            d = self.max_delay_s.unwrap_or(99_999_999.0);
        }
        if self.full_jitter { d / 2.0 } else { d }
    }

    pub fn matches(&self, error: &str) -> bool {
        errors::any_matches(self.matchers.iter().map(|m| m.as_str()), error)
    }
}

#[derive(Clone, Debug)]
pub struct CatcherPlan {
    pub matchers: Vec<String>,
    pub next: Next,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// Pass, Choice, Wait, Succeed, Fail and Task: no nested scopes.
    Simple,
    Parallel(Vec<ScopeId>),
    Map(MapPlan),
}

#[derive(Clone, Debug)]
pub struct MapPlan {
    pub child: Option<ScopeId>,
    /// Item count distribution: (count, probability).
    pub items: Vec<(u64, f64)>,
    /// Iterations (or child executions) that run at once.
    pub concurrency: u64,
    pub distributed: Option<Distributed>,
}

#[derive(Clone, Debug)]
pub struct Distributed {
    /// Child executions are Express (billed per request and duration) rather than Standard.
    pub express_children: bool,
    /// Items per child execution (`ItemBatcher.MaxItemsPerBatch`, else 1).
    pub batch: u64,
    /// A tolerated-failure threshold is set: failed items do not fail the Map (modelled as
    /// never failing because of items).
    pub tolerated: bool,
}

impl MapPlan {
    /// Runs of the child scope per Map attempt, as a distribution.
    pub fn runs(&self) -> Vec<(u64, f64)> {
        match &self.distributed {
            Some(d) => self
                .items
                .iter()
                .map(|(k, p)| (k.div_ceil(d.batch.max(1)), *p))
                .collect(),
            None => self.items.clone(),
        }
    }

    pub fn waves(&self, runs: u64) -> u64 {
        runs.div_ceil(self.concurrency.max(1))
    }
}

#[derive(Clone, Debug)]
pub struct StatePlan {
    pub id: StateId,
    pub name: String,
    pub ty: StateType,
    /// Errors one attempt raises by itself, with their probabilities (from the profile).
    pub failures: Vec<(String, f64)>,
    pub retriers: Vec<RetrierPlan>,
    pub catchers: Vec<CatcherPlan>,
    /// Where a successful visit goes.
    pub success: Vec<(f64, Next)>,
    /// Mean seconds one attempt takes by itself (Task work, Wait time).
    pub attempt_s: f64,
    /// A pessimistic (p95) attempt time, for the Express duration risk.
    pub attempt_p95_s: f64,
    /// Task: the size of its result in bytes (profile or default).
    pub result_bytes: f64,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub struct ScopePlan {
    pub id: ScopeId,
    pub states: Vec<StatePlan>,
    pub start: Option<usize>,
}

/// Every default the plan used, grouped by what was assumed, with the states it applied to.
pub type Assumptions = BTreeMap<String, Vec<String>>;

#[derive(Clone, Debug)]
pub struct Plan {
    pub scopes: Vec<ScopePlan>,
    /// Local index of every state in its scope, by state id.
    pub local: Vec<usize>,
    pub assumptions: Assumptions,
    /// The profile's values that are not per state.
    pub input_bytes: f64,
}

/// Defaults, in one place (the cost page documents the same numbers).
pub mod defaults {
    pub const EXECUTIONS_PER_MONTH: f64 = 100_000.0;
    pub const REGION: &str = "us-east-1";
    pub const INPUT_BYTES: f64 = 1024.0;
    pub const TASK_MS: f64 = 100.0;
    pub const SYNC_MS: f64 = 60_000.0;
    pub const CALLBACK_MS: f64 = 60_000.0;
    pub const WAIT_S: f64 = 60.0;
    pub const MAP_ITEMS: f64 = 10.0;
    pub const RESULT_BYTES: f64 = 1024.0;
    pub const INLINE_MAP_CONCURRENCY: u64 = 40;
    pub const DISTRIBUTED_MAP_CONCURRENCY: u64 = 10_000;
}

/// A plan could not be built from this profile.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

pub fn build(doc: &Document, model: &Model, profile: &Profile) -> Result<Plan, PlanError> {
    build_with(doc, model, profile, true)
}

/// Like [`build`]; without `record`, the assumptions are not written down (for the linter,
/// which never shows them).
pub fn build_with(
    doc: &Document,
    model: &Model,
    profile: &Profile,
    record: bool,
) -> Result<Plan, PlanError> {
    let mut local = vec![0usize; model.states.len()];
    for scope in &model.scopes {
        for (i, s) in scope.states.iter().enumerate() {
            local[s.0 as usize] = i;
        }
    }
    let mut b = Builder {
        doc,
        model,
        profile,
        local: &local,
        record,
        assumptions: BTreeMap::new(),
    };
    let mut scopes = Vec::with_capacity(model.scopes.len());
    for scope in &model.scopes {
        let mut states = Vec::with_capacity(scope.states.len());
        for &s in &scope.states {
            states.push(b.state(model.state(s))?);
        }
        let start = scope
            .start_at
            .as_ref()
            .and_then(|t| model.find_in_scope(scope.id, &t.name))
            .map(|s| local[s.0 as usize]);
        scopes.push(ScopePlan {
            id: scope.id,
            states,
            start,
        });
    }
    let input_bytes = match profile.input_bytes {
        Some(v) => v,
        None => {
            b.assume(
                || {
                    format!(
                        "the execution input is {} bytes (set `input_bytes`)",
                        defaults::INPUT_BYTES
                    )
                },
                None,
            );
            defaults::INPUT_BYTES
        }
    };
    let assumptions = b.assumptions;
    Ok(Plan {
        scopes,
        local,
        assumptions,
        input_bytes,
    })
}

struct Builder<'a> {
    record: bool,
    doc: &'a Document,
    local: &'a [usize],
    model: &'a Model,
    profile: &'a Profile,
    assumptions: Assumptions,
}

impl Builder<'_> {
    /// Records an assumption; `what` is only formatted when assumptions are recorded.
    fn assume(&mut self, what: impl FnOnce() -> String, state: Option<&str>) {
        if !self.record {
            return;
        }
        let e = self.assumptions.entry(what()).or_default();
        if let Some(s) = state {
            e.push(s.to_string());
        }
    }

    fn num(&self, node: crate::syntax::NodeId, key: &str) -> Option<f64> {
        self.doc.get(node, key).and_then(|n| self.doc.as_f64(n))
    }

    fn str(&self, node: crate::syntax::NodeId, key: &str) -> Option<&str> {
        self.doc.get(node, key).and_then(|n| self.doc.as_str(n))
    }

    fn target(&self, state: &State, name: &str) -> Next {
        match self.model.find_in_scope(state.scope, name) {
            Some(t) => Next::Goto(self.local[t.0 as usize]),
            // An undefined target is an error `check` reports; here the state just ends the
            // scope, so that the estimate still completes.
            None => Next::End,
        }
    }

    fn state(&mut self, st: &State) -> Result<StatePlan, PlanError> {
        let default = StateProfile::default();
        let profile = self.profile;
        let sp = profile.states.get(&*st.name).unwrap_or(&default);
        let name = st.name.to_string();
        let mut failures: Vec<(String, f64)> = sp
            .failures
            .iter()
            .filter(|(_, p)| **p > 0.0)
            .map(|(e, p)| (e.clone(), *p))
            .collect();
        // `failure_rate`: an error of no particular name, which `States.ALL` and
        // `States.TaskFailed` match.
        if let Some(rate) = sp.failure_rate.filter(|r| *r > 0.0) {
            match failures.iter_mut().find(|(e, _)| e == "States.TaskFailed") {
                Some((_, p)) => *p += rate,
                None => failures.push(("States.TaskFailed".into(), rate)),
            }
        }
        let retriers = st
            .retry
            .iter()
            .map(|r| RetrierPlan {
                matchers: r.error_equals.iter().map(|e| e.name.to_string()).collect(),
                max_attempts: self
                    .num(r.node, "MaxAttempts")
                    .map_or(3, |m| m.clamp(0.0, 99_999_999.0) as u64),
                interval_s: self.num(r.node, "IntervalSeconds").unwrap_or(1.0).max(0.0),
                backoff: self.num(r.node, "BackoffRate").unwrap_or(2.0).max(0.0),
                max_delay_s: self.num(r.node, "MaxDelaySeconds"),
                full_jitter: self.str(r.node, "JitterStrategy") == Some("FULL"),
            })
            .collect();
        let catchers = st
            .catch
            .iter()
            .map(|c| CatcherPlan {
                matchers: c.error_equals.iter().map(|e| e.name.to_string()).collect(),
                next: c
                    .next
                    .as_ref()
                    .map_or(Next::End, |t| self.target(st, &t.name)),
            })
            .collect();
        let normal_next = if st.end == Some(true) {
            Next::End
        } else {
            st.next
                .as_ref()
                .map_or(Next::End, |t| self.target(st, &t.name))
        };
        let normal = || normal_next.clone();
        let mut attempt_s = 0.0;
        let mut attempt_p95_s = 0.0;
        let mut result_bytes = 0.0;
        let mut kind = Kind::Simple;
        let success = match st.ty {
            StateType::Succeed => vec![(1.0, Next::End)],
            StateType::Fail => {
                let error = self
                    .str(st.node, "Error")
                    .map_or_else(|| format!("(Fail state {})", st.name), str::to_string);
                vec![(1.0, Next::Fail(error))]
            }
            StateType::Choice => self.choice(st, &sp.branches)?,
            StateType::Task => {
                (attempt_s, attempt_p95_s, result_bytes) = self.task(st, sp, &name);
                vec![(1.0, normal())]
            }
            StateType::Wait => {
                attempt_s = self.wait(st, sp, &name);
                attempt_p95_s = attempt_s;
                vec![(1.0, normal())]
            }
            StateType::Parallel => {
                kind = Kind::Parallel(st.children.clone());
                vec![(1.0, normal())]
            }
            StateType::Map => {
                kind = Kind::Map(self.map(st, sp)?);
                vec![(1.0, normal())]
            }
            StateType::Pass | StateType::Unknown => vec![(1.0, normal())],
        };
        Ok(StatePlan {
            id: st.id,
            name,
            ty: st.ty,
            failures,
            retriers,
            catchers,
            success,
            attempt_s,
            attempt_p95_s,
            result_bytes,
            kind,
        })
    }

    /// A Task attempt's mean and p95 seconds and its result's bytes: the profile's, or the
    /// defaults for its kind of integration (each default used is listed as an assumption).
    fn task(&mut self, st: &State, sp: &StateProfile, name: &str) -> (f64, f64, f64) {
        let resource = self.str(st.node, "Resource").unwrap_or("");
        let r = classify(resource);
        let (default_ms, what) = if r.activity || r.pattern == Pattern::Callback {
            (
                self.profile
                    .defaults
                    .callback_duration_ms
                    .unwrap_or(defaults::CALLBACK_MS),
                "callback and activity Tasks take {} ms (`defaults.callback_duration_ms`)",
            )
        } else if r.pattern == Pattern::Sync {
            (
                self.profile
                    .defaults
                    .sync_duration_ms
                    .unwrap_or(defaults::SYNC_MS),
                "`.sync` Tasks take {} ms (`defaults.sync_duration_ms`)",
            )
        } else {
            (
                self.profile
                    .defaults
                    .task_duration_ms
                    .unwrap_or(defaults::TASK_MS),
                "Tasks take {} ms (`defaults.task_duration_ms`)",
            )
        };
        let ms = match sp.duration_ms {
            Some(ms) => ms,
            None => {
                self.assume(|| what.replace("{}", &fmt_num(default_ms)), Some(name));
                default_ms
            }
        };
        let result_bytes = match sp.result_bytes {
            Some(b) => b,
            None => {
                let d = self
                    .profile
                    .defaults
                    .result_bytes
                    .unwrap_or(defaults::RESULT_BYTES);
                self.assume(
                    || {
                        format!(
                            "Task results are {} bytes (`defaults.result_bytes`)",
                            fmt_num(d)
                        )
                    },
                    Some(name),
                );
                d
            }
        };
        (ms / 1000.0, sp.p95_ms.unwrap_or(ms) / 1000.0, result_bytes)
    }

    /// A Wait's seconds: the profile's, its literal `Seconds`, or the default.
    fn wait(&mut self, st: &State, sp: &StateProfile, name: &str) -> f64 {
        let literal = self.num(st.node, "Seconds");
        let secs = match (sp.wait_seconds, literal) {
            (Some(s), _) => s,
            (None, Some(s)) => s,
            (None, None) => {
                let d = self
                    .profile
                    .defaults
                    .wait_seconds
                    .unwrap_or(defaults::WAIT_S);
                self.assume(
                    || {
                        format!(
                            "Waits without a fixed `Seconds` wait {} s (`wait_seconds`)",
                            fmt_num(d)
                        )
                    },
                    Some(name),
                );
                d
            }
        };
        secs.max(0.0)
    }

    fn choice(
        &mut self,
        st: &State,
        given: &BTreeMap<String, f64>,
    ) -> Result<Vec<(f64, Next)>, PlanError> {
        // Outcomes: each rule, then Default. A target named in the profile gets its
        // probability, shared by the outcomes that lead to it; the other outcomes share the
        // rest. The Default outcome is keyed `Default`, or by its target's name when the
        // profile names that and not `Default`.
        let mut outcomes: Vec<(String, Next)> = st
            .choices
            .iter()
            .filter_map(|r| r.next.as_ref())
            .map(|t| (t.name.to_string(), self.target(st, &t.name)))
            .collect();
        if let Some(d) = &st.default {
            let key = if !given.contains_key("Default") && given.contains_key(&*d.name) {
                d.name.to_string()
            } else {
                "Default".to_string()
            };
            outcomes.push((key, self.target(st, &d.name)));
        }
        let listed_sum: f64 = given.values().sum();
        let unlisted = outcomes
            .iter()
            .filter(|(k, _)| !given.contains_key(k))
            .count();
        let mut out = Vec::new();
        for (key, next) in &outcomes {
            let p = match given.get(key) {
                Some(p) => {
                    let sharing = outcomes.iter().filter(|(k, _)| k == key).count();
                    p / sharing as f64
                }
                None => (1.0 - listed_sum).max(0.0) / unlisted as f64,
            };
            out.push((p, next.clone()));
        }
        if given.is_empty() && !outcomes.is_empty() {
            self.assume(
                || "Choice outcomes are equally likely (set `branches`)".into(),
                Some(&st.name),
            );
        }
        let rest = 1.0 - out.iter().map(|(p, _)| p).sum::<f64>();
        if rest > 1e-9 || outcomes.is_empty() {
            if st.default.is_some() {
                return Err(PlanError(format!(
                    "the `branches` of Choice `{}` add up to {listed_sum}, not 1",
                    st.name
                )));
            }
            // No Default: the rest is "no rule matched", which fails the scope.
            out.push((rest.max(0.0), Next::Fail("States.NoChoiceMatched".into())));
        }
        Ok(out)
    }

    fn map(&mut self, st: &State, sp: &StateProfile) -> Result<MapPlan, PlanError> {
        let items = match &sp.items {
            Some(i) => i.distribution(),
            None => {
                let m = self
                    .profile
                    .defaults
                    .map_items
                    .unwrap_or(defaults::MAP_ITEMS);
                self.assume(
                    || format!("Maps get {} items (set `items`)", fmt_num(m)),
                    Some(&st.name),
                );
                mean_distribution(m)
            }
        };
        let processor = self.doc.get(st.node, "ItemProcessor");
        let config = processor.and_then(|p| self.doc.get(p, "ProcessorConfig"));
        let distributed = config.and_then(|c| self.str(c, "Mode")) == Some("DISTRIBUTED");
        let max = self
            .num(st.node, "MaxConcurrency")
            .filter(|m| *m >= 1.0)
            .map(|m| m as u64);
        let (concurrency, distributed) = if distributed {
            let express_children =
                config.and_then(|c| self.str(c, "ExecutionType")) == Some("EXPRESS");
            let batch = self
                .doc
                .get(st.node, "ItemBatcher")
                .and_then(|b| self.num(b, "MaxItemsPerBatch"))
                .filter(|b| *b >= 1.0)
                .map_or(1, |b| b as u64);
            let tolerated = [
                "ToleratedFailurePercentage",
                "ToleratedFailureCount",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCountPath",
            ]
            .iter()
            .any(|k| self.doc.get(st.node, k).is_some());
            (
                max.unwrap_or(defaults::DISTRIBUTED_MAP_CONCURRENCY)
                    .min(defaults::DISTRIBUTED_MAP_CONCURRENCY),
                Some(Distributed {
                    express_children,
                    batch,
                    tolerated,
                }),
            )
        } else {
            (
                max.unwrap_or(defaults::INLINE_MAP_CONCURRENCY)
                    .min(defaults::INLINE_MAP_CONCURRENCY),
                None,
            )
        };
        Ok(MapPlan {
            child: st.children.first().copied(),
            items,
            concurrency,
            distributed,
        })
    }
}

/// A number without a trailing `.0`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
