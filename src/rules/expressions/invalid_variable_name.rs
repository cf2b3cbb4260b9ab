//! SFN310: a variable name AWS rejects (`states` is reserved; names are identifiers).

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;

declare_rule!(RULE {
    code: "SFN310",
    name: "invalid-variable-name",
    category: Expressions,
    severity: Error,
    fix: None,
    check: Some(check)
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, a) in &ctx.variables().assignments {
        let n = &a.name;
        let problem = if n == "states" {
            Some(
                "`states` is reserved for `$states`, the state's input, result and context"
                    .to_string(),
            )
        } else if n.is_empty()
            || n.starts_with(|c: char| c.is_ascii_digit())
            || !n.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            Some(format!("variable name `{n}` is not an identifier"))
        } else {
            None
        };
        if let Some(p) = problem {
            let d = ctx.at_key(&RULE, a.key_node, p).help("name variables like identifiers: letters, digits and `_`, not starting with a digit; `states` is reserved");
            // Only `states` is documented as reserved; AWS accepts other names (`my-var` is
            // deployed), but a JSONata expression reads `$my-var` as `$my - var`.
            out.push(if n == "states" {
                d
            } else {
                d.severity(crate::diagnostic::Severity::Warning).note("AWS accepts the name, but JSONata reads `$a-b` as `$a - b` and a JSONPath reference may not reach it: it is hard to read back")
            });
        }
    }
}
