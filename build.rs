//! Two generated sources, and three data files packed (`pack`).
//!
//! 1. The rule registry ([`rule_registry`]): `rules::ALL` and the rule modules, from the
//!    `declare_rule!` calls under `src/rules/`.
//! 2. The schema check: `schemas/asl.schema.json` compiled into Rust, one function per
//!    subschema that reads the spanned tree (`syntax::Document`) directly and answers valid or
//!    not.
//!
//! Why: the runtime validator (`jsonschema`) must be compiled from the schema in every process,
//! which takes longer than checking a small file; the generated code needs nothing at run time
//! (docs/benchmarks.md, "Speed devices", measures what it saves). It answers yes/no only: a
//! "no" is explained by the runtime validator, compiled then. Where its answer could differ from the runtime
//! validator's (a number under `integer`, `minimum` or `maximum` written other than as a plain
//! integer or decimal), it says it is unsure and the runtime validator decides.
//!
//! The generator knows the keywords the schema uses and fails the build on any other, so a
//! schema edit can never be silently ignored. `tests/schema_validators.rs` holds both
//! validators to the same verdicts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

const SCHEMA: &str = "schemas/asl.schema.json";

/// Keywords that do not validate.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "definitions",
];

/// The one `pattern` the schema uses (a JSONata expression), checked without a regex engine.
const JSONATA_PATTERN: &str = "^\\{%[\\s\\S]*%\\}$";

struct Gen {
    /// Emitted functions.
    out: String,
    /// Functions made so far, for unique names.
    count: usize,
    definitions: BTreeMap<String, Value>,
}

/// A generated data file, packed for `include_bytes!` as `src/packed.rs` reads it: each
/// record (a line starting with `head`, and the lines after it starting with one of `body`) has its
/// body deflated on its own, so a run inflates only the records it looks at; the head lines,
/// each with the offset and length of its body, and every other line stay plain text in the
/// index. The text stays readable in the repository; the binary carries a fraction of it.
fn pack(input: &str, head: &str, body: &[&str], name: &str) {
    println!("cargo:rerun-if-changed={input}");
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    let mut index = String::new();
    let mut blocks: Vec<u8> = Vec::new();
    let mut open: Option<(String, String)> = None;
    let mut close = |open: &mut Option<(String, String)>, index: &mut String| {
        if let Some((h, b)) = open.take() {
            let packed = miniz_oxide::deflate::compress_to_vec(b.as_bytes(), 9);
            let _ = writeln!(index, "{h}\t{}\t{}", blocks.len(), packed.len());
            blocks.extend(packed);
        }
    };
    for line in text.lines() {
        if line.starts_with(head) {
            close(&mut open, &mut index);
            open = Some((line.to_string(), String::new()));
        } else if let (true, Some((_, b))) =
            (body.iter().any(|p| line.starts_with(p)), open.as_mut())
        {
            b.push_str(line);
            b.push('\n');
        } else {
            index.push_str(line);
            index.push('\n');
        }
    }
    close(&mut open, &mut index);
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join(format!("{name}.index")), index).expect("OUT_DIR is writable");
    std::fs::write(out.join(format!("{name}.blocks")), blocks).expect("OUT_DIR is writable");
}

fn main() {
    rule_registry();
    pack(
        "data/aws-sdk-catalog.txt",
        "S\t",
        &["O\t", "T\t"],
        "aws-sdk-catalog",
    );
    pack(
        "data/aws-managed-policies.txt",
        "P\t",
        &["A\t"],
        "aws-managed-policies",
    );
    pack("data/iam-actions.txt", "I\t", &["A\t"], "iam-actions");
    println!("cargo:rerun-if-changed={SCHEMA}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(SCHEMA).expect("schemas/asl.schema.json is readable");
    let schema: Value = serde_json::from_str(&text).expect("schemas/asl.schema.json is JSON");
    let definitions = schema
        .get("definitions")
        .and_then(Value::as_object)
        .map(|d| d.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let mut g = Gen {
        out: String::new(),
        count: 0,
        definitions,
    };
    let names: Vec<String> = g.definitions.keys().cloned().collect();
    for name in names {
        let s = g.definitions[&name].clone();
        let body = g.body(&s, &format!("#/definitions/{name}"));
        let _ = writeln!(
            g.out,
            "fn {}(cx: &mut Cx, d: &Document, n: NodeId) -> bool {{\n{body}\n}}\n",
            def_fn(&name)
        );
    }
    let root = g.body(&schema, "#");
    let _ = writeln!(
        g.out,
        "/// The whole schema.\npub(in crate::rules::schema) fn root(cx: &mut Cx, d: &Document, n: NodeId) -> bool {{\n{root}\n}}"
    );
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("asl_schema.rs");
    std::fs::write(dest, g.out).expect("OUT_DIR is writable");
}

fn def_fn(name: &str) -> String {
    let mut s = String::from("def_");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            s.push(c);
        } else {
            s.push('_');
        }
    }
    s
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn number(v: &Value, at: &str, keyword: &str) -> f64 {
    v.as_f64()
        .filter(|f| f.is_finite() && f.abs() < 9.0e15)
        .unwrap_or_else(|| panic!("{at}: `{keyword}` must be a number of magnitude below 9e15"))
}

fn count(v: &Value, at: &str, keyword: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{at}: `{keyword}` must be a non-negative integer"))
}

impl Gen {
    /// A function for a subschema; returns its name (or `None` for a schema that accepts
    /// everything).
    fn function(&mut self, s: &Value, at: &str) -> Option<String> {
        match s {
            Value::Bool(true) => return None,
            Value::Object(o) if o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) => {
                return None;
            }
            _ => {}
        }
        if let Some(name) = s
            .as_object()
            .filter(|o| {
                o.keys()
                    .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()))
            })
            .and_then(|o| o.get("$ref"))
            .and_then(Value::as_str)
        {
            return Some(self.reference(name, at));
        }
        self.count += 1;
        let name = format!("s{}", self.count);
        let body = self.body(s, at);
        let _ = writeln!(
            self.out,
            "// {at}\nfn {name}(cx: &mut Cx, d: &Document, n: NodeId) -> bool {{\n{body}\n}}\n"
        );
        Some(name)
    }

    /// A call of `s`'s check on node expression `node`.
    fn call(&mut self, s: &Value, at: &str, node: &str) -> String {
        match self.function(s, at) {
            Some(f) => format!("{f}(cx, d, {node})"),
            None => "true".to_string(),
        }
    }

    fn reference(&self, r: &str, at: &str) -> String {
        let name = r
            .strip_prefix("#/definitions/")
            .unwrap_or_else(|| panic!("{at}: only `#/definitions/…` references are supported"));
        assert!(
            self.definitions.contains_key(name),
            "{at}: `{r}` names no definition"
        );
        def_fn(name)
    }

    /// The statements checking node `n` against schema `s`, ending in `true`.
    fn body(&mut self, s: &Value, at: &str) -> String {
        let o: &Map<String, Value> = match s {
            Value::Bool(true) => return "true".into(),
            Value::Bool(false) => return "false".into(),
            Value::Object(o) => o,
            _ => panic!("{at}: a schema must be an object or a boolean"),
        };
        let mut b = String::from("    let k = d.kind(n);\n");
        if let Some(r) = o.get("$ref") {
            // Draft 7 ignores a `$ref`'s siblings; the schema must not rely on them.
            for key in o.keys() {
                assert!(
                    key == "$ref" || ANNOTATIONS.contains(&key.as_str()),
                    "{at}: `{key}` beside `$ref` is ignored in draft 7; move it into the definition"
                );
            }
            let f = self.reference(r.as_str().expect("`$ref` is a string"), at);
            let _ = writeln!(b, "    {f}(cx, d, n)");
            return b;
        }
        for key in o.keys() {
            match key.as_str() {
                "type"
                | "enum"
                | "const"
                | "minLength"
                | "maxLength"
                | "pattern"
                | "minimum"
                | "maximum"
                | "properties"
                | "additionalProperties"
                | "required"
                | "minProperties"
                | "items"
                | "minItems"
                | "if"
                | "then"
                | "else"
                | "anyOf" => {}
                k if ANNOTATIONS.contains(&k) => {}
                k => panic!("{at}: keyword `{k}` is not supported by build.rs; teach it there"),
            }
        }
        if let Some(t) = o.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a
                    .iter()
                    .map(|v| v.as_str().expect("`type` lists names"))
                    .collect(),
                _ => panic!("{at}: `type` must be a name or a list of names"),
            };
            let tests: Vec<String> = types
                .iter()
                .map(|t| match *t {
                    "string" => "matches!(k, NodeKind::String(_))".to_string(),
                    "number" => "matches!(k, NodeKind::Number(_))".to_string(),
                    "integer" => "is_integer(cx, d, k)".to_string(),
                    "boolean" => "matches!(k, NodeKind::Bool(_))".to_string(),
                    "null" => "matches!(k, NodeKind::Null)".to_string(),
                    "object" => "matches!(k, NodeKind::Object(_))".to_string(),
                    "array" => "matches!(k, NodeKind::Array(_))".to_string(),
                    other => panic!("{at}: unknown type `{other}`"),
                })
                .collect();
            let _ = writeln!(b, "    if !({}) {{ return false; }}", tests.join(" || "));
        }
        let mut allowed: Vec<String> = Vec::new();
        if let Some(c) = o.get("const") {
            allowed.push(
                c.as_str()
                    .unwrap_or_else(|| panic!("{at}: only string `const` is supported"))
                    .to_string(),
            );
        }
        if let Some(e) = o.get("enum") {
            let values = e.as_array().expect("`enum` is a list");
            let strings: Vec<String> = values
                .iter()
                .map(|v| {
                    v.as_str()
                        .unwrap_or_else(|| panic!("{at}: only string `enum` values are supported"))
                        .to_string()
                })
                .collect();
            if o.contains_key("const") {
                // Both must hold, so the const alone decides; one outside the enum would make
                // the schema accept nothing, which is a mistake in it.
                assert!(
                    allowed.iter().all(|c| strings.contains(c)),
                    "{at}: `const` is not among the `enum` values"
                );
            } else {
                allowed = strings;
            }
        }
        if !allowed.is_empty() {
            let tests: Vec<String> = allowed.iter().map(|a| format!("v == {}", lit(a))).collect();
            let _ = writeln!(
                b,
                "    match k {{ NodeKind::String(s) => {{ let v = d.text(*s); if !({}) {{ return false; }} }} _ => return false }}",
                tests.join(" || ")
            );
        }
        // String keywords.
        let mut string_checks = Vec::new();
        if let Some(v) = o.get("minLength") {
            string_checks.push(format!("min_chars(v, {})", count(v, at, "minLength")));
        }
        if let Some(v) = o.get("maxLength") {
            string_checks.push(format!("max_chars(v, {})", count(v, at, "maxLength")));
        }
        if let Some(p) = o.get("pattern") {
            assert_eq!(
                p.as_str(),
                Some(JSONATA_PATTERN),
                "{at}: only the JSONata pattern {JSONATA_PATTERN} is supported"
            );
            string_checks.push("is_jsonata(v)".to_string());
        }
        if !string_checks.is_empty() {
            let _ = writeln!(
                b,
                "    if let NodeKind::String(s) = k {{ let v = d.text(*s); if !({}) {{ return false; }} }}",
                string_checks.join(" && ")
            );
        }
        // Number keywords: exact on plain literals, unsure on anything else.
        let mut number_checks = Vec::new();
        if let Some(v) = o.get("minimum") {
            number_checks.push(format!("x >= {:?}", number(v, at, "minimum")));
        }
        if let Some(v) = o.get("maximum") {
            number_checks.push(format!("x <= {:?}", number(v, at, "maximum")));
        }
        if !number_checks.is_empty() {
            let _ = writeln!(
                b,
                "    if let NodeKind::Number(t) = k {{ match plain_number(d.text(*t)) {{ Some(x) => if !({}) {{ return false; }}, None => cx.unsure = true }} }}",
                number_checks.join(" && ")
            );
        }
        // Object keywords.
        let object_keywords = [
            "properties",
            "additionalProperties",
            "required",
            "minProperties",
        ];
        if object_keywords.iter().any(|k| o.contains_key(*k)) {
            let _ = writeln!(b, "    if let NodeKind::Object(ms) = k {{");
            if let Some(v) = o.get("minProperties") {
                let _ = writeln!(
                    b,
                    "        if ms.len() < {} {{ return false; }}",
                    count(v, at, "minProperties")
                );
            }
            if let Some(r) = o.get("required") {
                for key in r.as_array().expect("`required` is a list") {
                    let key = key.as_str().expect("`required` lists names");
                    let _ = writeln!(
                        b,
                        "        if !ms.iter().any(|m| d.is(m.key, {})) {{ return false; }}",
                        lit(key)
                    );
                }
            }
            let props: Vec<(String, Value)> = o
                .get("properties")
                .map(|p| {
                    p.as_object()
                        .expect("`properties` is an object")
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let extra = match o.get("additionalProperties") {
                None | Some(Value::Bool(true)) => None,
                Some(Value::Bool(false)) => Some("return false".to_string()),
                Some(s) => {
                    let call = self.call(s, &format!("{at}/additionalProperties"), "m.value");
                    Some(format!("if !{call} {{ return false; }}"))
                }
            };
            if !props.is_empty() || extra.is_some() {
                // Every member once: the document has no duplicate keys (checked by the
                // caller), so the first member with a name is the only one.
                let _ = writeln!(b, "        for m in ms {{");
                let _ = writeln!(b, "            let key = d.key(m);");
                // Names grouped by length, so that a name is compared with a few of its own
                // length instead of every one in turn (a Choice rule allows 50).
                let mut by_len: BTreeMap<usize, Vec<(String, Value)>> = BTreeMap::new();
                for (key, s) in &props {
                    by_len
                        .entry(key.len())
                        .or_default()
                        .push((key.clone(), s.clone()));
                }
                let otherwise = extra.as_deref().unwrap_or("");
                let _ = writeln!(b, "            match key.len() {{");
                for (len, group) in by_len {
                    let _ = writeln!(b, "                {len} => match key {{");
                    for (key, s) in group {
                        let call = self.call(&s, &format!("{at}/properties/{key}"), "m.value");
                        let _ = writeln!(
                            b,
                            "                    {} => if !{call} {{ return false; }},",
                            lit(&key)
                        );
                    }
                    let _ = writeln!(
                        b,
                        "                    _ => {{ {otherwise} }}\n                }},"
                    );
                }
                let _ = writeln!(b, "                _ => {{ {otherwise} }}");
                let _ = writeln!(b, "            }}\n        }}");
            }
            let _ = writeln!(b, "    }}");
        }
        // Array keywords.
        if o.contains_key("items") || o.contains_key("minItems") {
            let _ = writeln!(b, "    if let NodeKind::Array(items) = k {{");
            if let Some(v) = o.get("minItems") {
                let _ = writeln!(
                    b,
                    "        if items.len() < {} {{ return false; }}",
                    count(v, at, "minItems")
                );
            }
            if let Some(s) = o.get("items") {
                assert!(
                    s.is_object() || s.is_boolean(),
                    "{at}: only a single `items` schema is supported"
                );
                let call = self.call(s, &format!("{at}/items"), "i");
                let _ = writeln!(
                    b,
                    "        for &i in items {{ if !{call} {{ return false; }} }}"
                );
            }
            let _ = writeln!(b, "    }}");
        }
        if let Some(cond) = o.get("if") {
            let test = self.call(cond, &format!("{at}/if"), "n");
            let then = o
                .get("then")
                .map(|s| self.call(s, &format!("{at}/then"), "n"))
                .unwrap_or_else(|| "true".into());
            let otherwise = o
                .get("else")
                .map(|s| self.call(s, &format!("{at}/else"), "n"))
                .unwrap_or_else(|| "true".into());
            let _ = writeln!(
                b,
                "    if !(if {test} {{ {then} }} else {{ {otherwise} }}) {{ return false; }}"
            );
        }
        if let Some(any) = o.get("anyOf") {
            let calls: Vec<String> = any
                .as_array()
                .expect("`anyOf` is a list")
                .iter()
                .enumerate()
                .map(|(i, s)| self.call(s, &format!("{at}/anyOf/{i}"), "n"))
                .collect();
            let _ = writeln!(b, "    if !({}) {{ return false; }}", calls.join(" || "));
        }
        b.push_str("    true");
        b
    }
}

/// The rule registry, from the rule files themselves: every `declare_rule!(IDENT { code: …,
/// name: … })` under `src/rules/` becomes an entry of `rules::ALL` (sorted by code), and every
/// file that declares a rule becomes a module of its folder. A rule file and its page are then
/// all a new rule needs. Codes and names must be unique; the build fails otherwise.
fn rule_registry() {
    use std::path::{Path, PathBuf};
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("src/rules is readable")
            .map(|e| e.expect("src/rules is readable").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    fn field<'a>(block: &'a str, key: &str) -> &'a str {
        let at = block
            .find(&format!("{key}:"))
            .unwrap_or_else(|| panic!("declare_rule! without `{key}`:\n{block}"));
        let rest = block[at + key.len() + 1..].trim_start();
        let end = rest.find([',', '\n']).unwrap_or(rest.len());
        rest[..end].trim().trim_matches('"')
    }
    println!("cargo:rerun-if-changed=src/rules");
    let root = Path::new("src/rules");
    let mut files = Vec::new();
    walk(root, &mut files);
    // (code, name, path of the static)
    let mut rules: Vec<(String, String, String)> = Vec::new();
    // folder (relative to src/rules) -> modules that declare rules
    let mut modules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a rule file is readable");
        let rel = file.strip_prefix(root).expect("under src/rules");
        let parts: Vec<String> = rel
            .with_extension("")
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        // src/rules/mod.rs is the registry itself; folder/mod.rs is its folder's module.
        let module: Vec<&str> = parts
            .iter()
            .map(String::as_str)
            .filter(|p| *p != "mod")
            .collect();
        let mut declares = false;
        for (at, _) in text.match_indices("declare_rule!(") {
            if text[..at].ends_with("macro_rules! ") || text[..at].trim_end().ends_with("//") {
                continue;
            }
            let rest = &text[at + "declare_rule!(".len()..];
            let Some(open) = rest.find('{') else { continue };
            let ident = rest[..open].trim();
            if ident.is_empty()
                || !ident
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                continue;
            }
            let block = &rest[open..rest.find('}').expect("declare_rule! closes its braces")];
            let path = module
                .iter()
                .chain([&ident])
                .copied()
                .collect::<Vec<_>>()
                .join("::");
            rules.push((
                field(block, "code").to_string(),
                field(block, "name").to_string(),
                path,
            ));
            declares = true;
        }
        if declares && parts.last().is_some_and(|p| p != "mod") && parts.len() > 1 {
            let folder = parts[..parts.len() - 1].join("/");
            let abs = std::fs::canonicalize(file).expect("a rule file has a path");
            modules.entry(folder).or_default().push((
                parts[parts.len() - 1].clone(),
                abs.to_string_lossy().into_owned(),
            ));
        }
    }
    rules.sort();
    for w in rules.windows(2) {
        assert_ne!(w[0].0, w[1].0, "two rules declare the code {}", w[0].0);
    }
    let mut names: Vec<&str> = rules.iter().map(|r| r.1.as_str()).collect();
    names.sort_unstable();
    for w in names.windows(2) {
        assert_ne!(w[0], w[1], "two rules declare the name {}", w[0]);
    }
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut all = String::from(
        "/// Every rule, sorted by code (generated by build.rs from the rule files).\npub static ALL: &[&Rule] = &[\n",
    );
    for (_, _, path) in &rules {
        let _ = writeln!(all, "    &{path},");
    }
    all.push_str("];\n");
    std::fs::write(out_dir.join("rules_all.rs"), all).expect("OUT_DIR is writable");
    for (folder, mods) in &modules {
        let mut s = String::new();
        for (name, abs) in mods {
            let _ = writeln!(s, "#[path = {abs:?}]\npub mod {name};");
        }
        let dest = out_dir.join(format!("rules_mod_{}.rs", folder.replace('/', "_")));
        std::fs::write(dest, s).expect("OUT_DIR is writable");
    }
}
