//! Where in a JSONata expression a syntax error is. The parser (jsonata-core) reports what is
//! wrong but not where, so a small tokenizer that knows strings, comments and brackets finds
//! the place the message is about: the unterminated quote, the unmatched bracket, the operator
//! with nothing on one side, or the end of the expression.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Open(u8),
    Close(u8),
    /// An operator or separator character.
    Op(u8),
    /// A name, number, string, variable: something that can end an operand.
    Value,
}

struct Scan {
    toks: Vec<(Tok, Range<usize>)>,
    /// An opening quote, backquote or comment never closed.
    unterminated: Option<(u8, usize)>,
}

fn scan(src: &str) -> Scan {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut unterminated = None;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'*') => match src[i + 2..].find("*/") {
                Some(e) => i = i + 2 + e + 2,
                None => {
                    unterminated = Some((b'*', i));
                    break;
                }
            },
            b'"' | b'\'' | b'`' => {
                let start = i;
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    if b[i] == b'\\' && c != b'`' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        closed = true;
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                if !closed {
                    unterminated = Some((c, start));
                    break;
                }
                toks.push((Tok::Value, start..i));
            }
            b'(' | b'[' | b'{' => {
                toks.push((Tok::Open(c), i..i + 1));
                i += 1;
            }
            b')' | b']' | b'}' => {
                toks.push((Tok::Close(c), i..i + 1));
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80
                        || (b[i] == b'.'
                            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                            && b[start].is_ascii_digit()))
                {
                    i += 1;
                }
                toks.push((Tok::Value, start..i));
            }
            _ => {
                toks.push((Tok::Op(c), i..i + 1));
                i += 1;
            }
        }
    }
    Scan { toks, unterminated }
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// The first closing bracket with no opener, or the innermost opener never closed.
fn unbalanced(s: &Scan) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let mut stack: Vec<(u8, Range<usize>)> = Vec::new();
    for (t, r) in &s.toks {
        match t {
            Tok::Open(c) => stack.push((*c, r.clone())),
            Tok::Close(c) => match stack.last() {
                Some((o, _)) if closer(*o) == *c => {
                    stack.pop();
                }
                _ => return (Some(r.clone()), None),
            },
            _ => {}
        }
    }
    (None, stack.pop().map(|(_, r)| r))
}

/// The byte range (within `src`) a parser message is about, when it can be found.
pub fn locate(src: &str, message: &str) -> Option<Range<usize>> {
    let s = scan(src);
    let code = message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 5 && w.starts_with('S') && w[1..].chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("");
    let last = || s.toks.last().map(|(_, r)| r.clone());
    match code {
        // Unterminated string, quoted name or comment: the opening quote.
        "S0101" | "S0105" | "S0106" => s.unterminated.map(|(_, at)| at..at + 1),
        // "Expected ) before end": the bracket that was never closed.
        "S0203" => unbalanced(&s).1.or_else(last),
        // Unexpected end: the token that wanted more (a dangling operator or opener).
        "S0207" => unbalanced(&s)
            .1
            .filter(|r| Some(r.clone()) == last())
            .or_else(last),
        // Unexpected token: a stray closer, or the token named in the message.
        "S0201" | "S0202" => {
            if let (Some(r), _) = unbalanced(&s) {
                return Some(r);
            }
            // An operand right after an operand ("1 2"): the second one.
            s.toks
                .windows(2)
                .find(|w| w[0].0 == Tok::Value && w[1].0 == Tok::Value)
                .map(|w| w[1].1.clone())
        }
        // An operator used with nothing before it: the first operator following an operator
        // or an opener.
        "S0211" => {
            let sym = symbol(message)?;
            let mut prev: Option<Tok> = None;
            for (t, r) in &s.toks {
                let is_sym = match t {
                    Tok::Op(c) | Tok::Close(c) | Tok::Open(c) => *c == sym,
                    Tok::Value => false,
                };
                if is_sym && matches!(prev, None | Some(Tok::Op(_)) | Some(Tok::Open(_))) {
                    return Some(r.clone());
                }
                prev = Some(*t);
            }
            None
        }
        "S0214" => s
            .toks
            .iter()
            .find(|(t, _)| *t == Tok::Op(b'@'))
            .map(|(_, r)| r.clone()),
        _ => None,
    }
}

/// The character of a symbol the parser names ("The symbol Plus cannot be used …").
fn symbol(message: &str) -> Option<u8> {
    let name = message.split("symbol ").nth(1)?.split_whitespace().next()?;
    Some(match name {
        "Plus" => b'+',
        "Minus" => b'-',
        "Mult" | "Asterisk" | "Star" => b'*',
        "Div" | "Slash" => b'/',
        "Mod" | "Percent" => b'%',
        "Equal" => b'=',
        "RightBrace" => b'}',
        "RightBracket" => b']',
        "RightParen" => b')',
        "Comma" => b',',
        "Dot" | "Period" => b'.',
        "Ampersand" => b'&',
        "Question" => b'?',
        "Colon" => b':',
        "Semicolon" => b';',
        "LessThan" => b'<',
        "GreaterThan" => b'>',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::locate;

    fn at<'a>(src: &'a str, msg: &str) -> &'a str {
        &src[locate(src, msg).unwrap_or_else(|| panic!("{src}: {msg}"))]
    }

    #[test]
    fn finds_the_place() {
        assert_eq!(
            at(
                "$states.input.total * (1 + ",
                "S0207: Unexpected end of expression"
            ),
            "+"
        );
        let src = "'unterminated";
        assert_eq!(
            locate(src, "S0101: String literal must be terminated"),
            Some(0..1)
        );
        assert_eq!(
            at("a.b]", "Invalid syntax: S0201: Syntax error: RightBracket"),
            "]"
        );
        assert_eq!(at("{\"a\": [1, 2}", "S0201: Syntax error: RightBrace"), "}");
        assert_eq!(
            locate(
                "foo([1, 2",
                "S0203: Expected RightBracket before end of expression"
            ),
            Some(4..5)
        );
        assert_eq!(
            at(
                "$states.input.a + + 2",
                "S0211: The symbol Plus cannot be used as a unary operator"
            ),
            "+"
        );
        assert_eq!(
            locate(
                "$states.input.a + + 2",
                "S0211: The symbol Plus cannot be used as a unary operator"
            ),
            Some(18..19)
        );
        assert_eq!(
            at("a.b.c @ 3", "S0214: Expected a variable reference after @"),
            "@"
        );
        assert_eq!(
            at("1 2", "Invalid syntax: S0201: Syntax error: Number(2.0)"),
            "2"
        );
        // Strings and comments do not confuse it.
        assert_eq!(
            at("'a)' & /* ( */ (b", "S0203: Expected RightParen before end"),
            "("
        );
        assert_eq!(locate("x", "S9999: something else"), None);
    }
}
