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
    if let Ok(r) = sfn_lint::cost::estimate_text(
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
