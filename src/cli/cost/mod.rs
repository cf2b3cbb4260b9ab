//! `sfn-lint cost`: the monthly projection for one workflow, or for a set of them priced as
//! one bill, and (`--compare`) what a change does to it.

pub(crate) mod units;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use sfn_lint::config::Settings;
use sfn_lint::cost::diff::{self, Side};
use sfn_lint::cost::portfolio::{Portfolio, Skipped};
use sfn_lint::cost::{self, CostError, CostReport, Options, Pricing};
use sfn_lint::lint::FileReport;
use sfn_lint::profile::{LoadedProfile, ProfileError};
use sfn_lint::render::cost::{CostFormat, compare, render, set};

use super::check::WorkflowTypeArg;
use super::discover::describe_io;
use super::{EXIT_ERROR, EXIT_FINDINGS};
use units::{Tree, Unit, read_file};

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
    /// The definitions to cost: files, folders (walked as `check` walks them) and templates
    /// (every state machine in them). More than one workflow is priced as one bill.
    #[arg(required = true, value_name = "PATH")]
    files: Vec<String>,
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
    /// Only the state machine of this name in a template (logical id, Serverless key or
    /// Terraform address).
    #[arg(long)]
    machine: Option<String>,
    /// The folder a template's definition files must stay inside (default: the nearest
    /// folder with `.git`, else the template's folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Show the cost change from a base: a saved `--format json` report, an older definition
    /// file (one workflow), or a git revision (`origin/main`: the same paths as they are there,
    /// read from git without a checkout).
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

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

/// Reads and parses a profile; errors are printed with the file and place.
pub fn load_profile(p: &std::path::Path) -> Result<LoadedProfile, ExitCode> {
    let ps = p.display().to_string();
    let text = read_file(&ps).map_err(fail)?;
    LoadedProfile::parse(&ps, &text).map_err(|e| profile_error(&ps, &text, e))
}

fn profile_path(args: &CostArgs) -> String {
    args.profile
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// How strictly a workflow's profile must fit its definition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Every state the profile names exists (one workflow).
    Strict,
    /// The top-level `states` apply where a workflow has them; its own entry must fit.
    Set,
    /// Entries for states the definition lacks are dropped (the base of a comparison).
    Lenient,
}

/// What the command works with, made once.
struct Ctx<'a> {
    args: &'a CostArgs,
    /// The Standard free tier, counted once for the whole set.
    free_tier: bool,
    profile: LoadedProfile,
    opts: Options,
    pricing: Pricing,
}

pub fn run(args: CostArgs) -> ExitCode {
    match run_inner(&args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: &CostArgs) -> Result<ExitCode, ExitCode> {
    let profile = match &args.profile {
        None => LoadedProfile::default(),
        Some(p) => load_profile(p)?,
    };
    if let Some(e) = args.executions
        && !(e.is_finite() && e >= 0.0)
    {
        return Err(fail(format!(
            "--executions must be a number ≥ 0, found {e}"
        )));
    }
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
    let format = match args.format {
        CostFormatArg::Text => CostFormat::Text,
        CostFormatArg::Markdown => CostFormat::Markdown,
        CostFormatArg::Json => CostFormat::Json,
        CostFormatArg::Html => CostFormat::Html,
        CostFormatArg::Csv => CostFormat::Csv,
    };
    profile.check_workflows().map_err(|e| {
        profile_error(
            &profile_path(args),
            &read_file(&profile_path(args)).unwrap_or_default(),
            e,
        )
    })?;
    let ctx = Ctx {
        args,
        free_tier: !opts.no_free_tier && profile.profile.free_tier != Some(false),
        profile,
        opts,
        pricing: Pricing::bundled(),
    };
    let tree = Tree::Disk {
        root: args.root.clone(),
    };
    let (found, unread) = units::find(&tree, &args.files, args.machine.as_deref()).map_err(fail)?;
    if found.is_empty() && unread.is_empty() {
        return Err(fail(format!(
            "{}: no state machine found",
            args.files.join(", ")
        )));
    }
    let lone = args.files.len() == 1
        && found.len() == 1
        && unread.is_empty()
        && !std::path::Path::new(&args.files[0]).is_dir();
    // A profile written for a set (it has `workflows`) lends its top-level states to each
    // workflow that has them, also when one workflow is costed.
    let fit = if lone && ctx.profile.profile.workflows.is_empty() {
        Fit::Strict
    } else {
        Fit::Set
    };
    let head = ctx.cost_all(&found, unread, fit, true)?;
    let used: Vec<String> = head.keys.clone();
    // A key for a workflow not costed this time may be one of the repository's others: said,
    // with its place, not fatal.
    if let Some(e) = ctx.profile.unused_workflow_key(&used) {
        ctx.profile_warning(&e);
    }
    let incomplete = !head.skipped.is_empty();
    let out = match &args.compare {
        Some(base) => {
            if format == CostFormat::Html {
                return Err(fail("--compare writes text, markdown, json or csv"));
            }
            let (sides, total, what) = ctx.base(base, lone)?;
            let after = head.portfolio(ctx.free_tier);
            let d = diff::diff(
                &what,
                &sides,
                &after.workflows,
                total,
                after.total.monthly_usd,
            );
            compare::render(format, &d)
        }
        None if lone => {
            let (file, machine, report) = &head.reports[0];
            let mut report = report.clone();
            report.name_workflow(file, machine.as_deref());
            render(format, &report)
        }
        None => {
            if format == CostFormat::Html {
                return Err(fail(
                    "--format html reports one workflow; for several use text, markdown, json or csv",
                ));
            }
            set::render(format, &head.portfolio(ctx.free_tier))
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = super::files::write_atomic(path, out.as_bytes()) {
                return Err(fail(format!("{}: {}", path.display(), describe_io(&e))));
            }
        }
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
    Ok(if incomplete {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The reports of a set, the workflows not costed, and the profile keys used.
struct Costed {
    reports: Vec<(String, Option<String>, CostReport)>,
    skipped: Vec<Skipped>,
    keys: Vec<String>,
}

impl Costed {
    fn portfolio(&self, free_tier: bool) -> Portfolio {
        Portfolio::of(&self.reports, free_tier, self.skipped.clone())
    }
}

/// Why one workflow was not costed.
enum Failed {
    /// Not a state machine at all, or an I/O or region problem (exit 2).
    Usage(String),
    /// A definition with errors the model cannot read past (printed; the workflow skipped).
    Invalid(String),
    Profile(ProfileError),
}

impl Ctx<'_> {
    /// Costs each workflow. For the head (`head`), a file that is not a state machine and a
    /// profile error stop the run; a definition the model cannot read is skipped and said.
    /// For a base, every failure is a skipped workflow.
    fn cost_all(
        &self,
        found: &[Unit],
        unread: Vec<units::Unread>,
        fit: Fit,
        head: bool,
    ) -> Result<Costed, ExitCode> {
        let mut out = Costed {
            reports: Vec::new(),
            skipped: unread
                .into_iter()
                .map(|u| Skipped {
                    file: u.file,
                    machine: u.machine,
                    reason: u.reason,
                })
                .collect(),
            keys: Vec::new(),
        };
        let lone = found.len() == 1 && fit == Fit::Strict;
        for unit in found {
            let (profile, key) = self
                .profile
                .for_workflow(&unit.file, unit.machine.as_deref());
            out.keys.extend(key);
            match self.cost_unit(unit, profile, fit) {
                Ok(r) => out
                    .reports
                    .push((unit.file.clone(), unit.machine.clone(), r)),
                Err(Failed::Profile(e)) if head => return Err(self.profile_failure(e)),
                Err(Failed::Usage(m)) if head => return Err(fail(m)),
                Err(Failed::Invalid(m)) if head && lone => {
                    eprintln!("error: {m}");
                    return Err(ExitCode::from(EXIT_FINDINGS));
                }
                Err(Failed::Usage(m) | Failed::Invalid(m)) => {
                    eprintln!("note: not costed: {m}");
                    out.skipped.push(Skipped {
                        file: unit.file.clone(),
                        machine: unit.machine.clone(),
                        reason: m,
                    });
                }
                Err(Failed::Profile(e)) => {
                    eprintln!("note: not costed: {}: {}", unit.label, e.message);
                }
            }
        }
        Ok(out)
    }

    fn cost_unit(
        &self,
        unit: &Unit,
        mut profile: LoadedProfile,
        fit: Fit,
    ) -> Result<CostReport, Failed> {
        let path = unit.label.as_str();
        let mut opts = self.opts.clone();
        // The template's type is what the machine is created as, unless --type says otherwise.
        if opts.workflow_type.is_none() {
            opts.workflow_type = unit.declared;
        }
        let settings = Settings {
            workflow_type: opts.workflow_type,
            ..Settings::default()
        };
        let (analysis, definition) =
            sfn_lint::lint::analyze_keeping(&unit.text, unit.format, &settings);
        if let Some(d) = &definition
            && fit != Fit::Strict
        {
            profile.drop_absent(&d.model, fit == Fit::Lenient);
        }
        match cost::estimate(
            path,
            &unit.text,
            &analysis,
            definition.as_ref(),
            &profile,
            &opts,
            &self.pricing,
        ) {
            Ok(r) => Ok(r),
            // Not a definition at all (a saved report, some other JSON): the wrong file, a usage
            // error, never a bill of zero.
            Err(CostError::Invalid(diagnostics))
                if diagnostics
                    .iter()
                    .any(|d| std::ptr::eq(d.rule, &sfn_lint::rules::syntax::INVALID_ROOT.meta)) =>
            {
                Err(Failed::Usage(format!(
                    "{path}: not a state machine definition (its root needs `StartAt` and `States`), so it cannot be costed"
                )))
            }
            Err(CostError::Invalid(diagnostics)) => {
                let n = diagnostics.len();
                let report = FileReport::new(path, unit.text.clone(), diagnostics);
                eprint!("{}", sfn_lint::render::concise::render(&[report]));
                Err(Failed::Invalid(format!(
                    "{path}: cannot be read as a state machine ({n} error(s) above), so it cannot be costed"
                )))
            }
            Err(CostError::Profile(e)) => Err(Failed::Profile(e)),
            Err(e) => Err(Failed::Usage(format!("{path}: {e}"))),
        }
    }

    fn profile_warning(&self, e: &ProfileError) {
        let pp = profile_path(self.args);
        let ptext = std::fs::read_to_string(&pp).unwrap_or_default();
        let place = e
            .span
            .as_ref()
            .map(|r| {
                let lc = sfn_lint::source::LineIndex::new(&ptext).line_col(&ptext, r.start as u32);
                format!(":{}:{}", lc.line, lc.column)
            })
            .unwrap_or_default();
        eprintln!("warning: {pp}{place}: {}", e.message);
    }

    fn profile_failure(&self, e: ProfileError) -> ExitCode {
        let pp = profile_path(self.args);
        let ptext = std::fs::read_to_string(&pp).unwrap_or_default();
        profile_error(&pp, &ptext, e)
    }

    /// The base of `--compare`: its workflows, its total, and what it was read as.
    fn base(&self, base: &str, lone: bool) -> Result<(Vec<Side>, f64, String), ExitCode> {
        if std::path::Path::new(base).exists() {
            let saved = read_file(base)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| {
                    let total = v.pointer("/total/monthly_usd")?.as_f64()?;
                    Some((diff::sides_from_saved(&v)?, total))
                });
            if let Some((sides, total)) = saved {
                eprintln!("note: --compare read {base} as a saved cost report");
                return Ok((sides, total, format!("{base} (a saved cost report)")));
            }
            if !lone {
                return Err(fail(format!(
                    "--compare {base}: an older definition is compared with one workflow; for several give a saved --format json report or a git revision"
                )));
            }
            let text = read_file(base).map_err(fail)?;
            let unit = Unit {
                file: base.to_string(),
                machine: None,
                label: base.to_string(),
                format: sfn_lint::syntax::Format::from_path(base),
                text,
                declared: None,
            };
            let costed =
                self.cost_all(std::slice::from_ref(&unit), Vec::new(), Fit::Lenient, true)?;
            eprintln!("note: --compare costed {base} as the older definition");
            let p = costed.portfolio(self.free_tier);
            return Ok((
                p.workflows,
                p.total.monthly_usd,
                format!("{base} (an older definition)"),
            ));
        }
        units::is_revision(base).map_err(|e| fail(format!("--compare {base}: {e}")))?;
        let tree = Tree::Git {
            rev: base.to_string(),
        };
        let (found, unread) = units::find(&tree, &self.args.files, self.args.machine.as_deref())
            .map_err(|e| fail(format!("--compare {base}: {e}")))?;
        let costed = self.cost_all(&found, unread, Fit::Lenient, false)?;
        eprintln!(
            "note: --compare read {} workflow(s) as at {base} from git",
            costed.reports.len()
        );
        let p = costed.portfolio(self.free_tier);
        Ok((
            p.workflows,
            p.total.monthly_usd,
            format!("`{base}` (from git)"),
        ))
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
