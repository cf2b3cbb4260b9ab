//! The Step Functions quotas that rules and the cost estimator measure a workflow against
//! (`asl-facts.md` in the design notes gives the sources).

use super::StateType;

/// Events in one execution's history.
pub const HISTORY_LIMIT: f64 = 25_000.0;
/// Bytes of a state's input or output (256 KiB).
pub const PAYLOAD_LIMIT: f64 = 262_144.0;
/// Seconds an Express execution may run.
pub const EXPRESS_DURATION_LIMIT_S: f64 = 300.0;
/// Seconds a Standard execution may run (one year).
pub const EXECUTION_LIMIT_S: f64 = 365.0 * 24.0 * 3600.0;

/// History events one visit of a state writes itself (nested scopes not included): entered
/// and exited, plus scheduled/started/finished per Task attempt or started/finished per
/// Parallel or Map attempt. The rules, the solver, the simulation and the report all count
/// with this.
pub fn events_per_visit(ty: StateType, attempts: f64) -> f64 {
    match ty {
        StateType::Task => 2.0 + 3.0 * attempts,
        StateType::Parallel | StateType::Map => 2.0 + 2.0 * attempts,
        _ => 2.0,
    }
}
