//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sfn-lint"));
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(root());
    c
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus beside the checkout, when it is there.
pub fn corpus() -> Option<PathBuf> {
    let p = root().join("../shared/corpus");
    p.join("manifest.jsonl").is_file().then_some(p)
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, content).unwrap();
    p
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub const VALID: &str = r#"{
  "StartAt": "A",
  "States": { "A": { "Type": "Pass", "End": true } }
}
"#;

/// The rule codes of the first file's findings in a `--format json` report, in order.
pub fn first_file_codes(report: &serde_json::Value) -> Vec<&str> {
    report["files"][0]["diagnostics"]
        .as_array()
        .expect("a JSON report with a file")
        .iter()
        .map(|d| d["code"].as_str().expect("a code"))
        .collect()
}

/// Runs git in `dir` and returns its output; a failure (git missing included: every CI image
/// this runs on has it) fails the test.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A new git repository in `dir` with a committer set.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.email", "ci@example.com"]);
    git(dir, &["config", "user.name", "CI"]);
}
