//! `sfn-lint.toml`: which rules run and at what severity. Parsing only; finding the file is
//! [`crate::workspace`]'s job.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::diagnostic::Severity;
use crate::rules::{self, RuleMeta};

/// The file as written. Unknown keys are errors, so a typo never silently does nothing.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run (codes, code prefixes, names, categories or `ALL`); default: all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rules whose findings are reported as warnings.
    #[serde(default)]
    pub warn: Vec<String>,
    /// Exit 1 on warnings too.
    #[serde(default)]
    pub deny_warnings: bool,
    /// Per-rule severity: `error`, `warning`, `info` or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// The workflow type when the definition does not say: `standard` (default) or `express`.
    #[serde(default, rename = "type")]
    pub workflow_type: Option<crate::asl::WorkflowType>,
}

/// A config file problem, with the byte span of the offending text when known.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().to_string(),
            span: e.span(),
        })?;
        let find = |needle: &str| text.find(needle).map(|i| i..i + needle.len());
        for s in config
            .select
            .iter()
            .chain(&config.ignore)
            .chain(&config.warn)
        {
            if !rules::selector_is_known(s) {
                return Err(ConfigError {
                    message: format!("`{s}` names no rule, category or code prefix"),
                    span: find(s),
                });
            }
        }
        for (k, v) in &config.rules {
            if rules::find(k).is_none() {
                return Err(ConfigError {
                    message: format!("`{k}` is not a rule code or name"),
                    span: find(k),
                });
            }
            if v != "off" && Severity::parse(v).is_none() {
                return Err(ConfigError {
                    message: format!("`{v}` is not a severity: use error, warning, info or off"),
                    span: find(v),
                });
            }
        }
        Ok(config)
    }
}

/// The effective rule settings after the config file and command-line flags.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub warn: Vec<String>,
    /// Explicit per-rule severities (None = off), applied last.
    pub overrides: Vec<(String, Option<Severity>)>,
    pub deny_warnings: bool,
    /// The workflow type to check against (Standard when unset).
    pub workflow_type: Option<crate::asl::WorkflowType>,
    /// A usage profile (`check --profile`): Map item counts and result sizes for the payload
    /// estimate. States it names that a definition lacks are ignored.
    pub profile: Option<crate::profile::Profile>,
    /// The names a template substitutes into the definition (`DefinitionSubstitutions`,
    /// `Fn::Sub` variables, `templatefile()` variables); None when nothing is substituted.
    pub substitutions: Option<Vec<String>>,
    /// How long one definition's checks may take; the rest are skipped and reported
    /// (`analysis-incomplete`). None: no limit.
    pub time_budget: Option<std::time::Duration>,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            select: config.select.clone(),
            ignore: config.ignore.clone(),
            warn: config.warn.clone(),
            overrides: config
                .rules
                .iter()
                .map(|(k, v)| (k.clone(), Severity::parse(v)))
                .collect(),
            deny_warnings: config.deny_warnings,
            workflow_type: config.workflow_type,
            profile: None,
            substitutions: None,
            time_budget: None,
        }
    }

    /// Adds command-line selections on top of the config's (they win).
    pub fn merge_cli(&mut self, select: &[String], ignore: &[String], warn: &[String]) {
        if !select.is_empty() {
            self.select = select.to_vec();
        }
        self.ignore.extend(ignore.iter().cloned());
        self.warn.extend(warn.iter().cloned());
    }

    /// The severity a rule reports at, or None when it is off.
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        // Syntax findings cannot be turned off: nothing else was checked.
        if rule.category == rules::Category::Syntax {
            return Some(rule.default_severity);
        }
        let selected =
            self.select.is_empty() || self.select.iter().any(|s| rules::selector_matches(s, rule));
        let ignored = self.ignore.iter().any(|s| rules::selector_matches(s, rule));
        let mut sev = (selected && !ignored).then_some(rule.default_severity);
        if sev.is_some() && self.warn.iter().any(|s| rules::selector_matches(s, rule)) {
            sev = Some(Severity::Warning);
        }
        for (k, v) in &self.overrides {
            if rules::find(k).is_some_and(|r| std::ptr::eq(&r.meta, rule)) {
                sev = *v;
            }
        }
        sev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_apply() {
        let c = Config::parse(
            "ignore = [\"SFN117\"]\nwarn = [\"schema\"]\n[rules]\nloop-without-exit = \"info\"\n",
        )
        .unwrap();
        let s = Settings::from_config(&c);
        assert_eq!(
            s.severity(&rules::correctness::unreachable_state::RULE),
            None
        );
        assert_eq!(
            s.severity(&rules::schema::UNKNOWN_FIELD),
            Some(Severity::Warning)
        );
        assert_eq!(
            s.severity(&rules::correctness::loop_without_exit::RULE),
            Some(Severity::Info)
        );
        assert_eq!(
            s.severity(&rules::syntax::SYNTAX_ERROR),
            Some(Severity::Error)
        );
        assert!(Config::parse("selec = []").is_err());
        assert!(
            Config::parse("ignore = [\"nope\"]")
                .unwrap_err()
                .span
                .is_some()
        );
        assert!(Config::parse("[rules]\nunreachable-state = \"loud\"").is_err());
    }
}
