//! A strict JSON parser (RFC 8259) that builds the spanned [`Document`] tree.
//!
//! Written by hand rather than borrowed: AWS parses definitions as strict JSON, we need a
//! byte span for every key and value, duplicate keys kept rather than merged, a nesting
//! limit instead of a stack overflow, and error messages that say what to do.

use super::{Document, DuplicateKey, Member, NodeId, NodeKind, Str, SyntaxError};
use crate::limits::MAX_DEPTH;
use crate::source::Span;

/// Parses strict JSON. A leading byte order mark is skipped here and reported by the caller.
pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut doc = Document::with_source(text);
    // About one value per 12 bytes of pretty-printed JSON: reserving avoids regrowing the arena.
    doc.nodes.reserve(text.len() / 12 + 8);
    // Every line break of valid JSON is white space between tokens, which the parser skips:
    // it indexes the lines on the way (the reports need them), sparing a scan of its own.
    let mut lines = Vec::with_capacity(text.len() / 24 + 1);
    lines.push(0);
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: start,
        doc,
        lines,
        members: Vec::with_capacity(64),
        items: Vec::with_capacity(32),
    };
    p.skip_ws()?;
    if p.pos >= p.src.len() {
        return Err(SyntaxError::new("the file is empty", Span::empty(p.pos))
            .with_help("a state machine definition is a JSON object with `StartAt` and `States`"));
    }
    let root = p.value(0)?;
    p.skip_ws()?;
    if p.pos < p.src.len() {
        return Err(SyntaxError::new(
            "unexpected content after the end of the JSON value",
            Span::new(p.pos, p.pos + p.char_len()),
        )
        .with_help("a file holds exactly one JSON value; remove what follows it"));
    }
    p.doc.root = Some(root);
    p.doc.line_starts = p.lines;
    Ok(p.doc)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    doc: Document,
    /// Where the lines start (see [`Document::take_line_index`]).
    lines: Vec<u32>,
    /// The members of the objects being parsed, innermost last, and the items of the arrays:
    /// each is moved out at its exact length when it closes, so an object or array costs one
    /// allocation (none when empty) instead of a vector grown member by member.
    members: Vec<Member>,
    items: Vec<NodeId>,
}

impl<'a> Parser<'a> {
    /// A string's text, borrowed from the source when it stands there verbatim: strings
    /// found in place are ranges of the source, and unescaped ones were appended after it.
    fn key_text(&self, s: Str) -> std::borrow::Cow<'a, str> {
        let text: &'a str = self.text;
        match text.get(s.start as usize..s.end as usize) {
            Some(t) if s.end as usize <= text.len() => std::borrow::Cow::Borrowed(t),
            _ => std::borrow::Cow::Owned(self.doc.text(s).to_owned()),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Length in bytes of the character at `pos` (for spans over a bad character).
    fn char_len(&self) -> usize {
        self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8)
    }

    #[inline]
    fn skip_ws(&mut self) -> Result<(), SyntaxError> {
        // Most calls sit right before a token, and one byte tells: whitespace is below `!`.
        match self.src.get(self.pos) {
            Some(&b) if b > b' ' && b != b'/' => Ok(()),
            None => Ok(()),
            _ => self.skip_ws_run(),
        }
    }

    fn skip_ws_run(&mut self) -> Result<(), SyntaxError> {
        let src = self.src;
        let mut pos = self.pos;
        loop {
            match src.get(pos) {
                Some(b'\n') => {
                    pos += 1;
                    self.lines.push(pos as u32);
                }
                Some(b' ' | b'\t' | b'\r') => pos += 1,
                Some(b'/') if matches!(src.get(pos + 1), Some(b'/' | b'*')) => {
                    self.pos = pos;
                    return Err(self.comment_error());
                }
                _ => break,
            }
        }
        self.pos = pos;
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn comment_error(&self) -> SyntaxError {
        SyntaxError::new("comments are not allowed in JSON", Span::new(self.pos, self.comment_end()))
            .with_help("AWS parses definitions as strict JSON; remove the comment or move it into a `Comment` field")
    }

    fn comment_end(&self) -> usize {
        let rest = &self.text[self.pos..];
        let len = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else {
            rest.find("*/").map_or(rest.len(), |i| i + 2)
        };
        self.pos + len
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.peek() {
            None => SyntaxError::new(
                format!("unexpected end of file, expected {expected}"),
                Span::empty(self.pos),
            ),
            Some(_) => {
                let c = self.text[self.pos..].chars().next().unwrap_or('?');
                let span = Span::new(self.pos, self.pos + c.len_utf8());
                let found = if c.is_control() {
                    format!("{:?}", c)
                } else {
                    format!("`{c}`")
                };
                let mut e =
                    SyntaxError::new(format!("unexpected {found}, expected {expected}"), span);
                if c == '\'' {
                    e = e.with_help("JSON strings use double quotes");
                }
                e
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<NodeId, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(SyntaxError::new(
                format!("nesting is deeper than {MAX_DEPTH} levels"),
                Span::new(self.pos, self.pos + self.char_len()),
            )
            .with_help(
                "no real state machine nests this deep; the file is likely generated or corrupt",
            )
            .limit());
        }
        if self.doc.nodes.len() >= crate::limits::MAX_NODES {
            return Err(SyntaxError::new(
                "the document has too many values",
                Span::empty(self.pos),
            )
            .limit());
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (s, span) = self.string()?;
                Ok(self.doc.push(NodeKind::String(s), span))
            }
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'$') if self.src.get(self.pos + 1) == Some(&b'{') => self.placeholder(),
            Some(b'N') if self.text[self.pos..].starts_with("NaN") => Err(SyntaxError::new(
                "`NaN` is not a JSON value",
                Span::new(self.pos, self.pos + 3),
            )
            .with_help("JSON has no NaN or Infinity; use a number or a string")),
            Some(b'I') if self.text[self.pos..].starts_with("Infinity") => Err(SyntaxError::new(
                "`Infinity` is not a JSON value",
                Span::new(self.pos, self.pos + 8),
            )
            .with_help("JSON has no NaN or Infinity; use a number or a string")),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    /// An unquoted `${Name}` in value position: definition files that SAM
    /// (`DefinitionSubstitutions`), Terraform (`templatefile()`, heredocs) or other deploy tools
    /// fill in hold them (`"TimeoutSeconds": ${timeout}`). It becomes a string holding the
    /// placeholder, a value of unknown type that the checks treat like a quoted placeholder.
    fn placeholder(&mut self) -> Result<NodeId, SyntaxError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        let mut i = self.pos + 1;
        while let Some(&b) = self.src.get(i) {
            match quote {
                Some(_) if b == b'\\' => i += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None => match b {
                    b'"' | b'\'' => quote = Some(b),
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            self.pos = i + 1;
                            let text = self.doc.source_str(start, self.pos);
                            return Ok(self
                                .doc
                                .push(NodeKind::String(text), Span::new(start, self.pos)));
                        }
                    }
                    b'\n' => break,
                    _ => {}
                },
            }
            i += 1;
        }
        Err(SyntaxError::new(
            "unclosed `${` placeholder",
            Span::new(start, (start + 2).min(self.src.len())),
        )
        .with_help("close the placeholder with `}`, as in `${Name}`"))
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<NodeId, SyntaxError> {
        if self.text[self.pos..].starts_with(word) {
            let span = Span::new(self.pos, self.pos + word.len());
            self.pos += word.len();
            Ok(self.doc.push(kind, span))
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn number(&mut self) -> Result<NodeId, SyntaxError> {
        let start = self.pos;
        let bad = |p: &Self, what: &str| {
            let end = p.src[start..]
                .iter()
                .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'x' | b'a'..=b'f'))
                .map_or(p.src.len(), |i| start + i);
            SyntaxError::new(
                format!("invalid number: {what}"),
                // At least the character where the number stopped, never past the end.
                Span::new(start, end.max((p.pos + p.char_len()).min(p.src.len()))),
            )
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(bad(self, "leading zeros are not allowed"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(bad(self, "expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self, "expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self, "expected a digit in the exponent"));
            }
            self.digits();
        }
        let span = Span::new(start, self.pos);
        let n = self.doc.source_str(start, self.pos);
        Ok(self.doc.push(NodeKind::Number(n), span))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Parses a string at `pos` (which is `"`), returning its value and span (quotes included).
    fn string(&mut self) -> Result<(Str, Span), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        // Most strings have no escapes: find the closing quote and copy the slice once.
        if let Some(len) = crate::source::find_json_special(&self.src[self.pos..])
            && self.src[self.pos + len] == b'"'
        {
            let value = self.doc.source_str(self.pos, self.pos + len);
            self.pos += len + 1;
            return Ok((value, Span::new(start, self.pos)));
        }
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return Err(
                    SyntaxError::new("unterminated string", Span::new(start, self.pos))
                        .with_help("close the string with `\"`"),
                );
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok((self.doc.intern(&out), Span::new(start, self.pos)));
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0x00..=0x1F => {
                    let what = if b == b'\n' {
                        "a line break"
                    } else {
                        "a control character"
                    };
                    return Err(SyntaxError::new(
                        format!("{what} inside a string"),
                        Span::new(self.pos, self.pos + 1),
                    )
                    .with_help(if b == b'\n' {
                        "close the string before the line ends, or write the line break as `\\n`"
                    } else {
                        "write control characters as escapes such as `\\t` or `\\u0001`"
                    }));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    if self.src.get(self.pos) == Some(&b'\\')
                        && self.src.get(self.pos + 1) == Some(&b'u')
                    {
                        self.pos += 2;
                        let lo = self.hex4(at)?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(SyntaxError::new(
                                "invalid surrogate pair in a `\\u` escape",
                                Span::new(at, self.pos),
                            ));
                        }
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else {
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                let Some(c) = c else {
                    return Err(SyntaxError::new(
                        "a `\\u` escape names a lone surrogate",
                        Span::new(at, self.pos),
                    ));
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                let end = self.pos
                    + if self.pos < self.src.len() {
                        self.char_len()
                    } else {
                        0
                    };
                return Err(
                    SyntaxError::new("invalid escape in a string", Span::new(at, end)).with_help(
                        "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                    ),
                );
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, SyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(d) => {
                self.pos += 4;
                Ok(u32::from_str_radix(d, 16).unwrap_or(0))
            }
            None => Err(SyntaxError::new(
                "a `\\u` escape needs four hex digits",
                // Up to four characters (not bytes: one may be multi-byte).
                Span::new(
                    at,
                    self.text[self.pos..]
                        .char_indices()
                        .nth(4)
                        .map_or(self.text.len(), |(i, _)| self.pos + i),
                ),
            )),
        }
    }

    fn object(&mut self, depth: usize) -> Result<NodeId, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let id = self
            .doc
            .push(NodeKind::Object(Vec::new()), Span::empty(start));
        let base = self.members.len();
        // Keys borrowed from the source where they stand there verbatim (all but escaped
        // ones), not a boxed copy each: an allocation per state name in a large `States`.
        let mut keys: rustc_hash::FxHashMap<std::borrow::Cow<'_, str>, Span> =
            rustc_hash::FxHashMap::default();
        self.skip_ws()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws()?;
                if self.peek() != Some(b'"') {
                    let mut e = self.unexpected("a string key in double quotes");
                    if self.peek() == Some(b'}') && self.members.len() > base {
                        e = SyntaxError::new(
                            "trailing comma before `}`",
                            Span::new(self.pos - 1, self.pos),
                        )
                        .with_help("remove the comma after the last member");
                        e.span = self.last_comma(self.pos);
                    }
                    return Err(e);
                }
                let (key, key_span) = self.string()?;
                self.skip_ws()?;
                if self.peek() != Some(b':') {
                    return Err(self.unexpected("`:` after the key"));
                }
                self.pos += 1;
                self.skip_ws()?;
                let value = self.value(depth + 1)?;
                self.doc.nodes[value.0 as usize].parent = Some(id);
                let doc = &self.doc;
                let text = doc.text(key);
                // Small objects (almost all) are scanned; large ones (a big `States`) hashed.
                let members = &self.members[base..];
                let first = if members.len() < 16 {
                    members
                        .iter()
                        .find(|m| doc.is(m.key, text))
                        .map(|m| m.key_span)
                } else {
                    if keys.is_empty() {
                        keys.reserve(2 * members.len());
                        keys.extend(
                            members
                                .iter()
                                .rev()
                                .map(|m| (self.key_text(m.key), m.key_span)),
                        );
                    }
                    let prev = keys.get(text).copied();
                    if prev.is_none() {
                        keys.insert(self.key_text(key), key_span);
                    }
                    prev
                };
                if let Some(first) = first {
                    let key = text.into();
                    self.doc.duplicates.push(DuplicateKey {
                        object: id,
                        key,
                        first,
                        second: key_span,
                    });
                }
                self.members.push(Member {
                    key,
                    key_span,
                    value,
                });
                self.skip_ws()?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("`,` or `}`")),
                }
            }
        }
        let members = self.members.drain(base..).collect();
        let node = &mut self.doc.nodes[id.0 as usize];
        node.kind = NodeKind::Object(members);
        node.span = Span::new(start, self.pos);
        Ok(id)
    }

    /// The span of the comma that precedes `before`, for trailing-comma errors.
    fn last_comma(&self, before: usize) -> Span {
        match self.text[..before].rfind(',') {
            Some(i) => Span::new(i, i + 1),
            None => Span::empty(before),
        }
    }

    fn array(&mut self, depth: usize) -> Result<NodeId, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let id = self
            .doc
            .push(NodeKind::Array(Vec::new()), Span::empty(start));
        let base = self.items.len();
        self.skip_ws()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws()?;
                if self.peek() == Some(b']') && self.items.len() > base {
                    return Err(SyntaxError::new(
                        "trailing comma before `]`",
                        self.last_comma(self.pos),
                    )
                    .with_help("remove the comma after the last item"));
                }
                let v = self.value(depth + 1)?;
                self.doc.nodes[v.0 as usize].parent = Some(id);
                self.items.push(v);
                self.skip_ws()?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("`,` or `]`")),
                }
            }
        }
        let items = self.items.drain(base..).collect();
        let node = &mut self.doc.nodes[id.0 as usize];
        node.kind = NodeKind::Array(items);
        node.span = Span::new(start, self.pos);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        parse(text).unwrap_err()
    }

    #[test]
    fn spans_cover_keys_and_values() {
        let text = r#"{"a": [1, "é", true], "b": null}"#;
        let doc = parse(text).unwrap();
        let root = doc.root.unwrap();
        let a = doc.get(root, "a").unwrap();
        assert_eq!(&text[doc.span(a).range()], r#"[1, "é", true]"#);
        assert_eq!(
            &text[doc.member(root, "b").unwrap().key_span.range()],
            r#""b""#
        );
        assert_eq!(doc.as_str(doc.items(a)[1]), Some("é"));
    }

    #[test]
    fn strictness() {
        assert!(err(r#"{"a": 1,}"#).message.contains("trailing comma"));
        assert!(err("{\"a\": 1 // c\n}").message.contains("comments"));
        assert!(err(r#"{"a": NaN}"#).message.contains("NaN"));
        assert!(err(r#"{'a': 1}"#).help.unwrap().contains("double quotes"));
        assert!(err(r#"{"a": 01}"#).message.contains("leading zeros"));
        assert!(err("").message.contains("empty"));
        assert!(err(r#"{"a": "\ud800"}"#).message.contains("surrogate"));
        assert!(err("{} {}").message.contains("after the end"));
    }

    #[test]
    fn escapes_and_duplicates() {
        let doc = parse(r#"{"k": "a\"\u00e9\ud83d\ude00", "k": 2}"#).unwrap();
        let root = doc.root.unwrap();
        assert_eq!(doc.as_str(doc.get(root, "k").unwrap()), Some("a\"é😀"));
        assert_eq!(doc.duplicates.len(), 1);
    }

    #[test]
    fn string_table_holds_escaped_and_plain_strings_by_their_text() {
        // An escaped key is stored unescaped at the end of the table; it must still be found,
        // and match a plain spelling of the same key as a duplicate (in a small object and in
        // one large enough to be hashed).
        let mut text = String::from(r#"{"a\u0062": "x\ty", "ab": 1.50"#);
        for i in 0..20 {
            text.push_str(&format!(r#", "k{i}": {i}"#));
        }
        text.push_str(r#", "k\u0031": true}"#);
        let doc = parse(&text).unwrap();
        let root = doc.root.unwrap();
        assert_eq!(doc.as_str(doc.get(root, "ab").unwrap()), Some("x\ty"));
        let keys: Vec<&str> = doc.members(root).iter().map(|m| doc.key(m)).collect();
        assert_eq!(keys[..3], ["ab", "ab", "k0"]);
        let dups: Vec<&str> = doc.duplicates.iter().map(|d| &*d.key).collect();
        assert_eq!(dups, ["ab", "k1"]);
        let second = doc.members(root)[1].value;
        assert_eq!(doc.as_f64(second), Some(1.5));
        assert!(matches!(doc.kind(second), NodeKind::Number(n) if doc.text(*n) == "1.50"));
        assert!(doc.is(doc.members(root)[0].key, "ab"));
        assert!(!doc.is(doc.members(root)[0].key, "a"));
    }

    #[test]
    fn deep_nesting_is_a_limit_error_not_a_crash() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = err(&text);
        assert!(e.limit && e.message.contains("deeper"));
    }
}
