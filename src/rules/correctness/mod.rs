//! Correctness: structure and transitions that AWS rejects or that cannot work.

pub mod choice_without_default;
pub mod duplicate_state_name;
pub mod empty_error_equals;
pub mod field_wrong_query_language;
pub mod heartbeat_not_below_timeout;
pub mod invalid_choice_rule;
pub mod invalid_resource;
pub mod invalid_state_name;
pub mod invalid_timestamp;
pub mod invalid_wait_duration;
pub mod loop_exits_only_on_error;
pub mod loop_without_exit;
pub mod misplaced_states_all;
pub mod missing_next_or_end;
pub mod mutually_exclusive_fields;
pub mod next_with_end;
pub mod query_language_downgrade;
pub mod retrier_out_of_range;
pub mod transition_leaves_scope;
pub mod transition_on_terminal_state;
pub mod undefined_start_at;
pub mod undefined_transition_target;
pub mod unreachable_state;
