//! Walking the directories named on the command line (honouring `.gitignore`) for files
//! that may be definitions; which are is decided when they are read (`lint_picked`).

use std::path::{Path, PathBuf};

/// Whether the file name ends with one of `exts` (lowercase, with the dot), in any case.
fn has_ext(path: &Path, exts: &[&str]) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    exts.iter().any(|e| name.ends_with(e))
}

/// The files under `dir` that may be definitions, sorted: `.asl.*`, other JSON and YAML
/// (kept if their content is a definition or a template holding one) and Terraform.
/// `cdk_out`: also CDK's synthesized `cdk.out` templates (skipped by default: they are
/// generated, and usually ignored by git). Walk errors go to `errors`, named by `name`.
pub fn walk(dir: &Path, name: &str, cdk_out: bool, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != "cdk.out")
        .build();
    let mut entries: Vec<Result<ignore::DirEntry, ignore::Error>> = walker.collect();
    if cdk_out {
        // cdk.out is normally git-ignored: walk it on its own, ignores off.
        let outs = ignore::WalkBuilder::new(dir)
            .standard_filters(false)
            .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != ".git")
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "cdk.out" && e.file_type().is_some_and(|t| t.is_dir()))
            .map(|e| e.into_path())
            .collect::<Vec<_>>();
        for out in outs {
            entries.extend(
                ignore::WalkBuilder::new(out)
                    .standard_filters(false)
                    .max_depth(Some(3))
                    .build()
                    .filter(|e| {
                        e.as_ref().is_ok_and(|e| {
                            e.file_name().to_string_lossy().ends_with(".template.json")
                        })
                    }),
            );
        }
    }
    let mut found = Vec::new();
    for entry in entries {
        match entry {
            Ok(e)
                if e.file_type().is_some_and(|t| t.is_file())
                    && has_ext(e.path(), &[".json", ".yaml", ".yml", ".tf"]) =>
            {
                found.push(e.into_path());
            }
            Ok(_) => {}
            Err(err) => errors.push(format!("{name}: {err}")),
        }
    }
    found.sort();
    found
}

pub use sfn_lint::workspace::describe_io;
