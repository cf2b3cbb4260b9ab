//! The CI integrations: the GitHub Action, the workflows and the pre-commit hooks, checked
//! against their published schemas (check-jsonschema's vendored SchemaStore schemas for
//! actions and workflows, pre-commit's own manifest validator). The tools are Python packages
//! that `.ci/run` installs; where they are missing this says so and checks structure only.

mod common;

use std::path::PathBuf;
use std::process::Command;

use sfn_lint::syntax::{Format, parse};

/// A tool from `$SFN_LINT_TOOLS` (a folder) or the PATH.
fn tool(name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SFN_LINT_TOOLS") {
        let p = PathBuf::from(dir).join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let ok = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from(name))
}

fn yaml(path: &str) -> (sfn_lint::syntax::Document, String) {
    let text = std::fs::read_to_string(common::root().join(path)).unwrap();
    (
        parse(&text, Format::Yaml).unwrap_or_else(|e| panic!("{path}: {}", e.message)),
        text,
    )
}

/// A tool is missing: a note on a developer's machine, a failure in CI (where .ci/run
/// installs it), so that CI never passes quietly without the check.
fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} (CI installs it: see .ci/run)");
    }
    println!("note: {what}");
}

#[test]
fn versions_agree_across_the_packages() {
    let root = common::root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let cargo = read("Cargo.toml");
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    let shim = read("pyproject.toml");
    assert!(
        shim.contains(&format!("version = \"{version}\"")),
        "pyproject.toml's version is not {version}"
    );
    assert!(
        shim.contains(&format!("\"sfn-lint=={version}\"")),
        "pyproject.toml does not depend on sfn-lint=={version}"
    );
    let vscode: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(vscode["version"], version, "editors/vscode/package.json");
    assert!(read(".pre-commit-hooks.yaml").contains(&format!("rev: v{version}")));
    assert!(
        read("CHANGELOG.md").contains(&format!("\n## {version}\n")),
        "CHANGELOG.md has no entry for {version}"
    );
}

#[test]
fn action_declares_what_it_uses() {
    let (doc, text) = yaml("action.yml");
    let root = doc.root.unwrap();
    for k in ["name", "description", "inputs", "runs"] {
        assert!(doc.get(root, k).is_some(), "action.yml needs `{k}`");
    }
    let runs = doc.get(root, "runs").unwrap();
    assert_eq!(
        doc.as_str(doc.get(runs, "using").unwrap()),
        Some("composite")
    );
    let inputs: Vec<String> = doc
        .members(doc.get(root, "inputs").unwrap())
        .iter()
        .map(|m| doc.key(m).to_string())
        .collect();
    // Every `inputs.X` the steps use is declared.
    for (i, _) in text.match_indices("inputs.") {
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            inputs.contains(&name),
            "inputs.{name} is used but not declared"
        );
    }
    // Inputs reach the shell through the environment, never pasted into a `run:` script.
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.contains("${{ inputs.") {
            let key = line.trim_start().split(':').next().unwrap_or("");
            assert!(
                key.starts_with("SFN_LINT_") || ["if", "sarif_file", "value"].contains(&key),
                "an input is interpolated outside env/with: {line}"
            );
        }
    }
}

#[test]
fn pre_commit_hooks_name_the_cli() {
    let (doc, _) = yaml(".pre-commit-hooks.yaml");
    let hooks = doc.items(doc.root.unwrap()).to_vec();
    assert!(!hooks.is_empty());
    for h in hooks {
        for k in ["id", "name", "entry", "language"] {
            assert!(doc.get(h, k).is_some(), "a hook needs `{k}`");
        }
        let entry = doc.as_str(doc.get(h, "entry").unwrap()).unwrap();
        assert!(entry.starts_with("sfn-lint check"), "{entry}");
    }
}

#[test]
fn integrations_follow_their_published_schemas() {
    let root = common::root();
    let mut checked = 0;
    match tool("check-jsonschema") {
        Some(cj) => {
            let run = |schema: &str, file: PathBuf| {
                let out = Command::new(&cj)
                    .args(["--builtin-schema", schema])
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{} against {schema}:\n{}{}",
                    file.display(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            run("vendor.github-actions", root.join("action.yml"));
            checked += 1;
            for w in std::fs::read_dir(root.join(".github/workflows")).unwrap() {
                run("vendor.github-workflows", w.unwrap().path());
                checked += 1;
            }
        }
        None => missing(
            "check-jsonschema is not installed (pip install check-jsonschema, or set SFN_LINT_TOOLS); action.yml and the workflows were checked for structure only",
        ),
    }
    match tool("pre-commit") {
        Some(pc) => {
            let out = Command::new(pc)
                .args(["validate-manifest"])
                .arg(root.join(".pre-commit-hooks.yaml"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
        None => missing(
            "pre-commit is not installed; .pre-commit-hooks.yaml was checked for structure only",
        ),
    }
    println!("{checked} integration files validated against their schemas");
}

#[test]
fn gitlab_code_quality_report() {
    let r = common::run(common::bin().args(["check", "--format", "gitlab", "examples/"]));
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let issues = v.as_array().unwrap();
    let issue = issues.iter().find(|i| i["check_name"] == "SFN102").unwrap();
    assert_eq!(issue["severity"], "major");
    assert_eq!(
        issue["location"]["path"],
        "examples/order-processing.asl.json"
    );
    assert_eq!(issue["location"]["lines"]["begin"], 63);
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 16);
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), issues.len(), "fingerprints are unique");
}
