//! The library's layers point one way: a module may use only modules of a lower layer, never
//! one of its own layer or above. This test reads `src/` and fails on an upward (or sideways)
//! `crate::` path, naming the file and line, so a circle cannot creep back in. It also keeps
//! `unsafe` out of the library and I/O and printing at its two edges.
//!
//! The layers, lowest first (CONTRIBUTING.md draws the same picture):

use std::path::Path;

const LAYERS: &[&[&str]] = &[
    &["limits", "packed", "source", "suggest"],
    &["syntax"],
    &["diagnostic"],
    &["asl"],
    &["policy", "profile", "template"],
    &["permissions", "plan"],
    &["rules"],
    &["config"],
    &["lint"],
    &["cost"],
    &["render"],
    &["workspace"],
    &["references"],
    &["lsp"],
];

/// The library modules allowed to read files or talk to a connection.
const IO_EDGES: &[&str] = &["references", "workspace", "lsp"];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module of a file under `src/`, or `None` for the crate root and the binary.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main" | "cli" | "alloc")).then_some(name)
}

/// The top-level modules a line's `crate::` paths name (`crate::{a, b::c}` names both).
fn targets(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if at > 0
            && (code.as_bytes()[at - 1].is_ascii_alphanumeric() || code.as_bytes()[at - 1] == b'$')
        {
            continue; // `$crate::` in a macro, `other_crate::`, …
        }
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let mut depth = 0;
                let mut start = 0;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            out.push(ident(&group[start..i]));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push(ident(&group[start..i]));
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
            }
            None => out.push(ident(rest)),
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// Code lines only: comments (doc links may name any module) are skipped.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l))
}

fn library_files() -> Vec<(String, std::path::PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let module = module_of(p.strip_prefix(&src).unwrap())?;
            let text = std::fs::read_to_string(&p).unwrap();
            Some((module, p, text))
        })
        .collect()
}

#[test]
fn every_library_module_has_a_layer() {
    for (module, path, _) in library_files() {
        assert!(
            layer(&module).is_some(),
            "{}: module `{module}` is in no layer of tests/layers.rs; add it where it belongs",
            path.display()
        );
    }
}

#[test]
fn modules_use_only_lower_layers() {
    let mut upward = Vec::new();
    for (module, path, text) in library_files() {
        let Some(own) = layer(&module) else { continue };
        for (line, code) in code_lines(&text) {
            for target in targets(code) {
                if target == module {
                    continue;
                }
                if let Some(theirs) = layer(&target)
                    && theirs >= own
                {
                    upward.push(format!(
                        "{}:{line}: `{module}` (layer {own}) uses `{target}` (layer {theirs})",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "modules may use only lower layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_library_forbids_unsafe_and_keeps_io_at_its_edges() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("#![forbid(unsafe_code)]"),
        "src/lib.rs must forbid unsafe code"
    );
    let mut found = Vec::new();
    for (module, path, text) in library_files() {
        if IO_EDGES.contains(&module.as_str()) {
            continue;
        }
        for (line, code) in code_lines(&text) {
            for what in [
                "std::fs",
                "println!",
                "eprintln!",
                "eprint!",
                "io::stdout",
                "io::stderr",
            ] {
                if code.contains(what) {
                    found.push(format!("{}:{line}: {what}", path.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library does no I/O or printing outside {IO_EDGES:?}:\n{}",
        found.join("\n")
    );
}

/// The checker itself: an upward path is caught, a comment is not.
#[test]
fn the_checker_sees_upward_paths_and_skips_comments() {
    let text = "//! see [`crate::lsp`]\nuse crate::cost::Report;\n";
    let lines: Vec<_> = code_lines(text).collect();
    assert_eq!(lines, vec![(2, "use crate::cost::Report;")]);
    assert_eq!(targets("use crate::cost::Report;"), ["cost"]);
    assert_eq!(
        targets("use crate::{cost::{A, B}, lint};"),
        ["cost", "lint"]
    );
    assert_eq!(targets("$crate::rules::Rule"), Vec::<String>::new());
    assert!(layer("cost") > layer("rules"));
}
