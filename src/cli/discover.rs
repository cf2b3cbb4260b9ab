//! Finding the files to lint: explicit files as given, directories walked (honouring
//! `.gitignore`), keeping ASL files by extension and by content.

use std::path::{Path, PathBuf};

use sfn_lint::limits::MAX_FILE_BYTES;
use sfn_lint::lint::is_checked;

/// What to lint, or why an input could not be used.
pub enum Input {
    File(PathBuf),
    Stdin,
}

pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Fatal input problems (missing paths, unreadable directories): exit 2.
    pub errors: Vec<String>,
    /// Directories that held no definition.
    pub empty_dirs: Vec<PathBuf>,
}

fn has_ext(path: &Path, exts: &[&str]) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    exts.iter().any(|e| name.ends_with(e))
}

/// Picks a walked file: `.asl.*` always; other JSON/YAML if it looks like a definition or is
/// a template holding a state machine; Terraform files with an `aws_sfn_state_machine`.
fn wanted(path: &Path) -> bool {
    if has_ext(path, &[".asl.json", ".asl.yaml", ".asl.yml"]) {
        return true;
    }
    let terraform = has_ext(path, &[".tf"]);
    if !terraform && !has_ext(path, &[".json", ".yaml", ".yml"]) {
        return false;
    }
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return false;
    }
    match std::fs::read(path) {
        Ok(bytes) => is_checked(&path.to_string_lossy(), &String::from_utf8_lossy(&bytes)),
        Err(_) => false,
    }
}

/// Finds the inputs. `cdk_out`: also read CDK's synthesized `cdk.out` folders (skipped by
/// default: they are generated, and usually ignored by git).
pub fn discover(paths: &[String], cdk_out: bool) -> Discovery {
    let mut d = Discovery {
        inputs: Vec::new(),
        errors: Vec::new(),
        empty_dirs: Vec::new(),
    };
    // A long list of paths (a shell glob) is looked up on all cores: one system call each,
    // and on one thread they were the start of a batch that nothing else overlapped.
    let metadata: Vec<std::io::Result<std::fs::Metadata>> = if paths.len() >= 64 {
        use rayon::prelude::*;
        super::check::pool();
        paths.par_iter().map(std::fs::metadata).collect()
    } else {
        paths.iter().map(std::fs::metadata).collect()
    };
    for (p, meta) in paths.iter().zip(metadata) {
        if p == "-" {
            d.inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        match meta {
            Err(e) => d.errors.push(format!("{p}: {}", describe_io(&e))),
            Ok(m) if m.is_dir() => {
                let walker = ignore::WalkBuilder::new(&path)
                    .require_git(false)
                    .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != "cdk.out")
                    .build();
                let mut entries: Vec<Result<ignore::DirEntry, ignore::Error>> = walker.collect();
                if cdk_out {
                    // cdk.out is normally git-ignored: walk it on its own, ignores off.
                    let outs = ignore::WalkBuilder::new(&path)
                        .standard_filters(false)
                        .filter_entry(|e| {
                            e.file_name() != "node_modules" && e.file_name() != ".git"
                        })
                        .build()
                        .filter_map(Result::ok)
                        .filter(|e| {
                            e.file_name() == "cdk.out" && e.file_type().is_some_and(|t| t.is_dir())
                        })
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
                let mut candidates = Vec::new();
                for entry in entries {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            candidates.push(e.into_path());
                        }
                        Ok(_) => {}
                        Err(err) => d.errors.push(format!("{p}: {err}")),
                    }
                }
                // Picking by content reads each file: on all cores, not one.
                use rayon::prelude::*;
                super::check::pool();
                let mut found: Vec<PathBuf> =
                    candidates.into_par_iter().filter(|c| wanted(c)).collect();
                if found.is_empty() {
                    d.empty_dirs.push(path);
                }
                found.sort();
                d.inputs.extend(found.into_iter().map(Input::File));
            }
            Ok(m) if m.is_file() => d.inputs.push(Input::File(path)),
            Ok(_) => d.errors.push(format!(
                "{p}: not a regular file (a device, FIFO or socket is not read)"
            )),
        }
    }
    // The same file named twice is linted once. Paths are compared as written (plus a
    // leading `./`): resolving every path through the file system costs more than it saves.
    let mut seen = std::collections::HashSet::new();
    d.inputs.retain(|i| match i {
        Input::File(p) => seen.insert(p.strip_prefix(".").unwrap_or(p).to_path_buf()),
        Input::Stdin => true,
    });
    d
}

pub use sfn_lint::references::describe_io;
