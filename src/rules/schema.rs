//! Schema rules: violations of `schemas/asl.schema.json`, mapped by `crate::schema`.

use crate::declare_rule;

declare_rule!(UNKNOWN_FIELD {
    code: "SFN201",
    name: "unknown-field",
    category: Schema,
    dir: "schema",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(MISSING_REQUIRED_FIELD {
    code: "SFN202",
    name: "missing-required-field",
    category: Schema,
    dir: "schema",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(WRONG_TYPE {
    code: "SFN203",
    name: "wrong-type",
    category: Schema,
    dir: "schema",
    severity: Error,
    fix: None,
    check: None
});
declare_rule!(INVALID_VALUE {
    code: "SFN204",
    name: "invalid-value",
    category: Schema,
    dir: "schema",
    severity: Error,
    fix: None,
    check: None
});
