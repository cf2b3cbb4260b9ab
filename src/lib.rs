//! sfn-lint: a static analyzer and cost estimator for AWS Step Functions state machines
//! (Amazon States Language).
//!
//! The core is pure: text in, diagnostics or a cost report out. Walking directories, printing
//! and exit codes belong to the binary. Two edge modules do I/O so that the CLI and the editor
//! share them: [`references`] (the definition files templates name, inside the repository)
//! and [`lsp`] (the language server loop, and `sfn-lint.toml` lookup).
//!
//! Layers, lowest first; a module uses only lower ones (`tests/layers.rs` checks it):
//! [`limits`], [`source`], [`suggest`] → [`syntax`] (JSON/YAML to one spanned tree) →
//! [`diagnostic`] (findings, fixes, rule identity) → [`asl`] (model, graph, expressions,
//! variables, quotas) → [`profile`] (usage profiles) and [`template`] (definitions inside
//! CloudFormation, SAM, Serverless and Terraform) → [`plan`] (what each visit leads to; the
//! payload estimate) → [`rules`] (one file per rule, the schema check) → [`config`] → [`lint`]
//! (the pipeline for one file) → [`cost`] → [`render`] → [`references`] → [`lsp`].

#![forbid(unsafe_code)]

pub mod asl;
pub mod config;
pub mod cost;
pub mod diagnostic;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod packed;
pub mod permissions;
pub mod plan;
pub mod policy;
pub mod profile;
pub mod references;
pub mod render;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod template;
pub mod workspace;

/// Where rule pages are published (the repository's `rules/` folder).
pub const DOCS_BASE: &str = "https://github.com/sfn-lint/sfn-lint/blob/main";

/// The crate version, for reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
