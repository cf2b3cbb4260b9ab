//! The Amazon States Language model: a typed view of a definition, lowered from the tree.

pub mod errors;
pub mod expr;
pub mod graph;
pub mod lower;
pub mod model;
pub mod resource;
pub mod variables;

pub use model::*;
