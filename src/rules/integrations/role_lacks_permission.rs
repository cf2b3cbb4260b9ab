//! SFN607: a call the state machine's role, as the template gives it, does not allow. The
//! template is read by `permissions` and the finding made by the lint pipeline (it needs the
//! template around the definition), so the rule has no check of its own.

use crate::declare_rule;

declare_rule!(RULE {
    code: "SFN607",
    name: "role-lacks-permission",
    category: Integrations,
    severity: Warning,
    fix: Unsafe,
    check: None
});
