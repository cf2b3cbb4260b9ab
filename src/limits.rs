//! Resource limits that keep one hostile file from stalling or exhausting a batch.
//!
//! Each limit is far above anything a real state machine needs (AWS itself caps a definition
//! at 1 MB), and each is reported as a clear diagnostic when hit.

/// Largest file read, in bytes. AWS accepts definitions up to 1 MB; templates are larger.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Deepest nesting of objects and arrays.
pub const MAX_DEPTH: usize = 256;

/// Most nodes a YAML document may expand to through aliases, beyond the nodes written out.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Most nodes in one document (a 1 MB definition has well under a million).
pub const MAX_NODES: usize = 4_000_000;

/// Most states in one definition (all scopes). AWS's 1 MB definition quota allows at most a
/// few tens of thousands; beyond this the graph and rule checks are skipped.
pub const MAX_STATES: usize = 100_000;

/// Longest JSONata expression parsed (bytes between `{%` and `%}`): a whole definition's worth
/// (AWS accepts 1 MB), so no expression within AWS's limits goes unchecked; the parse is linear
/// and guards its own nesting depth.
pub const MAX_EXPRESSION_BYTES: usize = 1024 * 1024;

/// Default time one file may take in `sfn-lint check` before the remaining checks are skipped
/// (and reported), so one pathological file cannot stall a batch. `--time-budget` changes it.
pub const DEFAULT_TIME_BUDGET_MS: u64 = 10_000;

/// Stack for threads that validate against the schema or lint: deeply nested definitions
/// (within [`MAX_DEPTH`]) recurse in the schema validator, past a default thread's 2 MiB.
pub const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;
