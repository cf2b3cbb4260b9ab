//! A rule's identity as reports show it: code, name, category, default severity, whether it
//! fixes, and its page. Declared once per rule with [`crate::declare_rule!`]; the check that
//! goes with it lives in [`crate::rules`].

use super::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The file cannot be read as a definition at all.
    Syntax,
    /// Structure and transitions AWS rejects or that cannot work.
    Correctness,
    /// The definition does not match the ASL schema.
    Schema,
    /// Paths, intrinsic functions and JSONata.
    Expressions,
    /// Timeouts, retries, catches and loops: how a workflow behaves when things go wrong.
    Resilience,
    /// What an Express workflow cannot do.
    Express,
    /// The services a Task calls: integrations, patterns and parameters.
    Integrations,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Syntax,
        Category::Correctness,
        Category::Schema,
        Category::Expressions,
        Category::Resilience,
        Category::Express,
        Category::Integrations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Correctness => "correctness",
            Category::Schema => "schema",
            Category::Expressions => "expressions",
            Category::Resilience => "resilience",
            Category::Express => "express",
            Category::Integrations => "integrations",
        }
    }
}

/// Whether a rule can offer a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// What a diagnostic and a report need to know of a rule: everything but its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable forever: `SFN` and three digits. Used in suppressions, SARIF and the LSP.
    pub code: &'static str,
    /// Kebab-case name of the pattern flagged; reads as "allow `<name>`".
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    pub fix: FixKind,
    /// The rule's page, `rules/<category>/<name>.md`, front matter included.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The page without its TOML front matter.
    pub fn page(&self) -> &'static str {
        match self.docs.strip_prefix("+++") {
            Some(rest) => rest
                .find("+++")
                .map_or(rest, |i| rest[i + 3..].trim_start()),
            None => self.docs,
        }
    }

    /// The one-line summary: the first paragraph after the title.
    pub fn summary(&self) -> &'static str {
        self.page()
            .lines()
            .find(|l| !(l.starts_with('#') || l.trim().is_empty()))
            .unwrap_or("")
            .trim()
    }

    /// Where the rule's page is published.
    pub fn url(&self) -> String {
        self.url_display().to_string()
    }

    /// The page URL as something to format, for writers that need no `String`.
    pub fn url_display(&self) -> impl std::fmt::Display + '_ {
        struct U<'a>(&'a RuleMeta);
        impl std::fmt::Display for U<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(
                    f,
                    "{}/rules/{}/{}.md",
                    crate::DOCS_BASE,
                    self.0.category.as_str(),
                    self.0.name
                )
            }
        }
        U(self)
    }
}
