//! What a change does to the bill: two sets of workflows (a base and a head) paired by file
//! and machine name, per workflow and per state, and the total change.

use serde::Serialize;

use super::portfolio::{StateRow, WorkflowRow};
use crate::asl::WorkflowType;

/// One workflow as a side of a comparison reads it: a row of a set costed now, or of a saved
/// report.
pub type Side = WorkflowRow;

/// The workflows of a saved `--format json` report (one workflow or a set), or `None` when
/// the value is not one.
pub fn sides_from_saved(v: &serde_json::Value) -> Option<Vec<Side>> {
    if v.get("version")?.as_u64()? != u64::from(super::REPORT_VERSION) {
        return None;
    }
    serde_json::from_value(v.get("workflows")?.clone()).ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Changed,
    Unchanged,
    New,
    Removed,
}

#[derive(Clone, Debug, Serialize)]
pub struct WorkflowDiff {
    pub file: String,
    pub machine: Option<String>,
    pub status: Status,
    pub before: Option<Figures>,
    pub after: Option<Figures>,
    pub change_usd: f64,
    /// The states whose visits or transitions changed, added or removed.
    pub states: Vec<StateDiff>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    #[serde(rename = "type")]
    pub ty: WorkflowType,
    pub executions_per_month: f64,
    pub transitions_per_execution: f64,
    pub monthly_usd: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StateDiff {
    pub name: String,
    pub before: Option<StateRow>,
    pub after: Option<StateRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TotalDiff {
    pub before_usd: f64,
    pub after_usd: f64,
    pub change_usd: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub version: u32,
    /// What the base was read from (a file, a saved report, `rev:path` from git).
    pub base: String,
    pub workflows: Vec<WorkflowDiff>,
    pub total: TotalDiff,
}

/// Relative change below which a figure counts as unchanged (float noise, not a change).
const SAME: f64 = 1e-9;

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME * a.abs().max(b.abs()).max(1.0)
}

fn figures(s: &Side) -> Figures {
    Figures {
        ty: s.ty,
        executions_per_month: s.executions_per_month,
        transitions_per_execution: s.transitions_per_execution,
        monthly_usd: s.monthly_usd,
    }
}

/// Pairs `before` and `after` by file and machine name (one workflow on each side pairs
/// whatever their names: a file compared with an older copy of itself), head order first,
/// then what the head removed. `before_total`/`after_total` are the sets' bills (each priced
/// once, so not the sum of rows when the free tier is shared differently).
pub fn diff(
    base: &str,
    before: &[Side],
    after: &[Side],
    before_total: f64,
    after_total: f64,
) -> Diff {
    let key = |s: &Side| (s.file.clone(), s.machine.clone());
    let lone = before.len() == 1 && after.len() == 1;
    let mut used = vec![false; before.len()];
    let mut workflows = Vec::with_capacity(after.len());
    for a in after {
        let found = if lone {
            Some(0)
        } else {
            before.iter().position(|b| key(b) == key(a))
        };
        match found {
            Some(i) => {
                used[i] = true;
                workflows.push(pair(Some(&before[i]), Some(a)));
            }
            None => workflows.push(pair(None, Some(a))),
        }
    }
    for (b, _) in before.iter().zip(&used).filter(|(_, u)| !**u) {
        workflows.push(pair(Some(b), None));
    }
    Diff {
        version: super::REPORT_VERSION,
        base: base.to_string(),
        workflows,
        total: TotalDiff {
            before_usd: before_total,
            after_usd: after_total,
            change_usd: after_total - before_total,
        },
    }
}

fn pair(before: Option<&Side>, after: Option<&Side>) -> WorkflowDiff {
    let named = after
        .or(before)
        .map(|s| (s.file.clone(), s.machine.clone()));
    let (file, machine) = named.unwrap_or_default();
    let usd = |s: Option<&Side>| s.map_or(0.0, |s| s.monthly_usd);
    let states = state_diffs(
        before.map_or(&[][..], |s| &s.states[..]),
        after.map_or(&[][..], |s| &s.states[..]),
    );
    let status = match (before, after) {
        (None, _) => Status::New,
        (_, None) => Status::Removed,
        (Some(b), Some(a)) => {
            // What the workflow uses, not its dollars: its share of the free tier moves when
            // another workflow changes, and that is not a change to it.
            if states.is_empty()
                && b.ty == a.ty
                && same(b.executions_per_month, a.executions_per_month)
                && same(b.transitions_per_execution, a.transitions_per_execution)
            {
                Status::Unchanged
            } else {
                Status::Changed
            }
        }
    };
    WorkflowDiff {
        file,
        machine,
        status,
        before: before.map(figures),
        after: after.map(figures),
        change_usd: usd(after) - usd(before),
        states,
    }
}

/// The states that differ, in the head's order, then the ones the head removed.
fn state_diffs(before: &[StateRow], after: &[StateRow]) -> Vec<StateDiff> {
    let index: std::collections::HashMap<&str, &StateRow> =
        before.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut out = Vec::new();
    for a in after {
        let b = index.get(a.name.as_str()).copied();
        let unchanged = b.is_some_and(|b| {
            same(b.expected_visits, a.expected_visits) && same(b.transitions, a.transitions)
        });
        if !unchanged {
            out.push(StateDiff {
                name: a.name.clone(),
                before: b.cloned(),
                after: Some(a.clone()),
            });
        }
    }
    let kept: std::collections::HashSet<&str> = after.iter().map(|s| s.name.as_str()).collect();
    for b in before.iter().filter(|b| !kept.contains(b.name.as_str())) {
        out.push(StateDiff {
            name: b.name.clone(),
            before: Some(b.clone()),
            after: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(file: &str, usd: f64, states: &[(&str, f64)]) -> Side {
        Side {
            file: file.into(),
            machine: None,
            ty: WorkflowType::Standard,
            region: "us-east-1".into(),
            express_allowed: true,
            executions_per_month: 1e6,
            transitions_per_execution: states.iter().map(|s| s.1).sum(),
            monthly_usd: usd,
            states: states
                .iter()
                .map(|(n, t)| StateRow {
                    name: n.to_string(),
                    expected_visits: *t,
                    transitions: *t,
                    monthly_usd: usd * t,
                })
                .collect(),
        }
    }

    #[test]
    fn pairs_by_name_and_lists_new_and_removed() {
        let before = [
            side("a", 1.0, &[("A", 1.0)]),
            side("gone", 2.0, &[("G", 1.0)]),
        ];
        let after = [
            side("a", 1.0, &[("A", 1.0)]),
            side("new", 3.0, &[("N", 1.0)]),
        ];
        let d = diff("base", &before, &after, 3.0, 4.0);
        let st: Vec<(&str, Status)> = d
            .workflows
            .iter()
            .map(|w| (w.file.as_str(), w.status))
            .collect();
        assert_eq!(
            st,
            [
                ("a", Status::Unchanged),
                ("new", Status::New),
                ("gone", Status::Removed)
            ]
        );
        assert_eq!(d.workflows[2].change_usd, -2.0);
        assert_eq!(d.total.change_usd, 1.0);
    }

    #[test]
    fn a_lone_workflow_pairs_whatever_its_name_and_lists_changed_states() {
        let d = diff(
            "old.json",
            &[side("old", 1.0, &[("A", 1.0), ("B", 1.0)])],
            &[side("new", 2.0, &[("A", 1.0), ("C", 1.0), ("B", 1.0)])],
            1.0,
            2.0,
        );
        assert_eq!(d.workflows.len(), 1);
        assert_eq!(d.workflows[0].status, Status::Changed);
        let names: Vec<&str> = d.workflows[0]
            .states
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        // C is new; A and B are visited as before (their dollar shares moved with the bill,
        // which the workflow's row shows).
        assert_eq!(names, ["C"]);
        assert!(d.workflows[0].states[0].before.is_none());
    }
}
