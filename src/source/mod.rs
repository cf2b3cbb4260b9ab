//! Source text positions: byte spans inside, line/column only at the edges.
//!
//! Every node, key and diagnostic carries a [`Span`] of byte offsets into the file it came
//! from. Humans and protocols want lines and columns, so [`LineIndex`] converts at the edge:
//! lines are 1-based, and columns are 1-based counts of Unicode scalar values (characters), the
//! way editors other than VS Code count them. SARIF and LSP need UTF-16 code units, which
//! [`LineIndex::utf16_col`] gives.

/// A half-open byte range into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        // Files are capped well below 4 GiB (see `limits`), so offsets fit in u32.
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to lines and columns for one text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<u32>,
    /// For a text that is not all ASCII: characters and UTF-16 units before every
    /// [`COUNT_BLOCK`]-byte boundary, so that a column costs at most one block's count instead of
    /// the whole line's (a one-line file with thousands of findings was quadratic). Empty for
    /// ASCII, where a column is a byte difference.
    marks: Vec<(u32, u32)>,
}

/// See [`LineIndex::marks`].
const COUNT_BLOCK: usize = 1024;

/// Characters and UTF-16 units that start in `bytes` (continuation bytes start neither; a
/// four-byte character is two UTF-16 units).
fn count_units(bytes: &[u8]) -> (u32, u32) {
    let chars = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
    let wide = bytes.iter().filter(|&&b| b >= 0xF0).count() as u32;
    (chars, chars + wide)
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        Self::with_starts(text, starts)
    }

    /// The index of `text` from the offsets its lines start at (0 first, then one past every
    /// `\n`, ascending), as a parser that met every line break can hand over: JSON's line
    /// breaks are all between tokens.
    pub fn with_starts(text: &str, starts: Vec<u32>) -> Self {
        debug_assert!(
            starts.first() == Some(&0)
                && starts[1..]
                    .iter()
                    .all(|&s| text.as_bytes()[s as usize - 1] == b'\n')
                && starts.len() == text.bytes().filter(|&b| b == b'\n').count() + 1
        );
        let bytes = text.as_bytes();
        let marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut marks = Vec::with_capacity(bytes.len() / COUNT_BLOCK + 1);
            let (mut c, mut u) = (0, 0);
            marks.push((0, 0));
            for block in bytes.chunks(COUNT_BLOCK) {
                let (dc, du) = count_units(block);
                c += dc;
                u += du;
                marks.push((c, u));
            }
            marks
        };
        LineIndex { starts, marks }
    }

    /// Characters and UTF-16 units that start before byte `at`.
    fn units_before(&self, text: &str, at: usize) -> (u32, u32) {
        if self.marks.is_empty() {
            return (at as u32, at as u32);
        }
        // `min`: a text other than the one indexed must not panic (its columns are wrong).
        let block = (at / COUNT_BLOCK).min(self.marks.len() - 1);
        let (c, u) = self.marks[block];
        let (dc, du) = count_units(&text.as_bytes()[block * COUNT_BLOCK..at]);
        (c + dc, u + du)
    }

    /// The 0-based line holding `offset`.
    fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Clamps an offset into the text and back onto a character boundary, so that a span from
    /// a stale or foreign source can never panic at the edge.
    fn clamp(text: &str, offset: u32) -> usize {
        let mut o = (offset as usize).min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// Line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let o = Self::clamp(text, offset);
        let line = self.line_of(o as u32);
        let start = self.starts[line] as usize;
        let column = self.units_before(text, o).0 - self.units_before(text, start).0 + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// Line and column in UTF-16 code units (SARIF `utf16CodeUnits`, LSP's default).
    pub fn utf16_col(&self, text: &str, offset: u32) -> LineCol {
        let o = Self::clamp(text, offset);
        let line = self.line_of(o as u32);
        let start = self.starts[line] as usize;
        let column = self.units_before(text, o).1 - self.units_before(text, start).1 + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_bounds(&self, text: &str, offset: u32) -> (usize, usize) {
        let o = Self::clamp(text, offset);
        let line = self.line_of(o as u32);
        let start = self.starts[line] as usize;
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next as usize - 1)
            .clamp(start, text.len());
        (start, end)
    }

    /// The length in bytes of the longest line from the one holding `from` to the one holding
    /// `to` (line breaks included).
    pub fn longest_line(&self, text: &str, from: u32, to: u32) -> usize {
        let a = self.line_of(Self::clamp(text, from) as u32);
        let b = self.line_of(Self::clamp(text, to) as u32).max(a);
        (a..=b)
            .map(|l| {
                let end = self.starts.get(l + 1).map_or(text.len(), |&n| n as usize);
                end.saturating_sub(self.starts[l] as usize)
            })
            .max()
            .unwrap_or(0)
    }

    /// Byte offset of the start of a 1-based line, if it exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.starts.get(line.checked_sub(1)? as usize).copied()
    }
}

/// The offset of the first byte of `bytes` that is special in a JSON string: below 0x20, `"`
/// or `\` (what the parser stops at).
pub(crate) fn find_json_special(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
}

/// Byte offsets where `needle` (non-empty) starts in `hay`, non-overlapping. For the short
/// strings and needles the rules search, this beats `str::match_indices`, whose searcher
/// setup costs more than the search itself.
pub fn find_all<'h>(hay: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut from = 0;
    // The needle's first byte: by a plain loop in a short rest of the haystack (an ARN's
    // colons are a few bytes apart, and `memchr`'s set-up was most of a search), by `memchr`
    // in a long one.
    let first = |b: u8, rest: &[u8]| {
        if rest.len() <= 24 {
            rest.iter().position(|&c| c == b)
        } else {
            memchr::memchr(b, rest)
        }
    };
    std::iter::from_fn(move || {
        while let Some(i) = n.first().and_then(|&b| first(b, &h[from.min(h.len())..])) {
            let at = from + i;
            if h[at..].starts_with(n) {
                from = at + n.len();
                return Some(at);
            }
            from = at + 1;
        }
        None
    })
}

/// Whether `needle` occurs in `hay` (see [`find_all`]).
pub fn contains(hay: &str, needle: &str) -> bool {
    find_all(hay, needle).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns from the block marks equal counting the line's characters and UTF-16 units,
    /// at every offset of long lines mixing one- to four-byte characters.
    #[test]
    fn columns_match_counting_on_long_mixed_lines() {
        let mut t = String::new();
        for i in 0..3000 {
            t.push(['a', 'é', '€', '𝄞', 'b'][i % 5]);
            if i % 997 == 0 {
                t.push('\n');
            }
        }
        for text in [t.as_str(), "plain ascii\nsecond line"] {
            let idx = LineIndex::new(text);
            for o in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
                let start = text[..o].rfind('\n').map_or(0, |i| i + 1);
                let lc = idx.line_col(text, o as u32);
                assert_eq!(
                    lc.column as usize,
                    text[start..o].chars().count() + 1,
                    "{o}"
                );
                assert_eq!(lc.line as usize, text[..o].matches('\n').count() + 1);
                let u = idx.utf16_col(text, o as u32);
                assert_eq!(u.column as usize, text[start..o].encode_utf16().count() + 1);
            }
        }
        // Another text than the one indexed: wrong columns, never a panic.
        let idx = LineIndex::new("é");
        let _ = idx.line_col(&"é".repeat(5000), 9000);
    }

    /// `find_all` finds what `str::match_indices` finds, in short rests (the plain loop) and
    /// long ones (`memchr`), for needles that overlap themselves too.
    #[test]
    fn find_all_matches_match_indices() {
        let needles = [":", "::", ":states:::", "${", "$$", "aa", "aaa", "é"];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in [0, 1, 5, 23, 24, 25, 40, 100, 300] {
            for _ in 0..40 {
                let hay: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        [':', 's', '$', '{', 'a', 'é', 't'][(state % 7) as usize]
                    })
                    .collect();
                for n in needles {
                    let want: Vec<usize> = hay.match_indices(n).map(|(i, _)| i).collect();
                    assert_eq!(find_all(&hay, n).collect::<Vec<_>>(), want, "{hay:?} {n:?}");
                    assert_eq!(contains(&hay, n), !want.is_empty());
                }
            }
        }
    }

    #[test]
    fn json_special_bytes_are_found_at_every_position() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        for len in 0..26 {
            let clean: Vec<u8> = (0..len).map(|i| b"a~ \x7f\xc3\xa9!#"[i % 7]).collect();
            assert_eq!(find_json_special(&clean), naive(&clean));
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut b = clean.clone();
                    b[at] = special;
                    assert_eq!(find_json_special(&b), Some(at), "{b:?}");
                    // A second special byte after the first never moves the answer.
                    for later in at + 1..len {
                        let mut c = b.clone();
                        c[later] = b'"';
                        assert_eq!(find_json_special(&c), Some(at), "{c:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "ab\n\u{1F600}é x";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 4 });
        assert_eq!(idx.utf16_col(text, x), LineCol { line: 2, column: 5 });
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        // Offsets past the end or inside a character clamp instead of panicking.
        assert_eq!(idx.line_col(text, 999).line, 2);
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn line_starts_match_a_plain_scan() {
        // Newlines at every position in and across the eight-byte words, next to bytes that
        // differ from '\n' by one bit, and multi-byte characters.
        let mut texts = vec![String::new(), "\n".into(), "\n\n\n\n\n\n\n\n\n".into()];
        for len in 0..40 {
            for at in 0..len {
                let mut t: Vec<u8> = (0..len)
                    .map(|i| [b'\x0b', b'\x08', b'\x8a', b'a'][i % 4])
                    .collect();
                t[at] = b'\n';
                texts.push(String::from_utf8_lossy(&t).into_owned());
            }
        }
        texts.push("é\n😀\r\nx\n\n".repeat(9));
        // Long lines, where the scan hands over to memchr, ending at and past the words.
        for len in [64, 65, 71, 72, 73, 200] {
            texts.push(format!("{}\n{}\nab", "x".repeat(len), "y".repeat(len + 3)));
            texts.push("z".repeat(len));
        }
        for t in &texts {
            let plain: Vec<u32> = std::iter::once(0)
                .chain(
                    t.bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i as u32 + 1),
                )
                .collect();
            assert_eq!(LineIndex::new(t).starts, plain, "{t:?}");
        }
    }
}
