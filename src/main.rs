//! The `sfn-lint` binary: argument parsing and I/O around the library.

mod alloc;
mod cli;

// Linting is allocation-heavy (trees, strings, schema values); mimalloc measurably beats the
// system allocator on the batch benchmark.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
