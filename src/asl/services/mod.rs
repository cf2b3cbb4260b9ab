//! What Step Functions can call: the AWS SDK integrations (generated from the AWS service
//! models), the optimized integrations (from AWS's pages, each with its source), and the IAM
//! actions AWS defines.

pub mod iam;
pub mod optimized;
pub mod sdk;

pub use optimized::Pattern;

/// What a Task's `Resource` asks Step Functions to call: `arn:…:states:::service:action` (an
/// optimized integration) or `arn:…:states:::aws-sdk:service:action`, with the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call<'a> {
    pub sdk: bool,
    pub service: &'a str,
    pub action: &'a str,
    pub pattern: Pattern,
}

/// The call a resource names; `None` for a Lambda function or activity ARN, anything that is
/// not an integration, and a resource whose service or action is a placeholder a deploy tool
/// fills in (`${…}`, `#{…}`, `<…>`), which is never judged.
pub fn parse(raw: &str) -> Option<Call<'_>> {
    let at = raw.find(":states:::")?;
    if !raw.starts_with("arn:") {
        return None;
    }
    let rest = &raw[at + ":states:::".len()..];
    if rest.contains("${") || rest.contains("#{") || rest.contains('<') || rest.contains("{{") {
        return None;
    }
    let (body, pattern) = [
        (".waitForTaskToken", Pattern::Callback),
        (".sync:2", Pattern::Sync2),
        (".sync", Pattern::Sync),
    ]
    .into_iter()
    .find_map(|(suffix, p)| rest.strip_suffix(suffix).map(|b| (b, p)))
    .unwrap_or((rest, Pattern::RequestResponse));
    let (sdk, body) = match body.strip_prefix("aws-sdk:") {
        Some(b) => (true, b),
        None => (false, body),
    };
    let (service, action) = body.split_once(':').unwrap_or((body, ""));
    Some(Call {
        sdk,
        service,
        action,
        pattern,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let c = parse("arn:aws:states:::aws-sdk:s3:getObject").unwrap();
        assert!(c.sdk && c.service == "s3" && c.action == "getObject");
        assert_eq!(c.pattern, Pattern::RequestResponse);
        let c = parse("arn:${AWS::Partition}:states:::states:startExecution.sync:2").unwrap();
        assert!(!c.sdk && c.action == "startExecution" && c.pattern == Pattern::Sync2);
        let c = parse("arn:aws:states:::lambda:invoke.waitForTaskToken").unwrap();
        assert_eq!(c.pattern, Pattern::Callback);
        assert!(parse("arn:aws:states:::aws-sdk:${Service}:getObject").is_none());
        assert!(parse("arn:aws:lambda:us-east-1:1:function:f").is_none());
        assert!(parse("arn:aws:states:us-east-1:1:activity:a").is_none());
    }
}
