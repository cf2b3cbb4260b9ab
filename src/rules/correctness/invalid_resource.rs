//! SFN123: a Task `Resource` that is not an ARN (`Lambda`, `foo:bar`), or a Lambda function
//! ARN whose version or alias qualifier is malformed.

use crate::asl::StateType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN123",
    name: "invalid-resource",
    category: Correctness,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for state in ctx.model.states.iter().filter(|s| s.ty == StateType::Task) {
        let Some(node) = ctx.field(state, "Resource") else {
            continue;
        };
        let Some(raw) = ctx.doc.as_str(node) else {
            continue;
        };
        // An unclosed `${` is never substituted: the ARN stays broken.
        if unclosed_placeholder(raw).is_some() {
            out.push(
                ctx.at(&RULE, node, format!("`{raw}` has an unclosed `${{` placeholder"))
                    .help("close the placeholder with `}`, as in `${FunctionArn}`")
                    .note("the deploy tool leaves an unclosed placeholder as it is, and AWS rejects the definition: a Task's `Resource` must be a valid ARN"),
            );
            continue;
        }
        // Placeholders a deploy tool substitutes (`${…}`, CloudFormation intrinsics turned
        // into `${!…}`) and expressions are not ours to judge.
        if crate::source::contains(raw, "${")
            || crate::source::contains(raw, "#{")
            || crate::source::contains(raw, "{%")
        {
            continue;
        }
        if let Some(problem) = problem(raw) {
            out.push(
                ctx.at(&RULE, node, problem)
                    .help("use the ARN of what the task calls: `arn:aws:states:::lambda:invoke`, a Lambda function ARN, an activity ARN, or `arn:aws:states:::aws-sdk:service:action`")
                    .note("AWS rejects the definition: a Task's `Resource` must be a valid ARN"),
            );
        }
    }
}

/// Where a `${` opens that no `}` closes, if one does.
fn unclosed_placeholder(raw: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = raw[from..].find("${") {
        let open = from + i;
        match raw[open..].find('}') {
            Some(j) => from = open + j + 1,
            None => return Some(open),
        }
    }
    None
}

/// What is wrong with a Resource string, if anything.
fn problem(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.split(':').collect();
    if parts.first() != Some(&"arn")
        || parts.len() < 6
        || parts[1].is_empty()
        || parts[2].is_empty()
    {
        return Some(format!("`{raw}` is not an ARN"));
    }
    if parts[2] == "lambda" && parts[5] == "function" {
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        };
        match parts.len() {
            7 if name_ok(parts[6]) => {}
            8 if name_ok(parts[6]) => {
                let q = parts[7];
                let ok = q == "$LATEST"
                    || (!q.is_empty()
                        && q.bytes()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')));
                if q.is_empty() {
                    return Some(format!(
                        "`{raw}` ends with `:`: a Lambda function ARN's qualifier, when given, is `$LATEST`, a version number or an alias name"
                    ));
                }
                if !ok {
                    return Some(format!(
                        "`{raw}` has a malformed version or alias qualifier `{q}`: it must be `$LATEST`, a version number or an alias name (letters, digits, `-`, `_`)"
                    ));
                }
            }
            _ => {
                return Some(format!(
                    "`{raw}` is not a Lambda function ARN: it must be `arn:<partition>:lambda:<region>:<account>:function:<name>` with an optional `:<version or alias>`"
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn judges_resources() {
        for ok in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function:f:live-2",
            "arn:aws:lambda:us-east-1:123456789012:function:f:7",
            "arn:aws:states:us-east-1:123456789012:activity:approve",
            "arn:aws-us-gov:states:::sqs:sendMessage.waitForTaskToken",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        assert_eq!(super::unclosed_placeholder("${FunctionArn"), Some(0));
        assert_eq!(super::unclosed_placeholder("arn:${P}:x:${Q"), Some(11));
        assert_eq!(super::unclosed_placeholder("${A}${B}"), None);
        for bad in [
            "Lambda",
            "foo:bar",
            "arn:aws:lambda:us-east-1:123456789012:function:f:",
            "arn:aws:lambda:us-east-1:123456789012:function:f:a$b",
            "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
