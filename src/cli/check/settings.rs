//! The settings each file is checked with: the command line over the nearest
//! `sfn-lint.toml` ([`sfn_lint::workspace`], as the language server finds it), one entry per
//! config in play.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sfn_lint::config::{Config, Settings};
use sfn_lint::workspace::{self, ConfigLoadError};

use super::{CheckArgs, WorkflowTypeArg};
use crate::cli::EXIT_ERROR;

/// A config file that failed to parse, rendered by miette with the offending span.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid config: {message}")]
#[diagnostic(
    code(sfn_lint::config),
    help(
        "see the Configuration section of the README; schemas/sfn-lint.config.schema.json describes every key"
    )
)]
struct ConfigReport {
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: Option<miette::SourceSpan>,
}

/// A config's problem as the user reads it.
fn describe(e: ConfigLoadError) -> String {
    match e {
        ConfigLoadError::Unreadable { path, reason } => format!("{}: {reason}", path.display()),
        ConfigLoadError::Invalid { path, text, error } => {
            let report = miette::Report::new(ConfigReport {
                message: error.message.clone(),
                src: miette::NamedSource::new(path.display().to_string(), text),
                span: error.span.map(|r| (r.start, r.end - r.start).into()),
            });
            format!("{report:?}")
        }
    }
}

/// The settings in play, one entry per directory's config (or one for all, with `--config`
/// or `--isolated`). A config that fails to load is kept as its error, raised only if a file
/// is linted under it.
pub struct Table<'a> {
    args: &'a CheckArgs,
    explicit: Option<Config>,
    profile: Option<sfn_lint::profile::Profile>,
    by_dir: HashMap<PathBuf, usize>,
    pub list: Vec<Result<Settings, String>>,
}

impl<'a> Table<'a> {
    /// Reads `--config` and `--profile`; their errors end the run (exit 2).
    pub fn new(args: &'a CheckArgs) -> Result<Self, ExitCode> {
        let explicit = match (&args.config, args.isolated) {
            (Some(p), _) => match workspace::load_config(p) {
                Ok(c) => Some(c),
                Err(e) => {
                    eprintln!("{}", describe(e));
                    return Err(ExitCode::from(EXIT_ERROR));
                }
            },
            _ => None,
        };
        let profile = match &args.profile {
            None => None,
            Some(p) => Some(crate::cli::cost::load_profile(p)?.profile),
        };
        Ok(Table {
            args,
            explicit,
            profile,
            by_dir: HashMap::new(),
            list: Vec::new(),
        })
    }

    /// The index of the settings for files in `dir`.
    pub fn index(&mut self, dir: &Path) -> usize {
        let shared = self.args.isolated || self.explicit.is_some();
        let key = if shared {
            PathBuf::new()
        } else {
            dir.to_path_buf()
        };
        if let Some(&i) = self.by_dir.get(&key) {
            return i;
        }
        let config = if self.args.isolated {
            Ok(None)
        } else if self.explicit.is_some() {
            Ok(self.explicit.clone())
        } else {
            workspace::config_for(dir).map_err(describe)
        };
        let settings = config.map(|c| settings_for(c.as_ref(), self.args, self.profile.as_ref()));
        self.list.push(settings);
        self.by_dir.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The folder a path's config is looked up from.
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn settings_for(
    config: Option<&Config>,
    args: &CheckArgs,
    profile: Option<&sfn_lint::profile::Profile>,
) -> Settings {
    let mut s = config.map(Settings::from_config).unwrap_or_default();
    s.profile = profile.cloned();
    s.merge_cli(&args.select, &args.ignore, &args.warn);
    s.deny_warnings |= args.deny_warnings;
    s.time_budget =
        (args.time_budget > 0).then(|| std::time::Duration::from_millis(args.time_budget));
    if let Some(t) = args.workflow_type {
        s.workflow_type = Some(match t {
            WorkflowTypeArg::Standard => sfn_lint::asl::WorkflowType::Standard,
            WorkflowTypeArg::Express => sfn_lint::asl::WorkflowType::Express,
        });
    }
    s
}
