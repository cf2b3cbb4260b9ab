//! The pipeline for one file: read, parse, validate, lower, run the rules, filter, sort.
//! Pure: text in, diagnostics out, no I/O.

use std::borrow::Cow;

use crate::asl::graph::StateGraph;
use crate::asl::lower::lower;
use crate::asl::{Definition, Model};
use crate::config::Settings;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, suppression};
use crate::rules::schema;
use crate::rules::{self, Category, Ctx, syntax as sx};
use crate::source::{LineIndex, Span};
use crate::syntax::{self, Format, NodeKind};

/// One linted file: its (lossily decoded) text and what was found.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the workflow could run as Express (None when the file could not be analysed).
    pub express: Option<ExpressVerdict>,
    /// Definition files a template refers to, for the caller to resolve and lint.
    pub references: Vec<Reference>,
    /// For a template: how many state machines it holds.
    pub machines: Option<usize>,
    /// The lines of `text`: from the parser when it indexed them, else made on first use.
    lines: std::sync::OnceLock<LineIndex>,
}

impl FileReport {
    pub fn new(path: &str, text: String, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path: path.to_string(),
            text,
            diagnostics,
            express: None,
            references: Vec::new(),
            machines: None,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// Drops the text and its line index, for a report whose rendered part holds what it
    /// needs of them (a batch keeps its reports until all are written).
    pub fn drop_text(&mut self) {
        self.text = String::new();
        self.lines = std::sync::OnceLock::new();
    }

    /// The line index of [`FileReport::text`], for locating the diagnostics.
    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// A definition file a template names (`DefinitionUri`, `file()`, …). Reading it is the
/// caller's job, inside the repository only.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The state machine (logical id, Serverless key or Terraform address).
    pub machine: String,
    /// The path as written, relative to the template's directory.
    pub path: String,
    /// Where the template names it.
    pub span: Span,
    pub pointer: String,
    pub workflow_type: Option<crate::asl::WorkflowType>,
    pub substitutions: Option<Vec<String>>,
    /// The role the template gives the state machine, when it is statically known: the
    /// definition's calls are checked against it once the file is read.
    pub role: Option<crate::permissions::Role>,
}

/// The workflow's type and whether it could run as Express, with the reasons it could not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExpressVerdict {
    #[serde(rename = "type")]
    pub workflow_type: crate::asl::WorkflowType,
    pub allowed: bool,
    pub blockers: Vec<String>,
}

impl ExpressVerdict {
    /// "could run as Express: yes" / "no, because …", for reports.
    pub fn sentence(&self) -> String {
        if self.allowed {
            "could run as Express: yes".to_string()
        } else {
            format!(
                "could run as Express: no, because {}",
                self.blockers.join("; ")
            )
        }
    }
}

/// Everything one file's analysis produces.
#[derive(Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub express: Option<ExpressVerdict>,
    pub references: Vec<Reference>,
    pub machines: Option<usize>,
    /// The text's line index, when the parser made one.
    pub lines: Option<LineIndex>,
}

/// Decodes bytes, reporting invalid UTF-8 as a syntax error at the first bad byte.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => {
            let at = e.valid_up_to();
            let d = Diagnostic::new(
                &sx::SYNTAX_ERROR,
                format!("the file is not valid UTF-8 (bad byte 0x{:02X})", bytes[at]),
                // The span is in the decoded text, where the bad byte became one U+FFFD.
                Span::new(at, at + '\u{FFFD}'.len_utf8()),
                "",
            )
            .help("save the file as UTF-8; AWS reads definitions as UTF-8 text");
            (String::from_utf8_lossy(bytes), Some(d))
        }
    }
}

/// Lints a file's bytes.
pub fn lint_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    let (text, bad) = decode(bytes);
    let analysis = match bad {
        Some(d) => Analysis {
            diagnostics: vec![d],
            ..Default::default()
        },
        None => analyze_file(path, &text, settings),
    };
    report(path, text, analysis)
}

/// [`lint_bytes`] for the editor: the report and, for a single definition, what was read
/// (navigation reads it instead of parsing the text again).
pub fn lint_keeping(
    path: &str,
    text: &str,
    settings: &Settings,
) -> (FileReport, Option<Definition>) {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tf") || lower.ends_with(".hcl") {
        return (lint_bytes(path, text.as_bytes(), settings), None);
    }
    let (analysis, read) = analyze_keeping(text, Format::from_path(path), settings);
    (report(path, Cow::Borrowed(text), analysis), read)
}

/// [`lint_bytes`] for bytes the caller gives up: valid UTF-8 (nearly every file) becomes the
/// report's text as it is, without a copy.
pub fn lint_owned(path: &str, bytes: Vec<u8>, settings: &Settings) -> FileReport {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let analysis = analyze_file(path, &text, settings);
            report(path, Cow::Owned(text), analysis)
        }
        Err(e) => lint_bytes(path, e.as_bytes(), settings),
    }
}

/// The analysis of a file's text, by its kind (Terraform, or a JSON/YAML definition or
/// template).
fn analyze_file(path: &str, text: &str, settings: &Settings) -> Analysis {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tf") || lower.ends_with(".hcl") {
        analyze_terraform(text, settings)
    } else {
        analyze(text, Format::from_path(path), settings)
    }
}

/// For a file met in a directory walk: its report if it is one sfn-lint checks (the choice
/// [`is_checked`] makes), else `None`. A JSON or YAML file is parsed once, for the choice and
/// the lint together.
pub fn lint_picked(path: &str, bytes: &[u8], settings: &Settings) -> Option<FileReport> {
    let lower = path.to_ascii_lowercase();
    let plain = [".json", ".yaml", ".yml"]
        .iter()
        .any(|e| lower.ends_with(e))
        && !named_as_definition(path);
    let (text, bad) = decode(bytes);
    if !plain || bad.is_some() {
        return is_checked(path, &String::from_utf8_lossy(bytes))
            .then(|| lint_bytes(path, bytes, settings));
    }
    if !mentions_asl_keys(&text) && !has_template_marker(&text) {
        return None;
    }
    let analysis = analyze_as(&text, Format::from_path(path), settings, true, None)?;
    Some(report(path, text, analysis))
}

fn report(path: &str, text: Cow<'_, str>, analysis: Analysis) -> FileReport {
    FileReport {
        path: path.to_string(),
        text: text.into_owned(),
        diagnostics: analysis.diagnostics,
        express: analysis.express,
        references: analysis.references,
        machines: analysis.machines,
        lines: analysis
            .lines
            .map_or_else(std::sync::OnceLock::new, std::sync::OnceLock::from),
    }
}

/// Lints a definition's text.
pub fn lint_text(text: &str, format: Format, settings: &Settings) -> Vec<Diagnostic> {
    analyze(text, format, settings).diagnostics
}

/// Lints a definition's text and judges whether it could run as Express.
pub fn analyze(text: &str, format: Format, settings: &Settings) -> Analysis {
    analyze_as(text, format, settings, false, None).unwrap_or_default()
}

/// [`analyze`], keeping what was read when the text is a single state machine definition the
/// model could read (not a template, not past the size limits): the cost estimator's input.
pub fn analyze_keeping(
    text: &str,
    format: Format,
    settings: &Settings,
) -> (Analysis, Option<Definition>) {
    let mut kept = None;
    let analysis = analyze_as(text, format, settings, false, Some(&mut kept)).unwrap_or_default();
    (analysis, kept)
}

/// Reads a definition without checking it (the diagram's input); the error says why it
/// cannot be read.
pub fn read_definition(text: &str, format: Format) -> Result<Definition, String> {
    let doc = syntax::parse(text, format).map_err(|e| e.message)?;
    let root = doc.root.ok_or("the file is empty")?;
    Definition::lower(doc, root).ok_or_else(|| "the definition is not an object".into())
}

/// [`analyze`]; with `picking`, `None` for a well-formed file that is neither a definition
/// nor a template with a state machine (what [`is_checked`] decides), found without parsing
/// twice.
fn analyze_as(
    text: &str,
    format: Format,
    settings: &Settings,
    picking: bool,
    keep: Option<&mut Option<Definition>>,
) -> Option<Analysis> {
    let mut out = Vec::new();
    if format == Format::Json && text.starts_with('\u{FEFF}') {
        out.push(byte_order_mark());
    }
    let doc = match syntax::parse(text, format) {
        Ok(doc) if picking && !is_definition(&doc) && !holds_state_machine(&doc) => return None,
        Ok(doc) => doc,
        Err(e) => {
            let rule = if e.limit {
                &sx::RESOURCE_LIMIT
            } else {
                &sx::SYNTAX_ERROR
            };
            let mut d = Diagnostic::new(rule, e.message, e.span, "");
            if let Some(h) = e.help {
                d = d.help(h);
            }
            out.push(d);
            return Some(Analysis {
                diagnostics: out,
                ..Default::default()
            });
        }
    };
    let mut doc = doc;
    let template =
        crate::template::kind(&doc).map(|k| (k, crate::template::extract(&doc, text, k)));
    // In a template, only duplicates inside a definition are ours to report.
    let defs: Vec<syntax::NodeId> = template
        .iter()
        .flat_map(|(_, machines)| machines)
        .filter_map(|m| match m.body {
            crate::template::Body::Tree(n) => Some(n),
            _ => None,
        })
        .collect();
    let inside = |mut n: syntax::NodeId| loop {
        if defs.contains(&n) {
            return true;
        }
        match doc.node(n).parent {
            Some(p) => n = p,
            None => return false,
        }
    };
    for dup in doc
        .duplicates
        .iter()
        .filter(|d| template.is_none() || inside(d.object))
    {
        let object_ptr = doc.pointer(dup.object);
        out.push(
            Diagnostic::new(&sx::DUPLICATE_KEY, format!("duplicate key `{}`", dup.key), dup.second, format!("{object_ptr}/{}", syntax::pointer::escape(&dup.key)))
                .label(dup.first, "first defined here")
                .help("remove or rename one of them; sfn-lint reads the first, other tools may read the last")
                .note("AWS rejects a definition with duplicate keys, and which value a parser keeps is undefined"),
        );
    }
    if let Some((kind, machines)) = template {
        let mut a = lint_machines(Some(&mut doc), text, kind, machines, settings);
        out.append(&mut a.diagnostics);
        suppression::apply(text, &doc, &mut out);
        finish(&mut out, settings);
        a.diagnostics = out;
        a.lines = doc.take_line_index(text);
        return Some(a);
    }
    let Some(root) = doc.root else {
        return Some(Analysis {
            diagnostics: out,
            ..Default::default()
        });
    };
    if !matches!(doc.kind(root), NodeKind::Object(_)) {
        out.push(
            Diagnostic::new(
                &sx::INVALID_ROOT,
                format!(
                    "a state machine definition must be an object, found {}",
                    doc.type_name(root)
                ),
                doc.span(root),
                "",
            )
            .help("the definition is an object with `StartAt` and `States`"),
        );
        return Some(Analysis {
            diagnostics: out,
            ..Default::default()
        });
    }
    if doc.get(root, "StartAt").is_none() && doc.get(root, "States").is_none() {
        // Named explicitly, yet neither a definition nor a template: one finding, not a
        // field-by-field cascade against the definition schema.
        out.push(
            Diagnostic::new(
                &sx::INVALID_ROOT,
                "this file is not a state machine definition: its root has neither `StartAt` nor `States`",
                Span::empty(doc.span(root).start as usize),
                "",
            )
            .help("a definition is an object with `StartAt` and `States`; a template holds one in an `AWS::StepFunctions::StateMachine` or `AWS::Serverless::StateMachine` resource")
            .note("directory walks skip such files; this one was named on the command line"),
        );
        return Some(Analysis {
            diagnostics: out,
            lines: doc.take_line_index(text),
            ..Default::default()
        });
    }
    let (found, express, read) = analyze_tree(&doc, root, text, settings);
    out.extend(found);
    suppression::apply(text, &doc, &mut out);
    finish(&mut out, settings);
    let lines = doc.take_line_index(text);
    if let (Some(keep), Some((model, graph))) = (keep, read) {
        *keep = Some(Definition {
            doc,
            root,
            model,
            graph,
        });
    }
    Some(Analysis {
        diagnostics: out,
        express,
        lines,
        ..Default::default()
    })
}

/// A BOM at the start of a JSON file, with the fix that removes it.
fn byte_order_mark() -> Diagnostic {
    Diagnostic::new(
        &sx::BYTE_ORDER_MARK,
        "the file starts with a byte order mark (U+FEFF)",
        Span::new(0, 3),
        "",
    )
    .help("save the file as UTF-8 without a BOM")
    .note("a BOM is not JSON; AWS's parser rejects a definition that starts with one")
    .fix(Fix {
        title: "remove the byte order mark".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span: Span::new(0, 3),
            replacement: String::new(),
        }],
    })
}

/// A document this big (about 1.5 MB of JSON) has its schema validated in parallel with the
/// rules.
const PARALLEL_SCHEMA_NODES: usize = 50_000;

/// The checks of one definition rooted at `root` (a whole file, or a subtree of a template):
/// schema, model, graph and rules. Suppression and severities are applied by the caller.
fn analyze_tree(
    doc: &syntax::Document,
    root: syntax::NodeId,
    text: &str,
    settings: &Settings,
) -> (Vec<Diagnostic>, Option<ExpressVerdict>, Option<Read>) {
    // The schema check and the rules do not depend on each other: a big definition is
    // validated on a thread of its own alongside the rules, so that a lone large file uses
    // a second core.
    let ((mut found, express, read), schema) = if doc.nodes.len() >= PARALLEL_SCHEMA_NODES {
        std::thread::scope(|s| {
            let spawned = std::thread::Builder::new()
                .stack_size(crate::limits::WORKER_STACK_BYTES)
                .spawn_scoped(s, || schema::validate(doc, root));
            let checked = analyze_model(doc, root, text, settings);
            let schema = match spawned {
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(_) => schema::validate(doc, root),
            };
            (checked, schema)
        })
    } else {
        let checked = analyze_model(doc, root, text, settings);
        (checked, schema::validate(doc, root))
    };
    found.extend(schema);
    dedupe(&mut found);
    (found, express, read)
}

/// The model and graph of a definition, as the rules read them.
type Read = (Model, StateGraph);

/// The model, graph and rule checks of one definition (everything but the schema).
fn analyze_model(
    doc: &syntax::Document,
    root: syntax::NodeId,
    text: &str,
    settings: &Settings,
) -> (Vec<Diagnostic>, Option<ExpressVerdict>, Option<Read>) {
    let deadline = settings.time_budget.map(|b| std::time::Instant::now() + b);
    let mut found = Vec::new();
    let mut express = None;
    if let Some(model) = lower(doc, root) {
        if model.states.len() > crate::limits::MAX_STATES {
            let at = doc.get(root, "States").unwrap_or(root);
            found.push(
                Diagnostic::new(
                    &sx::RESOURCE_LIMIT,
                    format!(
                        "the definition has {} states, more than the {} sfn-lint analyses; graph and rule checks were skipped",
                        model.states.len(),
                        crate::limits::MAX_STATES
                    ),
                    doc.key_span(at).unwrap_or(doc.span(at)),
                    doc.pointer(at),
                )
                .help("split the workflow into child state machines (AWS caps a definition at 1 MB, far fewer states)"),
            );
            return (found, None, None);
        }
        let graph = StateGraph::build(&model);
        let ctx = Ctx {
            doc,
            model: &model,
            graph: &graph,
            text,
            workflow: settings.workflow_type.unwrap_or_default(),
            profile: settings.profile.as_ref(),
            substitutions: settings.substitutions.as_deref(),
            cache: Default::default(),
        };
        let mut skipped = Vec::new();
        // The clock is read before every fourth rule: a rule on an ordinary file takes about
        // a microsecond, and reading the clock before each one cost as much as a small rule.
        let mut checks = 0usize;
        for rule in rules::ALL {
            if let Some(check) = rule.check
                && settings.severity(rule).is_some()
            {
                checks += 1;
                if !skipped.is_empty()
                    || (checks % 4 == 1 && deadline.is_some_and(|d| std::time::Instant::now() >= d))
                {
                    skipped.push(rule.code);
                    continue;
                }
                check(&ctx, &mut found);
            }
        }
        if !skipped.is_empty() {
            let budget = settings.time_budget.unwrap_or_default();
            found.push(
                Diagnostic::new(
                    &sx::ANALYSIS_INCOMPLETE,
                    format!(
                        "checking this definition took longer than its {} ms time budget; {} rule check{} skipped ({})",
                        budget.as_millis(),
                        skipped.len(),
                        if skipped.len() == 1 { " was" } else { "s were" },
                        skipped.join(", ")
                    ),
                    doc.key_span(root).unwrap_or(Span::empty(doc.span(root).start as usize)),
                    doc.pointer(root),
                )
                .help("raise the budget with `--time-budget <ms>` (0 = none), or split the workflow into child state machines")
                .note("the budget keeps one pathological file from stalling a whole batch; the checks that ran are reported as usual"),
            );
        }
        let blockers = rules::express::express_blockers(&ctx);
        express = Some(ExpressVerdict {
            workflow_type: ctx.workflow,
            allowed: blockers.is_empty(),
            blockers,
        });
        return (found, express, Some((model, graph)));
    }
    (found, express, None)
}

/// Lints the state machines of a template: subtrees in place, strings through their source
/// map, files handed back as references.
fn lint_machines(
    mut doc: Option<&mut syntax::Document>,
    text: &str,
    kind: crate::template::TemplateKind,
    machines: Vec<crate::template::Machine>,
    settings: &Settings,
) -> Analysis {
    use crate::template::Body;
    let mut a = Analysis {
        machines: Some(machines.len()),
        ..Default::default()
    };
    if machines.is_empty() {
        a.diagnostics.push(
            Diagnostic::new(
                &sx::UNSUPPORTED_FILE,
                format!("this {} holds no state machine", kind.name()),
                Span::empty(0),
                "",
            )
            .help("state machines are `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` resources, `stepFunctions.stateMachines` in Serverless, `aws_sfn_state_machine` in Terraform"),
        );
        return a;
    }
    for m in machines {
        let mut s = settings.clone();
        if m.workflow_type.is_some() {
            s.workflow_type = m.workflow_type;
        }
        s.substitutions = m.substitutions.clone();
        let role = match kind {
            crate::template::TemplateKind::Terraform => {
                crate::permissions::terraform_role(text, &m.name)
            }
            _ => doc
                .as_deref()
                .and_then(|d| crate::permissions::role_of(d, text, &m.name)),
        };
        match m.body {
            Body::Tree(root) => {
                let Some(doc) = doc.as_deref_mut() else {
                    continue;
                };
                crate::template::normalize_intrinsics(doc, root);
                if !matches!(doc.kind(root), NodeKind::Object(_)) {
                    a.diagnostics.push(
                        Diagnostic::new(
                            &sx::INVALID_ROOT,
                            format!(
                                "the definition of `{}` must be an object, found {}",
                                m.name,
                                doc.type_name(root)
                            ),
                            doc.span(root),
                            doc.pointer(root),
                        )
                        .help("the definition is an object with `StartAt` and `States`"),
                    );
                    continue;
                }
                let (found, express, read) = analyze_tree(doc, root, text, &s);
                a.diagnostics.extend(found);
                a.express = a.express.or(express);
                if let (Some(role), Some((model, _))) = (&role, &read) {
                    let policy =
                        crate::policy::of_model(doc, model, crate::policy::Options::default());
                    a.diagnostics
                        .extend(role_findings(&policy, role, &Place::States(doc, model)));
                }
            }
            Body::Text {
                embedded,
                pointer,
                span: _,
            } => embedded_definition(&mut a, &embedded, &pointer, role.as_ref(), &s),
            Body::File {
                path,
                span,
                pointer,
            } => {
                if path.starts_with('/') || path.starts_with('\\') || path.get(1..3) == Some(":\\")
                {
                    a.diagnostics.push(
                        Diagnostic::new(
                            &sx::DEFINITION_REFERENCE,
                            format!("`{}` names its definition by an absolute path (`{path}`), which is not read", m.name),
                            span,
                            pointer,
                        )
                        .help("use a path relative to the template, inside the repository")
                        .note("sfn-lint reads only files inside the repository root, so that linting a pull request cannot read other files on the machine"),
                    );
                    continue;
                }
                a.references.push(Reference {
                    machine: m.name,
                    path,
                    span,
                    pointer,
                    workflow_type: m.workflow_type,
                    substitutions: m.substitutions,
                    role,
                });
            }
            Body::Missing { span, pointer } => {
                a.diagnostics.push(
                    Diagnostic::new(
                        &sx::DEFINITION_REFERENCE,
                        format!("state machine `{}` has no definition", m.name),
                        span,
                        pointer,
                    )
                    .help("give it `Definition` (an object), `DefinitionString`, `DefinitionUri` (SAM) or `DefinitionS3Location`"),
                );
            }
            Body::Elsewhere {
                what,
                span,
                pointer,
            } => {
                a.diagnostics.push(
                    Diagnostic::new(
                        &sx::UNSUPPORTED_FILE,
                        format!("the definition of `{}` is {what}, which sfn-lint does not read", m.name),
                        span,
                        pointer,
                    )
                    .help("keep the definition in the repository (a file, or inline) to have it checked"),
                );
            }
        }
    }
    a
}

/// A definition held as text in a template (`DefinitionString`, Terraform `jsonencode`):
/// checked on its own, its findings placed in the template.
fn embedded_definition(
    a: &mut Analysis,
    embedded: &crate::template::Embedded,
    pointer: &str,
    role: Option<&crate::permissions::Role>,
    s: &Settings,
) {
    let place = |d: &mut Diagnostic| {
        d.span = embedded.to_template(d.span);
        d.pointer = crate::template::join_pointer(pointer, &d.pointer);
    };
    // One parse: the checks and the role's comparison read the same definition.
    let (inner, def) = analyze_keeping(&embedded.text, Format::Json, s);
    if let (Some(role), Some(def)) = (role, &def) {
        // The role's label is in the template already; only the finding moves.
        let policy = crate::policy::of(def, crate::policy::Options::default());
        for mut d in role_findings(&policy, role, &Place::States(&def.doc, &def.model)) {
            place(&mut d);
            a.diagnostics.push(d);
        }
    }
    for mut d in inner.diagnostics {
        place(&mut d);
        for l in &mut d.labels {
            l.span = embedded.to_template(l.span);
        }
        // An edit inside a string would need the string's escaping: no fixes here.
        d.fix = None;
        a.diagnostics.push(d);
    }
    a.express = a.express.clone().or(inner.express);
}

/// Where SFN607 findings go: at each Task of a definition inside the template, or at the
/// place the template names its definition (a string, a file).
pub enum Place<'a> {
    States(&'a syntax::Document, &'a Model),
    Definition(Span, &'a str, &'a str),
}

/// SFN607: the calls of a definition that the machine's role, as the template gives it, does
/// not allow; one finding per state, with the statement that would allow them.
pub fn role_findings(
    policy: &crate::policy::Policy,
    role: &crate::permissions::Role,
    place: &Place<'_>,
) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut by_state: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let found = crate::permissions::missing(policy, role);
    let mut out = Vec::new();
    if found.incomplete {
        out.push(
            Diagnostic::new(
                &sx::ANALYSIS_INCOMPLETE,
                format!(
                    "checking the state machine's role against what its definition calls stopped after its budget of {} steps; the calls after that were not checked",
                    crate::permissions::WORK_BUDGET
                ),
                role.span,
                "",
            )
            .help("a role with this many statements is rare: split the state machine, or check its role by hand"),
        );
    }
    for (action, resource, states) in found.needs {
        for st in states {
            by_state
                .entry(st)
                .or_default()
                .push((action.clone(), resource.clone()));
        }
    }
    for (state, wants) in by_state {
        let actions: std::collections::BTreeSet<&str> =
            wants.iter().map(|(a, _)| a.as_str()).collect();
        let resources: std::collections::BTreeSet<&str> =
            wants.iter().map(|(_, r)| r.as_str()).collect();
        let statement = serde_json::json!({
            "Effect": "Allow",
            "Action": actions.iter().collect::<Vec<_>>(),
            "Resource": resources.iter().collect::<Vec<_>>(),
        });
        let list = actions
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (span, pointer, whose) = match place {
            Place::States(doc, model) => {
                let Some(st) = model.find_anywhere(&state).next() else {
                    continue;
                };
                let node = doc
                    .get(st.node, "Resource")
                    .or_else(|| doc.get(st.node, "ItemReader"))
                    .unwrap_or(st.node);
                (
                    doc.span(node),
                    doc.pointer(node),
                    format!("`{state}` calls"),
                )
            }
            Place::Definition(span, pointer, what) => (
                *span,
                pointer.to_string(),
                format!("`{state}` ({what}) calls"),
            ),
        };
        let mut d = Diagnostic::new(
            &rules::integrations::role_lacks_permission::RULE,
            format!("{whose} {list}, which the state machine's role does not allow: it fails with AccessDenied at run time"),
            span,
            pointer,
        )
        .label(role.span, role.what.clone())
        .help(format!("add this statement to the role: {statement}"))
        .note("only the role's policies in this template and AWS's managed policies are read; a policy managed elsewhere would make the role unknown and this check silent");
        if let Some(append) = &role.append {
            let actions: Vec<&str> = actions.iter().copied().collect();
            let resources: Vec<&str> = resources.iter().copied().collect();
            d = d.fix(Fix {
                title: format!("allow {list} in the state machine's `Policies`"),
                // It widens what the workflow may do: a change to review, not a formatting one.
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: Span::empty(append.at as usize),
                    replacement: append.statement(&actions, &resources),
                }],
            });
        }
        out.push(d);
    }
    out
}

/// Lints the state machines of a Terraform file.
pub fn analyze_terraform(text: &str, settings: &Settings) -> Analysis {
    match crate::template::terraform::extract(text) {
        Ok(machines) => {
            let mut a = lint_machines(
                None,
                text,
                crate::template::TemplateKind::Terraform,
                machines,
                settings,
            );
            let mut out = std::mem::take(&mut a.diagnostics);
            finish(&mut out, settings);
            a.diagnostics = out;
            a
        }
        Err(e) => {
            let at = e.offset.min(text.len());
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let d = if e.limit {
                Diagnostic::new(
                    &sx::RESOURCE_LIMIT,
                    format!("the Terraform file is too deep to read: {}", e.message),
                    Span::new(at, end),
                    "",
                )
                .help("no real Terraform file nests this deep; the file is likely generated or corrupt")
            } else {
                Diagnostic::new(
                    &sx::SYNTAX_ERROR,
                    format!("the Terraform file does not parse: {}", e.message),
                    Span::new(at, end),
                    "",
                )
            };
            Analysis {
                diagnostics: vec![d],
                ..Default::default()
            }
        }
    }
}

/// Drops a schema finding when a specific rule already reported the same node: the rule's
/// message is the better one.
fn dedupe(found: &mut Vec<Diagnostic>) {
    let specific: rustc_hash::FxHashSet<String> = found
        .iter()
        .filter(|d| d.rule.category != Category::Schema && d.severity == Severity::Error)
        .map(|d| d.pointer.clone())
        .collect();
    found.retain(|d| d.rule.category != Category::Schema || !specific.contains(&d.pointer));
    let mut seen = rustc_hash::FxHashSet::default();
    found.retain(|d| seen.insert((d.rule.code, d.span, d.message.clone())));
}

/// Applies severities from the settings, drops disabled rules and sorts by place.
fn finish(out: &mut Vec<Diagnostic>, settings: &Settings) {
    out.retain_mut(|d| match settings.severity(d.rule) {
        Some(s) => {
            // A rule may lower its own severity for a finding (e.g. a warning variant); the
            // configured level replaces the default only.
            if d.severity == d.rule.default_severity {
                d.severity = s;
            }
            true
        }
        None => false,
    });
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.code).cmp(&(b.span.start, b.span.end, b.rule.code))
    });
}

/// True when the report should fail a CI run.
pub fn has_failures(diagnostics: &[Diagnostic], deny_warnings: bool) -> bool {
    crate::diagnostic::Summary::of(diagnostics).fails(deny_warnings)
}

/// Whether a file is one sfn-lint checks, by name and structure (directory walks and the
/// language server decide the same way): `.asl.*`; a JSON/YAML file whose root is a definition
/// (`StartAt` and `States`) or a template with a state machine resource; a Terraform file with
/// an `aws_sfn_state_machine` or a module given a `definition`. A file that only mentions
/// those names (a JSON Schema, a resource specification, a service model) is not checked.
pub fn is_checked(uri: &str, text: &str) -> bool {
    if named_as_definition(uri) {
        return true;
    }
    let lower = uri.to_ascii_lowercase();
    if lower.ends_with(".tf") {
        return text.contains("aws_sfn_state_machine")
            || (text.contains("module") && text.contains("definition"));
    }
    if [".json", ".yaml", ".yml"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        if !mentions_asl_keys(text) && !has_template_marker(text) {
            return false;
        }
        return match syntax::parse(text, Format::from_path(&lower)) {
            Ok(doc) => is_definition(&doc) || holds_state_machine(&doc),
            // A broken file that mentions the keys is probably one of ours: lint it to say so.
            Err(_) => true,
        };
    }
    false
}

/// Whether the name alone makes a file a definition: `.asl.json`, `.asl.yaml`, `.asl.yml`, in
/// any case.
pub fn named_as_definition(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".asl.json", ".asl.yaml", ".asl.yml"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn mentions_asl_keys(text: &str) -> bool {
    text.contains("StartAt") && text.contains("States")
}

fn is_definition(doc: &syntax::Document) -> bool {
    doc.root
        .is_some_and(|r| doc.get(r, "StartAt").is_some() && doc.get(r, "States").is_some())
}

/// Text that may mark a template holding a state machine (CloudFormation, SAM, Serverless):
/// a cheap filter before [`holds_state_machine`] looks at the structure.
fn has_template_marker(text: &str) -> bool {
    text.contains("AWS::StepFunctions::StateMachine")
        || text.contains("AWS::Serverless::StateMachine")
        || (text.contains("stepFunctions") && text.contains("stateMachines"))
}

/// Whether the document is a template with a state machine: a `Resources` mapping with a
/// resource whose `Type` is a state machine type, or Serverless's
/// `stepFunctions.stateMachines` mapping.
pub fn holds_state_machine(doc: &syntax::Document) -> bool {
    let Some(root) = doc.root else {
        return false;
    };
    let is_object = |n: syntax::NodeId| matches!(doc.kind(n), NodeKind::Object(_));
    if !is_object(root) {
        return false;
    }
    if let Some(res) = doc.get(root, "Resources").filter(|&r| is_object(r))
        && doc.members(res).iter().any(|m| {
            is_object(m.value)
                && doc
                    .get(m.value, "Type")
                    .and_then(|t| doc.as_str(t))
                    .is_some_and(|t| {
                        t == "AWS::StepFunctions::StateMachine"
                            || t == "AWS::Serverless::StateMachine"
                    })
        })
    {
        return true;
    }
    doc.get(root, "stepFunctions")
        .filter(|&s| is_object(s))
        .and_then(|s| doc.get(s, "stateMachines"))
        .is_some_and(is_object)
}
