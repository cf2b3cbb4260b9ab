//! `sfn-lint policy`: the least-privilege IAM policy a state machine's role needs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::cost::units::{self, Tree};
use super::{EXIT_ERROR, EXIT_FINDINGS};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum PolicyFormat {
    Json,
    Yaml,
    Text,
}

#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// A definition, or a template with a state machine.
    file: String,
    /// For a template with several state machines: which one.
    #[arg(long)]
    machine: Option<String>,
    /// The folder a template's definition files must stay inside (default: the nearest
    /// folder with `.git`, else the template's folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Output format: the policy document as JSON or YAML, or each action with the states
    /// that need it.
    #[arg(long, value_enum, default_value_t = PolicyFormat::Json)]
    format: PolicyFormat,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

pub fn run(args: PolicyArgs) -> ExitCode {
    let tree = Tree::Disk {
        root: args.root.clone(),
    };
    let (found, unread) = match units::find(
        &tree,
        std::slice::from_ref(&args.file),
        args.machine.as_deref(),
    ) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let unit = match (found.as_slice(), unread.first()) {
        ([one], _) => one,
        ([], Some(u)) => return fail(format!("{}: {}", u.file, u.reason)),
        ([], None) => return fail(format!("{}: holds no state machine", args.file)),
        (many, _) => {
            let names = many
                .iter()
                .filter_map(|u| u.machine.as_deref())
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return fail(format!(
                "{}: holds {} state machines ({names}); choose one with --machine",
                args.file,
                many.len()
            ));
        }
    };
    let def = match sfn_lint::lint::read_definition(&unit.text, unit.format) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "error: {}: cannot read it as a state machine: {e} (run `sfn-lint check {}` for details)",
                unit.label, args.file
            );
            return ExitCode::from(EXIT_FINDINGS);
        }
    };
    let (tracing, logging) = match &unit.machine {
        Some(name) => units::read_file(&unit.file)
            .map(|t| sfn_lint::template::observability(&unit.file, &t, name))
            .unwrap_or_default(),
        None => (false, false),
    };
    let policy = sfn_lint::policy::of(&def, sfn_lint::policy::Options { tracing, logging });
    let out = match args.format {
        PolicyFormat::Json => sfn_lint::policy::to_json(&policy),
        PolicyFormat::Yaml => sfn_lint::policy::to_yaml(&policy),
        PolicyFormat::Text => sfn_lint::policy::to_text(&policy),
    };
    use std::io::Write;
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
