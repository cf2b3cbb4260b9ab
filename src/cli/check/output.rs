//! The batch's outcomes into the report: each file once, templates' referenced files linted
//! in their template's context, fixes written or shown, the report written, the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sfn_lint::diagnostic::Summary;
use sfn_lint::diagnostic::fix;
use sfn_lint::lint::{FileReport, has_failures};
use sfn_lint::render;

use super::batch::{Done, Entry, Fixed, Linted, Outcome};
use super::settings::Table;
use super::{CheckArgs, Style};
use crate::cli::discover::describe_io;
use crate::cli::parts::{self, Parts};
use crate::cli::{EXIT_ERROR, EXIT_FINDINGS};

/// What the output is made of, in order: parts made on the workers, and reports.
enum Item {
    Part(Entry),
    Report(FileReport),
}

/// The report's items, whether they fail the run, and the fixes found.
struct Gathered {
    items: Vec<Item>,
    failed: bool,
    fixes: Vec<Fixed>,
}

pub fn finish(args: &CheckArgs, style: Style, table: &Table<'_>, done: Done) -> ExitCode {
    let Done {
        jobs,
        outcomes,
        shelves,
        mut fatal,
    } = done;
    let Gathered {
        items,
        failed,
        fixes,
    } = gather(args, table, &jobs, outcomes, &mut fatal);
    if args.diff {
        return show_fixes(&fixes, &fatal);
    }
    let mut applied = 0;
    for f in &fixes {
        match &f.path {
            Some(p) => match crate::cli::files::write_atomic(p, f.after.as_bytes()) {
                Ok(()) => applied += f.count,
                Err(e) => fatal.push(format!(
                    "{}: could not write the fix: {}",
                    f.name,
                    describe_io(&e)
                )),
            },
            // Standard input: the fixed text goes to standard output, in place of a report.
            None => {
                let _ = std::io::stdout().write_all(f.after.as_bytes());
                // Fixing makes no parts on the workers: standard input's is a report.
                let fails = match items.first() {
                    Some(Item::Report(r)) => has_failures(&r.diagnostics, args.deny_warnings),
                    Some(Item::Part(e)) => e.fails,
                    None => false,
                };
                return ExitCode::from(if fails { EXIT_FINDINGS } else { 0 });
            }
        }
    }
    if args.fix {
        eprintln!(
            "fixed {applied} problem{}",
            if applied == 1 { "" } else { "s" }
        );
    }
    if !items.is_empty() || fatal.is_empty() {
        write_report(style, items, &shelves.into_parts());
    }
    for e in &fatal {
        eprintln!("error: {e}");
    }
    if !fatal.is_empty() {
        ExitCode::from(EXIT_ERROR)
    } else if failed && !args.exit_zero {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The outcomes as report items: the same file named twice once, templates' references
/// resolved, and the definition files they name in place of a plain run over them.
fn gather(
    args: &CheckArgs,
    table: &Table<'_>,
    jobs: &[super::inputs::Job],
    outcomes: Vec<Outcome>,
    fatal: &mut Vec<String>,
) -> Gathered {
    let mut items = Vec::new();
    let mut failed = false;
    let mut fixes = Vec::new();
    // Paths are compared as written (plus a leading `./`): resolving every path through the
    // file system costs more than it saves.
    let mut seen: rustc_hash::FxHashSet<&Path> = rustc_hash::FxHashSet::default();
    // Definition files that templates name are linted in the template's context (its
    // workflow type and substitutions), once, and replace a plain run over the same file.
    let mut referenced: Vec<(PathBuf, FileReport, bool)> = Vec::new();
    let mut memo = sfn_lint::references::Memo::default();
    for (outcome, job) in outcomes.into_iter().zip(jobs) {
        let path = job.path();
        if let Some(p) = path
            && !seen.insert(p.strip_prefix(".").unwrap_or(p))
        {
            continue;
        }
        match outcome {
            Outcome::Part(entry) => {
                failed |= entry.fails;
                items.push((path, Item::Part(entry)));
            }
            Outcome::Linted(linted) => {
                let Linted {
                    mut report,
                    deny,
                    fixed,
                } = *linted;
                if !report.references.is_empty() {
                    let refs = std::mem::take(&mut report.references);
                    // Only files linted under a loaded config get here.
                    let Ok(settings) = &table.list[job.settings] else {
                        continue;
                    };
                    let resolved = sfn_lint::references::resolve(
                        &report.path,
                        path.map(PathBuf::as_path),
                        &refs,
                        args.root.as_deref(),
                        settings,
                        &mut memo,
                        job.settings,
                    );
                    report.diagnostics.extend(resolved.diagnostics);
                    report
                        .diagnostics
                        .sort_by_key(|d| (d.span.start, d.span.end, d.rule.code));
                    for (canonical, r) in resolved.reports {
                        if !referenced.iter().any(|(c, _, _)| *c == canonical) {
                            referenced.push((canonical, r, deny));
                        }
                    }
                }
                failed |= has_failures(&report.diagnostics, deny);
                items.push((path, Item::Report(report)));
                fixes.extend(fixed);
            }
            Outcome::Failed(e) => fatal.push(e),
            Outcome::Dir | Outcome::Skipped | Outcome::BadConfig(_) => {}
        }
    }
    let mut items: Vec<Item> = items
        .into_iter()
        .filter(|(path, _)| {
            // Resolving a path costs system calls: only when templates named files.
            referenced.is_empty() || {
                let canonical = path.as_ref().and_then(|p| p.canonicalize().ok());
                !referenced
                    .iter()
                    .any(|(c, _, _)| Some(c) == canonical.as_ref())
            }
        })
        .map(|(_, item)| item)
        .collect();
    for (_, r, deny) in referenced {
        failed |= has_failures(&r.diagnostics, deny);
        items.push(Item::Report(r));
    }
    Gathered {
        items,
        failed,
        fixes,
    }
}

/// `--diff`: the fixes as a unified diff, nothing written.
fn show_fixes(fixes: &[Fixed], fatal: &[String]) -> ExitCode {
    let mut out = String::new();
    for f in fixes {
        out.push_str(&fix::unified_diff(&f.name, &f.before, &f.after));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    for e in fatal {
        eprintln!("error: {e}");
    }
    let n: usize = fixes.iter().map(|f| f.count).sum();
    eprintln!(
        "{n} fix{} available in {} file{}",
        if n == 1 { "" } else { "es" },
        fixes.len(),
        if fixes.len() == 1 { "" } else { "s" }
    );
    ExitCode::from(if !fatal.is_empty() {
        EXIT_ERROR
    } else if fixes.is_empty() {
        0
    } else {
        EXIT_FINDINGS
    })
}

fn write_report(style: Style, items: Vec<Item>, shelves: &[Parts]) {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // A closed pipe (`| head`) is not an error worth a panic: write errors are ignored.
    if style.format.per_file() {
        // Only templates' parts are left to make (their references were resolved after
        // linting); they are few.
        let mut summary = Summary::default();
        let made: Vec<std::borrow::Cow<'_, [u8]>> = items
            .iter()
            .map(|item| match item {
                Item::Part(e) => {
                    summary.merge(e.counts);
                    parts::get(shelves, &e.part).into()
                }
                Item::Report(r) => {
                    summary.add(&r.diagnostics);
                    render::part(style.format, r, style.color).into()
                }
            })
            .collect();
        let _ = render::write_parts(style.format, summary, &made, &mut stdout);
        // The process ends here: freeing every report one by one would only delay the exit.
        std::mem::forget(items);
    } else {
        // Parts are made on the workers only for formats written file by file.
        let reports: Vec<FileReport> = items
            .into_iter()
            .filter_map(|i| match i {
                Item::Report(r) => Some(r),
                Item::Part(_) => None,
            })
            .collect();
        let _ = stdout.write_all(render::render(style.format, &reports, style.color).as_bytes());
        // The process ends here: freeing every report one by one would only delay the exit.
        std::mem::forget(reports);
    }
    let _ = stdout.flush();
}
