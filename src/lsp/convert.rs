//! Positions at the edge: byte offsets inside, LSP line/character outside, in the encoding
//! negotiated at `initialize` (UTF-16 by default, UTF-8 when the client offers it).

use serde_json::{Value, json};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// Line starts of a text, for converting both ways.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    enc: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, enc: Encoding) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts, enc }
    }

    /// Offset → (line, character).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let seg = &self.text[start..end];
        let ch = match self.enc {
            Encoding::Utf8 => seg.len(),
            Encoding::Utf16 => seg.encode_utf16().count(),
        };
        (line as u32, ch as u32)
    }

    /// (line, character) → offset, clamped to the line (an invalid position never panics).
    pub fn offset(&self, line: u32, character: u32) -> usize {
        let Some(&start) = self.starts.get(line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(line as usize + 1)
            .map_or(self.text.len(), |e| e - 1);
        let mut units = 0u32;
        for (i, c) in self.text[start..end.max(start)].char_indices() {
            if units >= character {
                return start + i;
            }
            units += match self.enc {
                Encoding::Utf8 => c.len_utf8() as u32,
                Encoding::Utf16 => c.len_utf16() as u32,
            };
        }
        end.max(start)
    }

    pub fn range(&self, span: Span) -> Value {
        let (sl, sc) = self.position(span.start as usize);
        let (el, ec) = self.position(span.end as usize);
        json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
    }

    /// The offsets of an LSP range value.
    pub fn span_of(&self, range: &Value) -> Option<Span> {
        let get = |p: &str| {
            let v = range.get(p)?;
            Some(self.offset(
                v.get("line")?.as_u64()?.min(u32::MAX as u64) as u32,
                v.get("character")?.as_u64()?.min(u32::MAX as u64) as u32,
            ))
        };
        let (a, b) = (get("start")?, get("end")?);
        Some(Span::new(a.min(b), a.max(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns() {
        let text = "{\"C\": \"😀 é\", \"N\": 1}\nx";
        let at = text.find("\"N\"").unwrap();
        let l16 = Lines::new(text, Encoding::Utf16);
        let l8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(l16.position(at), (0, at as u32 - 3)); // 😀 is 4 bytes, 2 units; é 2 bytes, 1 unit
        assert_eq!(l8.position(at), (0, at as u32));
        assert_eq!(l16.offset(0, at as u32 - 3), at);
        assert_eq!(l16.offset(7, 3), text.len(), "past the end clamps");
        assert_eq!(l16.offset(1, 99), text.len(), "past the line end clamps");
    }
}
