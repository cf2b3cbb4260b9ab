//! The `sfn-lint` binary: argument parsing and I/O around the library.

mod cli;

// Linting is allocation-heavy (trees, strings, schema values); mimalloc measurably beats the
// system allocator on the batch benchmark.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
