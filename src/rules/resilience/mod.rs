//! Resilience: timeouts, retries, catches and loops — how a workflow behaves when things go wrong.

include!(concat!(env!("OUT_DIR"), "/rules_mod_resilience.rs"));

use crate::asl::resource::{self, Resource};
use crate::asl::{State, StateType};
use crate::rules::Ctx;

/// The Task's classified `Resource`, when it is a Task with a string resource.
pub(crate) fn task_resource<'a>(ctx: &Ctx<'a>, state: &State) -> Option<Resource<'a>> {
    if state.ty != StateType::Task {
        return None;
    }
    ctx.resources()[state.id.0 as usize].clone()
}

/// Does the Task wait on something outside Step Functions (callback, activity or `.sync` job)?
pub(crate) fn waits_externally(r: &Resource<'_>) -> Option<&'static str> {
    if r.activity {
        Some("an activity")
    } else {
        match r.pattern {
            resource::Pattern::Callback => Some("a `.waitForTaskToken` callback"),
            resource::Pattern::Sync => Some("a `.sync` job"),
            resource::Pattern::RequestResponse => None,
        }
    }
}
