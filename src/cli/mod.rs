//! Command-line interface. Everything that touches files, the terminal or exit codes lives
//! here, not in the library.

mod check;
mod cost;
mod discover;
mod files;
mod lsp;
mod parts;
mod policy;
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
    /// Estimate what a workflow costs per month as Standard and as Express.
    Cost(cost::CostArgs),
    /// Print the least-privilege IAM policy the state machine's role needs.
    Policy(policy::PolicyArgs),
    /// Run the language server (LSP over standard input/output) for editors.
    Lsp,
    /// Draw a state machine as a Mermaid or Graphviz DOT diagram.
    Graph {
        /// The definition to draw.
        file: String,
        /// Diagram language.
        #[arg(long, value_enum, default_value_t = DiagramArg::Mermaid)]
        format: DiagramArg,
    },
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
    /// GitLab Code Quality report (Code Climate JSON).
    Gitlab,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DiagramArg {
    Mermaid,
    Dot,
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
        Command::Cost(args) => cost::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Lsp => lsp::run(),
        Command::Graph { file, format } => graph(&file, format),
        Command::Rules { markdown } => rules_cmd::list(markdown),
        Command::Rule { rule } => rules_cmd::show(&rule),
    }
}

/// `sfn-lint graph FILE`: the diagram on standard output.
fn graph(file: &str, format: DiagramArg) -> ExitCode {
    use sfn_lint::render::diagram::{DiagramFormat, diagram};
    let bytes = match std::fs::read(file) {
        Ok(b) if b.len() as u64 <= sfn_lint::limits::MAX_FILE_BYTES => b,
        Ok(_) => {
            eprintln!("error: {file}: larger than the size limit");
            return ExitCode::from(EXIT_ERROR);
        }
        Err(e) => {
            eprintln!("error: {file}: {}", discover::describe_io(&e));
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let kind = match format {
        DiagramArg::Mermaid => DiagramFormat::Mermaid,
        DiagramArg::Dot => DiagramFormat::Dot,
    };
    match sfn_lint::lint::read_definition(&text, sfn_lint::syntax::Format::from_path(file)) {
        Ok(def) => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(diagram(&def, kind).as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: {file}: cannot draw it: {e} (run `sfn-lint check {file}` for details)"
            );
            ExitCode::from(EXIT_FINDINGS)
        }
    }
}
