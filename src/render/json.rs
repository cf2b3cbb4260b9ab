//! The JSON contract (version 1) that other tools rely on:
//! `{"version":1,"files":[{"path","diagnostics":[{"code","name","severity","message","help",
//! "pointer","range":{"start":{"line","column"},"end":{…}},"fix"}]}],"summary":{…}}`.
//! Lines and columns are 1-based; columns count Unicode scalar values.

use serde::Serialize;

use crate::diagnostic::{Applicability, Summary};
use crate::lint::FileReport;
use crate::source::LineCol;

#[derive(Serialize)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

/// The pretty layout serde_json writes (two-space indent), written by hand for file entries:
/// they are most of a batch's output, and serde's per-byte string escaping was a tenth of a
/// batch's time. The rare parts (a fix, the Express verdict) still go through serde, at the
/// same depth, with [`Indented`].
struct Out<'a> {
    buf: &'a mut Vec<u8>,
    depth: usize,
}

impl Out<'_> {
    fn newline(&mut self) {
        // The whole run of spaces is copied and the excess cut off: a copy of a length known
        // when compiling is a few moves, where one of the indent's length was a call to
        // `memmove` (a fifth of writing an entry). Deeper levels (none in an entry) loop.
        const LINE: &[u8] = b"\n                ";
        let n = 1 + 2 * self.depth;
        let len = self.buf.len();
        self.buf.extend_from_slice(LINE);
        if n <= LINE.len() {
            self.buf.truncate(len + n);
        } else {
            for _ in LINE.len()..n {
                self.buf.push(b' ');
            }
        }
    }

    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
    }

    /// Closes an object or array; `empty` when nothing was written inside it.
    fn close(&mut self, bracket: u8, empty: bool) {
        self.depth -= 1;
        if !empty {
            self.newline();
        }
        self.buf.push(bracket);
    }

    /// Starts an array element or an object member on its own line.
    fn item(&mut self, first: bool) {
        if !first {
            self.buf.push(b',');
        }
        self.newline();
    }

    // Inlined, so that each literal key is copied by its known length, not by `memmove`.
    #[inline(always)]
    fn key(&mut self, first: bool, key: &str) {
        self.item(first);
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    fn str(&mut self, s: &str) {
        escape_into(self.buf, s);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.buf.extend_from_slice(b"null"),
        }
    }

    fn u64(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[i..]);
    }

    fn line_col(&mut self, at: LineCol) {
        self.open(b'{');
        self.key(true, "line");
        self.u64(at.line.into());
        self.key(false, "column");
        self.u64(at.column.into());
        self.close(b'}', false);
    }

    fn range(&mut self, (start, end): (LineCol, LineCol)) {
        self.open(b'{');
        self.key(true, "start");
        self.line_col(start);
        self.key(false, "end");
        self.line_col(end);
        self.close(b'}', false);
    }

    /// Any serialisable value, through serde, laid out at the current depth.
    fn serde<T: Serialize>(&mut self, value: &T) {
        let mut ser = serde_json::Serializer::with_formatter(
            &mut *self.buf,
            Indented {
                depth: self.depth,
                has_value: false,
            },
        );
        // Serialising plain structs of strings and numbers into a Vec cannot fail.
        let _ = value.serialize(&mut ser);
    }
}

/// What JSON writes for each byte: 0 for itself, else the letter after the backslash
/// (`u` for `\u00XX`). The same escapes as serde_json, so output is unchanged.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Appends `s` as a JSON string. Clean runs are skipped eight bytes at a time and copied
/// whole; messages are long and almost never need an escape.
fn escape_into(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    let mut start = 0;
    while let Some(k) = crate::source::find_json_special(&bytes[start..]) {
        let i = start + k;
        buf.extend_from_slice(&bytes[start..i]);
        // `find_json_special` stops exactly at the bytes the table escapes.
        let esc = ESCAPE[bytes[i] as usize];
        if esc == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let c = bytes[i];
            buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(c >> 4) as usize],
                HEX[(c & 0xf) as usize],
            ]);
        } else {
            buf.extend_from_slice(&[b'\\', esc]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// Writes one file's entry object at `depth`.
fn write_file(out: &mut Out, r: &FileReport) {
    // Lines are indexed only when something is located (a clean file needs no scan), or
    // come from the parser.
    let range = |s: crate::source::Span| super::range(r.line_index(), &r.text, s);
    out.open(b'{');
    out.key(true, "path");
    out.str(&r.path);
    out.key(false, "diagnostics");
    out.open(b'[');
    for (i, d) in r.diagnostics.iter().enumerate() {
        out.item(i == 0);
        out.open(b'{');
        out.key(true, "code");
        out.str(d.rule.code);
        out.key(false, "name");
        out.str(d.rule.name);
        out.key(false, "severity");
        out.str(d.severity.as_str());
        out.key(false, "message");
        out.str(&d.message);
        out.key(false, "help");
        out.opt_str(d.help.as_deref());
        out.key(false, "note");
        out.opt_str(d.note.as_deref());
        out.key(false, "pointer");
        out.str(&d.pointer);
        out.key(false, "range");
        out.range(range(d.span));
        out.key(false, "labels");
        out.open(b'[');
        for (j, l) in d.labels.iter().enumerate() {
            out.item(j == 0);
            out.open(b'{');
            out.key(true, "message");
            out.str(&l.message);
            out.key(false, "range");
            out.range(range(l.span));
            out.close(b'}', false);
        }
        out.close(b']', d.labels.is_empty());
        out.key(false, "url");
        // Rule codes, names and categories are plain ASCII: no escaping needed.
        out.buf.push(b'"');
        use std::io::Write as _;
        let _ = write!(out.buf, "{}", d.rule.url_display());
        out.buf.push(b'"');
        out.key(false, "fix");
        match &d.fix {
            None => out.buf.extend_from_slice(b"null"),
            // By hand, as serde would lay it out: serde's byte-by-byte escaping of the
            // replacement (a whole retrier, say) was a quarter of writing an entry.
            Some(f) => {
                out.open(b'{');
                out.key(true, "title");
                out.str(&f.title);
                out.key(false, "applicability");
                out.str(match f.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                    Applicability::DisplayOnly => "display-only",
                });
                out.key(false, "edits");
                out.open(b'[');
                for (j, e) in f.edits.iter().enumerate() {
                    out.item(j == 0);
                    out.open(b'{');
                    out.key(true, "range");
                    out.range(range(e.span));
                    out.key(false, "replacement");
                    out.str(&e.replacement);
                    out.close(b'}', false);
                }
                out.close(b']', f.edits.is_empty());
                out.close(b'}', false);
            }
        }
        out.close(b'}', false);
    }
    out.close(b']', r.diagnostics.is_empty());
    if let Some(express) = &r.express {
        out.key(false, "express");
        out.serde(express);
    }
    if let Some(n) = r.machines {
        out.key(false, "machines");
        out.u64(n as u64);
    }
    out.close(b'}', false);
}

/// serde_json's pretty layout (two-space indent), starting `depth` levels deep, so that file
/// entries can be serialised separately and spliced into the report byte for byte.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Indented {
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Starts an array element or an object key on its own line.
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes the report to `w` (see [`super::write`]).
pub fn write(reports: &[FileReport], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::write(super::OutputFormat::Json, reports, false, w)
}

/// One file's entry of the `files` array, serialised. `sfn-lint check` calls it on the worker
/// that linted the file, so that serialising overlaps linting instead of following it.
pub fn entry(r: &FileReport) -> Vec<u8> {
    // About 1.2 KB per diagnostic as written: one allocation instead of a doubling series.
    let mut buf = Vec::with_capacity(512 + 1280 * r.diagnostics.len());
    write_file(
        &mut Out {
            buf: &mut buf,
            depth: 2,
        },
        r,
    );
    buf
}

/// The whole document from entries made by [`entry`], one per report, in order, and the
/// reports' counts.
pub fn write_entries(
    summary: Summary,
    parts: &[impl AsRef<[u8]>],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    w.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?;
    // Handed to the kernel as they are (a batch's entries are megabytes): copying them into
    // a buffer first was a millisecond of the main thread's serial tail.
    let mut slices = Vec::with_capacity(2 * parts.len().min(512));
    for (i, part) in parts.iter().enumerate() {
        slices.push(std::io::IoSlice::new(if i == 0 {
            b"\n    "
        } else {
            b",\n    "
        }));
        slices.push(std::io::IoSlice::new(part.as_ref()));
        if slices.len() >= 1024 || i + 1 == parts.len() {
            super::write_all_vectored(w, &mut slices)?;
            slices.clear();
        }
    }
    w.write_all(if parts.is_empty() { b"]" } else { b"\n  ]" })?;
    let summary_json = serde_json::to_string_pretty(&summary)
        .unwrap_or_default()
        .replace('\n', "\n  ");
    write!(w, ",\n  \"summary\": {summary_json}\n}}\n")
}

pub fn render(reports: &[FileReport]) -> String {
    super::render(super::OutputFormat::Json, reports, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes at most 7 bytes a call, from the first non-empty slice only, as a pipe under
    /// pressure may: every partial write must be resumed where it stopped.
    struct Trickle(Vec<u8>);

    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn entries_survive_partial_vectored_writes() {
        let parts: Vec<Vec<u8>> = vec![b"{\"a\": 1}".to_vec(), Vec::new(), b"{}".repeat(40)];
        let mut whole = Vec::new();
        write_entries(Summary::default(), &parts, &mut whole).unwrap();
        let mut trickle = Trickle(Vec::new());
        write_entries(Summary::default(), &parts, &mut trickle).unwrap();
        assert_eq!(
            String::from_utf8(trickle.0).unwrap(),
            String::from_utf8(whole.clone()).unwrap()
        );
        assert!(
            String::from_utf8(whole)
                .unwrap()
                .contains("{\"a\": 1},\n    ,\n    {}{}")
        );
        // Only empty slices: nothing to write is not a failed write.
        let mut slices = [std::io::IoSlice::new(b""), std::io::IoSlice::new(b"")];
        crate::render::write_all_vectored(&mut Trickle(Vec::new()), &mut slices).unwrap();
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every byte that needs an escape, at every position of the eight-byte words and
        // past them, among plain and multi-byte characters.
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '\u{7f}', 'é', '😀'])
            .collect();
        let mut cases = vec![
            String::new(),
            "plain ascii, long enough for a few words".into(),
        ];
        for c in &specials {
            for at in 0..20 {
                let mut s: String = "abcdefghijklmnopqrst".chars().take(at).collect();
                s.push(*c);
                s.push_str("tail…");
                cases.push(s);
            }
        }
        cases.push(specials.iter().collect());
        for s in &cases {
            let mut ours = Vec::new();
            escape_into(&mut ours, s);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }
}
