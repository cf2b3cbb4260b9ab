//! The published config schema and the config parser agree.

mod common;

use sfn_lint::config::Config;

fn schema() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schemas/sfn-lint.config.schema.json"))
            .unwrap(),
    )
    .unwrap()
}

fn toml_to_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
}

#[test]
fn schema_and_parser_accept_the_same_keys() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let full = "select = [\"ALL\"]\nignore = [\"SFN117\"]\nwarn = [\"schema\"]\ndeny-warnings = true\n[rules]\nunreachable-state = \"warning\"\nSFN102 = \"off\"\n";
    assert!(Config::parse(full).is_ok());
    assert!(validator.is_valid(&toml_to_json(full)));
    // Every key the schema documents is one the parser takes.
    for key in schema["properties"].as_object().unwrap().keys() {
        let value = match key.as_str() {
            "deny-warnings" => "true".to_string(),
            "rules" => "{}".to_string(),
            "type" => "\"express\"".to_string(),
            _ => "[]".to_string(),
        };
        let text = format!("{key} = {value}\n");
        assert!(
            Config::parse(&text).is_ok(),
            "parser rejects documented key {key}"
        );
    }
    // And an unknown key is rejected by both.
    assert!(Config::parse("colour = true").is_err());
    assert!(!validator.is_valid(&toml_to_json("colour = true")));
    assert!(!validator.is_valid(&toml_to_json("[rules]\nunreachable-state = \"loud\"")));
}
