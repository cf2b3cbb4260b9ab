//! A format-neutral, spanned syntax tree shared by the JSON and YAML front ends.
//!
//! Both parsers build the same arena of [`Node`]s, so everything after parsing (the model,
//! the schema check, the rules, suppression) is written once. Objects keep their members in
//! source order, duplicates included, so a duplicate key can be reported at both places.

pub mod json;
pub mod pointer;
pub mod yaml;

use crate::source::Span;

/// Index of a node in its [`Document`]'s arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// The source format of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// Picks the format from a file name; anything not YAML is read as JSON.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }
}

/// A string of a [`Document`]: a range of its string table, read with [`Document::text`].
///
/// Keys, strings and numbers are most of a tree's values; a boxed string each was half of
/// parsing's time in allocations and frees. In a JSON document the table starts as a copy of
/// the source, so a string without escapes (nearly all) is the range between its quotes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Str {
    start: u32,
    end: u32,
}

/// One member of an object: a key and the node it maps to.
#[derive(Clone, Debug)]
pub struct Member {
    pub key: Str,
    pub key_span: Span,
    pub value: NodeId,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Object(Vec<Member>),
    Array(Vec<NodeId>),
    String(Str),
    /// The number as written, so that `1.0` and `1` stay distinguishable.
    Number(Str),
    Bool(bool),
    Null,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    pub parent: Option<NodeId>,
}

/// A comment in the source (YAML only), used for suppression directives.
#[derive(Clone, Debug)]
pub struct Comment {
    pub text: Box<str>,
    pub span: Span,
}

/// A key that appears twice in one object.
#[derive(Clone, Debug)]
pub struct DuplicateKey {
    pub object: NodeId,
    pub key: Box<str>,
    pub first: Span,
    pub second: Span,
}

/// A parsed file.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub nodes: Vec<Node>,
    /// The text of every [`Str`] in the tree.
    strings: String,
    /// YAML tags such as `!Sub` (CloudFormation short form), without the handle's `!`, by
    /// node: kept aside, since JSON has none and most YAML nodes have none, so that each of
    /// the many nodes stays small.
    pub tags: rustc_hash::FxHashMap<NodeId, Box<str>>,
    pub root: Option<NodeId>,
    pub duplicates: Vec<DuplicateKey>,
    pub comments: Vec<Comment>,
    /// Where the source's lines start, when the parser indexed them on the way (JSON; empty
    /// otherwise). See [`Document::take_line_index`].
    pub(crate) line_starts: Vec<u32>,
    /// Parsed from JSON, where a string's text differs from its source only by `\` escapes.
    pub(crate) json: bool,
}

/// Why a file could not be parsed: a message and where.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// True when a resource limit (depth, size, alias expansion) stopped parsing.
    pub limit: bool,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        SyntaxError {
            message: message.into(),
            span,
            help: None,
            limit: false,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn limit(mut self) -> Self {
        self.limit = true;
        self
    }
}

impl Document {
    /// The text of a string of this document.
    pub fn text(&self, s: Str) -> &str {
        // A `Str` is made only by `intern`/`source_str`, at char boundaries of a table that
        // only grows, so its own document always has the range. One from another document
        // reads the wrong text or an empty one: never a panic.
        self.strings
            .get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }

    /// A member's key.
    pub fn key(&self, m: &Member) -> &str {
        self.text(m.key)
    }

    /// Whether a string of this document is `s`: the lengths first, from the handle alone,
    /// then the bytes (no boundary checks: lookups by key are the hottest path of the rules).
    #[inline]
    pub fn is(&self, handle: Str, s: &str) -> bool {
        // The range's length is taken from `s`, which is nearly always a literal: the byte
        // comparison then has a known length and is inlined, not a call to `memcmp`.
        let start = handle.start as usize;
        (handle.end - handle.start) as usize == s.len()
            && self.strings.as_bytes().get(start..start + s.len()) == Some(s.as_bytes())
    }

    /// Adds a string to the table.
    pub(crate) fn intern(&mut self, s: &str) -> Str {
        let start = self.strings.len();
        self.strings.push_str(s);
        Str {
            start: start as u32,
            end: self.strings.len() as u32,
        }
    }

    /// A range of the source text, for a document whose table starts as its source (JSON).
    pub(crate) fn source_str(&self, start: usize, end: usize) -> Str {
        debug_assert!(self.strings.is_char_boundary(start) && self.strings.is_char_boundary(end));
        Str {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Starts the table as a copy of the source text (JSON: strings are found in place).
    pub(crate) fn with_source(text: &str) -> Document {
        Document {
            strings: text.to_owned(),
            json: true,
            ..Document::default()
        }
    }

    /// The line index the parser built of `text` (its source), if it built one.
    pub(crate) fn take_line_index(&mut self, text: &str) -> Option<crate::source::LineIndex> {
        (!self.line_starts.is_empty()).then(|| {
            crate::source::LineIndex::with_starts(text, std::mem::take(&mut self.line_starts))
        })
    }

    /// The node's YAML tag (`Sub` for `!Sub`), if it has one.
    pub fn tag(&self, id: NodeId) -> Option<&str> {
        if self.tags.is_empty() {
            return None;
        }
        self.tags.get(&id).map(|t| &**t)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub fn kind(&self, id: NodeId) -> &NodeKind {
        &self.node(id).kind
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    pub(crate) fn push(&mut self, kind: NodeKind, span: Span) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        // Made by a closure that `extend` calls once it has made room, the node is written
        // straight into the arena. `push` takes it made, keeps it in a temporary across a
        // possible reallocation and copies it in, and the copy's wide loads stall on the
        // temporary's narrower stores: the parser's hottest line.
        self.nodes.extend(std::iter::once_with(move || Node {
            kind,
            span,
            parent: None,
        }));
        id
    }

    /// Members of an object node; empty for anything else.
    pub fn members(&self, id: NodeId) -> &[Member] {
        match self.kind(id) {
            NodeKind::Object(m) => m,
            _ => &[],
        }
    }

    /// The first member with this key (later duplicates are reported, not used).
    pub fn member(&self, id: NodeId, key: &str) -> Option<&Member> {
        self.members(id).iter().find(|m| self.is(m.key, key))
    }

    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.member(id, key).map(|m| m.value)
    }

    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.kind(id) {
            NodeKind::Array(a) => a,
            _ => &[],
        }
    }

    pub fn as_str(&self, id: NodeId) -> Option<&str> {
        match self.kind(id) {
            NodeKind::String(s) => Some(self.text(*s)),
            _ => None,
        }
    }

    pub fn as_bool(&self, id: NodeId) -> Option<bool> {
        match self.kind(id) {
            NodeKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self, id: NodeId) -> Option<f64> {
        match self.kind(id) {
            NodeKind::Number(n) => parse_number(self.text(*n)),
            _ => None,
        }
    }

    /// The span of the key that names `id` in its parent object, if it has one.
    pub fn key_span(&self, id: NodeId) -> Option<Span> {
        let parent = self.node(id).parent?;
        self.member_of(parent, id).map(|m| m.key_span)
    }

    /// The member of object `parent` whose value is `child`. Members are stored in document
    /// order, so their values' ids ascend and a binary search finds it (a scan made a finding
    /// on each of 20,000 keys quadratic); merged YAML keys can break the order, and then the
    /// scan decides.
    pub fn member_of(&self, parent: NodeId, child: NodeId) -> Option<&Member> {
        let members = self.members(parent);
        let i = members.partition_point(|m| m.value.0 < child.0);
        members
            .get(i)
            .filter(|m| m.value == child)
            .or_else(|| members.iter().find(|m| m.value == child))
    }

    /// A short name for the node's JSON type, for messages.
    pub fn type_name(&self, id: NodeId) -> &'static str {
        match self.kind(id) {
            NodeKind::Object(_) => "an object",
            NodeKind::Array(_) => "an array",
            NodeKind::String(_) => "a string",
            NodeKind::Number(_) => "a number",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Null => "null",
        }
    }

    /// Converts the tree to a `serde_json::Value` for the schema validator. Duplicate keys keep
    /// their first value, as the model does.
    pub fn to_value(&self, id: NodeId) -> serde_json::Value {
        self.to_value_with(id, &|_| false)
    }

    /// Like [`Document::to_value`], but members whose key satisfies `opaque` are converted
    /// shallowly (an empty object or array of the same type), for consumers that never look
    /// inside them.
    pub fn to_value_with(&self, id: NodeId, opaque: &dyn Fn(&str) -> bool) -> serde_json::Value {
        use serde_json::Value;
        match self.kind(id) {
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    let key = self.key(m);
                    if !map.contains_key(key) {
                        let v = match self.kind(m.value) {
                            NodeKind::Object(_) if opaque(key) => {
                                Value::Object(serde_json::Map::new())
                            }
                            NodeKind::Array(_) if opaque(key) => Value::Array(Vec::new()),
                            _ => self.to_value_with(m.value, opaque),
                        };
                        map.insert(key.to_string(), v);
                    }
                }
                Value::Object(map)
            }
            NodeKind::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.to_value_with(*i, &|_| false))
                    .collect(),
            ),
            NodeKind::String(s) => Value::String(self.text(*s).to_string()),
            NodeKind::Number(n) => number_value(self.text(*n)),
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Null => Value::Null,
        }
    }
}

/// A plain integer (seconds, counts, attempts: nearly every number in a definition) of 1 to 15
/// digits, summed digit by digit: exact in an f64 (below 2^53) without the float parser.
pub(crate) fn small_integer(digits: &str) -> Option<f64> {
    (!digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit())).then(
        || {
            digits
                .bytes()
                .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64
        },
    )
}

/// Parses a number as written in JSON or as resolved from a YAML plain scalar.
pub fn parse_number(text: &str) -> Option<f64> {
    if let Some(n) = small_integer(text) {
        return Some(n);
    }
    let t = text.trim_start_matches('+');
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|v| v as f64);
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|v| v as f64);
    }
    match t {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    t.parse::<f64>().ok()
}

/// A number as a JSON value: integers stay integers, so the schema's `integer` type holds.
pub fn number_value(text: &str) -> serde_json::Value {
    let t = text.trim_start_matches('+');
    if let Ok(i) = t.parse::<i64>() {
        return serde_json::Value::from(i);
    }
    if let Ok(u) = t.parse::<u64>() {
        return serde_json::Value::from(u);
    }
    match parse_number(t) {
        // A whole number written with hex/octal or an exponent stays an integer for the schema.
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 && !t.contains('.') => {
            serde_json::Value::from(f as i64)
        }
        Some(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
        None => serde_json::Value::Null,
    }
}

/// Parses a file's text in the given format.
pub fn parse(text: &str, format: Format) -> Result<Document, SyntaxError> {
    match format {
        Format::Json => json::parse(text),
        Format::Yaml => yaml::parse(text),
    }
}

#[cfg(test)]
mod number_tests {
    /// The integer shortcut gives what the float parser gives.
    #[test]
    fn plain_integers_parse_as_the_float_parser_does() {
        let mut cases: Vec<String> = ["0", "1", "007", "10", "86400", "999999999999999"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut n: u64 = 1;
        for _ in 0..15 {
            cases.push(n.to_string());
            cases.push((n * 7 + 3).to_string());
            n *= 10;
        }
        for c in cases {
            assert_eq!(super::parse_number(&c), c.parse::<f64>().ok(), "{c}");
        }
    }
}
