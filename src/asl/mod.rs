//! The Amazon States Language model: a typed view of a definition, lowered from the tree.

pub mod errors;
pub mod expr;
pub mod graph;
pub mod lower;
pub mod model;
pub mod quotas;
pub mod resource;
pub mod services;
pub mod variables;

pub use model::*;

/// A definition read once: its spanned tree, the model lowered from it and the state graph.
/// The lint pipeline makes it; the cost estimator, the diagram and the editor read it.
pub struct Definition {
    pub doc: crate::syntax::Document,
    pub root: crate::syntax::NodeId,
    pub model: Model,
    pub graph: graph::StateGraph,
}

impl Definition {
    /// Lowers a parsed tree; `None` when its root is not an object.
    pub fn lower(doc: crate::syntax::Document, root: crate::syntax::NodeId) -> Option<Self> {
        let model = lower::lower(&doc, root)?;
        let graph = graph::StateGraph::build(&model);
        Some(Definition {
            doc,
            root,
            model,
            graph,
        })
    }
}
