//! The `sfn-lint` binary: argument parsing and I/O around the library.

#![forbid(unsafe_code)]

mod cli;

// Linting allocates much (trees, strings, schema values): mimalloc pays on the batch and on
// large files (docs/benchmarks.md, "Speed devices").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
