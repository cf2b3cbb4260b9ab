//! Expressions inside strings: JSONPath paths, reference paths and context-object paths.

pub mod jsonata;
pub mod path;
