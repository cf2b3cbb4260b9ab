//! Intrinsic function calls (`States.Format('{}', $.a)`): the parser, with byte ranges for
//! every name and argument. What a call may hold is SFN301's to judge.

/// A parsed argument, with its byte range in the expression.
#[derive(Debug)]
pub enum Arg {
    String(String),
    /// A number literal, as written.
    Number(String),
    Bool(bool),
    Null,
    /// A path (`$.x`, `$$.x`) or variable (`$name`): its value is only known at run time.
    Path,
    Call(Call),
}

#[derive(Debug)]
pub struct Call {
    pub name: String,
    pub name_range: std::ops::Range<usize>,
    pub args: Vec<(Arg, std::ops::Range<usize>)>,
    pub range: std::ops::Range<usize>,
}

#[derive(Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

/// Parses an intrinsic function call such as `States.Format('{}', $.a)`.
pub fn parse(src: &str) -> Result<Call, ParseError> {
    let mut p = P {
        s: src.as_bytes(),
        src,
        pos: 0,
        depth: 0,
    };
    let call = p.call()?;
    p.ws();
    if p.pos != src.len() {
        return Err(ParseError {
            message: "unexpected text after the closing `)`".into(),
            range: p.pos..src.len(),
        });
    }
    Ok(call)
}

struct P<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(|b| *b == b' ') {
            self.pos += 1;
        }
    }

    fn err<T>(&self, message: &str, range: std::ops::Range<usize>) -> Result<T, ParseError> {
        Err(ParseError {
            message: message.into(),
            range,
        })
    }

    fn call(&mut self) -> Result<Call, ParseError> {
        self.depth += 1;
        if self.depth > 10 {
            return self.err(
                "intrinsic functions nest more than 10 deep",
                self.pos..self.src.len(),
            );
        }
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
        {
            self.pos += 1;
        }
        let name_range = start..self.pos;
        if name_range.is_empty() {
            return self.err(
                "expected a function name such as `States.Format`",
                start..(start + 1).min(self.src.len()),
            );
        }
        self.ws();
        if self.s.get(self.pos) != Some(&b'(') {
            return self.err(
                "expected `(` after the function name",
                self.pos..(self.pos + 1).min(self.src.len()),
            );
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b')') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                let a_start = self.pos;
                let arg = self.arg()?;
                args.push((arg, a_start..self.pos));
                self.ws();
                match self.s.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return self.err(
                            "expected `,` or `)`",
                            self.pos..(self.pos + 1).min(self.src.len()),
                        );
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(Call {
            name: self.src[name_range.clone()].to_string(),
            name_range,
            args,
            range: start..self.pos,
        })
    }

    fn arg(&mut self) -> Result<Arg, ParseError> {
        let start = self.pos;
        match self.s.get(self.pos) {
            Some(b'\'') => {
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.s.get(self.pos) {
                        None => {
                            return self.err("unterminated string literal", start..self.src.len());
                        }
                        Some(b'\\') => {
                            // Escapes keep their meaning for placeholder counting: `\{` is a literal brace.
                            // Only the characters with a meaning here can be escaped.
                            if let Some(c) = self.src[self.pos + 1..].chars().next() {
                                if !matches!(c, '\'' | '{' | '}' | '\\') {
                                    return self.err(
                                        &format!("`\\{c}` is not an escape sequence: only `\\'`, `\\{{`, `\\}}` and `\\\\` are"),
                                        self.pos..self.pos + 1 + c.len_utf8(),
                                    );
                                }
                                out.push('\\');
                                out.push(c);
                                self.pos += 1 + c.len_utf8();
                            } else {
                                self.pos += 1;
                            }
                        }
                        Some(b'\'') => {
                            self.pos += 1;
                            return Ok(Arg::String(out));
                        }
                        Some(_) => {
                            let c = self.src[self.pos..].chars().next().unwrap_or(' ');
                            out.push(c);
                            self.pos += c.len_utf8();
                        }
                    }
                }
            }
            Some(b'$') => {
                // A path runs to the next `,` or `)` outside brackets, parentheses and quotes.
                let mut depth = 0i32;
                let mut quote = None;
                while let Some(&b) = self.s.get(self.pos) {
                    match (quote, b) {
                        (Some(q), _) if b == q => quote = None,
                        (Some(_), _) => {}
                        (None, b'\'' | b'"') => quote = Some(b),
                        (None, b'[' | b'(') => depth += 1,
                        (None, b']') => depth -= 1,
                        (None, b')') if depth > 0 => depth -= 1,
                        (None, b',' | b')') if depth <= 0 => break,
                        _ => {}
                    }
                    self.pos += 1;
                }
                Ok(Arg::Path)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let word_end = self.s[self.pos..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'.'))
                    .map_or(self.s.len(), |i| self.pos + i);
                let word = &self.src[self.pos..word_end];
                if matches!(word, "true" | "false" | "null") {
                    self.pos = word_end;
                    Ok(match word {
                        "true" => Arg::Bool(true),
                        "false" => Arg::Bool(false),
                        _ => Arg::Null,
                    })
                } else {
                    Ok(Arg::Call(self.call()?))
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                let num_start = self.pos;
                self.pos += 1;
                while self.s.get(self.pos).is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+')
                }) {
                    self.pos += 1;
                }
                Ok(Arg::Number(self.src[num_start..self.pos].to_string()))
            }
            _ => self.err(
                "expected an argument: a 'string', a number, a path or a function",
                start..(start + 1).min(self.src.len()),
            ),
        }
    }
}
