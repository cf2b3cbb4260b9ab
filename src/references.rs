//! Following the definition files templates name (`DefinitionUri`, `file()`, …), inside the
//! repository only. This is one of the library's two I/O edges (with [`crate::lsp`]): the CLI
//! and the language server resolve references the same way. A CI run lints pull requests from strangers, so a reference that leads
//! out of the root (by `..` or a symlink), a device or FIFO, an oversized file, or a file that
//! is not a definition is refused with an error at the reference, and never read or echoed.

use crate::workspace::describe_io;
use std::path::{Component, Path, PathBuf};

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity;
use crate::lint::{FileReport, Reference, lint_bytes};
use crate::rules::syntax::DEFINITION_REFERENCE;

/// Why a referenced file was not read.
#[derive(Debug)]
pub enum Refused {
    Missing { hint: Option<String> },
    Outside,
    NotRegular,
    TooLarge,
    Unreadable(String),
}

impl Refused {
    /// The rest of a sentence ("… names `x` as its definition, `<what>`") and the help.
    pub fn explain(&self, root: &Path) -> (String, &'static str) {
        match self {
            Refused::Missing { hint } => (
                format!(
                    "which does not exist{}",
                    hint.as_ref()
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default()
                ),
                "the path is relative to the template's folder; fix it or add the file",
            ),
            Refused::Outside => (
                format!(
                    "which leads outside the repository root `{}`; it was not read",
                    root.display()
                ),
                "keep definitions inside the repository (a symlink or `..` must not lead out of it), or pass --root",
            ),
            Refused::NotRegular => (
                "which is not a regular file; it was not read".into(),
                "a definition is a JSON or YAML file",
            ),
            Refused::TooLarge => (
                "which is over the size limit; it was not read".into(),
                "AWS accepts definitions up to 1 MB",
            ),
            Refused::Unreadable(e) => (
                format!("which cannot be read: {e}"),
                "check the file's permissions",
            ),
        }
    }
}

/// Reads `rel` (relative to `base`) if it resolves, through `..` and symlinks, to a regular
/// file inside `root` and within the size limit. Returns its canonical path and bytes.
pub fn read_contained(base: &Path, rel: &str, root: &Path) -> Result<(PathBuf, Vec<u8>), Refused> {
    let canonical = base
        .join(rel)
        .canonicalize()
        .map_err(|_| Refused::Missing {
            hint: suggest(base, rel),
        })?;
    if !canonical.starts_with(root) {
        return Err(Refused::Outside);
    }
    let meta = std::fs::metadata(&canonical).map_err(|e| Refused::Unreadable(describe_io(&e)))?;
    if !meta.is_file() {
        return Err(Refused::NotRegular);
    }
    if meta.len() > crate::limits::MAX_FILE_BYTES {
        return Err(Refused::TooLarge);
    }
    let bytes = std::fs::read(&canonical).map_err(|e| Refused::Unreadable(describe_io(&e)))?;
    Ok((canonical, bytes))
}

/// The nearest ancestor holding `.git`, else the directory itself.
pub fn repository_root(dir: &Path) -> PathBuf {
    let abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    abs.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(abs)
}

/// `a/./b/../c` → `a/c`, without touching the file system (for display names).
fn tidy(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Suggests an existing path for a missing one: the first missing component, corrected by
/// did-you-mean against its directory's entries.
fn suggest(base: &Path, rel: &str) -> Option<String> {
    let mut dir = base.to_path_buf();
    let parts: Vec<&str> = rel
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let next = dir.join(part);
        if next.exists() {
            dir = next;
            continue;
        }
        let names: Vec<String> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let fix = crate::suggest::did_you_mean(part, names.iter().map(|s| s.as_str()))?;
        let mut fixed: Vec<&str> = parts[..i].to_vec();
        fixed.push(fix);
        fixed.extend(&parts[i + 1..]);
        let candidate = fixed.join("/");
        return base.join(&candidate).exists().then_some(candidate);
    }
    None
}

pub struct Resolved {
    /// Errors at the references, for the template's report.
    pub diagnostics: Vec<Diagnostic>,
    /// The referenced definitions' own reports, with their canonical paths.
    pub reports: Vec<(PathBuf, FileReport)>,
}

/// What a run has already linted of the definition files templates name, so that a file
/// that many templates name is linted once per workflow type, substitutions and settings
/// (500 templates naming one file linted it 500 times).
#[derive(Default)]
pub struct Memo {
    errors: rustc_hash::FxHashMap<MemoKey, usize>,
}

type MemoKey = (
    PathBuf,
    Option<crate::asl::WorkflowType>,
    Option<Vec<String>>,
    usize,
);

/// Resolves and lints the references of one template. `settings_key` tells settings apart in
/// `memo` (the caller's index of the configuration in force); a file already linted with the
/// same key is not linted again, and its report is not returned again.
pub fn resolve(
    template_name: &str,
    template_path: Option<&Path>,
    refs: &[Reference],
    root: Option<&Path>,
    settings: &Settings,
    memo: &mut Memo,
    settings_key: usize,
) -> Resolved {
    let mut out = Resolved {
        diagnostics: Vec::new(),
        reports: Vec::new(),
    };
    let base = template_path
        .and_then(Path::parent)
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let display_base = Path::new(template_name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let root = root
        .and_then(|r| r.canonicalize().ok())
        .unwrap_or_else(|| repository_root(&base));
    let severity = settings.severity(&DEFINITION_REFERENCE);
    let mut role_diags = Vec::new();
    for r in refs {
        let mut err = |message: String, help: &str| {
            if let Some(sev) = severity {
                let mut d =
                    Diagnostic::new(&DEFINITION_REFERENCE, message, r.span, r.pointer.clone())
                        .help(help.to_string());
                d.severity = sev;
                out.diagnostics.push(d);
            }
        };
        let (canonical, bytes) = match read_contained(&base, &r.path, &root) {
            Ok(found) => found,
            Err(refused) => {
                let (what, help) = refused.explain(&root);
                err(
                    format!(
                        "`{}` names `{}` as its definition, {what}",
                        r.machine, r.path
                    ),
                    help,
                );
                continue;
            }
        };
        // Never echo a file that is not a definition (a key, a password file, …).
        if memchr::memmem::find(&bytes, b"StartAt").is_none()
            || memchr::memmem::find(&bytes, b"States").is_none()
        {
            err(
                format!(
                    "`{}` names `{}` as its definition, which is not a state machine definition (no `StartAt` and `States`); its content is not shown",
                    r.machine, r.path
                ),
                "point the reference at the definition file",
            );
            continue;
        }
        // The calls of the definition against the role the template gives it (SFN607), in the
        // template's report, at the reference.
        if let Some(role) = &r.role
            && let Ok(text) = std::str::from_utf8(&bytes)
            && let Ok(def) =
                crate::lint::read_definition(text, crate::syntax::Format::from_path(&r.path))
        {
            let rule = &crate::rules::integrations::role_lacks_permission::RULE;
            if let Some(sev) = settings.severity(rule) {
                let policy = crate::policy::of(&def, crate::policy::Options::default());
                let whose = format!("in `{}`", r.path);
                role_diags.extend(
                    crate::lint::role_findings(
                        &policy,
                        role,
                        &crate::lint::Place::Definition(r.span, &r.pointer, &whose),
                    )
                    .into_iter()
                    .map(|mut d| {
                        d.severity = sev;
                        d
                    }),
                );
            }
        }
        let key = (
            canonical.clone(),
            r.workflow_type,
            r.substitutions.clone(),
            settings_key,
        );
        let (errors, report) = match memo.errors.get(&key) {
            Some(&errors) => (errors, None),
            None => {
                let mut s = settings.clone();
                if r.workflow_type.is_some() {
                    s.workflow_type = r.workflow_type;
                }
                s.substitutions = r.substitutions.clone();
                let name = tidy(&display_base.join(&r.path)).display().to_string();
                let report = lint_bytes(&name, &bytes, &s);
                let errors = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                memo.errors.insert(key, errors);
                (errors, Some(report))
            }
        };
        if errors > 0 {
            err(
                format!(
                    "the definition of `{}` (`{}`) has {errors} error{}, reported in that file",
                    r.machine,
                    r.path,
                    if errors == 1 { "" } else { "s" }
                ),
                "fix the errors in the definition file",
            );
        }
        if let Some(report) = report {
            out.reports.push((canonical, report));
        }
    }
    out.diagnostics.extend(role_diags);
    out
}
