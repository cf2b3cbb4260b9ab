//! `sfn-lint cost`: the monthly projection for a definition and a usage profile.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use sfn_lint::config::Settings;
use sfn_lint::cost::{self, CostError, CostReport, Options, Pricing};
use sfn_lint::lint::FileReport;
use sfn_lint::profile::{LoadedProfile, ProfileError};
use sfn_lint::render::cost::{CostFormat, compare, render};
use sfn_lint::syntax::Format as SourceFormat;

use super::check::WorkflowTypeArg;
use super::discover::describe_io;
use super::{EXIT_ERROR, EXIT_FINDINGS};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum CostFormatArg {
    Text,
    Markdown,
    Json,
    Html,
    Csv,
}

#[derive(Args, Debug)]
pub struct CostArgs {
    /// The definition to cost.
    file: String,
    /// Usage profile (YAML, JSON or TOML; schemas/cost-profile.schema.json).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Executions per month (overrides the profile).
    #[arg(long)]
    executions: Option<f64>,
    /// AWS region for prices (overrides the profile; default us-east-1).
    #[arg(long)]
    region: Option<String>,
    /// Do not subtract the Standard free tier (4,000 transitions a month).
    #[arg(long)]
    no_free_tier: bool,
    /// The type the state machine is created as (default standard).
    #[arg(long = "type", value_enum)]
    workflow_type: Option<WorkflowTypeArg>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CostFormatArg::Text)]
    format: CostFormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// How many states to list as cost drivers.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Also run N seeded Monte Carlo executions of the same model, to cross-check it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    simulate: u64,
    /// Seed for --simulate.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// For a template with several state machines: which one (logical id, Serverless key or
    /// Terraform address).
    #[arg(long)]
    machine: Option<String>,
    /// The folder a template's definition files must stay inside (default: the nearest
    /// folder with `.git`, else the template's folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Show the cost change from a base: an older definition file, a saved `--format json`
    /// report, or a git revision (`origin/main`: the file as it is there, read from git).
    #[arg(long, value_name = "BASE")]
    compare: Option<String>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid profile: {message}")]
#[diagnostic(
    code(sfn_lint::profile),
    help("docs/cost.md describes the profile; schemas/cost-profile.schema.json lists every key")
)]
struct ProfileReport {
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: Option<miette::SourceSpan>,
}

fn read(path: &str) -> Result<String, String> {
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

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

/// Reads and parses a profile; errors are printed with the file and place.
pub fn load_profile(p: &std::path::Path) -> Result<LoadedProfile, ExitCode> {
    let ps = p.display().to_string();
    let text = read(&ps).map_err(fail)?;
    LoadedProfile::parse(&ps, &text).map_err(|e| profile_error(&ps, &text, e))
}

pub fn run(args: CostArgs) -> ExitCode {
    let profile = match &args.profile {
        None => LoadedProfile::default(),
        Some(p) => match load_profile(p) {
            Ok(p) => p,
            Err(code) => return code,
        },
    };
    let opts = Options {
        executions_per_month: args.executions,
        region: args.region.clone(),
        no_free_tier: args.no_free_tier,
        workflow_type: args.workflow_type.map(|t| match t {
            WorkflowTypeArg::Standard => sfn_lint::asl::WorkflowType::Standard,
            WorkflowTypeArg::Express => sfn_lint::asl::WorkflowType::Express,
        }),
        top: args.top,
        simulate: args.simulate,
        seed: args.seed,
    };
    if let Some(e) = opts.executions_per_month
        && !(e.is_finite() && e >= 0.0)
    {
        return fail(format!("--executions must be a number ≥ 0, found {e}"));
    }
    let pricing = Pricing::bundled();
    let mut opts = opts;
    let new = match cost_one(
        &args.file,
        &Profiled::Strict(&profile),
        &mut opts,
        &pricing,
        args.profile.as_ref(),
        &args,
    ) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let format = match args.format {
        CostFormatArg::Text => CostFormat::Text,
        CostFormatArg::Markdown => CostFormat::Markdown,
        CostFormatArg::Json => CostFormat::Json,
        CostFormatArg::Html => CostFormat::Html,
        CostFormatArg::Csv => CostFormat::Csv,
    };
    let out = match &args.compare {
        Some(old_path) => {
            if format == CostFormat::Html {
                return fail("--compare writes text, markdown, json or csv");
            }
            // A saved JSON report is read as it is; anything else is an older definition,
            // costed now, which may lack states the profile names (those entries are dropped).
            // Not a file: a git revision, whose version of the file is costed (the copy lives
            // as long as `_checkout`).
            let (_checkout, old_file, what) = if std::path::Path::new(old_path).exists() {
                (
                    None,
                    old_path.clone(),
                    "as the older definition".to_string(),
                )
            } else {
                match git_version(&args.file, old_path) {
                    Ok(((dir, copy), name)) => (
                        Some(dir),
                        copy.display().to_string(),
                        format!("as {name} from git"),
                    ),
                    Err(e) => return fail(format!("--compare {old_path}: {e}")),
                }
            };
            let old_path = &old_file;
            let saved = read(old_path)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| compare::Side::from_saved(&v));
            let old = match saved {
                Some(side) => {
                    eprintln!("note: --compare read {old_path} as a saved cost report");
                    side
                }
                None => match cost_one(
                    old_path,
                    &Profiled::Lenient(&profile),
                    &mut opts,
                    &pricing,
                    args.profile.as_ref(),
                    &args,
                ) {
                    Ok(r) => {
                        eprintln!("note: --compare costed {old_path} {what}");
                        compare::Side::from(&r)
                    }
                    Err(code) => return code,
                },
            };
            compare::render(format, &old, &new)
        }
        None => render(format, &new),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = super::files::write_atomic(path, out.as_bytes()) {
                return fail(format!("{}: {}", path.display(), describe_io(&e)));
            }
        }
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
    ExitCode::SUCCESS
}

/// The definition to cost: the file itself, or a state machine of a template.
fn definition_of(
    path: &str,
    args: &CostArgs,
    opts: &mut Options,
) -> Result<(String, String, SourceFormat), ExitCode> {
    let text = read(path).map_err(fail)?;
    let Some(machines) = sfn_lint::template::machines_in(path, &text) else {
        return Ok((path.to_string(), text, SourceFormat::from_path(path)));
    };
    let names = || {
        machines
            .iter()
            .map(|(n, _, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match &args.machine {
        Some(want) => machines.iter().find(|(n, _, _)| n == want).ok_or_else(|| {
            fail(format!(
                "{path}: no state machine `{want}`; it has {}",
                names()
            ))
        })?,
        None if machines.len() == 1 => &machines[0],
        None if machines.is_empty() => {
            return Err(fail(format!(
                "{path}: this template holds no state machine"
            )));
        }
        None => {
            return Err(fail(format!(
                "{path}: holds {} state machines ({}); choose one with --machine",
                machines.len(),
                names()
            )));
        }
    };
    let (name, wtype, source) = chosen;
    // The template's type is what the machine is created as, unless --type says otherwise.
    if opts.workflow_type.is_none() {
        opts.workflow_type = *wtype;
    }
    let label = format!("{path}#{name}");
    match source {
        sfn_lint::template::Source::Text(t) => Ok((label, t.clone(), SourceFormat::Json)),
        sfn_lint::template::Source::File(rel) => {
            let base = std::path::Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let root = args
                .root
                .as_deref()
                .and_then(|r| r.canonicalize().ok())
                .unwrap_or_else(|| sfn_lint::references::repository_root(base));
            let shown = base.join(rel).display().to_string();
            let (_, bytes) =
                sfn_lint::references::read_contained(base, rel, &root).map_err(|refused| {
                    let (what, _) = refused.explain(&root);
                    fail(format!(
                        "{path}: `{name}` names `{rel}` as its definition, {what}"
                    ))
                })?;
            let t =
                String::from_utf8(bytes).map_err(|_| fail(format!("{shown}: not valid UTF-8")))?;
            Ok((shown.clone(), t, SourceFormat::from_path(&shown)))
        }
        sfn_lint::template::Source::Unreadable(what) => Err(fail(format!(
            "{path}: the definition of `{name}` is {what}, which sfn-lint does not read"
        ))),
    }
}

/// `file` as it is at git revision `rev`, written to a temporary folder under its own name
/// (so that its format is read the same way); and `rev:path` to name it.
fn git_version(file: &str, rev: &str) -> Result<((tempfile::TempDir, PathBuf), String), String> {
    let path = std::path::Path::new(file);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("it is no file, and git could not be run ({e})"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "it is no file, and git says: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    // The path from the repository's top, as git names it at that revision.
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let name = path
        .file_name()
        .ok_or_else(|| format!("{file} names no file"))?
        .to_string_lossy()
        .into_owned();
    let in_repo = format!("{}{name}", prefix.trim());
    let text = git(&["show", &format!("{rev}:{in_repo}")])?;
    let tmp = tempfile::tempdir().map_err(|e| describe_io(&e))?;
    let copy = tmp.path().join(&name);
    std::fs::write(&copy, text).map_err(|e| describe_io(&e))?;
    Ok(((tmp, copy), format!("{rev}:{in_repo}")))
}

/// The profile a definition is costed with: as given, or (`--compare`'s old version) without
/// the states the definition lacks.
enum Profiled<'a> {
    Strict(&'a LoadedProfile),
    Lenient(&'a LoadedProfile),
}

fn cost_one(
    path: &str,
    profile: &Profiled<'_>,
    opts: &mut Options,
    pricing: &Pricing,
    profile_path: Option<&PathBuf>,
    args: &CostArgs,
) -> Result<CostReport, ExitCode> {
    let (path, text, format) = definition_of(path, args, opts)?;
    let path = path.as_str();
    let settings = Settings {
        workflow_type: opts.workflow_type,
        ..Settings::default()
    };
    let (analysis, definition) = sfn_lint::lint::analyze_keeping(&text, format, &settings);
    let pruned;
    let profile = match (profile, &definition) {
        (Profiled::Lenient(p), Some(d)) => {
            let mut p = (*p).clone();
            p.profile
                .states
                .retain(|name, _| d.model.find_anywhere(name).next().is_some());
            pruned = p;
            &pruned
        }
        (Profiled::Strict(p) | Profiled::Lenient(p), _) => *p,
    };
    match cost::estimate(
        path,
        &text,
        &analysis,
        definition.as_ref(),
        profile,
        opts,
        pricing,
    ) {
        Ok(r) => Ok(r),
        // Not a definition at all (a saved report, some other JSON): the wrong file, a usage
        // error, never a bill of zero.
        Err(CostError::Invalid(diagnostics))
            if diagnostics
                .iter()
                .any(|d| std::ptr::eq(d.rule, &sfn_lint::rules::syntax::INVALID_ROOT.meta)) =>
        {
            Err(fail(format!(
                "{path}: not a state machine definition (its root needs `StartAt` and `States`), so it cannot be costed"
            )))
        }
        Err(CostError::Invalid(diagnostics)) => {
            let n = diagnostics.len();
            let report = FileReport::new(path, text, diagnostics);
            eprint!("{}", sfn_lint::render::concise::render(&[report]));
            eprintln!(
                "error: {path}: cannot be read as a state machine ({n} error(s) above), so it cannot be costed"
            );
            Err(ExitCode::from(EXIT_FINDINGS))
        }
        Err(CostError::Profile(e)) => {
            let pp = profile_path
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let ptext = std::fs::read_to_string(&pp).unwrap_or_default();
            Err(profile_error(&pp, &ptext, e))
        }
        Err(e) => Err(fail(format!("{path}: {e}"))),
    }
}

fn profile_error(path: &str, text: &str, e: ProfileError) -> ExitCode {
    let report = miette::Report::new(ProfileReport {
        message: e.message.clone(),
        src: miette::NamedSource::new(path, text.to_string()),
        span: e.span.map(|r| (r.start, r.end - r.start).into()),
    });
    eprintln!("{report:?}");
    ExitCode::from(EXIT_ERROR)
}
