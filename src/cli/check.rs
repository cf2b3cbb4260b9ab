//! `sfn-lint check`.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;

use sfn_lint::config::{Config, Settings};
use sfn_lint::diagnostic::Diagnostic;
use sfn_lint::diagnostic::fix::{self, Mode};
use sfn_lint::limits::MAX_FILE_BYTES;
use sfn_lint::lint::lint_text;
use sfn_lint::lint::{FileReport, has_failures, lint_bytes};
use sfn_lint::render::{self, OutputFormat};
use sfn_lint::rules::syntax::RESOURCE_LIMIT;
use sfn_lint::source::Span;
use sfn_lint::syntax::Format as SourceFormat;

use super::discover::{describe_io, walk};
use super::parts::{self, Place, Shelves};
use super::{Color, EXIT_ERROR, EXIT_FINDINGS, Format};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum WorkflowTypeArg {
    Standard,
    Express,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to colour text output (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Run only these rules (codes, prefixes like SFN1, names, categories, or ALL).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report these rules as warnings.
    #[arg(long, value_delimiter = ',')]
    warn: Vec<String>,
    /// The workflow type to check against (default: standard, or `type` in sfn-lint.toml).
    #[arg(long = "type", value_enum)]
    workflow_type: Option<WorkflowTypeArg>,
    /// Apply safe fixes to the files (atomically), then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff, apply unsafe fixes too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the changes --fix would make as a unified diff, without writing; exit 1 if any.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Exit 1 on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Exit 0 even when errors are found.
    #[arg(long)]
    exit_zero: bool,
    /// The file name to report (and pick JSON or YAML by) for standard input.
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Use this config file instead of searching for sfn-lint.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore any sfn-lint.toml.
    #[arg(long)]
    isolated: bool,
    /// Also read CDK's synthesized templates in `cdk.out` folders (skipped by default).
    #[arg(long)]
    cdk_out: bool,
    /// The folder that files named by templates (DefinitionUri, file(), …) must stay inside
    /// (default: the nearest folder with `.git`, else the template's folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// A usage profile (as for `sfn-lint cost`): its Map item counts and result sizes feed the
    /// payload estimate (SFN413).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Milliseconds one definition's checks may take before the rest are skipped and reported
    /// as `analysis-incomplete` (SFN009); 0 = no limit.
    #[arg(long, value_name = "MS", default_value_t = sfn_lint::limits::DEFAULT_TIME_BUDGET_MS)]
    time_budget: u64,
}

/// A config file that failed to parse, rendered by miette with the offending span.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid config: {message}")]
#[diagnostic(
    code(sfn_lint::config),
    help(
        "see the Configuration section of the README; schemas/sfn-lint.config.schema.json describes every key"
    )
)]
struct ConfigReport {
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: Option<miette::SourceSpan>,
}

/// Finds `sfn-lint.toml` in `dir` or its ancestors.
fn find_config(dir: &Path) -> Option<PathBuf> {
    let abs = dir.canonicalize().ok()?;
    abs.ancestors()
        .map(|d| d.join("sfn-lint.toml"))
        .find(|p| p.is_file())
}

fn load_config(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {}", path.display(), describe_io(&e)))?;
    Config::parse(&text).map_err(|e| {
        let report = miette::Report::new(ConfigReport {
            message: e.message.clone(),
            src: miette::NamedSource::new(path.display().to_string(), text.clone()),
            span: e.span.map(|r| (r.start, r.end - r.start).into()),
        });
        format!("{report:?}")
    })
}

/// The settings in play, one entry per directory's config (or one for all, with `--config`
/// or `--isolated`). A config that fails to load is kept as its error, raised only if a file
/// is linted under it.
struct SettingsTable<'a> {
    args: &'a CheckArgs,
    explicit: Option<Config>,
    profile: Option<sfn_lint::profile::Profile>,
    by_dir: HashMap<PathBuf, usize>,
    list: Vec<Result<Settings, String>>,
}

impl<'a> SettingsTable<'a> {
    fn new(
        args: &'a CheckArgs,
        explicit: Option<Config>,
        profile: Option<sfn_lint::profile::Profile>,
    ) -> Self {
        SettingsTable {
            args,
            explicit,
            profile,
            by_dir: HashMap::new(),
            list: Vec::new(),
        }
    }

    fn index(&mut self, dir: &Path) -> usize {
        let shared = self.args.isolated || self.explicit.is_some();
        let key = if shared {
            PathBuf::new()
        } else {
            dir.to_path_buf()
        };
        if let Some(&i) = self.by_dir.get(&key) {
            return i;
        }
        let config = if self.args.isolated {
            Ok(None)
        } else if self.explicit.is_some() {
            Ok(self.explicit.clone())
        } else {
            find_config(dir).map(|p| load_config(&p)).transpose()
        };
        let settings = config.map(|c| settings_for(c.as_ref(), self.args, self.profile.as_ref()));
        self.list.push(settings);
        self.by_dir.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The folder a path's config is looked up from.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn settings_for(
    config: Option<&Config>,
    args: &CheckArgs,
    profile: Option<&sfn_lint::profile::Profile>,
) -> Settings {
    let mut s = config.map(Settings::from_config).unwrap_or_default();
    s.profile = profile.cloned();
    s.merge_cli(&args.select, &args.ignore, &args.warn);
    s.deny_warnings |= args.deny_warnings;
    s.time_budget =
        (args.time_budget > 0).then(|| std::time::Duration::from_millis(args.time_budget));
    if let Some(t) = args.workflow_type {
        s.workflow_type = Some(match t {
            WorkflowTypeArg::Standard => sfn_lint::asl::WorkflowType::Standard,
            WorkflowTypeArg::Express => sfn_lint::asl::WorkflowType::Express,
        });
    }
    s
}

/// Reads at most the size limit; a larger input becomes a diagnostic, never a huge buffer.
/// `size_hint` (a file's length) sizes the buffer, so a file is read in one call instead of
/// a series of growing reads and a probe for the end.
fn read_limited(
    reader: &mut dyn Read,
    size_hint: Option<u64>,
) -> std::io::Result<Result<Vec<u8>, u64>> {
    let mut buf = Vec::new();
    match size_hint.filter(|n| *n > 0 && *n <= MAX_FILE_BYTES) {
        // A file of known length: read that many bytes, usually in one call, without the
        // probe reads for the end that `read_to_end` makes. What the file held when its
        // length was taken is what is linted; a file still being written is torn either way.
        Some(len) => {
            buf.resize(len as usize, 0);
            let mut filled = 0;
            while filled < buf.len() {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            buf.truncate(filled);
        }
        None => {
            reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf)?;
        }
    }
    if buf.len() as u64 > MAX_FILE_BYTES {
        Ok(Err(buf.len() as u64))
    } else {
        Ok(Ok(buf))
    }
}

/// What one path came to.
enum Outcome {
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
struct Linted {
    report: FileReport,
    deny: bool,
    fixed: Option<Fixed>,
}

/// A file's part of the report (see `OutputFormat::per_file`), made on the worker, with the
/// counts of the diagnostics it was made from and whether they fail the run: all the main
/// thread needs of them. The report itself is dropped on the worker: a batch need not keep
/// them all, and the main thread's gathering of 500 outcomes then reads a few words each
/// instead of the reports the other thread wrote (0.32 -> 0.17 ms of the serial tail).
struct Entry {
    part: Place,
    counts: sfn_lint::diagnostic::Summary,
    fails: bool,
}

/// What the output is made of, in order: parts made on the workers, and reports.
enum Item {
    Part(Entry),
    Report(FileReport),
}

/// Where a file to lint comes from.
enum Source {
    /// Named on the command line: a file, or a directory to walk. Nothing is looked up
    /// before the workers open it: a batch's paths cost one `open` each, not a `stat` too.
    Given(PathBuf),
    /// Met in a directory walk: linted when its name or content makes it a definition.
    Walked(PathBuf),
    Stdin,
}

struct Job {
    name: String,
    source: Source,
    /// Index into the settings table (one entry per config in play).
    settings: usize,
}

/// Opens a path for reading, with its metadata. A FIFO named by mistake must not hang the
/// run: it is opened without waiting for a writer, then refused as not a regular file.
fn open_path(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// A file's fixed text, when fixing changed it.
struct Fixed {
    path: Option<PathBuf>,
    name: String,
    before: String,
    after: String,
    count: usize,
}

fn too_large(path: &str, size: u64, settings: &Result<Settings, String>) -> Outcome {
    match settings {
        Ok(s) => Outcome::Linted(Box::new(Linted {
            report: too_large_report(path, size),
            deny: s.deny_warnings,
            fixed: None,
        })),
        Err(e) => Outcome::BadConfig(e.clone()),
    }
}

fn too_large_report(path: &str, size: u64) -> FileReport {
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    let d = Diagnostic::new(
        &RESOURCE_LIMIT,
        format!(
            "the file is over {:.0} MiB (at least {:.1} MiB), the most sfn-lint reads",
            mb(MAX_FILE_BYTES),
            mb(size)
        ),
        Span::empty(0),
        "",
    )
    .help("AWS accepts definitions up to 1 MB; check that this is the file you meant");
    FileReport::new(path, String::new(), vec![d])
}

/// Starts the worker threads, once, before anything runs in parallel: deeply nested (but
/// within limits) definitions recurse in the schema validator, so workers get the main
/// thread's room and more (rayon's own default pool, built on first use, would not).
///
/// This thread is one of the workers: it starts on the files at once instead of waking a
/// worker and sleeping, and one thread fewer is started (20 files: 3.01 -> 2.60 ms). The
/// others are kept on the other CPUs ([`super::placement`]). The pool is this thread's own,
/// not rayon's global one, whose building waits until every new thread has run (0.2 ms
/// here): this thread, a worker for as long as the pool lives (for good), goes on to the
/// files and the others join as they start (20 files 2.04 -> 1.92 ms). Should the pool fail
/// to build, rayon's global pool does the work.
pub fn pool() {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        super::placement::start_apart(|| {
            rayon::ThreadPoolBuilder::new()
                .stack_size(sfn_lint::limits::WORKER_STACK_BYTES)
                .use_current_thread()
                .spawn_handler(|thread| {
                    let mut b = std::thread::Builder::new();
                    if let Some(name) = thread.name() {
                        b = b.name(name.to_owned());
                    }
                    if let Some(size) = thread.stack_size() {
                        b = b.stack_size(size);
                    }
                    super::placement::spawn_elsewhere(b, move || thread.run())
                })
                .build()
                .ok()
        })
    });
}

pub fn run(args: CheckArgs) -> ExitCode {
    crate::alloc::keep_freed_memory();
    // One file (an editor's save hook, pre-commit on one change) is linted on this thread:
    // starting a pool would cost more than the file. Nothing is compiled for the schema: the
    // check compiled into the binary answers for valid files, and the runtime validator is
    // built only when a file has schema errors to explain.
    let one_file = match args.paths.as_slice() {
        [p] => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
        _ => false,
    };
    if !one_file {
        pool();
    }

    // Config: explicit, or the nearest sfn-lint.toml per directory.
    let explicit = match (&args.config, args.isolated) {
        (Some(p), _) => match load_config(p) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(EXIT_ERROR);
            }
        },
        _ => None,
    };
    let profile = match &args.profile {
        None => None,
        Some(p) => match super::cost::load_profile(p) {
            Ok(p) => Some(p.profile),
            Err(code) => return code,
        },
    };
    let mut table = SettingsTable::new(&args, explicit, profile);

    let mut jobs: Vec<Job> = Vec::new();
    for p in &args.paths {
        if p == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".into());
            jobs.push(Job {
                name,
                source: Source::Stdin,
                settings: table.index(Path::new(".")),
            });
        } else {
            let path = PathBuf::from(p);
            jobs.push(Job {
                name: p.clone(),
                settings: table.index(&parent_dir(&path)),
                source: Source::Given(path),
            });
        }
    }

    let stdin_bytes = if jobs.iter().any(|j| matches!(j.source, Source::Stdin)) {
        Some(read_limited(&mut std::io::stdin(), None).map_err(|e| describe_io(&e)))
    } else {
        None
    };
    let format = match args.format {
        Format::Text => OutputFormat::Text,
        Format::Concise => OutputFormat::Concise,
        Format::Json => OutputFormat::Json,
        Format::Sarif => OutputFormat::Sarif,
        Format::Github => OutputFormat::Github,
        Format::Gitlab => OutputFormat::Gitlab,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let fix_mode = (args.fix || args.diff).then_some(if args.unsafe_fixes {
        Mode::Unsafe
    } else {
        Mode::Safe
    });
    // Each file's part of the report is rendered on the worker right after linting (templates
    // excepted: their referenced files are resolved afterwards and change the report; and
    // not when fixing, whose report is of the fixed text).
    let part_on_worker = format.per_file() && fix_mode.is_none();
    // The files' parts of the report (see `parts`): one shelf per worker and one for this
    // thread. A batch built the pool above (asking rayon first would build a default one).
    let shelves = Shelves::new(if one_file {
        1
    } else {
        rayon::current_num_threads() + 1
    });
    let lint_one = |job: &Job, settings: &[Result<Settings, String>]| -> Outcome {
        let name = &job.name;
        let (bytes, path, picked) = match &job.source {
            Source::Stdin => match &stdin_bytes {
                Some(Ok(Ok(b))) => (b.clone(), None, false),
                Some(Ok(Err(n))) => return too_large(name, *n, &settings[job.settings]),
                Some(Err(e)) => return Outcome::Failed(format!("<stdin>: {e}")),
                None => return Outcome::Failed(format!("{name}: could not read standard input")),
            },
            Source::Given(p) | Source::Walked(p) => {
                // A walked file is taken on its name (`.asl.*`) or its content; one that
                // cannot be read or is over the limit is not a definition found.
                let picked = matches!(job.source, Source::Walked(_))
                    && !sfn_lint::lint::named_as_definition(&p.to_string_lossy());
                let (mut f, meta) = match open_path(p) {
                    Ok(opened) => opened,
                    // Windows cannot open a directory as a file.
                    Err(_) if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) => {
                        return Outcome::Dir;
                    }
                    Err(_) if picked => return Outcome::Skipped,
                    Err(e) => return Outcome::Failed(format!("{name}: {}", describe_io(&e))),
                };
                if meta.is_dir() && matches!(job.source, Source::Given(_)) {
                    return Outcome::Dir;
                }
                if !meta.is_file() {
                    return if picked {
                        Outcome::Skipped
                    } else {
                        Outcome::Failed(format!(
                            "{name}: not a regular file (a device, FIFO or socket is not read)"
                        ))
                    };
                }
                let len = meta.len();
                if len > MAX_FILE_BYTES {
                    return if picked {
                        Outcome::Skipped
                    } else {
                        too_large(name, len, &settings[job.settings])
                    };
                }
                match read_limited(&mut f, Some(len)) {
                    Ok(Ok(b)) => (b, Some(p.clone()), picked),
                    Ok(Err(_)) | Err(_) if picked => return Outcome::Skipped,
                    Ok(Err(n)) => return too_large(name, n, &settings[job.settings]),
                    Err(e) => return Outcome::Failed(format!("{name}: {}", describe_io(&e))),
                }
            }
        };
        let settings = match &settings[job.settings] {
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
        let fixed = fix_mode.and_then(|mode| {
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
            Some(f) if args.fix => lint_bytes(name, f.after.as_bytes(), settings),
            _ => report,
        };
        if part_on_worker && report.references.is_empty() {
            let counts = sfn_lint::diagnostic::Summary::of(&report.diagnostics);
            return Outcome::Part(Entry {
                part: shelves.push(
                    rayon::current_thread_index().map_or(0, |i| i + 1),
                    &render::part(format, &report, color),
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
    };
    let lint_all = |jobs: &[Job], settings: &[Result<Settings, String>]| -> Vec<Outcome> {
        // A batch of many files fills megabytes of report.
        shelves.set_huge(jobs.len() >= 64);
        if jobs.len() > 1 {
            pool();
            // Pieces of at most four files: rayon splits a range only so far unless its work is
            // stolen, and the main thread (a worker that takes its share first) could be left
            // with a quarter of the batch while the other worker sits idle.
            jobs.par_iter()
                .with_max_len(4)
                .map(|j| lint_one(j, settings))
                .collect()
        } else {
            jobs.iter().map(|j| lint_one(j, settings)).collect()
        }
    };
    let mut outcomes = lint_all(&jobs, &table.list);

    // Directories named on the command line: walked now, their definitions linted in a
    // second pass and put in the directory's place, sorted.
    let mut fatal = Vec::new();
    if outcomes.iter().any(|o| matches!(o, Outcome::Dir)) {
        let mut walked: Vec<Job> = Vec::new();
        // For each first-pass job: the range of `walked` that replaces it.
        let mut ranges: Vec<Option<std::ops::Range<usize>>> = vec![None; jobs.len()];
        for (k, job) in jobs.iter().enumerate() {
            let (Outcome::Dir, Source::Given(dir)) = (&outcomes[k], &job.source) else {
                continue;
            };
            let found = walk(dir, &job.name, args.cdk_out, &mut fatal);
            let start = walked.len();
            for path in found {
                walked.push(Job {
                    name: path.display().to_string(),
                    settings: table.index(&parent_dir(&path)),
                    source: Source::Walked(path),
                });
            }
            ranges[k] = Some(start..walked.len());
        }
        let second = lint_all(&walked, &table.list);
        let mut pairs = walked.into_iter().zip(second);
        let mut merged_jobs = Vec::new();
        let mut merged = Vec::new();
        for (k, (job, outcome)) in jobs.into_iter().zip(outcomes).enumerate() {
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
        jobs = merged_jobs;
        outcomes = merged;
    }

    let bad_config: Vec<&String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::BadConfig(e) => Some(e),
            _ => None,
        })
        .collect();
    if let Some(first) = bad_config.first() {
        eprintln!("{first}");
        return ExitCode::from(EXIT_ERROR);
    }

    let mut items = Vec::new();
    let mut failed = false;
    let mut fixes = Vec::new();
    // The same file named twice is linted once. Paths are compared as written (plus a
    // leading `./`): resolving every path through the file system costs more than it saves.
    let mut seen: rustc_hash::FxHashSet<&Path> = rustc_hash::FxHashSet::default();
    // Definition files that templates name are linted in the template's context (its
    // workflow type and substitutions), once, and replace a plain run over the same file.
    let mut referenced: Vec<(PathBuf, FileReport, bool)> = Vec::new();
    let mut memo = sfn_lint::references::Memo::default();
    for (outcome, job) in outcomes.into_iter().zip(&jobs) {
        let path = match &job.source {
            Source::Given(p) | Source::Walked(p) => Some(p),
            Source::Stdin => None,
        };
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
    if args.diff {
        let mut out = String::new();
        for f in &fixes {
            out.push_str(&fix::unified_diff(&f.name, &f.before, &f.after));
        }
        let _ = std::io::stdout().write_all(out.as_bytes());
        for e in &fatal {
            eprintln!("error: {e}");
        }
        let n: usize = fixes.iter().map(|f| f.count).sum();
        eprintln!(
            "{n} fix{} available in {} file{}",
            if n == 1 { "" } else { "es" },
            fixes.len(),
            if fixes.len() == 1 { "" } else { "s" }
        );
        return ExitCode::from(if !fatal.is_empty() {
            EXIT_ERROR
        } else if fixes.is_empty() {
            0
        } else {
            EXIT_FINDINGS
        });
    }
    let mut applied = 0;
    for f in &fixes {
        match &f.path {
            Some(p) => match super::files::write_atomic(p, f.after.as_bytes()) {
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

    let shelves = shelves.into_parts();
    if !items.is_empty() || fatal.is_empty() {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        // A closed pipe (`| head`) is not an error worth a panic.
        if format.per_file() {
            // Only templates' parts are left to make (their references were resolved after
            // linting); they are few.
            let mut summary = sfn_lint::diagnostic::Summary::default();
            let made: Vec<std::borrow::Cow<'_, [u8]>> = items
                .iter()
                .map(|item| match item {
                    Item::Part(e) => {
                        summary.merge(e.counts);
                        parts::get(&shelves, &e.part).into()
                    }
                    Item::Report(r) => {
                        summary.add(&r.diagnostics);
                        render::part(format, r, color).into()
                    }
                })
                .collect();
            let _ = render::write_parts(format, summary, &made, &mut stdout);
        } else {
            // Parts are made on the workers only for formats written file by file.
            let reports: Vec<FileReport> = std::mem::take(&mut items)
                .into_iter()
                .filter_map(|i| match i {
                    Item::Report(r) => Some(r),
                    Item::Part(_) => None,
                })
                .collect();
            let _ = stdout.write_all(render::render(format, &reports, color).as_bytes());
            // The process ends here: freeing every report one by one would only delay the exit.
            std::mem::forget(reports);
        }
        let _ = stdout.flush();
    }
    for e in &fatal {
        eprintln!("error: {e}");
    }
    // The process ends here: freeing every report one by one would only delay the exit.
    std::mem::forget(items);
    if !fatal.is_empty() {
        ExitCode::from(EXIT_ERROR)
    } else if failed && !args.exit_zero {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}
