//! Error names and how a Retry/Catch `ErrorEquals` entry matches them (AWS error handling).

/// The predefined error names AWS documents.
pub const KNOWN: &[&str] = &[
    "States.ALL",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Timeout",
    "States.TaskFailed",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.Http.Socket",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ParameterPathFailure",
    "States.ResultPathMatchFailure",
    "States.QueryEvaluationError",
];

/// Errors `States.ALL` does not cover: they fail the execution unless a catcher names them.
pub const UNCATCHABLE: &[&str] = &["States.Runtime", "States.DataLimitExceeded"];

/// Errors no retrier or catcher handles even when named: `States.Runtime` always fails the
/// execution. (`States.DataLimitExceeded` named explicitly is caught: AWS-recorded runs show
/// such a catcher firing.)
pub const NEVER_HANDLED: &[&str] = &["States.Runtime"];

/// The transient Lambda service errors AWS recommends retrying (both the current and the
/// older list), plus invocation throttling.
pub const LAMBDA_TRANSIENT: &[&str] = &[
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// Does an `ErrorEquals` name match an error? `States.ALL` matches everything that can be
/// handled; `States.TaskFailed` matches task errors except timeouts. The answer errs towards
/// "no" for the `States.*` names whose coverage AWS does not spell out.
pub fn matches(matcher: &str, error: &str) -> bool {
    if matcher == error {
        return !NEVER_HANDLED.contains(&error);
    }
    match matcher {
        "States.ALL" => !UNCATCHABLE.contains(&error),
        "States.TaskFailed" => !error.starts_with("States."),
        _ => false,
    }
}

/// Does any of `matchers` match `error`?
pub fn any_matches<'a>(matchers: impl IntoIterator<Item = &'a str>, error: &str) -> bool {
    matchers.into_iter().any(|m| matches(m, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(matches("States.ALL", "States.Timeout"));
        assert!(!matches("States.ALL", "States.Runtime"));
        assert!(matches("States.TaskFailed", "Lambda.ServiceException"));
        assert!(!matches("States.TaskFailed", "States.Timeout"));
        assert!(matches("MyError", "MyError"));
        assert!(!matches("States.Runtime", "States.Runtime"));
    }
}
