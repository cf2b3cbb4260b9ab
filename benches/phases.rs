//! Criterion benchmarks of each pipeline phase on its own: parsing (JSON and YAML), schema
//! validation, building the model and the graph, each rule family, rendering. The bundled
//! example (a real-sized workflow with a Parallel) and a generated 1,000-state definition.

use criterion::{Criterion, criterion_group, criterion_main};
use sfn_lint::asl::graph::StateGraph;
use sfn_lint::asl::lower::lower;
use sfn_lint::config::Settings;
use sfn_lint::rules::{self, Category, Ctx};
use sfn_lint::syntax::{self, Format};

#[path = "lint.rs"]
#[allow(dead_code)]
mod lint_bench;

// The binary's allocator, so that the phases cost here what they cost in `sfn-lint check`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLE: &str = include_str!("../examples/order-processing.asl.json");

fn phases(c: &mut Criterion) {
    let medium = lint_bench::generate(30);
    let big = lint_bench::generate(1000);
    // The peers' batch file (13 KB, 30 states, 13 findings), when ../shared is beside the
    // checkout: the per-file cost behind scripts/bench-peers.sh.
    let scratch = tempfile::tempdir().unwrap();
    let peers = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/peers/bench/gen_medium.py"
        ))
        .current_dir(scratch.path())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|_| std::fs::read_to_string(scratch.path().join("medium.json")).ok());
    if peers.is_none() {
        eprintln!("note: ../shared/peers is absent; the `peers batch file` group is skipped");
    }
    let mut inputs = vec![
        ("example", EXAMPLE),
        ("30 states", medium.as_str()),
        ("1000 states", big.as_str()),
    ];
    if let Some(p) = &peers {
        inputs.push(("peers batch file", p.as_str()));
    }
    for (label, text) in inputs {
        let mut g = c.benchmark_group(label);
        g.bench_function("parse json", |b| {
            b.iter(|| syntax::parse(std::hint::black_box(text), Format::Json).unwrap())
        });
        let doc = syntax::parse(text, Format::Json).unwrap();
        let root = doc.root.unwrap();
        // What a lint pays: the check build.rs generates (valid files stop there).
        g.bench_function("schema", |b| {
            b.iter(|| sfn_lint::rules::schema::validate(&doc, root))
        });
        // The runtime validator, which decides unsure numbers and explains errors.
        g.bench_function("schema (runtime validator)", |b| {
            b.iter(|| sfn_lint::rules::schema::runtime_is_valid(&doc, root))
        });
        g.bench_function("model", |b| b.iter(|| lower(&doc, root).unwrap()));
        let model = lower(&doc, root).unwrap();
        g.bench_function("graph", |b| b.iter(|| StateGraph::build(&model)));
        let graph = StateGraph::build(&model);
        for category in [
            Category::Correctness,
            Category::Expressions,
            Category::Resilience,
            Category::Express,
        ] {
            g.bench_function(format!("rules {}", category.as_str()), |b| {
                b.iter(|| {
                    // A fresh context each time: the analyses rules share are part of the cost.
                    let ctx = Ctx {
                        doc: &doc,
                        model: &model,
                        graph: &graph,
                        text,
                        workflow: Default::default(),
                        profile: None,
                        substitutions: None,
                        cache: Default::default(),
                    };
                    let mut out = Vec::new();
                    for rule in rules::ALL.iter().filter(|r| r.category == category) {
                        if let Some(check) = rule.check {
                            check(&ctx, &mut out);
                        }
                    }
                    out
                })
            });
        }
        let report =
            sfn_lint::lint::lint_bytes("flow.asl.json", text.as_bytes(), &Settings::default());
        let reports = [report];
        g.bench_function("render json", |b| {
            b.iter(|| {
                let mut out = Vec::new();
                sfn_lint::render::json::write(&reports, &mut out).unwrap();
                out
            })
        });
        g.bench_function("render text", |b| {
            b.iter(|| {
                sfn_lint::render::render(sfn_lint::render::OutputFormat::Text, &reports, false)
            })
        });
        g.finish();
    }
    let yaml = serde_yaml_like(EXAMPLE);
    c.bench_function("example/parse yaml", |b| {
        b.iter(|| syntax::parse(std::hint::black_box(&yaml), Format::Yaml).unwrap())
    });
    // Paid once, by a process that meets a definition with schema errors.
    c.bench_function("runtime schema validator compile", |b| {
        b.iter(sfn_lint::rules::schema::compile)
    });
}

/// The example as YAML: JSON is YAML, but flow style is not what people write, so re-indent
/// it as block style through the tree.
fn serde_yaml_like(json: &str) -> String {
    fn emit(v: &serde_json::Value, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match v {
                        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                            out.push_str(&format!("{pad}{k:?}:\n"));
                            emit(v, indent + 2, out);
                        }
                        _ => out.push_str(&format!("{pad}{k:?}: {v}\n")),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    match v {
                        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                            out.push_str(&format!("{pad}-\n"));
                            emit(v, indent + 2, out);
                        }
                        _ => out.push_str(&format!("{pad}- {v}\n")),
                    }
                }
            }
            other => out.push_str(&format!("{pad}{other}\n")),
        }
    }
    let mut out = String::new();
    emit(&serde_json::from_str(json).unwrap(), 0, &mut out);
    out
}

criterion_group!(benches, phases);
criterion_main!(benches);
