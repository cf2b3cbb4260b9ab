//! Expressions inside strings: JSONPath paths, reference paths and context-object paths,
//! intrinsic function calls, JSONata.

pub mod intrinsic;
pub mod jsonata;
pub mod path;
