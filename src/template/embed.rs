//! Definitions held in strings (`DefinitionString`, `Fn::Join` pieces, Terraform heredocs):
//! the decoded text, and for every byte of it the byte in the template it came from, so that
//! a diagnostic inside the string points at the exact character the user edits.

use crate::source::Span;

/// Decoded text built from pieces of a template, with its source map.
#[derive(Clone, Debug, Default)]
pub struct Embedded {
    pub text: String,
    /// `map[i]` is the template range (start, end) that decoded byte `i` came from: a
    /// character, a whole escape, or an opaque piece.
    map: Vec<(u32, u32)>,
    end: u32,
}

impl Embedded {
    /// Appends a string value whose source is `raw` (the scalar as written, starting at
    /// `raw_start` in the template). Decoded characters are matched to the source in order,
    /// through escapes, indentation and folding; if they cannot be matched the rest of the
    /// piece maps to the start of the scalar.
    pub fn push_aligned(&mut self, value: &str, raw: &str, raw_start: usize) {
        // A quoted scalar: align inside the quotes, so the opening quote is not taken for a
        // decoded `"`.
        let (raw, raw_start) = match raw.as_bytes() {
            [q @ (b'"' | b'\''), .., last] if raw.len() >= 2 && last == q => {
                (&raw[1..raw.len() - 1], raw_start + 1)
            }
            _ => (raw, raw_start),
        };
        let src = raw.as_bytes();
        let mut pos = 0usize;
        let mut lost = false;
        for ch in value.chars() {
            let before = pos;
            let at = if lost {
                None
            } else {
                align_char(src, &mut pos, ch)
            };
            let range = match at {
                Some(p) => ((raw_start + p) as u32, (raw_start + pos) as u32),
                None => {
                    lost = true;
                    let _ = before;
                    (raw_start as u32, raw_start as u32)
                }
            };
            for _ in 0..ch.len_utf8() {
                self.map.push(range);
            }
            self.text.push(ch);
        }
    }

    /// Appends text that stands for something with no textual source (an intrinsic function
    /// in a `Fn::Join`), mapped to `span`'s start.
    pub fn push_opaque(&mut self, text: &str, span: Span) {
        for _ in 0..text.len() {
            self.map.push((span.start, span.end));
        }
        self.text.push_str(text);
    }

    /// Finishes the map; `end` is where a span at the very end of the text points.
    pub fn finish(mut self, end: usize) -> Embedded {
        self.end = end as u32;
        self
    }

    /// The template span of a span in the decoded text.
    pub fn to_template(&self, span: Span) -> Span {
        let at = |i: u32| self.map.get(i as usize).copied();
        let Some((start, _)) = at(span.start) else {
            return Span {
                start: self.end,
                end: self.end,
            };
        };
        if span.end <= span.start {
            return Span { start, end: start };
        }
        // The furthest source end among the bytes covered (escapes stay whole).
        let end = (span.start..span.end)
            .filter_map(at)
            .map(|(_, e)| e)
            .max()
            .unwrap_or(start);
        Span {
            start,
            end: end.max(start),
        }
    }
}

/// Finds the source position of the next decoded character, skipping what decoding drops
/// (indentation, line folds, quote doubling) and decoding escapes.
fn align_char(src: &[u8], pos: &mut usize, ch: char) -> Option<usize> {
    let mut buf = [0u8; 4];
    let want = ch.encode_utf8(&mut buf).as_bytes();
    let mut skipped = 0;
    while *pos < src.len() {
        let p = *pos;
        // An escape first: in JSON and double-quoted YAML a backslash always starts one.
        if src[p] == b'\\'
            && let Some((decoded, len)) = escape(&src[p..])
            && decoded == ch
        {
            *pos = p + len;
            return Some(p);
        }
        if src[p..].starts_with(want) {
            *pos = p + want.len();
            return Some(p);
        }
        if src[p] == b'\\' {
            // A line continuation in a double-quoted YAML scalar.
            if src.get(p + 1) == Some(&b'\n') {
                *pos = p + 2;
                continue;
            }
            return None;
        }
        // Dropped by decoding: whitespace (indentation, folding) and quote delimiters.
        if matches!(src[p], b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'') && skipped < 4096 {
            *pos = p + 1;
            skipped += 1;
            continue;
        }
        return None;
    }
    None
}

/// A JSON or YAML escape at the start of `s`: the character and the escape's length.
fn escape(s: &[u8]) -> Option<(char, usize)> {
    let c = *s.get(1)?;
    let simple = match c {
        b'n' => Some('\n'),
        b't' => Some('\t'),
        b'r' => Some('\r'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'/' => Some('/'),
        b'\\' => Some('\\'),
        b'"' => Some('"'),
        b'0' => Some('\0'),
        b' ' => Some(' '),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((ch, 2));
    }
    let hex = |from: usize, n: usize| -> Option<u32> {
        let h = std::str::from_utf8(s.get(from..from + n)?).ok()?;
        u32::from_str_radix(h, 16).ok()
    };
    match c {
        b'u' => {
            let hi = hex(2, 4)?;
            if (0xD800..0xDC00).contains(&hi) && s.get(6) == Some(&b'\\') && s.get(7) == Some(&b'u')
            {
                let lo = hex(8, 4)?;
                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?);
                return char::from_u32(cp).map(|ch| (ch, 12));
            }
            char::from_u32(hi).map(|ch| (ch, 6))
        }
        b'x' => char::from_u32(hex(2, 2)?).map(|ch| (ch, 4)),
        b'U' => char::from_u32(hex(2, 8)?).map(|ch| (ch, 10)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(value: &str, raw: &str) -> Embedded {
        let mut e = Embedded::default();
        e.push_aligned(value, raw, 100);
        e.finish(100 + raw.len())
    }

    #[test]
    fn json_escapes_map_to_their_source() {
        // The JSON string "{\"A\": \"x\\ny\"}" decodes to {"A": "x\ny"}.
        let raw = r#""{\"A\": \"x\\ny\"}""#;
        let e = map("{\"A\": \"x\\ny\"}", raw);
        // Decoded `A` (byte 2) comes from source byte 4 of raw (after `"{\"`).
        assert_eq!(e.to_template(Span::new(2, 3)), Span::new(104, 105));
        // The decoded `"` before A is the two-byte escape `\"`.
        assert_eq!(e.to_template(Span::new(1, 2)), Span::new(102, 104));
    }

    #[test]
    fn yaml_block_indentation_is_skipped() {
        let raw = "{\n    \"A\": 1\n  }\n";
        let e = map("{\n  \"A\": 1\n}\n", raw);
        let a = e.text.find('A').unwrap();
        assert_eq!(
            e.to_template(Span::new(a, a + 1)).start as usize,
            100 + raw.find('A').unwrap()
        );
    }

    #[test]
    fn unmatched_text_falls_back_to_the_start() {
        let e = map("abc", "xyz");
        assert_eq!(e.to_template(Span::new(1, 2)).start, 100);
    }
}
