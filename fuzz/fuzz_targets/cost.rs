//! The cost estimator on arbitrary definitions: the Markov solve, retries, Maps and the report
//! must give finite numbers or a clear error, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::cost::{Options, pricing::Pricing};
use sfn_lint::profile::LoadedProfile;
use sfn_lint::syntax::Format;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let format = if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    };
    let opts = Options {
        top: 5,
        ..Default::default()
    };
    if let Ok(r) = cost_text(
        "def.json",
        text,
        format,
        &LoadedProfile::default(),
        &opts,
        &Pricing::bundled(),
    ) {
        assert!(
            r.standard.monthly.is_finite() && r.standard.monthly >= 0.0,
            "{}",
            r.standard.monthly
        );
        assert!(
            r.express.monthly.is_finite() && r.express.monthly >= 0.0,
            "{}",
            r.express.monthly
        );
    }
});

/// Lints and costs a definition's text, as `sfn-lint cost` does.
fn cost_text(
    path: &str,
    text: &str,
    format: sfn_lint::syntax::Format,
    profile: &sfn_lint::profile::LoadedProfile,
    opts: &sfn_lint::cost::Options,
    pricing: &sfn_lint::cost::Pricing,
) -> Result<sfn_lint::cost::CostReport, sfn_lint::cost::CostError> {
    let settings = sfn_lint::config::Settings {
        workflow_type: opts.workflow_type,
        ..Default::default()
    };
    let (analysis, read) = sfn_lint::lint::analyze_keeping(text, format, &settings);
    sfn_lint::cost::estimate(path, text, &analysis, read.as_ref(), profile, opts, pricing)
}
