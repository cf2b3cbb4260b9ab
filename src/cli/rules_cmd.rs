//! `sfn-lint rules` and `sfn-lint rule <code|name>`.

use std::io::Write;
use std::process::ExitCode;

use sfn_lint::rules::{self, ALL};

pub fn list(markdown: bool) -> ExitCode {
    let mut out = String::new();
    if markdown {
        out = rules::markdown_index();
    } else {
        for r in ALL {
            out.push_str(&format!(
                "{:<7} {:<30} {:<12} {:<8} {}\n",
                r.code,
                r.name,
                r.category.as_str(),
                r.default_severity.as_str(),
                r.summary()
            ));
        }
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

pub fn show(key: &str) -> ExitCode {
    match rules::find(key) {
        Some(r) => {
            let header = format!(
                "{} ({}) · {} · default severity: {} · fix: {}\n\n",
                r.code,
                r.name,
                r.category.as_str(),
                r.default_severity.as_str(),
                r.fix.as_str()
            );
            let _ = std::io::stdout().write_all(header.as_bytes());
            let _ = std::io::stdout().write_all(r.page().as_bytes());
            ExitCode::SUCCESS
        }
        None => {
            let names = ALL.iter().map(|r| r.name).chain(ALL.iter().map(|r| r.code));
            let hint = sfn_lint::suggest::did_you_mean(key, names)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            eprintln!("error: no rule named `{key}`{hint}; `sfn-lint rules` lists them");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}
