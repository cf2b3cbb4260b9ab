//! sfn-lint: a static analyzer for AWS Step Functions state machines (Amazon States Language).
//!
//! The core is pure: text in, diagnostics out. Walking directories, printing and exit codes
//! belong to the binary. Two edge modules do I/O so that the CLI and the editor share them:
//! [`references`] (reading the definition files templates name, inside the repository) and
//! [`lsp`] (the language server loop over a connection, and `sfn-lint.toml` lookup).
//!
//! Layers, in pipeline order: [`source`] (spans, lines), [`syntax`] (JSON/YAML to one spanned
//! tree), [`template`] (definitions inside CloudFormation/SAM/Serverless/Terraform), [`schema`]
//! (JSON Schema check), [`asl`] (typed model and state graph), [`rules`] (one file per rule),
//! [`diagnostic`], [`render`] (text, JSON, SARIF, …), tied together by [`lint`]; [`cost`] (the
//! estimator) reads the same model.

pub mod asl;
pub mod config;
pub mod cost;
pub mod diagnostic;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod references;
pub mod render;
pub mod rules;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod template;

/// Where rule pages are published (the repository's `rules/` folder).
pub const DOCS_BASE: &str = "https://github.com/sfn-lint/sfn-lint/blob/main";

/// The crate version, for reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
