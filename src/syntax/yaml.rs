//! YAML front end: granit-parser's span-carrying events, built into the shared tree.
//!
//! Scalars are resolved with the YAML 1.2 core schema (`true`, `12`, `~` …); quoted scalars
//! stay strings. Anchors and aliases are expanded by copying the anchored subtree, with a
//! budget ([`MAX_ALIAS_NODES`]) so that an alias bomb is an error, not an out-of-memory.
//! Local tags such as CloudFormation's `!Sub` are kept on the node.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle};

use super::{Comment, Document, DuplicateKey, Member, NodeId, NodeKind, Str, SyntaxError};
use crate::limits::{MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES};
use crate::source::Span;

enum Frame {
    Map {
        id: NodeId,
        start: usize,
        block: bool,
        members: Vec<Member>,
        /// Which of `members` a merge key (`<<`) brought in: an explicit key overrides them.
        merged: Vec<bool>,
        /// Where each key first appears in `members`, once the mapping is big enough that
        /// searching them one by one would make parsing quadratic.
        index: Option<rustc_hash::FxHashMap<Box<str>, usize>>,
        key: Option<(Str, Span)>,
    },
    Seq {
        id: NodeId,
        start: usize,
        block: bool,
        items: Vec<NodeId>,
    },
}

/// Members past which a mapping's keys are found through a hash index.
const INDEXED: usize = 16;

/// Where `name` first appears among a mapping's members.
fn position(
    doc: &Document,
    members: &[Member],
    index: &Option<rustc_hash::FxHashMap<Box<str>, usize>>,
    name: &str,
) -> Option<usize> {
    match index {
        Some(ix) => ix.get(name).copied(),
        None => members.iter().position(|m| doc.is(m.key, name)),
    }
}

/// Notes that `name` is about to be pushed as a new key (not already present), building the
/// index when the mapping grows past [`INDEXED`].
fn remember(
    doc: &Document,
    members: &[Member],
    index: &mut Option<rustc_hash::FxHashMap<Box<str>, usize>>,
    name: &str,
) {
    match index {
        Some(ix) => {
            ix.insert(name.into(), members.len());
        }
        None if members.len() >= INDEXED => {
            let mut ix = rustc_hash::FxHashMap::default();
            for (i, m) in members.iter().enumerate() {
                ix.entry(doc.key(m).into()).or_insert(i);
            }
            ix.insert(name.into(), members.len());
            *index = Some(ix);
        }
        None => {}
    }
}

pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let options = granit_parser::options! {
        flow_nesting_limit: MAX_DEPTH,
        block_nesting_limit: MAX_DEPTH,
    };
    let mut b = Builder {
        doc: Document::default(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        copied: 0,
        text,
    };
    let mut documents = 0;
    for event in Parser::new_from_str_with_options(text, options) {
        let (event, span) = event.map_err(|e| scan_error(text, &e))?;
        let range = span.byte_range().unwrap_or(0..0);
        let sp = Span::new(range.start, range.end);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(
                        SyntaxError::new("the file holds more than one YAML document", sp)
                            .with_help("put each state machine in its own file"),
                    );
                }
            }
            Event::Comment(c, _) => b.doc.comments.push(Comment {
                text: c.as_ref().into(),
                span: sp,
            }),
            Event::Scalar(value, style, anchor, tag) => {
                let tag_text = tag
                    .as_ref()
                    .map(|t| (t.handle().to_string(), t.suffix().to_string()));
                let id = b.scalar(
                    &value,
                    style,
                    tag_text.as_ref().map(|(h, s)| (h.as_str(), s.as_str())),
                    sp,
                )?;
                b.anchor(anchor, id);
                b.attach(id, &value, sp)?;
            }
            Event::MappingStart(style, anchor, tag) => {
                b.check_depth(sp)?;
                let id = b.doc.push(NodeKind::Object(Vec::new()), sp);
                b.set_tag(id, tag.as_ref().map(|t| (t.handle(), t.suffix())));
                b.anchor(anchor, id);
                let block = matches!(style, granit_parser::StructureStyle::Block);
                b.stack.push(Frame::Map {
                    id,
                    start: range.start,
                    block,
                    members: Vec::new(),
                    merged: Vec::new(),
                    index: None,
                    key: None,
                });
            }
            Event::SequenceStart(style, anchor, tag) => {
                b.check_depth(sp)?;
                let id = b.doc.push(NodeKind::Array(Vec::new()), sp);
                b.set_tag(id, tag.as_ref().map(|t| (t.handle(), t.suffix())));
                b.anchor(anchor, id);
                let block = matches!(style, granit_parser::StructureStyle::Block);
                b.stack.push(Frame::Seq {
                    id,
                    start: range.start,
                    block,
                    items: Vec::new(),
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = b.stack.pop();
                let (id, start, block) = match frame {
                    Some(Frame::Map {
                        id,
                        start,
                        block,
                        members,
                        ..
                    }) => {
                        b.doc.nodes[id.0 as usize].kind = NodeKind::Object(members);
                        (id, start, block)
                    }
                    Some(Frame::Seq {
                        id,
                        start,
                        block,
                        items,
                    }) => {
                        b.doc.nodes[id.0 as usize].kind = NodeKind::Array(items);
                        (id, start, block)
                    }
                    None => continue,
                };
                // A block collection's end event sits at the next token; end at the last child.
                let end = if block {
                    b.last_child_end(id).unwrap_or(range.end)
                } else {
                    range.end
                };
                b.doc.nodes[id.0 as usize].span = Span::new(start, end.max(start));
                b.attach(id, "", sp)?;
            }
            Event::Alias(anchor) => {
                let Some(&target) = b.anchors.get(&anchor) else {
                    continue;
                };
                let copy = b.copy(target, sp)?;
                b.attach(copy, "", sp)?;
            }
            _ => {}
        }
    }
    if b.doc.root.is_none() {
        return Err(SyntaxError::new("the file is empty", Span::empty(0))
            .with_help("a state machine definition is a mapping with `StartAt` and `States`"));
    }
    Ok(b.doc)
}

fn scan_error(text: &str, e: &granit_parser::ScanError) -> SyntaxError {
    let at = e
        .marker()
        .byte_offset()
        .unwrap_or(text.len())
        .min(text.len());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let info = e.info();
    let message = if info.is_empty() {
        "invalid YAML".to_string()
    } else {
        format!("invalid YAML: {info}")
    };
    let mut err = SyntaxError::new(message, Span::new(at, end));
    if info.contains("nesting") || info.contains("limit") {
        err = err.limit();
    }
    err
}

struct Builder<'t> {
    doc: Document,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    copied: usize,
    text: &'t str,
}

impl Builder<'_> {
    fn check_depth(&self, sp: Span) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(
                SyntaxError::new(format!("nesting is deeper than {MAX_DEPTH} levels"), sp).limit(),
            );
        }
        if self.doc.nodes.len() >= MAX_NODES {
            return Err(SyntaxError::new("the document has too many values", sp).limit());
        }
        Ok(())
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    fn set_tag(&mut self, id: NodeId, tag: Option<(&str, &str)>) {
        if let Some((handle, suffix)) = tag
            && handle == "!"
            && !suffix.is_empty()
        {
            self.doc.tags.insert(id, suffix.into());
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<(&str, &str)>,
        sp: Span,
    ) -> Result<NodeId, SyntaxError> {
        let core = tag
            .filter(|(h, _)| *h == "tag:yaml.org,2002:")
            .map(|(_, s)| s);
        let kind = match core {
            Some("str") => NodeKind::String(self.doc.intern(value)),
            Some("null") => NodeKind::Null,
            Some("bool") => match value {
                "true" | "True" | "TRUE" => NodeKind::Bool(true),
                _ => NodeKind::Bool(false),
            },
            Some("int" | "float") if super::parse_number(value).is_some() => {
                NodeKind::Number(self.doc.intern(value))
            }
            _ if style != ScalarStyle::Plain || tag.is_some_and(|(h, _)| h == "!") => {
                NodeKind::String(self.doc.intern(value))
            }
            _ => resolve_plain(&mut self.doc, value),
        };
        let id = self.doc.push(kind, sp);
        self.set_tag(id, tag);
        Ok(id)
    }

    fn last_child_end(&self, id: NodeId) -> Option<usize> {
        let last = match self.doc.kind(id) {
            NodeKind::Object(m) => m.last().map(|m| m.value),
            NodeKind::Array(a) => a.last().copied(),
            _ => None,
        }?;
        Some(self.doc.span(last).end as usize)
    }

    /// Places a finished node in its parent (as a key, a value or an item), or as the root.
    fn attach(&mut self, id: NodeId, text: &str, sp: Span) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            None => {
                self.doc.root = Some(id);
            }
            Some(Frame::Seq {
                id: parent, items, ..
            }) => {
                self.doc.nodes[id.0 as usize].parent = Some(*parent);
                items.push(id);
            }
            Some(Frame::Map {
                id: parent,
                members,
                merged,
                index,
                key,
                ..
            }) => match key.take() {
                None => {
                    if !matches!(
                        self.doc.kind(id),
                        NodeKind::String(_)
                            | NodeKind::Number(_)
                            | NodeKind::Bool(_)
                            | NodeKind::Null
                    ) {
                        return Err(SyntaxError::new(
                            "a mapping key must be a plain value",
                            self.doc.span(id),
                        )
                        .with_help("ASL keys are field and state names"));
                    }
                    // Keys are names: keep the text as written, even for `true` or `1`.
                    let written = if text.is_empty() {
                        self.text.get(sp.range()).unwrap_or("")
                    } else {
                        text
                    };
                    *key = Some((self.doc.intern(written), sp));
                }
                Some((k, key_span)) => {
                    let parent = *parent;
                    self.doc.nodes[id.0 as usize].parent = Some(parent);
                    if self.doc.is(k, "<<") {
                        // YAML merge key: copy in the members the mapping does not set itself;
                        // of a sequence of mappings, the earlier ones win. Merged values keep
                        // their spans at the anchor.
                        let sources: Vec<NodeId> = match self.doc.kind(id) {
                            NodeKind::Object(_) => vec![id],
                            NodeKind::Array(items) => items.clone(),
                            _ => Vec::new(),
                        };
                        for src in sources {
                            for m in self.doc.members(src).to_vec() {
                                let name = self.doc.key(&m);
                                if position(&self.doc, members, index, name).is_none() {
                                    remember(&self.doc, members, index, name);
                                    members.push(m);
                                    merged.push(true);
                                }
                            }
                        }
                        return Ok(());
                    }
                    let name = self.doc.text(k);
                    if let Some(i) = position(&self.doc, members, index, name) {
                        if merged[i] {
                            // An explicit key overrides a merged one: not a duplicate.
                            members[i] = Member {
                                key: k,
                                key_span,
                                value: id,
                            };
                            merged[i] = false;
                            return Ok(());
                        }
                        let first = members[i].key_span;
                        self.doc.duplicates.push(DuplicateKey {
                            object: parent,
                            key: self.doc.text(k).into(),
                            first,
                            second: key_span,
                        });
                    } else {
                        remember(&self.doc, members, index, name);
                    }
                    merged.push(false);
                    members.push(Member {
                        key: k,
                        key_span,
                        value: id,
                    });
                }
            },
        }
        Ok(())
    }

    /// Deep-copies an anchored subtree for an alias, within the alias expansion budget.
    fn copy(&mut self, id: NodeId, alias: Span) -> Result<NodeId, SyntaxError> {
        self.copied += 1;
        if self.copied > MAX_ALIAS_NODES || self.doc.nodes.len() >= MAX_NODES {
            return Err(SyntaxError::new(
                format!("aliases expand to more than {MAX_ALIAS_NODES} values"),
                alias,
            )
            .with_help("this looks like an alias bomb (\"billion laughs\"); write the values out or reduce the aliases")
            .limit());
        }
        let node = self.doc.node(id).clone();
        let kind = match &node.kind {
            NodeKind::Object(members) => {
                let mut out = Vec::with_capacity(members.len());
                for m in members.clone() {
                    out.push(Member {
                        value: self.copy(m.value, alias)?,
                        ..m
                    });
                }
                NodeKind::Object(out)
            }
            NodeKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items.clone() {
                    out.push(self.copy(i, alias)?);
                }
                NodeKind::Array(out)
            }
            other => other.clone(),
        };
        let new = self.doc.push(kind, node.span);
        if let Some(tag) = self.doc.tags.get(&id).cloned() {
            self.doc.tags.insert(new, tag);
        }
        for child in children(&self.doc, new) {
            self.doc.nodes[child.0 as usize].parent = Some(new);
        }
        Ok(new)
    }
}

fn children(doc: &Document, id: NodeId) -> Vec<NodeId> {
    match doc.kind(id) {
        NodeKind::Object(m) => m.iter().map(|m| m.value).collect(),
        NodeKind::Array(a) => a.clone(),
        _ => Vec::new(),
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
fn resolve_plain(doc: &mut Document, v: &str) -> NodeKind {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        _ => {}
    }
    if is_core_number(v) {
        NodeKind::Number(doc.intern(v))
    } else {
        NodeKind::String(doc.intern(v))
    }
}

fn is_core_number(v: &str) -> bool {
    let b = v.as_bytes();
    if let Some(h) = v.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(o) = v.strip_prefix("0o") {
        return !o.is_empty() && o.bytes().all(|c| (b'0'..=b'7').contains(&c));
    }
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if b.is_empty() || body.is_empty() {
        return false;
    }
    // [0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? or \.[0-9]+...
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let ok_mantissa = digits(int)
        && frac.is_none_or(digits)
        && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let ok_exp = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    ok_mantissa && ok_exp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_resolve_with_the_core_schema() {
        let doc =
            parse("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5e3\nf: hello\ng: 0x1F\nh: 1.2.3\n").unwrap();
        let r = doc.root.unwrap();
        let k = |key| doc.kind(doc.get(r, key).unwrap()).clone();
        assert!(matches!(k("a"), NodeKind::Number(_)));
        assert!(matches!(k("b"), NodeKind::String(_)));
        assert!(matches!(k("c"), NodeKind::Bool(true)));
        assert!(matches!(k("d"), NodeKind::Null));
        assert!(matches!(k("e"), NodeKind::Number(_)));
        assert!(matches!(k("f"), NodeKind::String(_)));
        assert!(matches!(k("g"), NodeKind::Number(_)));
        assert!(matches!(k("h"), NodeKind::String(_)));
    }

    #[test]
    fn explicit_keys_override_merged_ones() {
        let text = "a: &b\n  x: 1\n  y: 2\nc:\n  <<: *b\n  y: 3\nd:\n  y: 4\n  <<: [*b]\n";
        let doc = parse(text).unwrap();
        assert!(doc.duplicates.is_empty());
        let root = doc.root.unwrap();
        let c = doc.get(root, "c").unwrap();
        let y = doc.get(c, "y").unwrap();
        assert_eq!(&text[doc.span(y).range()], "3");
        // The merged value keeps its span at the anchor.
        let x = doc.get(c, "x").unwrap();
        assert_eq!(doc.span(x).start, text.find('1').unwrap() as u32);
        let d = doc.get(root, "d").unwrap();
        assert_eq!(&text[doc.span(doc.get(d, "y").unwrap()).range()], "4");
        assert_eq!(doc.members(d).len(), 2);
        // Two explicit keys are still a duplicate.
        assert_eq!(parse("a: 1\na: 2\n").unwrap().duplicates.len(), 1);
    }

    #[test]
    fn big_mappings_find_duplicates_and_merged_keys_through_the_index() {
        let mut text = String::from("base: &b\n  k3: merged\n  extra: 1\nm:\n  <<: *b\n");
        for i in 0..40 {
            text.push_str(&format!("  k{i}: {i}\n"));
        }
        text.push_str("  k7: again\n");
        let doc = parse(&text).unwrap();
        let m = doc.get(doc.root.unwrap(), "m").unwrap();
        // The explicit k3 overrides the merged one; k7 is a duplicate; `extra` is merged.
        assert_eq!(doc.duplicates.len(), 1, "{:?}", doc.duplicates);
        assert_eq!(&*doc.duplicates[0].key, "k7");
        assert_eq!(&text[doc.span(doc.get(m, "k3").unwrap()).range()], "3");
        assert_eq!(&text[doc.span(doc.get(m, "k7").unwrap()).range()], "7");
        assert!(doc.get(m, "extra").is_some());
        assert_eq!(doc.members(m).len(), 42);
    }

    #[test]
    fn spans_duplicates_tags_anchors() {
        let text = "States:\n  A: &x {Type: Pass, End: true}\n  B: *x\n  A: !Sub hi\n";
        let doc = parse(text).unwrap();
        let states = doc.get(doc.root.unwrap(), "States").unwrap();
        assert_eq!(doc.members(states).len(), 3);
        assert_eq!(doc.duplicates.len(), 1);
        let b = doc.get(states, "B").unwrap();
        assert_eq!(doc.as_str(doc.get(b, "Type").unwrap()), Some("Pass"));
        let a2 = doc.members(states)[2].value;
        assert_eq!(doc.tag(a2), Some("Sub"));
        let a = doc.get(states, "A").unwrap();
        assert_eq!(&text[doc.span(a).range()], "{Type: Pass, End: true}");
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let e = parse(&text).unwrap_err();
        assert!(e.limit, "{e:?}");
    }

    #[test]
    fn errors_have_a_position() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"));
        assert!(parse("").unwrap_err().message.contains("empty"));
        assert!(
            parse("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("more than one")
        );
    }
}
