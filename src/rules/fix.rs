//! Fix builders that several rules share.

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::Ctx;
use crate::syntax::NodeId;

/// Replaces a string value with another name, quoted for the file's format.
pub(crate) fn rename_fix(ctx: &Ctx<'_>, node: NodeId, to: &str) -> Fix {
    let span = ctx.doc.span(node);
    let old = &ctx.text[span.range()];
    let quoted = if old.starts_with('"')
        || old.starts_with('\'')
        || to.contains([':', '#', '{', '}', '[', ']', ','])
    {
        serde_json::to_string(to).unwrap_or_else(|_| format!("\"{to}\""))
    } else {
        to.to_string()
    };
    Fix {
        title: format!("change to `{to}`"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span,
            replacement: quoted,
        }],
    }
}
