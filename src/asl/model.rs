//! Typed, flat model of a state machine. Every scope (the top level, each Parallel branch,
//! each Map processor) and every state sits in one arena, linked by ids, and every piece keeps
//! the [`NodeId`] it came from so that diagnostics can point at it.
//!
//! The model is tolerant: a field of the wrong type is simply absent here (the schema reports
//! it), so rules never see half-valid data.

use crate::syntax::NodeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// The workflow type the state machine is created with; it cannot change later.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowType {
    /// Exactly-once, up to a year, 25,000 history events; billed per state transition.
    #[default]
    Standard,
    /// At-least-once (async), up to 5 minutes; billed per request and duration.
    Express,
}

impl WorkflowType {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "standard" => Some(WorkflowType::Standard),
            "express" => Some(WorkflowType::Express),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WorkflowType::Standard => "Standard",
            WorkflowType::Express => "Express",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateType {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
    /// Missing or unknown `Type` (the schema reports it).
    Unknown,
}

impl StateType {
    pub fn parse(s: &str) -> Self {
        match s {
            "Task" => StateType::Task,
            "Pass" => StateType::Pass,
            "Choice" => StateType::Choice,
            "Wait" => StateType::Wait,
            "Succeed" => StateType::Succeed,
            "Fail" => StateType::Fail,
            "Parallel" => StateType::Parallel,
            "Map" => StateType::Map,
            _ => StateType::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
            StateType::Unknown => "unknown",
        }
    }

    /// Succeed, Fail and Choice never take `Next` or `End`.
    pub fn is_terminal_kind(self) -> bool {
        matches!(
            self,
            StateType::Succeed | StateType::Fail | StateType::Choice
        )
    }
}

/// A name in the model: a state's, a target's or an error's. Nearly all fit inline.
pub type Name = compact_str::CompactString;

/// A state name used as a transition target, and the string node that names it.
#[derive(Clone, Debug)]
pub struct Target {
    pub name: Name,
    pub node: NodeId,
}

#[derive(Clone, Debug)]
pub struct ErrorName {
    pub name: Name,
    pub node: NodeId,
}

#[derive(Clone, Debug)]
pub struct Retrier {
    pub node: NodeId,
    pub error_equals: Vec<ErrorName>,
    pub error_equals_node: Option<NodeId>,
}

#[derive(Clone, Debug)]
pub struct Catcher {
    pub node: NodeId,
    pub error_equals: Vec<ErrorName>,
    pub error_equals_node: Option<NodeId>,
    pub next: Option<Target>,
}

/// A top-level Choice rule (nested And/Or/Not rules have no Next).
#[derive(Clone, Debug)]
pub struct ChoiceRule {
    pub node: NodeId,
    pub next: Option<Target>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Root,
    Branch,
    ItemProcessor,
    /// The deprecated `Iterator` form of a Map's processor.
    Iterator,
}

/// One `{StartAt, States}` object: the top level, a Parallel branch or a Map processor.
#[derive(Clone, Debug)]
pub struct Scope {
    pub id: ScopeId,
    pub kind: ScopeKind,
    /// The object holding `StartAt` and `States`.
    pub node: NodeId,
    pub start_at: Option<Target>,
    pub states_node: Option<NodeId>,
    pub states: Vec<StateId>,
    /// The Parallel or Map state that owns this scope (None for the top level).
    pub owner: Option<StateId>,
    /// The query language states in this scope inherit.
    pub query_language: QueryLanguage,
}

#[derive(Clone, Debug)]
pub struct State {
    pub id: StateId,
    pub name: Name,
    pub node: NodeId,
    pub scope: ScopeId,
    pub ty: StateType,
    /// The effective query language (own field, else inherited).
    pub query_language: QueryLanguage,
    pub next: Option<Target>,
    /// `End`'s value, when it is a boolean.
    pub end: Option<bool>,
    pub default: Option<Target>,
    pub choices: Vec<ChoiceRule>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    /// Parallel branches or the Map processor.
    pub children: Vec<ScopeId>,
}

/// A whole state machine.
#[derive(Clone, Debug)]
pub struct Model {
    pub scopes: Vec<Scope>,
    pub states: Vec<State>,
    /// The top-level `QueryLanguage` (JSONPath when absent).
    pub query_language: QueryLanguage,
    /// States by name, in definition order (names should be unique; duplicates are kept).
    pub by_name: rustc_hash::FxHashMap<Name, Named>,
}

/// The states that bear one name, in definition order: nearly always one, held without a
/// vector of its own.
#[derive(Clone, Debug)]
pub enum Named {
    One(StateId),
    Many(Vec<StateId>),
}

impl Named {
    pub fn as_slice(&self) -> &[StateId] {
        match self {
            Named::One(s) => std::slice::from_ref(s),
            Named::Many(v) => v,
        }
    }

    pub fn push(&mut self, id: StateId) {
        match self {
            Named::One(s) => *self = Named::Many(vec![*s, id]),
            Named::Many(v) => v.push(id),
        }
    }
}

impl Model {
    pub fn state(&self, id: StateId) -> &State {
        &self.states[id.0 as usize]
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    pub fn root(&self) -> &Scope {
        &self.scopes[0]
    }

    /// Finds a state by name within one scope.
    pub fn find_in_scope(&self, scope: ScopeId, name: &str) -> Option<StateId> {
        self.by_name
            .get(name)?
            .as_slice()
            .iter()
            .copied()
            .find(|s| self.state(*s).scope == scope)
    }

    /// Every state with this name, in any scope.
    pub fn find_anywhere(&self, name: &str) -> impl Iterator<Item = &State> {
        self.by_name
            .get(name)
            .into_iter()
            .flat_map(Named::as_slice)
            .map(|s| self.state(*s))
    }
}
