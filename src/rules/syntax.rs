//! Syntax rules: reported by the pipeline while reading the file, before any other check.

use crate::declare_rule;

declare_rule!(SYNTAX_ERROR {
    code: "SFN001",
    name: "syntax-error",
    category: Syntax,
    dir: "syntax",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(DUPLICATE_KEY {
    code: "SFN002",
    name: "duplicate-key",
    category: Syntax,
    dir: "syntax",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(INVALID_ROOT {
    code: "SFN003",
    name: "invalid-root",
    category: Syntax,
    dir: "syntax",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(RESOURCE_LIMIT {
    code: "SFN004",
    name: "resource-limit",
    category: Syntax,
    dir: "syntax",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(BYTE_ORDER_MARK {
    code: "SFN005",
    name: "byte-order-mark",
    category: Syntax,
    dir: "syntax",
    severity: Error,
    fix: Safe,
    check: None
});
declare_rule!(UNSUPPORTED_FILE {
    code: "SFN006",
    name: "unsupported-file",
    category: Syntax,
    dir: "syntax",
    severity: Info,
    fix: None,
    check: None
});
