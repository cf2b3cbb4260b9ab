//! Command-line interface. Everything that touches files, the terminal or exit codes lives
//! here, not in the library.

mod check;
mod discover;
mod rules_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes: 0 clean, 1 findings, 2 usage, I/O or config errors.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "sfn-lint",
    version,
    about = "Static analyzer for AWS Step Functions state machines (Amazon States Language)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint state machine definitions (files, directories, or - for stdin).
    Check(check::CheckArgs),
    /// List every rule.
    Rules {
        /// Print a Markdown table (the rules/README.md index).
        #[arg(long)]
        markdown: bool,
    },
    /// Print a rule's page, by code or name.
    Rule {
        /// A rule code (SFN102) or name (undefined-transition-target).
        rule: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules { markdown } => rules_cmd::list(markdown),
        Command::Rule { rule } => rules_cmd::show(&rule),
    }
}
