//! Lowering: the spanned tree to the typed [`Model`].

use super::model::*;
use crate::syntax::{Document, NodeId, NodeKind};

/// Builds the model. Returns None when the root is not an object (reported elsewhere).
pub fn lower(doc: &Document, root: NodeId) -> Option<Model> {
    if !matches!(doc.kind(root), NodeKind::Object(_)) {
        return None;
    }
    let ql = doc
        .get(root, "QueryLanguage")
        .and_then(|n| doc.as_str(n))
        .and_then(QueryLanguage::parse)
        .unwrap_or(QueryLanguage::JsonPath);
    let mut model = Model {
        scopes: Vec::new(),
        states: Vec::new(),
        query_language: ql,
        by_name: Default::default(),
    };
    let mut l = Lowerer {
        doc,
        model: &mut model,
    };
    l.scope(root, ScopeKind::Root, None, ql);
    model.by_name.reserve(model.states.len());
    for s in &model.states {
        (model.by_name.entry(s.name.clone()))
            .and_modify(|n| n.push(s.id))
            .or_insert(Named::One(s.id));
    }
    Some(model)
}

struct Lowerer<'a> {
    doc: &'a Document,
    model: &'a mut Model,
}

impl Lowerer<'_> {
    fn target(&self, node: Option<NodeId>) -> Option<Target> {
        let node = node?;
        self.doc.as_str(node).map(|s| Target {
            name: s.into(),
            node,
        })
    }

    fn scope(
        &mut self,
        node: NodeId,
        kind: ScopeKind,
        owner: Option<StateId>,
        ql: QueryLanguage,
    ) -> ScopeId {
        let doc = self.doc;
        let id = ScopeId(self.model.scopes.len() as u32);
        let states_node = doc
            .get(node, "States")
            .filter(|n| matches!(doc.kind(*n), NodeKind::Object(_)));
        self.model.scopes.push(Scope {
            id,
            kind,
            node,
            start_at: self.target(doc.get(node, "StartAt")),
            states_node,
            states: Vec::new(),
            owner,
            query_language: ql,
        });
        if let Some(states) = states_node {
            let members = doc.members(states);
            // Nested scopes' states come on top, but most machines have few.
            self.model.states.reserve(members.len());
            // Sized up front: the number of states is known, so the set never grows.
            let mut seen =
                rustc_hash::FxHashSet::with_capacity_and_hasher(members.len(), Default::default());
            for m in members {
                // A duplicate key is reported by the syntax layer; the model keeps the first.
                if !seen.insert(doc.key(m)) || !matches!(doc.kind(m.value), NodeKind::Object(_)) {
                    continue;
                }
                let sid = self.state(doc.key(m), m.value, id, ql);
                self.model.scopes[id.0 as usize].states.push(sid);
            }
        }
        id
    }

    fn errors(&self, node: Option<NodeId>) -> Vec<ErrorName> {
        let Some(node) = node else { return Vec::new() };
        self.doc
            .items(node)
            .iter()
            .filter_map(|i| {
                self.doc.as_str(*i).map(|s| ErrorName {
                    name: s.into(),
                    node: *i,
                })
            })
            .collect()
    }

    fn state(
        &mut self,
        name: &str,
        node: NodeId,
        scope: ScopeId,
        inherited: QueryLanguage,
    ) -> StateId {
        let doc = self.doc;
        let get = |k: &str| doc.get(node, k);
        let ty = get("Type")
            .and_then(|t| doc.as_str(t))
            .map_or(StateType::Unknown, StateType::parse);
        let ql = get("QueryLanguage")
            .and_then(|n| doc.as_str(n))
            .and_then(QueryLanguage::parse)
            .unwrap_or(inherited);
        let id = StateId(self.model.states.len() as u32);
        // The objects of an array field, read in place (a malformed item is the schema's).
        let objects = |k: &str| {
            (get(k).map_or(&[][..], |a| doc.items(a)).iter().copied())
                .filter(|n| matches!(doc.kind(*n), NodeKind::Object(_)))
        };
        let retry = objects("Retry")
            .map(|r| Retrier {
                node: r,
                error_equals: self.errors(doc.get(r, "ErrorEquals")),
                error_equals_node: doc.get(r, "ErrorEquals"),
            })
            .collect();
        let catch = objects("Catch")
            .map(|c| Catcher {
                node: c,
                error_equals: self.errors(doc.get(c, "ErrorEquals")),
                error_equals_node: doc.get(c, "ErrorEquals"),
                next: self.target(doc.get(c, "Next")),
            })
            .collect();
        let choices = if ty == StateType::Choice {
            objects("Choices")
                .map(|r| ChoiceRule {
                    node: r,
                    next: self.target(doc.get(r, "Next")),
                })
                .collect()
        } else {
            Vec::new()
        };
        self.model.states.push(State {
            id,
            name: name.into(),
            node,
            scope,
            ty,
            query_language: ql,
            next: self.target(get("Next")),
            end: get("End").and_then(|e| doc.as_bool(e)),
            default: if ty == StateType::Choice {
                self.target(get("Default"))
            } else {
                None
            },
            choices,
            retry,
            catch,
            children: Vec::new(),
        });
        // Nested states inherit the top-level language, not their owner's override.
        let top = self.model.query_language;
        let mut children = Vec::new();
        match ty {
            StateType::Parallel => {
                if let Some(branches) = get("Branches") {
                    for b in doc.items(branches).to_vec() {
                        if matches!(doc.kind(b), NodeKind::Object(_)) {
                            children.push(self.scope(b, ScopeKind::Branch, Some(id), top));
                        }
                    }
                }
            }
            StateType::Map => {
                for (key, kind) in [
                    ("ItemProcessor", ScopeKind::ItemProcessor),
                    ("Iterator", ScopeKind::Iterator),
                ] {
                    if let Some(p) =
                        get(key).filter(|p| matches!(doc.kind(*p), NodeKind::Object(_)))
                    {
                        children.push(self.scope(p, kind, Some(id), top));
                    }
                }
            }
            _ => {}
        }
        self.model.states[id.0 as usize].children = children;
        id
    }
}
