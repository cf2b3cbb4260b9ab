//! Properties on random inputs (proptest, stable Rust, in `cargo test`): no input makes the
//! pipeline panic — arbitrary bytes as JSON, YAML, templates or Terraform, and random state
//! graphs; the unreachable set is exactly the complement of what StartAt reaches; the cost
//! model's exact expectations equal its Monte Carlo simulation's on those graphs; a string's
//! source map stays inside the string and in order; safe fixes never add a finding; a
//! walked file is chosen and reported as a named one is.

use proptest::prelude::*;
use sfn_lint::config::Settings;
use sfn_lint::lint::lint_bytes;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bytes that look a little like our inputs: fragments of JSON, YAML, HCL and ASL keywords.
fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\"StartAt\"",
        "\"States\"",
        "\"Type\"",
        "\"Task\"",
        "\"Next\"",
        "\"Map\"",
        "\"Parallel\"",
        "\"Choice\"",
        "\"End\"",
        "true",
        "null",
        "1e999",
        "\"$.a\"",
        "\"States.Format('{}', $.x)\"",
        "\"{% $states.input %}\"",
        "\n  ",
        "- ",
        "!Sub ",
        "!GetAtt ",
        "&a ",
        "*a",
        "Resources:",
        "AWS::Serverless::StateMachine",
        "DefinitionString:",
        "resource \"aws_sfn_state_machine\" \"x\" {",
        "definition = ",
        "jsonencode(",
        ")",
        "<<EOF\n",
        "\\u0000",
        "\\ud800",
        "😀",
        "\u{feff}",
        "${X}",
        "#",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), ext in prop::sample::select(vec!["a.asl.json", "a.asl.yaml", "template.yaml", "main.tf", "t.json"])) {
        let r = lint_bytes(ext, &bytes, &Settings::default());
        // Something is always said about a file that is not a definition.
        prop_assert!(bytes.is_empty() || !r.diagnostics.is_empty() || r.machines.is_some() || std::str::from_utf8(&bytes).is_ok());
    }

    #[test]
    fn fragments_never_panic(bytes in fragments(), ext in prop::sample::select(vec!["a.asl.json", "a.asl.yaml", "template.yaml", "main.tf"])) {
        let _ = lint_bytes(ext, &bytes, &Settings::default());
    }

    /// A directory walk lints a file in one parse (`lint_picked`): it must choose the files
    /// that `is_checked` chooses and report on them exactly what `lint_bytes` reports.
    #[test]
    fn picking_a_walked_file_chooses_and_reports_as_checking_it(bytes in fragments(), name in prop::sample::select(vec!["a.asl.json", "a.asl.yaml", "flow.json", "flow.yaml", "template.yml", "main.tf", "x.txt"])) {
        let settings = Settings::default();
        let picked = sfn_lint::lint::lint_picked(name, &bytes, &settings);
        let chosen = sfn_lint::lint::is_checked(name, &String::from_utf8_lossy(&bytes));
        prop_assert_eq!(picked.is_some(), chosen);
        if let Some(p) = picked {
            let plain = lint_bytes(name, &bytes, &settings);
            let key = |r: &sfn_lint::lint::FileReport| r.diagnostics.iter().map(|d| (d.rule.code, d.span, d.message.clone())).collect::<Vec<_>>();
            prop_assert_eq!(key(&p), key(&plain));
            prop_assert_eq!(p.machines, plain.machines);
        }
    }

    #[test]
    fn random_graphs(n in 1usize..12, edges in prop::collection::vec((0usize..12, 0usize..12, 0u8..3), 0..30), start in 0usize..12) {
        // A random definition: Pass states with Next, Choices with rules, Task catchers.
        let n = n.max(1);
        let start = start % n;
        let mut states = serde_json::Map::new();
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, next) in succ.iter_mut().enumerate() {
            let outs: Vec<(usize, u8)> = edges.iter().filter(|(a, _, _)| a % n == i).map(|(_, b, k)| (b % n, *k)).collect();
            let name = |j: usize| format!("S{j}");
            let st = match outs.first() {
                None => serde_json::json!({"Type": "Succeed"}),
                Some((b, 0)) => {
                    next.push(*b);
                    serde_json::json!({"Type": "Pass", "Next": name(*b)})
                }
                Some((b, 1)) => {
                    next.extend(outs.iter().map(|(t, _)| *t));
                    next.push(*b);
                    serde_json::json!({"Type": "Choice", "Choices": outs.iter().map(|(t, _)| serde_json::json!({"Variable": "$.x", "IsPresent": true, "Next": name(*t)})).collect::<Vec<_>>(), "Default": name(*b)})
                }
                Some((b, _)) => {
                    next.push(*b);
                    serde_json::json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": name(*b)}], "End": true})
                }
            };
            states.insert(name(i), st);
        }
        let def = serde_json::json!({"StartAt": format!("S{start}"), "States": states});
        let text = serde_json::to_string(&def).unwrap();
        let r = lint_bytes("g.asl.json", text.as_bytes(), &Settings::default());
        let mut seen = vec![false; n];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) { continue; }
            stack.extend(succ[i].iter().copied());
        }
        let doc = sfn_lint::syntax::parse(&text, sfn_lint::syntax::Format::Json).unwrap();
        let model = sfn_lint::asl::lower::lower(&doc, doc.root.unwrap()).unwrap();
        let graph = sfn_lint::asl::graph::StateGraph::build(&model);
        let mut reported: Vec<String> = graph.unreachable(model.root().id).iter().map(|s| model.state(*s).name.to_string()).collect();
        reported.sort();
        let mut want: Vec<String> = (0..n).filter(|i| !seen[*i]).map(|i| format!("S{i}")).collect();
        want.sort();
        prop_assert_eq!(&reported, &want);
        // The linter reports something whenever a state is unreachable.
        prop_assert_eq!(want.is_empty(), !r.diagnostics.iter().any(|d| d.rule.code == "SFN117"));
        // And the cost model either names a loop with no way out or solves it, and then its
        // exact expectations equal the Monte Carlo simulation's (within 5.5 standard errors:
        // with 256 cases and four numbers each, a false alarm is about 1 in 25,000 runs).
        let opts = sfn_lint::cost::Options { simulate: 600, seed: text.len() as u64, top: 3, ..Default::default() };
        if let Ok(r) = sfn_lint::cost::estimate_text("g.asl.json", &text, sfn_lint::syntax::Format::Json, &Default::default(), &opts, &sfn_lint::cost::Pricing::bundled())
            && r.definition_errors.is_empty()
        {
            let sim = r.simulation.as_ref().expect("simulated");
            let e = &r.per_execution;
            for (what, exact, est) in [
                ("transitions", e.transitions, &sim.transitions),
                ("history events", e.history_events, &sim.events),
                ("success rate", e.success_rate, &sim.success_rate),
                ("duration", e.duration_s, &sim.duration_s),
            ] {
                let tol = 5.5 * est.std_error + 1e-9 * (1.0 + exact.abs());
                prop_assert!((exact - est.mean).abs() <= tol, "{}: exact {} vs simulated {} ± {} for {}", what, exact, est.mean, est.std_error, text);
            }
        }
    }

    #[test]
    fn string_source_maps_stay_inside_and_in_order(value in "[ -~é😀\n\t\"\\\\]{0,40}") {
        let raw = serde_json::to_string(&value).unwrap();
        let mut e = sfn_lint::template::Embedded::default();
        e.push_aligned(&value, &raw, 1000);
        let e = e.finish(1000 + raw.len());
        let mut last = 0;
        for (i, c) in value.char_indices() {
            let s = e.to_template(sfn_lint::source::Span::new(i, i + c.len_utf8()));
            prop_assert!(s.start as usize >= 1000 && (s.end as usize) <= 1000 + raw.len(), "{:?}", s);
            prop_assert!(s.start >= last, "out of order at {}", i);
            last = s.start;
            // Each character maps to its own source text (a character or an escape).
            let src = &raw[(s.start as usize - 1000)..(s.end as usize - 1000)];
            let decoded: String = serde_json::from_str(&format!("\"{src}\"")).unwrap_or_default();
            prop_assert_eq!(decoded, c.to_string());
        }
    }
}

#[test]
fn safe_fixes_never_add_a_finding() {
    use sfn_lint::diagnostic::fix::{Mode, apply_all};
    use sfn_lint::lint::lint_text;
    use sfn_lint::syntax::Format;
    let Some(corpus) = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .canonicalize()
        .ok()
    else {
        println!(
            "note: ../shared/corpus is absent; the fix property was checked on the bundled example only"
        );
        return;
    };
    let mut files = vec![
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("examples/order-processing.asl.json"),
    ];
    for e in walk(&corpus) {
        if e.to_string_lossy().contains(".asl.") {
            files.push(e);
        }
    }
    let mut fixed_files = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let format = Format::from_path(&f.to_string_lossy());
        let settings = Settings::default();
        let before = lint_text(&text, format, &settings);
        let (after_text, n) = apply_all(&text, Mode::Safe, |t| lint_text(t, format, &settings));
        if n == 0 {
            continue;
        }
        fixed_files += 1;
        let after = lint_text(&after_text, format, &settings);
        for d in &after {
            let was = before.iter().filter(|b| b.rule.code == d.rule.code).count();
            let now = after.iter().filter(|a| a.rule.code == d.rule.code).count();
            assert!(
                now <= was,
                "{}: fixing added {} ({was} → {now})",
                f.display(),
                d.rule.code
            );
        }
    }
    println!("safe fixes checked on {fixed_files} files");
    assert!(fixed_files > 10);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
