//! `sfn-lint check`: arguments → settings → inputs → the batch → output.
//!
//! [`settings`] finds each folder's `sfn-lint.toml` (as the language server does),
//! [`inputs`] turns the command line into jobs and reads their bytes, [`batch`] lints them on
//! its thread pool (walking the folders named, and making each file's part of the report on
//! the worker that linted it), and [`output`] resolves templates' references, applies or shows
//! fixes, and writes the report.

mod batch;
mod inputs;
mod output;
mod settings;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use sfn_lint::diagnostic::fix::Mode;
use sfn_lint::render::OutputFormat;

use super::{Color, EXIT_ERROR, Format};

pub use batch::pool;

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

/// How the report is written.
#[derive(Clone, Copy)]
struct Style {
    format: OutputFormat,
    color: bool,
    fix: Option<Mode>,
}

impl Style {
    fn of(args: &CheckArgs) -> Style {
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
        let fix = (args.fix || args.diff).then_some(if args.unsafe_fixes {
            Mode::Unsafe
        } else {
            Mode::Safe
        });
        Style { format, color, fix }
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    // One file (an editor's save hook, pre-commit on one change) is linted on this thread:
    // starting a pool would cost more than the file.
    let one_file = match args.paths.as_slice() {
        [p] => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
        _ => false,
    };
    if !one_file {
        pool();
    }
    let mut table = match settings::Table::new(&args) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let jobs = inputs::jobs(&args, &mut table);
    let stdin = inputs::read_stdin_if_named(&jobs);
    let style = Style::of(&args);
    let batch = batch::Batch::new(&args, style, &stdin, one_file);
    let done = batch.run(jobs, &mut table);
    if let Some(first) = done.bad_config() {
        eprintln!("{first}");
        return ExitCode::from(EXIT_ERROR);
    }
    output::finish(&args, style, &table, done)
}
