//! Our SARIF validates against the official SARIF 2.1.0 schema and carries GitHub's needs.

mod common;

use common::{bin, root, run, write};

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/sarif-2.1.0.schema.json")).unwrap(),
    )
    .unwrap();
    // The official schema's `language` patterns have a stray `]` that strict regex engines
    // reject when the schema itself is checked; it concerns a field we do not emit.
    for def in ["run", "toolComponent"] {
        schema["definitions"][def]["properties"]["language"]["pattern"] =
            "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let y = write(
        dir.path(),
        "with space/flow é.asl.yaml",
        "StartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n  A: {Type: Succeed}\n",
    );
    let r = run(bin()
        .args([
            "check",
            "--format",
            "sarif",
            "examples/order-processing.asl.json",
        ])
        .arg(&y));
    assert_eq!(r.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "utf16CodeUnits");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), sfn_lint::rules::ALL.len());
    for rule in rules {
        assert!(
            rule["helpUri"].as_str().unwrap().starts_with("https://"),
            "{rule}"
        );
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() >= 3);
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.iter()
            .any(|u| u.contains("with%20space/flow%20%C3%A9.asl.yaml")),
        "{uris:?}"
    );
}

#[test]
fn sarif_columns_are_utf16() {
    let dir = tempfile::tempdir().unwrap();
    // The emoji is two UTF-16 units but one character.
    let f = write(
        dir.path(),
        "u.asl.json",
        "{\"Comment\": \"\u{1F600}\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Z\"}}}",
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&run(bin().args(["check", "--format", "sarif"]).arg(&f)).stdout)
            .unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let json: serde_json::Value =
        serde_json::from_str(&run(bin().args(["check", "--format", "json"]).arg(&f)).stdout)
            .unwrap();
    let col_chars = json["files"][0]["diagnostics"][0]["range"]["start"]["column"]
        .as_u64()
        .unwrap();
    assert_eq!(region["startColumn"].as_u64().unwrap(), col_chars + 1);
}
