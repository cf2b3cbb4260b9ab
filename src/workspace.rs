//! The configuration around the files being checked: which `sfn-lint.toml` applies to a
//! folder, read the same way for the CLI and the language server. One of the library's I/O
//! edges (with [`crate::references`] and [`crate::lsp`]), below both.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};

/// Why a config file could not be used.
#[derive(Debug)]
pub enum ConfigLoadError {
    /// It could not be read; the text says why.
    Unreadable { path: PathBuf, reason: String },
    /// It was read but is not a valid config.
    Invalid {
        path: PathBuf,
        text: String,
        error: ConfigError,
    },
}

/// The nearest `sfn-lint.toml` in `dir` or a folder above it (`dir` resolved first, so that
/// `.` and relative paths climb the real tree).
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let abs = dir.canonicalize().ok()?;
    abs.ancestors()
        .map(|d| d.join("sfn-lint.toml"))
        .find(|p| p.is_file())
}

/// Reads and parses a config file.
pub fn load_config(path: &Path) -> Result<Config, ConfigLoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigLoadError::Unreadable {
        path: path.to_path_buf(),
        reason: describe_io(&e),
    })?;
    Config::parse(&text).map_err(|error| ConfigLoadError::Invalid {
        path: path.to_path_buf(),
        text,
        error,
    })
}

/// The config that applies to files in `dir`: the nearest `sfn-lint.toml`, or none.
pub fn config_for(dir: &Path) -> Result<Option<Config>, ConfigLoadError> {
    find_config(dir).map(|p| load_config(&p)).transpose()
}

/// An I/O error in words a user reads.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The usage profile for a definition file, for the editor's cost hints: `NAME.profile.yaml`
/// (or `.yml`, `.json`, `.toml`) beside `NAME.asl.json` / `NAME.json` / `NAME.yaml`, else the
/// nearest `sfn-lint.profile.*` in its folder or a folder above.
pub fn profile_for(path: &Path) -> Option<PathBuf> {
    const EXTENSIONS: [&str; 4] = ["yaml", "yml", "json", "toml"];
    let dir = path.parent()?;
    let name = path.file_name()?.to_string_lossy();
    let stem = [
        ".asl.json",
        ".asl.yaml",
        ".asl.yml",
        ".json",
        ".yaml",
        ".yml",
    ]
    .iter()
    .find_map(|ext| name.strip_suffix(ext))
    .unwrap_or(&name);
    let beside = EXTENSIONS
        .iter()
        .map(|e| dir.join(format!("{stem}.profile.{e}")))
        .find(|p| p.is_file());
    beside.or_else(|| {
        dir.ancestors().find_map(|d| {
            EXTENSIONS
                .iter()
                .map(|e| d.join(format!("sfn-lint.profile.{e}")))
                .find(|p| p.is_file())
        })
    })
}
