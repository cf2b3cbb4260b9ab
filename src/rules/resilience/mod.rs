//! Resilience: timeouts, retries, catches and loops — how a workflow behaves when things go wrong.

pub mod callback_without_heartbeat;
pub mod callback_without_timeout;
pub mod history_quota_risk;
pub mod lambda_without_retry;
pub mod missing_catch;
pub mod payload_size_estimate;
pub mod payload_size_risk;
pub mod retry_exceeds_time_limit;
pub mod shadowed_error_handler;
pub mod timeout_without_handler;
pub mod unbounded_loop_history;
pub mod uncatchable_error;
pub mod unknown_error_name;

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
