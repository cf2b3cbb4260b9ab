//! The rule registry: metadata declared once per rule, next to its check.
//!
//! Each rule is a file under `src/rules/<category>/` that declares a [`RuleMeta`] with
//! [`declare_rule!`]; its documentation page `rules/<category>/<name>.md` is compiled in, so a
//! rule without a page does not build. [`ALL`] lists every rule, sorted by code.

pub mod context;
pub mod correctness;
pub mod express;
pub mod expressions;
pub mod resilience;
pub mod schema;
pub mod syntax;

pub use context::Ctx;

use crate::diagnostic::{Diagnostic, Severity};

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
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Syntax,
        Category::Correctness,
        Category::Schema,
        Category::Expressions,
        Category::Resilience,
        Category::Express,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Correctness => "correctness",
            Category::Schema => "schema",
            Category::Expressions => "expressions",
            Category::Resilience => "resilience",
            Category::Express => "express",
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

/// A rule's check: reads the context and pushes diagnostics.
pub type Check = fn(&Ctx<'_>, &mut Vec<Diagnostic>);

/// Shows a number as `{:.0}` does. Whole numbers (nearly all: seconds, events, passes) skip
/// the float formatter, which was most of the cost of the messages that show them.
pub(crate) struct Whole(pub f64);

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if x.is_sign_positive() && x < 9.0e15 && x.fract() == 0.0 {
            write!(f, "{}", x as u64)
        } else {
            write!(f, "{x:.0}")
        }
    }
}

/// Everything about a rule except its logic's body.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable forever: `SFN` and three digits. Used in suppressions, SARIF and the LSP.
    pub code: &'static str,
    /// Kebab-case name of the pattern flagged; reads as "allow <name>".
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    pub fix: FixKind,
    /// The rule's page, `rules/<category>/<name>.md`, front matter included.
    pub docs: &'static str,
    /// None for rules reported by the pipeline itself (syntax and schema).
    pub check: Option<Check>,
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

/// Declares a rule's metadata as a `pub static`, with its page compiled in.
#[macro_export]
macro_rules! declare_rule {
    ($ident:ident { code: $code:literal, name: $name:literal, category: $cat:ident, dir: $dir:literal,
      severity: $sev:ident, fix: $fix:ident, check: $check:expr $(,)? }) => {
        pub static $ident: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::rules::Category::$cat,
            default_severity: $crate::diagnostic::Severity::$sev,
            fix: $crate::rules::FixKind::$fix,
            docs: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/rules/",
                $dir,
                "/",
                $name,
                ".md"
            )),
            check: $check,
        };
    };
}

/// Every rule, sorted by code.
pub static ALL: &[&RuleMeta] = &[
    &syntax::SYNTAX_ERROR,
    &syntax::DUPLICATE_KEY,
    &syntax::INVALID_ROOT,
    &syntax::RESOURCE_LIMIT,
    &syntax::BYTE_ORDER_MARK,
    &syntax::UNSUPPORTED_FILE,
    &syntax::DEFINITION_REFERENCE,
    &syntax::UNDEFINED_SUBSTITUTION,
    &syntax::ANALYSIS_INCOMPLETE,
    &correctness::undefined_start_at::RULE,
    &correctness::undefined_transition_target::RULE,
    &correctness::transition_leaves_scope::RULE,
    &correctness::missing_next_or_end::RULE,
    &correctness::next_with_end::RULE,
    &correctness::transition_on_terminal_state::RULE,
    &correctness::duplicate_state_name::RULE,
    &correctness::invalid_state_name::RULE,
    &correctness::invalid_wait_duration::RULE,
    &correctness::invalid_timestamp::RULE,
    &correctness::empty_error_equals::RULE,
    &correctness::misplaced_states_all::RULE,
    &correctness::retrier_out_of_range::RULE,
    &correctness::heartbeat_not_below_timeout::RULE,
    &correctness::field_wrong_query_language::RULE,
    &correctness::query_language_downgrade::RULE,
    &correctness::unreachable_state::RULE,
    &correctness::loop_without_exit::RULE,
    &correctness::loop_exits_only_on_error::RULE,
    &correctness::choice_without_default::RULE,
    &correctness::mutually_exclusive_fields::RULE,
    &correctness::invalid_choice_rule::RULE,
    &correctness::invalid_resource::RULE,
    &schema::UNKNOWN_FIELD,
    &schema::MISSING_REQUIRED_FIELD,
    &schema::WRONG_TYPE,
    &schema::INVALID_VALUE,
    &expressions::invalid_intrinsic_call::RULE,
    &expressions::jsonata_syntax_error::RULE,
    &expressions::invalid_path::RULE,
    &expressions::dollar_key_not_path::RULE,
    &expressions::path_without_dollar_key::RULE,
    &expressions::invalid_context_path::RULE,
    &expressions::jsonata_states_out_of_scope::RULE,
    &expressions::jsonata_in_jsonpath_state::RULE,
    &expressions::duplicate_choice_rule::RULE,
    &expressions::invalid_variable_name::RULE,
    &expressions::variable_may_be_unassigned::RULE,
    &expressions::unused_variable::RULE,
    &expressions::outer_variable_assigned_inside::RULE,
    &expressions::dollar_key_collision::RULE,
    &resilience::callback_without_timeout::RULE,
    &resilience::callback_without_heartbeat::RULE,
    &resilience::timeout_without_handler::RULE,
    &resilience::lambda_without_retry::RULE,
    &resilience::missing_catch::RULE,
    &resilience::shadowed_error_handler::RULE,
    &resilience::uncatchable_error::RULE,
    &resilience::unknown_error_name::RULE,
    &resilience::retry_exceeds_time_limit::RULE,
    &resilience::unbounded_loop_history::RULE,
    &resilience::history_quota_risk::RULE,
    &resilience::payload_size_risk::RULE,
    &resilience::payload_size_estimate::RULE,
    &express::express_unsupported_integration::RULE,
    &express::express_duration_limit::RULE,
    &express::express_non_idempotent::RULE,
];

/// The rules index as Markdown (kept in rules/README.md; a test checks it is current).
pub fn markdown_index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated by `sfn-lint rules --markdown`; do not edit by hand.\n\n| Code | Name | Category | Severity | Fix | Summary |\n|---|---|---|---|---|---|\n",
    );
    for r in ALL {
        out.push_str(&format!(
            "| {} | [{}]({}/{}.md) | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.category.as_str(),
            r.name,
            r.category.as_str(),
            r.default_severity.as_str(),
            r.fix.as_str(),
            r.summary().replace('|', "\\|")
        ));
    }
    out
}

/// Looks a rule up by code (any case) or name.
pub fn find(key: &str) -> Option<&'static RuleMeta> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// Does a selector (`ALL`, a category, a code, a code prefix such as `SFN1`, or a name) match?
pub fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("ALL")
        || s.eq_ignore_ascii_case(rule.category.as_str())
        || s == rule.name
        || (s.len() >= 3
            && s.len() <= rule.code.len()
            && rule.code[..s.len()].eq_ignore_ascii_case(s))
}

/// True when the selector names at least one rule.
pub fn selector_is_known(selector: &str) -> bool {
    ALL.iter().any(|r| selector_matches(selector, r))
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let all: Vec<&'a str> = candidates.into_iter().collect();
    let mut best: Option<(usize, &str)> = None;
    for &c in &all {
        let d = levenshtein(&lower, &c.to_lowercase());
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    if let Some((_, c)) = best {
        return Some(c);
    }
    // A name that is a prefix of the other ("Bee" for "B") is a likely slip when it is the
    // only such candidate.
    let mut prefixed = candidates_prefix(&lower, &all);
    if prefixed.len() == 1 {
        prefixed.pop()
    } else {
        None
    }
}

fn candidates_prefix<'a>(lower: &str, all: &[&'a str]) -> Vec<&'a str> {
    all.iter()
        .copied()
        .filter(|c| {
            let cl = c.to_lowercase();
            !cl.is_empty() && (lower.starts_with(&cl) || cl.starts_with(lower))
        })
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_shows_numbers_as_the_float_formatter_does() {
        for x in [
            0.0,
            -0.0,
            1.0,
            2.5,
            0.5,
            1.5,
            299.999,
            300.0,
            25_000.0,
            1e15,
            8.9e15,
            9.0e15,
            1e20,
            -3.0,
            -2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4_294_967_296.0,
        ] {
            assert_eq!(super::Whole(x).to_string(), format!("{x:.0}"), "{x}");
        }
    }

    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("Bee", ["B", "Done"]), Some("B"));
        assert_eq!(did_you_mean("ProcessPayment", ["ChargePayment", "X"]), None);
        assert_eq!(did_you_mean("Nxt", ["Next", "End"]), Some("Next"));
    }

    #[test]
    fn selectors() {
        let r = &correctness::unreachable_state::RULE;
        assert!(selector_matches("ALL", r));
        assert!(selector_matches("correctness", r));
        assert!(selector_matches(r.code, r));
        assert!(selector_matches("SFN1", r));
        assert!(selector_matches("unreachable-state", r));
        assert!(!selector_matches("schema", r));
    }
}
