//! JSONPath as Step Functions accepts it, with byte offsets for errors.
//!
//! Two grammars:
//! - a *reference path* (ResultPath, ItemsPath, the `…Path` fields, Choice `Variable`) names
//!   one node: `$`, then `.name`, `['name']` or `[index]` steps — no wildcards, filters,
//!   slices or recursive descent;
//! - a *path* (InputPath, OutputPath, `.$` values) may use all of Jayway JsonPath, which AWS
//!   implements: `*`, `..`, slices, unions and filters. AWS is lenient where RFC 9535 is not
//!   (`$.[0]`, `$.a.[0].b`, `$.detail-type`), and so is this parser.

/// A syntax error at a byte range of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

fn err<T>(message: impl Into<String>, range: std::ops::Range<usize>) -> Result<T, PathError> {
    Err(PathError {
        message: message.into(),
        range,
    })
}

/// One step of a parsed path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Name(String),
    Index(i64),
    /// Anything a reference path may not have: a wildcard, filter, slice, union or `..`.
    Complex(&'static str),
}

/// A parsed path: whether it is rooted at the context object (`$$`), and its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub context: bool,
    pub steps: Vec<(Step, std::ops::Range<usize>)>,
}

impl Path {
    /// The first step a reference path may not contain.
    pub fn first_complex(&self) -> Option<(&'static str, std::ops::Range<usize>)> {
        self.steps.iter().find_map(|(s, r)| match s {
            Step::Complex(what) => Some((*what, r.clone())),
            _ => None,
        })
    }

    /// The leading names, e.g. `["Execution", "Input"]` for `$$.Execution.Input.x`.
    pub fn names(&self) -> Vec<&str> {
        self.steps
            .iter()
            .map_while(|(s, _)| match s {
                Step::Name(n) => Some(n.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn is_name_char(c: char) -> bool {
    !matches!(
        c,
        '.' | '[' | ']' | '(' | ')' | ',' | '\'' | '"' | '*' | '?' | '@' | '$'
    ) && !c.is_whitespace()
}

/// Parses a path (the lenient, full grammar).
pub fn parse(src: &str) -> Result<Path, PathError> {
    let b = src.as_bytes();
    if !src.starts_with('$') {
        return err(
            "a path starts with `$`",
            0..src.chars().next().map_or(0, char::len_utf8),
        );
    }
    let mut pos = 1;
    let context = src[1..].starts_with('$');
    if context {
        pos = 2;
    }
    let mut steps = Vec::new();
    while pos < b.len() {
        let start = pos;
        match b[pos] {
            b'.' => {
                pos += 1;
                if pos < b.len() && b[pos] == b'.' {
                    // Recursive descent: `..name` or `..*` or `..[`.
                    pos += 1;
                    steps.push((Step::Complex("recursive descent `..`"), start..pos));
                    if pos < b.len() && b[pos] == b'[' {
                        continue;
                    }
                }
                if pos >= b.len() {
                    return err("a path cannot end with `.`", start..pos);
                }
                match b[pos] {
                    b'*' => {
                        pos += 1;
                        steps.push((Step::Complex("a wildcard `*`"), start..pos));
                    }
                    // Lenient `$.[0]` and `$.a.['b']`: the dot is ignored.
                    b'[' => continue,
                    _ => {
                        let name_end = src[pos..]
                            .char_indices()
                            .find(|(_, c)| !is_name_char(*c))
                            .map_or(src.len(), |(i, _)| pos + i);
                        if name_end == pos {
                            let c = src[pos..].chars().next().unwrap_or(' ');
                            return err(
                                format!("expected a field name after `.`, found `{c}`"),
                                pos..pos + c.len_utf8(),
                            );
                        }
                        let name = &src[pos..name_end];
                        pos = name_end;
                        if pos < b.len() && b[pos] == b'(' {
                            // Jayway functions such as `.length()`.
                            let close = src[pos..].find(')').map(|i| pos + i + 1);
                            let Some(close) = close else {
                                return err("unclosed `(`", pos..src.len());
                            };
                            pos = close;
                            steps.push((Step::Complex("a function call"), start..pos));
                        } else {
                            steps.push((Step::Name(name.to_string()), start..pos));
                        }
                    }
                }
            }
            b'[' => {
                let close = bracket_end(src, pos)?;
                let inner = src[pos + 1..close - 1].trim();
                let step = if let Some(q) = quoted(inner) {
                    Step::Name(q)
                } else if !inner.is_empty()
                    && inner
                        .trim_start_matches('-')
                        .bytes()
                        .all(|c| c.is_ascii_digit())
                    && inner != "-"
                {
                    Step::Index(inner.parse().unwrap_or(0))
                } else if inner.starts_with('?') {
                    Step::Complex("a filter `[?(…)]`")
                } else if inner.starts_with('(') {
                    // Jayway's script expression, such as `[(@.length-1)]`.
                    Step::Complex("a script expression `[(…)]`")
                } else if inner == "*" {
                    Step::Complex("a wildcard `[*]`")
                } else if inner.contains(':') {
                    Step::Complex("a slice `[a:b]`")
                } else if inner.contains(',') {
                    Step::Complex("a union `[a,b]`")
                } else if inner.is_empty() {
                    return err("empty brackets `[]`", pos..close);
                } else {
                    return err(
                        format!(
                            "`[{inner}]` is not an index, a quoted name, a wildcard, a slice or a filter"
                        ),
                        pos..close,
                    );
                };
                steps.push((step, pos..close));
                pos = close;
            }
            // Trailing whitespace is trimmed by AWS's engine (deployed paths end in a space).
            _ if src[pos..].trim().is_empty() => break,
            _ => {
                let c = src[pos..].chars().next().unwrap_or(' ');
                return err(
                    format!("unexpected `{c}`; steps start with `.` or `[`"),
                    pos..pos + c.len_utf8(),
                );
            }
        }
    }
    Ok(Path { context, steps })
}

/// The byte just past the `]` matching the `[` at `open`, skipping quotes and parentheses.
fn bracket_end(src: &str, open: usize) -> Result<usize, PathError> {
    let b = src.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'[' | b'(' => depth += 1,
                b']' | b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(i + 1);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    err(
        if quote.is_some() {
            "unterminated quote inside `[…]`"
        } else {
            "unclosed `[`"
        },
        open..src.len(),
    )
}

fn quoted(s: &str) -> Option<String> {
    let q = s.chars().next()?;
    if (q == '\'' || q == '"') && s.len() >= 2 && s.ends_with(q) {
        Some(s[1..s.len() - 1].to_string())
    } else {
        None
    }
}

/// Parses a reference path: a path with only name and index steps.
pub fn parse_reference(src: &str) -> Result<Path, PathError> {
    let p = parse(src)?;
    if let Some((what, range)) = p.first_complex() {
        return err(
            format!("a reference path must name a single node; {what} is not allowed here"),
            range,
        );
    }
    Ok(p)
}

/// The fields of the context object (`$$`), two levels deep; deeper paths under `Input`,
/// `Map.Item.Value` and the like are free.
pub const CONTEXT: &[(&str, &[&str])] = &[
    (
        "Execution",
        &[
            "Id",
            "Input",
            "Name",
            "RoleArn",
            "StartTime",
            "RedriveCount",
            "RedriveTime",
        ],
    ),
    ("State", &["EnteredTime", "Name", "RetryCount"]),
    ("StateMachine", &["Id", "Name"]),
    ("Task", &["Token"]),
    ("Map", &["Item"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_expressions_and_trailing_whitespace_parse() {
        assert!(parse("$.a[(@.length-1)]").is_ok());
        assert!(parse("$.a ").is_ok());
        assert!(parse_reference("$.a.b  ").is_ok());
        assert!(parse_reference("$.a[(@.length-1)]").is_err());
        assert!(parse("$.a b").is_err());
    }

    #[test]
    fn lenient_paths_parse() {
        for p in [
            "$",
            "$$",
            "$.a.b",
            "$.a[0].b",
            "$['a b']",
            "$.[0]",
            "$.a.[0].b",
            "$.detail-type",
            "$..price",
            "$.items[*]",
            "$.items[?(@.price > 10)]",
            "$.a[0:2]",
            "$.ünï",
            "$.list.length()",
            "$[?(@.id == $.agent_id)]",
            "$.[*].['bucket', 'key']",
            "$$.Execution.Input.x",
            "$.GetQueryResults.ResultSet.Rows[1:]",
        ] {
            assert!(parse(p).is_ok(), "{p}: {:?}", parse(p));
        }
    }

    #[test]
    fn bad_paths_fail_at_the_right_place() {
        assert_eq!(parse("$.a.").unwrap_err().range, 3..4);
        assert_eq!(parse("a.b").unwrap_err().range, 0..1);
        assert_eq!(parse("$.a[0").unwrap_err().range, 3..5);
        assert_eq!(parse("$.a b").unwrap_err().range, 3..4);
        assert!(parse("$.a[]").is_err());
    }

    #[test]
    fn reference_paths() {
        assert!(parse_reference("$.a['b'][3]").is_ok());
        let e = parse_reference("$.items[*].id").unwrap_err();
        assert_eq!(e.range, 7..10);
        assert!(parse_reference("$..a").is_err());
        assert!(parse_reference("$.a[?(@.x)]").is_err());
    }
}
