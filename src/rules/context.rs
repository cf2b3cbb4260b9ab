//! What a rule sees: the tree, the model, the graph, and helpers to report against them.

use crate::asl::graph::StateGraph;
use crate::asl::{Model, State, StateType, WorkflowType};
use crate::diagnostic::Diagnostic;
use crate::rules::RuleMeta;
use crate::source::Span;
use crate::syntax::{Document, NodeId};

pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub graph: &'a StateGraph,
    pub text: &'a str,
    /// The type the state machine is created as.
    pub workflow: WorkflowType,
    /// The usage profile given to `check --profile`, if any.
    pub profile: Option<&'a crate::profile::Profile>,
    /// The substitution names the template defines for this definition, if it substitutes.
    pub substitutions: Option<&'a [String]>,
    /// Analyses several rules share, computed on first use.
    pub cache: Cache<'a>,
}

/// Results computed once per file and shared by the rules that need them.
#[derive(Default)]
pub struct Cache<'a> {
    variables: std::cell::OnceCell<crate::asl::variables::Variables>,
    sites: std::cell::OnceCell<Vec<(crate::asl::StateId, &'a str, &'a str, NodeId)>>,
    template_objects: std::cell::OnceCell<Vec<NodeId>>,
    unreachable: std::cell::OnceCell<Vec<Vec<crate::asl::StateId>>>,
    resources: std::cell::OnceCell<Vec<Option<crate::asl::resource::Resource<'a>>>>,
    pub(crate) calls: std::cell::OnceCell<
        Vec<(
            &'a crate::asl::State,
            crate::asl::services::Call<'a>,
            NodeId,
        )>,
    >,
    pub(crate) checked: std::cell::OnceCell<Vec<crate::rules::integrations::Checked<'a>>>,
    pub(crate) passed: std::cell::OnceCell<Vec<crate::rules::integrations::Passed<'a>>>,
}

impl Ctx<'_> {
    /// A diagnostic on a node's value.
    pub fn at(
        &self,
        rule: &'static RuleMeta,
        node: NodeId,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, message, self.doc.span(node), self.doc.pointer(node))
    }

    /// A diagnostic on the key that names a node (a field name or a state name), falling back
    /// to the value when the node has no key.
    pub fn at_key(
        &self,
        rule: &'static RuleMeta,
        node: NodeId,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = self
            .doc
            .key_span(node)
            .unwrap_or_else(|| self.doc.span(node));
        Diagnostic::new(rule, message, span, self.doc.pointer(node))
    }

    /// A diagnostic on a field of an object: its key when present.
    pub fn at_field(
        &self,
        rule: &'static RuleMeta,
        object: NodeId,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self.doc.get(object, field) {
            Some(n) => self.at_key(rule, n, message),
            None => self.at_key(rule, object, message),
        }
    }

    /// A diagnostic on a region of states (a loop, an unreachable cycle): at the first state,
    /// with the others labelled. `message` receives the names, backquoted and comma-separated.
    pub fn region(
        &self,
        rule: &'static RuleMeta,
        region: &[crate::asl::StateId],
        message: impl FnOnce(&str) -> String,
        label: &str,
    ) -> Diagnostic {
        let names: Vec<String> = region
            .iter()
            .map(|s| format!("`{}`", self.model.state(*s).name))
            .collect();
        let mut d = self.at_key(
            rule,
            self.model.state(region[0]).node,
            message(&names.join(", ")),
        );
        for other in &region[1..] {
            d = d.label(self.state_name_span(self.model.state(*other)), label);
        }
        d
    }

    /// The span of a state's name, for "state defined here" labels.
    pub fn state_name_span(&self, state: &State) -> Span {
        self.doc
            .key_span(state.node)
            .unwrap_or_else(|| self.doc.span(state.node))
    }

    pub fn field(&self, state: &State, key: &str) -> Option<NodeId> {
        self.doc.get(state.node, key)
    }

    /// The variable analysis of the state machine.
    pub fn variables(&self) -> &crate::asl::variables::Variables {
        self.cache.variables.get_or_init(|| {
            crate::asl::variables::Variables::analyze(
                self.doc,
                self.text,
                self.model,
                self.graph,
                |s| self.distributed(self.model.state(s)).is_some(),
            )
        })
    }

    /// Unreachable states of a scope (memoised).
    pub fn unreachable(&self, scope: crate::asl::ScopeId) -> &[crate::asl::StateId] {
        &self.cache.unreachable.get_or_init(|| {
            self.model
                .scopes
                .iter()
                .map(|s| self.graph.unreachable(s.id))
                .collect()
        })[scope.0 as usize]
    }

    /// A numeric field's value, when it is a literal number.
    pub fn number(&self, state: &State, key: &str) -> Option<f64> {
        self.field(state, key).and_then(|n| self.doc.as_f64(n))
    }

    /// A string field's value.
    pub fn string(&self, state: &State, key: &str) -> Option<&str> {
        self.field(state, key).and_then(|n| self.doc.as_str(n))
    }

    /// The Map state's processing mode and child execution type, when it is Distributed.
    pub fn distributed(&self, map: &State) -> Option<WorkflowType> {
        let config = self
            .doc
            .get(map.node, "ItemProcessor")
            .and_then(|p| self.doc.get(p, "ProcessorConfig"))?;
        let get = |k: &str| self.doc.get(config, k).and_then(|n| self.doc.as_str(n));
        (get("Mode") == Some("DISTRIBUTED")).then(|| match get("ExecutionType") {
            Some("EXPRESS") => WorkflowType::Express,
            _ => WorkflowType::Standard,
        })
    }

    /// The workflow type a state runs in: states inside a Distributed Map run as child
    /// executions of the Map's `ExecutionType`; everything else runs as the state machine does.
    pub fn execution_type(&self, state: &State) -> WorkflowType {
        let mut scope = state.scope;
        while let Some(owner) = self.model.scope(scope).owner {
            let map = self.model.state(owner);
            if map.ty == StateType::Map
                && let Some(t) = self.distributed(map)
            {
                return t;
            }
            scope = map.scope;
        }
        self.workflow
    }
}

impl Ctx<'_> {
    /// The source span of bytes `range` of a string node's value, when the value appears in
    /// the source verbatim (no escapes); otherwise the whole string's span.
    pub fn inner_span(&self, node: NodeId, range: std::ops::Range<usize>) -> Span {
        let span = self.doc.span(node);
        let Some(value) = self.doc.as_str(node) else {
            return span;
        };
        let raw = &self.text[span.range()];
        let base = if raw == value {
            span.start as usize
        } else if raw.len() >= 2 && &raw[1..raw.len() - 1] == value {
            span.start as usize + 1
        } else {
            return span;
        };
        // Widen to whole characters: parsers report one byte past a position, which may be
        // the first byte of a multi-byte character.
        let mut start = range.start.min(value.len());
        while !value.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, value.len());
        while !value.is_char_boundary(end) {
            end += 1;
        }
        Span::new(base + start, base + end)
    }
}

impl<'a> Ctx<'a> {
    /// Every string value in every state: (state, top-level field, key above it, node).
    pub(crate) fn sites(&self) -> &[(crate::asl::StateId, &'a str, &'a str, NodeId)] {
        self.cache
            .sites
            .get_or_init(|| crate::rules::expressions::collect_sites(self))
    }

    /// The objects inside the JSONPath states' payload templates that hold a `.$` key
    /// (memoised; see `expressions::for_each_template_object`).
    pub(crate) fn template_objects(&self) -> &[NodeId] {
        self.cache.template_objects.get_or_init(|| {
            let mut v = Vec::new();
            crate::rules::expressions::walk_template_objects(self, |n| {
                if self
                    .doc
                    .members(n)
                    .iter()
                    .any(|m| self.doc.key(m).ends_with(".$"))
                {
                    v.push(n)
                }
            });
            v
        })
    }

    /// Every state's classified `Resource`, by state id (memoised).
    pub fn resources(&self) -> &[Option<crate::asl::resource::Resource<'a>>] {
        self.cache.resources.get_or_init(|| {
            self.model
                .states
                .iter()
                .map(|s| {
                    self.doc
                        .get(s.node, "Resource")
                        .and_then(|n| self.doc.as_str(n))
                        .map(crate::asl::resource::classify)
                })
                .collect()
        })
    }
}
