//! The usage profile: how often a workflow runs and how its states behave, as far as the
//! user knows. Everything is optional; each default is documented in `docs/cost.md` and the
//! report lists every default it used, so a reader knows what to put in the profile.
//!
//! YAML and JSON profiles are read with the same spanned loader as definitions (so errors point
//! at a line and column); TOML profiles with the `toml` crate.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::asl::{Model, StateType};
use crate::syntax::{self, Document, Format, NodeKind};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Executions per month (default 100,000).
    pub executions_per_month: Option<f64>,
    /// AWS region code (default us-east-1).
    pub region: Option<String>,
    /// The execution input's size in bytes (default 1,024).
    pub input_bytes: Option<f64>,
    /// Express memory in MB; when absent it is estimated from AWS's formula.
    pub express_memory_mb: Option<f64>,
    /// `false`: do not subtract the Standard free tier (as `--no-free-tier`).
    pub free_tier: Option<bool>,
    /// The Standard price per 1,000 transitions, for a region the bundled table lacks.
    pub standard_price_per_1000_transitions: Option<f64>,
    #[serde(default)]
    pub defaults: Defaults,
    /// Per-state facts, by state name (names are unique in a whole state machine).
    #[serde(default)]
    pub states: BTreeMap<String, StateProfile>,
    /// For a set of workflows: each one's own values, keyed by `file#machine`, by machine
    /// name, or by file path (the file's name or a path ending it); they override the
    /// values above, which are every workflow's defaults.
    #[serde(default)]
    pub workflows: BTreeMap<String, Profile>,
}

/// Values used for states the profile says nothing about.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Request-response Task duration (default 100 ms).
    pub task_duration_ms: Option<f64>,
    /// `.sync` (run a job) Task duration (default 60,000 ms).
    pub sync_duration_ms: Option<f64>,
    /// `.waitForTaskToken` and activity Task duration (default 60,000 ms).
    pub callback_duration_ms: Option<f64>,
    /// Wait duration when the definition does not fix it (default 60 s).
    pub wait_seconds: Option<f64>,
    /// Map item count (default 10).
    pub map_items: Option<f64>,
    /// Size of a Task's result in bytes (default 1,024).
    pub result_bytes: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateProfile {
    /// Mean duration of one attempt (Task).
    pub duration_ms: Option<f64>,
    /// 95th percentile duration of one attempt (Task): used for the Express 5-minute risk.
    pub p95_ms: Option<f64>,
    /// Probability that one attempt fails, by error name (Task, Parallel, Map).
    #[serde(default)]
    pub failures: BTreeMap<String, f64>,
    /// Probability that one attempt fails with an error of no particular name, which only
    /// `States.ALL` and `States.TaskFailed` retriers and catchers match (Task, Parallel, Map).
    pub failure_rate: Option<f64>,
    /// Choice: probability of each outcome, by target state name or `Default`.
    #[serde(default)]
    pub branches: BTreeMap<String, f64>,
    /// Map: the item count, a mean or a distribution.
    pub items: Option<Items>,
    /// Wait: how long it waits.
    pub wait_seconds: Option<f64>,
    /// Task: the size of its result in bytes.
    pub result_bytes: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Items {
    /// A mean item count. A fractional mean is read as the two neighbouring counts with the
    /// weights that give that mean.
    Mean(f64),
    /// `[[count, probability], …]`, probabilities summing to 1.
    Distribution { distribution: Vec<(f64, f64)> },
}

impl Items {
    /// The item count as a distribution of (count, probability).
    pub fn distribution(&self) -> Vec<(u64, f64)> {
        match self {
            Items::Mean(m) => mean_distribution(*m),
            Items::Distribution { distribution } => distribution
                .iter()
                .map(|(k, p)| (k.max(0.0).round() as u64, *p))
                .collect(),
        }
    }
}

/// A fixed count, or for a fractional mean the two neighbouring counts weighted to give it.
pub fn mean_distribution(m: f64) -> Vec<(u64, f64)> {
    let m = m.max(0.0);
    let lo = m.floor();
    let frac = m - lo;
    if frac < 1e-12 {
        vec![(lo as u64, 1.0)]
    } else {
        vec![(lo as u64, 1.0 - frac), (lo as u64 + 1, frac)]
    }
}

/// A profile problem, with where it is.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct ProfileError {
    pub message: String,
    /// Byte range in the profile file, when known.
    pub span: Option<Range<usize>>,
}

/// A parsed profile and what is needed to point into its file.
#[derive(Clone, Debug, Default)]
pub struct LoadedProfile {
    pub profile: Profile,
    text: String,
    doc: Option<Document>,
    /// Where this workflow's entry is (`/workflows/<key>`), for errors in it; empty for the
    /// profile as a whole.
    base: String,
    /// State entries taken from the top level for a workflow of a set: each applies where the
    /// workflow has that state.
    inherited: std::collections::BTreeSet<String>,
}

impl LoadedProfile {
    /// Parses a profile; `path` picks the format (`.toml`, else YAML/JSON).
    pub fn parse(path: &str, text: &str) -> Result<LoadedProfile, ProfileError> {
        if path.to_ascii_lowercase().ends_with(".toml") {
            let profile: Profile = toml::from_str(text).map_err(|e| ProfileError {
                message: e.message().to_string(),
                span: e.span(),
            })?;
            return Ok(LoadedProfile {
                profile,
                text: text.to_string(),
                doc: None,
                ..Default::default()
            });
        }
        let format = Format::from_path(path);
        let doc = syntax::parse(text, format).map_err(|e| ProfileError {
            message: e.message,
            span: Some(e.span.range()),
        })?;
        // A duplicate key would silently keep one value, and a number that is not finite
        // (`.inf`, `.nan`, `1e400`) would become null, that is "not set": both are errors.
        if let Some(d) = doc.duplicates.first() {
            return Err(ProfileError {
                message: format!("duplicate key `{}` in the profile", d.key),
                span: Some(d.second.range()),
            });
        }
        if let Some(root) = doc.root {
            let mut stack = vec![root];
            while let Some(n) = stack.pop() {
                match doc.kind(n) {
                    NodeKind::Object(members) => stack.extend(members.iter().map(|m| m.value)),
                    NodeKind::Array(items) => stack.extend(items.iter().copied()),
                    NodeKind::Number(t)
                        if !syntax::parse_number(doc.text(*t)).is_some_and(f64::is_finite) =>
                    {
                        return Err(ProfileError {
                            message: format!(
                                "`{}` is not a finite number; profile values are counts, bytes, seconds and probabilities",
                                doc.text(*t)
                            ),
                            span: Some(doc.span(n).range()),
                        });
                    }
                    _ => {}
                }
            }
        }
        let value = doc
            .root
            .map(|r| doc.to_value(r))
            .unwrap_or(serde_json::Value::Object(Default::default()));
        let profile: Profile = serde_path_to_error::deserialize(value).map_err(|e| {
            let mut pointer = to_pointer(e.path());
            // serde names an unknown key only in its message; point at the key itself.
            let msg = e.inner().to_string();
            if let Some(rest) = msg.strip_prefix("unknown field `")
                && let Some(key) = rest.split('`').next()
            {
                pointer.push('/');
                pointer.push_str(&syntax::pointer::escape(key));
            }
            let span = locate_in(&doc, &pointer);
            ProfileError {
                message: format!("{}: {}", dotted(e.path()), e.inner()),
                span,
            }
        })?;
        Ok(LoadedProfile {
            profile,
            text: text.to_string(),
            doc: Some(doc),
            ..Default::default()
        })
    }

    fn locate(&self, pointer: &str, key: &str) -> Option<Range<usize>> {
        match &self.doc {
            // In a workflow's entry when it has the place, else at the top level.
            Some(doc) if !self.base.is_empty() => {
                let depth = |p: &str| doc.resolve_partial(p).map(|(_, left)| left);
                let own = format!("{}{pointer}", self.base);
                if depth(&own) <= depth(pointer).map(|d| d + 1) {
                    locate_in(doc, &own)
                } else {
                    locate_in(doc, pointer)
                }
            }
            Some(doc) => locate_in(doc, pointer),
            None => self.text.find(key).map(|i| i..i + key.len()),
        }
    }

    /// A workflow's entry holds no `workflows` of its own.
    pub fn check_workflows(&self) -> Result<(), ProfileError> {
        match self
            .profile
            .workflows
            .iter()
            .find(|(_, e)| !e.workflows.is_empty())
        {
            Some((k, _)) => Err(self.err(
                &format!("/workflows/{}/workflows", syntax::pointer::escape(k)),
                "workflows",
                format!("`workflows.{k}.workflows`: a workflow's entry cannot hold more workflows"),
            )),
            None => Ok(()),
        }
    }

    /// The profile one workflow of a set is costed with: its entry under `workflows` (the
    /// most specific key: `file#machine`, then the machine's name, then the file) over the
    /// top-level values; and the key used. `file` is the path as shown.
    pub fn for_workflow(
        &self,
        file: &str,
        machine: Option<&str>,
    ) -> (LoadedProfile, Option<String>) {
        let key = self.workflow_key(file, machine);
        let mut out = LoadedProfile {
            profile: self.profile.clone(),
            text: self.text.clone(),
            doc: self.doc.clone(),
            base: String::new(),
            inherited: self.profile.states.keys().cloned().collect(),
        };
        out.profile.workflows.clear();
        if let Some(k) = &key {
            let entry = &self.profile.workflows[k];
            out.base = format!("/workflows/{}", syntax::pointer::escape(k));
            merge(&mut out.profile, entry);
            for name in entry.states.keys() {
                out.inherited.remove(name);
            }
        }
        (out, key)
    }

    /// The `workflows` key that names this workflow, the most specific first.
    fn workflow_key(&self, file: &str, machine: Option<&str>) -> Option<String> {
        let file = file.replace('\\', "/");
        let file = file.strip_prefix("./").unwrap_or(&file);
        let names_file = |k: &str| {
            let k = k.strip_prefix("./").unwrap_or(k);
            file == k || file.ends_with(&format!("/{k}"))
        };
        let keys = self.profile.workflows.keys();
        let with_machine = |k: &&String| match (k.rsplit_once('#'), machine) {
            (Some((f, m)), Some(want)) => m == want && names_file(f),
            _ => false,
        };
        keys.clone()
            .find(with_machine)
            .or_else(|| keys.clone().find(|k| machine == Some(k.as_str())))
            .or_else(|| keys.clone().find(|k| names_file(k)))
            .cloned()
    }

    /// Drops the top-level state entries this workflow lacks (each applies where it exists);
    /// with `all`, every entry it lacks (an older version of the definition being compared).
    pub fn drop_absent(&mut self, model: &Model, all: bool) {
        let inherited = &self.inherited;
        self.profile.states.retain(|name, _| {
            (!all && !inherited.contains(name)) || model.find_anywhere(name).next().is_some()
        });
    }

    /// The profile's `workflows` keys that none of `used` is (a misspelt key is an error, as
    /// a misspelt state name is), with where each is.
    pub fn unused_workflow_key(&self, used: &[String]) -> Option<ProfileError> {
        if let Some((k, _)) = self
            .profile
            .workflows
            .iter()
            .find(|(_, e)| !e.workflows.is_empty())
        {
            return Some(self.err(
                &format!("/workflows/{}/workflows", syntax::pointer::escape(k)),
                "workflows",
                format!("`workflows.{k}.workflows`: a workflow's entry cannot hold more workflows"),
            ));
        }
        let k = self.profile.workflows.keys().find(|k| !used.contains(k))?;
        Some(self.err(
            &format!("/workflows/{}", syntax::pointer::escape(k)),
            k,
            format!(
                "`workflows.{k}` names no workflow being costed; a key is `file#machine`, a machine's name, or a file's path"
            ),
        ))
    }

    fn err(&self, pointer: &str, key: &str, message: String) -> ProfileError {
        ProfileError {
            message,
            span: self.locate(pointer, key),
        }
    }

    /// Checks the profile against the definition: every state it names exists and has the
    /// type its fields fit, and every probability is one.
    pub fn check(&self, model: &Model) -> Result<(), ProfileError> {
        let p = &self.profile;
        for (field, v) in [
            ("executions_per_month", p.executions_per_month),
            ("input_bytes", p.input_bytes),
            ("express_memory_mb", p.express_memory_mb),
            (
                "standard_price_per_1000_transitions",
                p.standard_price_per_1000_transitions,
            ),
            ("defaults/task_duration_ms", p.defaults.task_duration_ms),
            ("defaults/sync_duration_ms", p.defaults.sync_duration_ms),
            (
                "defaults/callback_duration_ms",
                p.defaults.callback_duration_ms,
            ),
            ("defaults/wait_seconds", p.defaults.wait_seconds),
            ("defaults/map_items", p.defaults.map_items),
            ("defaults/result_bytes", p.defaults.result_bytes),
        ] {
            if let Some(v) = v
                && !(v.is_finite() && v >= 0.0)
            {
                let key = field.rsplit('/').next().unwrap_or(field);
                return Err(self.err(
                    &format!("/{field}"),
                    key,
                    format!(
                        "`{}` must be a number ≥ 0, found {v}",
                        field.replace('/', ".")
                    ),
                ));
            }
        }
        for (name, sp) in &p.states {
            self.check_state(model, name, sp)?;
        }
        Ok(())
    }

    /// One state's entry: the state exists, its fields fit its type, its numbers and
    /// probabilities are in range.
    fn check_state(
        &self,
        model: &Model,
        name: &str,
        sp: &StateProfile,
    ) -> Result<(), ProfileError> {
        let ptr = format!("/states/{}", syntax::pointer::escape(name));
        let Some(state) = model.find_anywhere(name).next() else {
            let names: Vec<&str> = model.states.iter().map(|s| &*s.name).collect();
            let hint = crate::suggest::did_you_mean(name, names.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(self.err(
                &ptr,
                name,
                format!(
                    "the profile names state `{name}`, which the definition does not have{hint}"
                ),
            ));
        };
        let ty = state.ty;
        let wrong = |field: &str, fits: &str| {
            self.err(
                &format!("{ptr}/{field}"),
                field,
                format!(
                    "`{field}` of `{name}` does not apply: it is a {} state, and `{field}` is for {fits}",
                    ty.name()
                ),
            )
        };
        let is_task = ty == StateType::Task;
        if (sp.duration_ms.is_some() || sp.p95_ms.is_some() || sp.result_bytes.is_some())
            && !is_task
        {
            let f = if sp.duration_ms.is_some() {
                "duration_ms"
            } else if sp.p95_ms.is_some() {
                "p95_ms"
            } else {
                "result_bytes"
            };
            return Err(wrong(f, "Task states"));
        }
        if !matches!(ty, StateType::Task | StateType::Parallel | StateType::Map) {
            if !sp.failures.is_empty() {
                return Err(wrong("failures", "Task, Parallel and Map states"));
            }
            if sp.failure_rate.is_some() {
                return Err(wrong("failure_rate", "Task, Parallel and Map states"));
            }
        }
        if !sp.branches.is_empty() && ty != StateType::Choice {
            return Err(wrong("branches", "Choice states"));
        }
        if sp.items.is_some() && ty != StateType::Map {
            return Err(wrong("items", "Map states"));
        }
        if sp.wait_seconds.is_some() && ty != StateType::Wait {
            return Err(wrong("wait_seconds", "Wait states"));
        }
        for (field, v) in [
            ("duration_ms", sp.duration_ms),
            ("p95_ms", sp.p95_ms),
            ("wait_seconds", sp.wait_seconds),
            ("result_bytes", sp.result_bytes),
        ] {
            if let Some(v) = v
                && !(v.is_finite() && v >= 0.0)
            {
                return Err(self.err(
                    &format!("{ptr}/{field}"),
                    field,
                    format!("`{field}` of `{name}` must be a number ≥ 0, found {v}"),
                ));
            }
        }
        let probs = |field: &str, map: &BTreeMap<String, f64>| -> Result<(), ProfileError> {
            for (k, v) in map {
                if !(v.is_finite() && (0.0..=1.0).contains(v)) {
                    return Err(self.err(
                        &format!("{ptr}/{field}/{}", syntax::pointer::escape(k)),
                        k,
                        format!("the probability of `{k}` in `{name}.{field}` must be between 0 and 1, found {v}"),
                    ));
                }
            }
            let sum: f64 = map.values().sum();
            if sum > 1.0 + 1e-9 {
                return Err(self.err(
                    &format!("{ptr}/{field}"),
                    field,
                    format!("the probabilities in `{name}.{field}` add up to {sum}, more than 1"),
                ));
            }
            Ok(())
        };
        probs("failures", &sp.failures)?;
        if let Some(rate) = sp.failure_rate {
            let named: f64 = sp.failures.values().sum();
            if !(rate.is_finite() && (0.0..=1.0).contains(&rate)) {
                return Err(self.err(
                    &format!("{ptr}/failure_rate"),
                    "failure_rate",
                    format!("`failure_rate` of `{name}` must be between 0 and 1, found {rate}"),
                ));
            }
            if named + rate > 1.0 + 1e-9 {
                return Err(self.err(
                    &format!("{ptr}/failure_rate"),
                    "failure_rate",
                    format!(
                        "`failure_rate` of `{name}` and its `failures` add up to {}, more than 1",
                        named + rate
                    ),
                ));
            }
        }
        probs("branches", &sp.branches)?;
        self.check_branches(name, &ptr, sp, state)?;
        self.check_items(name, &ptr, sp)
    }

    /// A Choice's `branches` name its outcomes (or `Default`, when it has one).
    fn check_branches(
        &self,
        name: &str,
        ptr: &str,
        sp: &StateProfile,
        state: &crate::asl::State,
    ) -> Result<(), ProfileError> {
        let default_target = state.default.as_ref().map(|d| &*d.name);
        if sp.branches.contains_key("Default")
            && let Some(t) = default_target
            && sp.branches.contains_key(t)
            && !state
                .choices
                .iter()
                .filter_map(|r| r.next.as_ref())
                .any(|r| &*r.name == t)
        {
            return Err(self.err(
                &format!("{ptr}/branches/Default"),
                "Default",
                format!(
                    "`branches` of `{name}` gives the Default outcome twice: as `Default` and as its target `{t}`; keep one"
                ),
            ));
        }
        for target in sp.branches.keys() {
            let known = target == "Default"
                || default_target == Some(target.as_str())
                || state
                    .choices
                    .iter()
                    .filter_map(|r| r.next.as_ref())
                    .any(|t| &*t.name == target);
            if !known {
                let mut targets: Vec<&str> = state
                    .choices
                    .iter()
                    .filter_map(|r| r.next.as_ref())
                    .map(|t| &*t.name)
                    .collect();
                if let Some(t) = default_target {
                    targets.push(t);
                    targets.push("Default");
                }
                targets.sort_unstable();
                targets.dedup();
                return Err(self.err(
                    &format!("{ptr}/branches/{}", syntax::pointer::escape(target)),
                    target,
                    format!(
                        "`{target}` is not an outcome of Choice `{name}`: use one of {}",
                        targets
                            .iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if target == "Default" && state.default.is_none() {
                return Err(self.err(
                    &format!("{ptr}/branches/Default"),
                    "Default",
                    format!(
                        "Choice `{name}` has no `Default`, so `branches.Default` cannot happen"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A Map's `items`: a mean ≥ 0, or a distribution of whole counts whose probabilities add
    /// up to one.
    fn check_items(&self, name: &str, ptr: &str, sp: &StateProfile) -> Result<(), ProfileError> {
        if let Some(items) = &sp.items {
            let bad = match items {
                Items::Mean(m) => (!(m.is_finite() && *m >= 0.0))
                    .then(|| format!("the item count of `{name}` must be ≥ 0, found {m}")),
                Items::Distribution { distribution } => {
                    let sum: f64 = distribution.iter().map(|(_, p)| p).sum();
                    if distribution.is_empty() {
                        Some(format!("the item distribution of `{name}` is empty"))
                    } else if distribution
                        .iter()
                        .any(|(k, p)| !(k.is_finite() && *k >= 0.0 && p.is_finite() && *p >= 0.0))
                    {
                        Some(format!(
                            "the item distribution of `{name}` needs [count ≥ 0, probability ≥ 0] pairs"
                        ))
                    } else if let Some((k, _)) = distribution.iter().find(|(k, _)| k.fract() != 0.0)
                    {
                        // A count is a number of items; rounding it would change the
                        // estimate without saying so.
                        Some(format!(
                            "the item distribution of `{name}` has the count {k}, which is not a whole number of items; give whole counts, or a mean (`items: {k}`)"
                        ))
                    } else if (sum - 1.0).abs() > 1e-6 {
                        Some(format!(
                            "the item distribution of `{name}` has probabilities adding up to {sum}, not 1"
                        ))
                    } else {
                        None
                    }
                }
            };
            if let Some(message) = bad {
                return Err(self.err(&format!("{ptr}/items"), "items", message));
            }
        }
        Ok(())
    }
}

/// `entry`'s values over `base`'s (states by name, defaults field by field).
fn merge(base: &mut Profile, entry: &Profile) {
    fn over<T: Clone>(b: &mut Option<T>, e: &Option<T>) {
        if e.is_some() {
            b.clone_from(e);
        }
    }
    over(&mut base.executions_per_month, &entry.executions_per_month);
    over(&mut base.region, &entry.region);
    over(&mut base.input_bytes, &entry.input_bytes);
    over(&mut base.express_memory_mb, &entry.express_memory_mb);
    over(&mut base.free_tier, &entry.free_tier);
    over(
        &mut base.standard_price_per_1000_transitions,
        &entry.standard_price_per_1000_transitions,
    );
    let (d, e) = (&mut base.defaults, &entry.defaults);
    over(&mut d.task_duration_ms, &e.task_duration_ms);
    over(&mut d.sync_duration_ms, &e.sync_duration_ms);
    over(&mut d.callback_duration_ms, &e.callback_duration_ms);
    over(&mut d.wait_seconds, &e.wait_seconds);
    over(&mut d.map_items, &e.map_items);
    over(&mut d.result_bytes, &e.result_bytes);
    for (name, sp) in &entry.states {
        base.states.insert(name.clone(), sp.clone());
    }
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&syntax::pointer::escape(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&syntax::pointer::escape(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn dotted(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s == "." { "profile".into() } else { s }
}

/// The span of the node a pointer names, or of the deepest node on the way; for an object
/// member, its key (the usual place to point at an unknown or misplaced key).
fn locate_in(doc: &Document, pointer: &str) -> Option<Range<usize>> {
    let (node, _) = doc.resolve_partial(pointer)?;
    let span = doc.key_span(node).unwrap_or_else(|| doc.span(node));
    Some(span.range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_mean_keeps_the_mean() {
        let d = mean_distribution(2.25);
        let mean: f64 = d.iter().map(|(k, p)| *k as f64 * p).sum();
        assert!((mean - 2.25).abs() < 1e-12);
        assert_eq!(mean_distribution(3.0), vec![(3, 1.0)]);
    }

    #[test]
    fn yaml_errors_point_at_the_place() {
        let text = "executions_per_month: 10\nstates:\n  A:\n    duraton_ms: 5\n";
        let e = LoadedProfile::parse("p.yaml", text).unwrap_err();
        assert!(e.message.contains("duraton_ms"), "{}", e.message);
        let span = e.span.unwrap();
        assert_eq!(&text[span], "duraton_ms");
    }

    #[test]
    fn toml_profiles_parse() {
        let p = LoadedProfile::parse(
            "p.toml",
            "executions_per_month = 5\n[states.A]\nitems = { distribution = [[1, 0.5], [3, 0.5]] }\n",
        )
        .unwrap();
        let items = p.profile.states["A"].items.as_ref().unwrap().distribution();
        assert_eq!(items, vec![(1, 0.5), (3, 0.5)]);
    }
}
