//! The workflows `sfn-lint cost` prices: from the paths given (files, folders, templates with
//! several state machines), read from disk or, for `--compare REV`, from a git revision.

use std::path::{Path, PathBuf};

use sfn_lint::asl::WorkflowType;
use sfn_lint::syntax::Format as SourceFormat;
use sfn_lint::template::{Source, machines_in};

use crate::cli::discover::{describe_io, walk};

/// One workflow's definition text and where it is.
pub struct Unit {
    /// The file that holds it, as shown (a template, for a state machine in one).
    pub file: String,
    /// Its name in the template.
    pub machine: Option<String>,
    /// Where the definition's text is: the file, `file#machine`, or the definition file a
    /// template names.
    pub label: String,
    pub text: String,
    pub format: SourceFormat,
    /// The type the template creates it as.
    pub declared: Option<WorkflowType>,
}

/// A workflow found but not read, and why.
pub struct Unread {
    pub file: String,
    pub machine: Option<String>,
    pub reason: String,
}

/// Where files are read: the working tree, or a git revision (`git show`, no checkout).
pub enum Tree {
    Disk { root: Option<PathBuf> },
    Git { rev: String },
}

impl Tree {
    fn read(&self, path: &str) -> Result<String, String> {
        match self {
            Tree::Disk { .. } => read_file(path),
            Tree::Git { rev } => git(
                Path::new("."),
                &["show", &format!("{rev}:./{}", tidy(path))],
            ),
        }
    }

    /// The files a path stands for: itself, or for a folder the files in it that may be
    /// definitions. `Ok(None)`: the path is a file.
    fn list(&self, path: &str, errors: &mut Vec<String>) -> Result<Option<Vec<String>>, String> {
        match self {
            Tree::Disk { .. } => {
                let p = Path::new(path);
                if !p.is_dir() {
                    return Ok(None);
                }
                Ok(Some(
                    walk(p, path, false, errors)
                        .into_iter()
                        .map(|f| {
                            let shown = f.display().to_string();
                            match shown.strip_prefix("./") {
                                Some(rest) => rest.to_string(),
                                None => shown,
                            }
                        })
                        .collect(),
                ))
            }
            Tree::Git { rev } => {
                let out = git(
                    Path::new("."),
                    &["ls-tree", "-r", "-z", "--name-only", rev, "--", path],
                )?;
                let files: Vec<String> = out
                    .split('\0')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect();
                let tidy_path = tidy(path);
                // The path itself: a file (or nothing, when the revision lacks it).
                if files.len() <= 1 && files.iter().all(|f| tidy(f) == tidy_path) {
                    return Ok(None);
                }
                Ok(Some(
                    files
                        .into_iter()
                        .filter(|f| {
                            let lower = f.to_ascii_lowercase();
                            [".json", ".yaml", ".yml", ".tf"]
                                .iter()
                                .any(|e| lower.ends_with(e))
                                && !f.split('/').any(|c| c == "node_modules" || c == "cdk.out")
                        })
                        .collect(),
                ))
            }
        }
    }

    /// Whether the path exists in this tree (for a git revision: whether it has the file).
    fn has(&self, path: &str) -> bool {
        match self {
            Tree::Disk { .. } => Path::new(path).exists(),
            Tree::Git { rev } => git(
                Path::new("."),
                &["cat-file", "-e", &format!("{rev}:./{}", tidy(path))],
            )
            .is_ok(),
        }
    }
}

/// The workflows the paths hold. A file named on the command line must be a definition or a
/// template with state machines (else an error); files met in a folder are taken when they
/// are, and the rest skipped. A git revision that lacks a named file has no workflow there.
pub fn find(
    tree: &Tree,
    paths: &[String],
    machine: Option<&str>,
) -> Result<(Vec<Unit>, Vec<Unread>), String> {
    let mut units = Vec::new();
    let mut unread = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match tree.list(path, &mut errors)? {
            None => {
                if matches!(tree, Tree::Git { .. }) && !tree.has(path) {
                    continue;
                }
                let text = tree.read(path)?;
                from_file(tree, path, text, true, machine, &mut units, &mut unread)?;
            }
            Some(files) => {
                for f in files {
                    let Ok(text) = tree.read(&f) else { continue };
                    if !sfn_lint::lint::is_checked(&f, &text) {
                        continue;
                    }
                    from_file(tree, &f, text, false, machine, &mut units, &mut unread)?;
                }
            }
        }
    }
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    Ok((units, unread))
}

/// The workflows of one file: itself, or a template's state machines.
fn from_file(
    tree: &Tree,
    path: &str,
    text: String,
    given: bool,
    machine: Option<&str>,
    units: &mut Vec<Unit>,
    unread: &mut Vec<Unread>,
) -> Result<(), String> {
    let Some(machines) = machines_in(path, &text) else {
        units.push(Unit {
            file: path.to_string(),
            machine: None,
            label: path.to_string(),
            format: SourceFormat::from_path(path),
            text,
            declared: None,
        });
        return Ok(());
    };
    let names = || {
        machines
            .iter()
            .map(|(n, _, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if given && machines.is_empty() {
        return Err(format!("{path}: this template holds no state machine"));
    }
    if let Some(want) = machine
        && given
        && !machines.iter().any(|(n, _, _)| n == want)
    {
        return Err(format!(
            "{path}: no state machine `{want}`; it has {}",
            names()
        ));
    }
    for (name, declared, source) in machines {
        if machine.is_some_and(|m| m != name) {
            continue;
        }
        match definition(tree, path, &name, source) {
            Ok((label, text, format)) => units.push(Unit {
                file: path.to_string(),
                machine: Some(name),
                label,
                text,
                format,
                declared,
            }),
            Err(reason) => unread.push(Unread {
                file: path.to_string(),
                machine: Some(name),
                reason,
            }),
        }
    }
    Ok(())
}

/// A template's state machine's definition: inline, or the file it names.
fn definition(
    tree: &Tree,
    path: &str,
    name: &str,
    source: Source,
) -> Result<(String, String, SourceFormat), String> {
    match source {
        Source::Text(t) => Ok((format!("{path}#{name}"), t, SourceFormat::Json)),
        Source::Unreadable(what) => Err(format!(
            "its definition is {what}, which sfn-lint does not read"
        )),
        Source::File(rel) => {
            let base = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let shown = tidy(&base.join(&rel).display().to_string());
            let text = match tree {
                Tree::Disk { root } => {
                    let root = root
                        .as_deref()
                        .and_then(|r| r.canonicalize().ok())
                        .unwrap_or_else(|| sfn_lint::references::repository_root(base));
                    let (_, bytes) = sfn_lint::references::read_contained(base, &rel, &root)
                        .map_err(|refused| {
                            let (what, _) = refused.explain(&root);
                            format!("it names `{rel}` as its definition, {what}")
                        })?;
                    String::from_utf8(bytes).map_err(|_| format!("{shown}: not valid UTF-8"))?
                }
                Tree::Git { .. } => tree.read(&shown)?,
            };
            let format = SourceFormat::from_path(&shown);
            Ok((shown, text, format))
        }
    }
}

/// `a/./b/../c` → `a/c` (paths as git and people name them).
fn tidy(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

pub fn read_file(path: &str) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    if !meta.is_file() {
        return Err(format!("{path}: not a regular file"));
    }
    if meta.len() > sfn_lint::limits::MAX_FILE_BYTES {
        return Err(format!("{path}: larger than the size limit"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{path}: not valid UTF-8 (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Runs git in `dir`; its output, or what it said.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("git could not be run ({e})"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "git says: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Whether `rev` names a commit git knows here.
pub fn is_revision(rev: &str) -> Result<(), String> {
    git(
        Path::new("."),
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .map(|_| ())
    .map_err(|e| format!("it is no file, and not a git revision here ({e})"))
}
