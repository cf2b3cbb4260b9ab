//! The `sfn-lint` binary: argument parsing and I/O around the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
