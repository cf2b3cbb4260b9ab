//! What a Task's `Resource` calls: the service, the integration pattern, and whether it is a
//! Lambda function, an activity or an HTTP endpoint. Placeholders (`${…}`) are kept as written.

/// How Step Functions waits for the task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Call and continue (the default).
    RequestResponse,
    /// `.sync` / `.sync:2`: run a job and wait for it to finish.
    Sync,
    /// `.waitForTaskToken`: wait for a callback.
    Callback,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource<'a> {
    pub raw: &'a str,
    pub pattern: Pattern,
    /// An activity ARN (`arn:aws:states:…:activity:name`): a worker polls for it.
    pub activity: bool,
    /// Invokes a Lambda function (the optimized integration or a function ARN).
    pub lambda: bool,
    /// `service:action` for `arn:aws:states:::service:action` and `aws-sdk:service:action`.
    pub action: Option<&'a str>,
}

pub fn classify(raw: &str) -> Resource<'_> {
    let pattern = if raw.ends_with(".waitForTaskToken") {
        Pattern::Callback
    } else if raw.ends_with(".sync") || raw.ends_with(".sync:2") {
        Pattern::Sync
    } else {
        Pattern::RequestResponse
    };
    // `crate::source` searches: this runs for every Task, and `str::contains`'s searcher
    // setup costs more than these short ARNs.
    use crate::source::{contains, find_all};
    let cut = |a: &'_ str, at: &str| find_all(a, at).next().map_or(a.len(), |i| i);
    let action = find_all(raw, ":states:::").next().map(|i| {
        let a = &raw[i + ":states:::".len()..];
        let a = &a[..cut(a, ":states:::")];
        let a = &a[..cut(a, ".waitForTaskToken")];
        &a[..cut(a, ".sync")]
    });
    let activity = contains(raw, ":states:") && contains(raw, ":activity:");
    let lambda = action.is_some_and(|a| a == "lambda:invoke" || a == "aws-sdk:lambda:invoke")
        || (contains(raw, ":lambda:") && contains(raw, ":function:"));
    Resource {
        raw,
        pattern,
        activity,
        lambda,
        action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        let r = classify("arn:aws:states:::lambda:invoke.waitForTaskToken");
        assert!(r.lambda && r.pattern == Pattern::Callback);
        assert_eq!(r.action, Some("lambda:invoke"));
        assert!(classify("arn:aws:lambda:us-east-1:123:function:f").lambda);
        assert!(classify("arn:${AWS::Partition}:states:::lambda:invoke").lambda);
        assert_eq!(
            classify("arn:aws:states:::states:startExecution.sync:2").pattern,
            Pattern::Sync
        );
        assert!(classify("arn:aws:states:us-east-1:123:activity:approve").activity);
        assert_eq!(
            classify("arn:aws:states:::aws-sdk:s3:putObject").action,
            Some("aws-sdk:s3:putObject")
        );
    }
}
