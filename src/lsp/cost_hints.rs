//! Cost in the editor: each state's expected visits per execution and its share of the
//! monthly Standard bill, as inlay hints after the state's name and in its hover. The figures
//! are `sfn-lint cost`'s, from the definition the last lint read and the profile beside the
//! file (`NAME.profile.yaml`, or the nearest `sfn-lint.profile.*`; the defaults without one).

use serde_json::{Value, json};

use super::Doc;
use super::convert::{Encoding, Lines};
use crate::cost::{self, CostReport, Options, Pricing};
use crate::lint::Analysis;
use crate::profile::LoadedProfile;

/// The document's cost report, or `None` when it cannot be costed (not a definition, a
/// profile error, a loop that never ends).
pub fn report(doc: &Doc) -> Option<CostReport> {
    let def = doc.read_definition()?;
    let path = doc.path.as_deref();
    let profile = path
        .and_then(|file| {
            let p = crate::workspace::profile_for(file)?;
            let text = std::fs::read_to_string(&p).ok()?;
            let loaded = LoadedProfile::parse(&p.display().to_string(), &text).ok()?;
            // A profile for a set of workflows: this file's entry (keyed by its path from the
            // profile's folder, or its name), over the defaults whose states it has.
            let dir = p.parent().unwrap_or(std::path::Path::new(""));
            let shown = file.strip_prefix(dir).unwrap_or(file).display().to_string();
            let (mut mine, _) = loaded.for_workflow(&shown, None);
            mine.drop_absent(&def.model, false);
            Some(mine)
        })
        .unwrap_or_default();
    let analysis = Analysis {
        diagnostics: doc.diagnostics.clone(),
        ..Default::default()
    };
    let opts = Options {
        top: 1,
        ..Default::default()
    };
    cost::estimate(
        &doc.uri,
        &doc.text,
        &analysis,
        Some(def),
        &profile,
        &opts,
        &Pricing::bundled(),
    )
    .ok()
}

/// One state's figures as a short label: visits per execution and the share of the bill.
pub fn label(r: &CostReport, state: &str) -> Option<String> {
    let s = r.states.iter().find(|s| s.state == state)?;
    let total: f64 = r.states.iter().map(|s| s.transitions).sum();
    let share = if total > 0.0 {
        s.transitions / total
    } else {
        0.0
    };
    Some(format!(
        "{} visits/execution · {:.1}% of {}/month",
        cost::fmt_count(s.visits),
        share * 100.0,
        cost::fmt_money(r.standard.monthly)
    ))
}

/// `textDocument/inlayHint`: a hint after each state's name.
pub fn inlay_hints(doc: &Doc, enc: Encoding) -> Value {
    let (Some(r), Some(nav)) = (report(doc), doc.nav()) else {
        return json!([]);
    };
    let lines = Lines::new(&doc.text, enc);
    let hints: Vec<Value> = nav
        .model
        .states
        .iter()
        .filter_map(|st| {
            let text = label(&r, &st.name)?;
            let (line, character) = lines.position(nav.key_span(st.id).end as usize);
            Some(json!({
                "position": {"line": line, "character": character},
                "label": format!("  {text}"),
                "kind": 1,
                "paddingLeft": true,
                "tooltip": "sfn-lint cost: expected visits per execution, and the state's share of the monthly Standard bill (its transitions)",
            }))
        })
        .collect();
    json!(hints)
}
