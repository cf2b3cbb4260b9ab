//! The batch: every job linted on one thread pool, which this module alone owns, each file's
//! part of the report made on the worker that linted it (see [`crate::cli::parts`]).

use rayon::prelude::*;

use sfn_lint::config::Settings;
use sfn_lint::diagnostic::Summary;
use sfn_lint::diagnostic::fix;
use sfn_lint::lint::{FileReport, lint_bytes, lint_text};
use sfn_lint::render;
use sfn_lint::syntax::Format as SourceFormat;

use super::inputs::{self, Input, Job, Source, Stdin};
use super::settings::Table;
use super::{CheckArgs, Style};
use crate::cli::discover::walk;
use crate::cli::parts::{Place, Shelves};

/// Starts the worker threads, once, before anything runs in parallel: deeply nested (but
/// within limits) definitions recurse in the schema validator, so workers get the main
/// thread's room and more (rayon's own default pool, built on first use, would not).
///
/// This thread is one of the workers: it starts on the files at once instead of waking a
/// worker and sleeping, and one thread fewer is started. The pool is this thread's own, not
/// rayon's global one, whose building waits until every new thread has run: this thread, a
/// worker for as long as the pool lives (for good), goes on to the files and the others join
/// as they start. Should the pool fail to build, rayon's global pool does the work.
pub fn pool() {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(sfn_lint::limits::WORKER_STACK_BYTES)
            .use_current_thread()
            .build()
            .ok()
    });
}

/// What one job came to.
pub enum Outcome {
    /// Linted, its part of the output made on the worker: all the main thread needs of it.
    Part(Entry),
    Linted(Box<Linted>),
    /// A directory named on the command line: its files are found and linted next.
    Dir,
    /// A file met in a directory walk that is not a definition.
    Skipped,
    /// Why the file could not be read (reported, exit 2).
    Failed(String),
    /// The file's `sfn-lint.toml` is broken: a usage error, nothing is reported.
    BadConfig(String),
}

/// One file's report, whether warnings fail the run, and its fix: a file whose part of the
/// output could not be made on the worker (a template, whose references are resolved after
/// linting; fixing; a format that is not written file by file).
pub struct Linted {
    pub report: FileReport,
    pub deny: bool,
    pub fixed: Option<Fixed>,
}

/// A file's part of the report (see `OutputFormat::per_file`), made on the worker, with the
/// counts of the diagnostics it was made from and whether they fail the run: all the main
/// thread needs of them. The report itself is dropped on the worker: a batch need not keep
/// them all.
pub struct Entry {
    pub part: Place,
    pub counts: Summary,
    pub fails: bool,
}

/// A file's fixed text, when fixing changed it.
pub struct Fixed {
    pub path: Option<std::path::PathBuf>,
    pub name: String,
    pub before: String,
    pub after: String,
    pub count: usize,
}

/// The batch's result: the jobs (folders replaced by the files found in them) and their
/// outcomes, in order; the parts made on the workers; the errors that end the run.
pub struct Done {
    pub jobs: Vec<Job>,
    pub outcomes: Vec<Outcome>,
    pub shelves: Shelves,
    pub fatal: Vec<String>,
}

impl Done {
    /// The first broken `sfn-lint.toml` a linted file fell under.
    pub fn bad_config(&self) -> Option<&String> {
        self.outcomes.iter().find_map(|o| match o {
            Outcome::BadConfig(e) => Some(e),
            _ => None,
        })
    }
}

pub struct Batch<'a> {
    args: &'a CheckArgs,
    style: Style,
    stdin: &'a Stdin,
    shelves: Shelves,
    /// Each file's part of the report is rendered on the worker right after linting
    /// (templates excepted: their referenced files are resolved afterwards and change the
    /// report; and not when fixing, whose report is of the fixed text).
    part_on_worker: bool,
}

impl<'a> Batch<'a> {
    pub fn new(args: &'a CheckArgs, style: Style, stdin: &'a Stdin, one_file: bool) -> Self {
        // One shelf per worker and one for this thread. A batch built the pool already
        // (asking rayon first would build a default one).
        let shelves = Shelves::new(if one_file {
            1
        } else {
            rayon::current_num_threads() + 1
        });
        Batch {
            args,
            style,
            stdin,
            shelves,
            part_on_worker: style.format.per_file() && style.fix.is_none(),
        }
    }

    /// Lints the jobs, then the files found in the folders among them, which take their
    /// folder's place, sorted.
    pub fn run(self, jobs: Vec<Job>, table: &mut Table<'_>) -> Done {
        let mut outcomes = self.lint_all(&jobs, &table.list);
        let mut fatal = Vec::new();
        let jobs = if outcomes.iter().any(|o| matches!(o, Outcome::Dir)) {
            self.walk_folders(jobs, &mut outcomes, table, &mut fatal)
        } else {
            jobs
        };
        Done {
            jobs,
            outcomes,
            shelves: self.shelves,
            fatal,
        }
    }

    /// Walks the folders named on the command line and lints what they hold; returns the
    /// jobs with each folder replaced by its files (and `outcomes` likewise).
    fn walk_folders(
        &self,
        jobs: Vec<Job>,
        outcomes: &mut Vec<Outcome>,
        table: &mut Table<'_>,
        fatal: &mut Vec<String>,
    ) -> Vec<Job> {
        let mut walked: Vec<Job> = Vec::new();
        // For each first-pass job: the range of `walked` that replaces it.
        let mut ranges: Vec<Option<std::ops::Range<usize>>> = vec![None; jobs.len()];
        for (k, job) in jobs.iter().enumerate() {
            let (Outcome::Dir, Source::Given(dir)) = (&outcomes[k], &job.source) else {
                continue;
            };
            let found = walk(dir, &job.name, self.args.cdk_out, fatal);
            let start = walked.len();
            walked.extend(found.into_iter().map(|path| Job::walked(path, table)));
            ranges[k] = Some(start..walked.len());
        }
        let second = self.lint_all(&walked, &table.list);
        let mut pairs = walked.into_iter().zip(second);
        let mut merged_jobs = Vec::new();
        let mut merged = Vec::new();
        for (k, (job, outcome)) in jobs.into_iter().zip(outcomes.drain(..)).enumerate() {
            let Some(range) = ranges[k].clone() else {
                merged_jobs.push(job);
                merged.push(outcome);
                continue;
            };
            let before = merged.len();
            for (w, o) in pairs.by_ref().take(range.len()) {
                if !matches!(o, Outcome::Skipped) {
                    merged_jobs.push(w);
                    merged.push(o);
                }
            }
            if merged.len() == before {
                fatal.push(format!("{}: no state machine definitions found (looked for *.asl.json and *.asl.yaml files, JSON/YAML files whose root is a definition or a template with a state machine, and Terraform files with one)", job.name));
            }
        }
        *outcomes = merged;
        merged_jobs
    }

    fn lint_all(&self, jobs: &[Job], settings: &[Result<Settings, String>]) -> Vec<Outcome> {
        if jobs.len() > 1 {
            pool();
            // Pieces of at most four files: rayon splits a range only so far unless its work
            // is stolen, and the main thread (a worker that takes its share first) could be
            // left with a quarter of the batch while the other worker sits idle.
            jobs.par_iter()
                .with_max_len(4)
                .map(|j| self.lint_one(j, settings))
                .collect()
        } else {
            jobs.iter().map(|j| self.lint_one(j, settings)).collect()
        }
    }

    fn lint_one(&self, job: &Job, settings: &[Result<Settings, String>]) -> Outcome {
        let name = &job.name;
        let settings = &settings[job.settings];
        let (bytes, path, picked) = match inputs::read(job, self.stdin) {
            Input::Bytes {
                bytes,
                path,
                picked,
            } => (bytes, path, picked),
            Input::Dir => return Outcome::Dir,
            Input::Skipped => return Outcome::Skipped,
            Input::Failed(e) => return Outcome::Failed(e),
            Input::TooLarge(size) => {
                return match settings {
                    Ok(s) => Outcome::Linted(Box::new(Linted {
                        report: inputs::too_large_report(name, size),
                        deny: s.deny_warnings,
                        fixed: None,
                    })),
                    Err(e) => Outcome::BadConfig(e.clone()),
                };
            }
        };
        let settings = match settings {
            Ok(s) => s,
            Err(e) => return Outcome::BadConfig(e.clone()),
        };
        let report = if picked {
            match sfn_lint::lint::lint_picked(name, &bytes, settings) {
                Some(r) => r,
                None => return Outcome::Skipped,
            }
        } else {
            sfn_lint::lint::lint_owned(name, bytes, settings)
        };
        let fixed = self.style.fix.and_then(|mode| {
            let format = SourceFormat::from_path(name);
            let (after, count) =
                fix::apply_all(&report.text, mode, |t| lint_text(t, format, settings));
            (count > 0).then(|| Fixed {
                path: path.clone(),
                name: name.clone(),
                before: report.text.clone(),
                after,
                count,
            })
        });
        // After fixing, what remains is what the fixed text reports.
        let report = match &fixed {
            Some(f) if self.args.fix => lint_bytes(name, f.after.as_bytes(), settings),
            _ => report,
        };
        if self.part_on_worker && report.references.is_empty() {
            let counts = Summary::of(&report.diagnostics);
            return Outcome::Part(Entry {
                part: self.shelves.push(
                    rayon::current_thread_index().map_or(0, |i| i + 1),
                    &render::part(self.style.format, &report, self.style.color),
                ),
                counts,
                fails: counts.fails(settings.deny_warnings),
            });
        }
        Outcome::Linted(Box::new(Linted {
            report,
            deny: settings.deny_warnings,
            fixed,
        }))
    }
}
