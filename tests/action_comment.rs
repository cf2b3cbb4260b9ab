//! The GitHub Action's `cost-comment` step, run as the action runs it (its `run:` script from
//! action.yml, with the environment GitHub gives it) against a fake GitHub API on loopback:
//! the first run creates one comment on the pull request and writes the job summary, a second
//! run edits that comment instead of adding one, and other comments are left alone.
//! Needs git and python3, as every CI image this runs on has; their absence fails the test.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{bin, root, write};

#[derive(Default)]
struct Api {
    comments: Vec<(u64, String)>,
    /// Method, path and Authorization header of every request.
    log: Vec<(String, String, String)>,
}

/// Serves the three calls the script makes: list, create and edit issue comments.
fn serve(listener: TcpListener, api: Arc<Mutex<Api>>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { return };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let (mut length, mut auth) = (0usize, String::new());
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap_or((h, ""));
            match k.to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse().unwrap_or(0),
                "authorization" => auth = v.trim().to_string(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let mut a = api.lock().unwrap();
        a.log.push((method.clone(), path.clone(), auth));
        let (status, reply) = match (method.as_str(), path.as_str()) {
            ("GET", p) if p.starts_with("/repos/acme/flows/issues/7/comments?") => {
                let list: Vec<serde_json::Value> = a
                    .comments
                    .iter()
                    .map(|(id, b)| serde_json::json!({"id": id, "body": b}))
                    .collect();
                ("200 OK", serde_json::Value::from(list))
            }
            ("POST", "/repos/acme/flows/issues/7/comments") => {
                let id = 100 + a.comments.len() as u64;
                a.comments
                    .push((id, body["body"].as_str().unwrap_or("").to_string()));
                ("201 Created", serde_json::json!({"id": id}))
            }
            ("PATCH", p) if p.starts_with("/repos/acme/flows/issues/comments/") => {
                let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap();
                match a.comments.iter_mut().find(|(i, _)| *i == id) {
                    Some(c) => {
                        c.1 = body["body"].as_str().unwrap_or("").to_string();
                        ("200 OK", serde_json::json!({"id": id}))
                    }
                    None => ("404 Not Found", serde_json::json!({"message": "Not Found"})),
                }
            }
            _ => ("404 Not Found", serde_json::json!({"message": "Not Found"})),
        };
        drop(a);
        let reply = reply.to_string();
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
            reply.len()
        );
    }
}

/// The `run:` script of the action's step named `name`.
fn step_script(name: &str) -> String {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let doc = sfn_lint::syntax::parse(&text, sfn_lint::syntax::Format::Yaml).unwrap();
    let runs = doc.get(doc.root.unwrap(), "runs").unwrap();
    let steps = doc.get(runs, "steps").unwrap();
    let step = doc
        .items(steps)
        .iter()
        .copied()
        .find(|s| doc.get(*s, "name").and_then(|n| doc.as_str(n)) == Some(name))
        .unwrap_or_else(|| panic!("action.yml has no step `{name}`"));
    doc.as_str(doc.get(step, "run").unwrap())
        .unwrap()
        .to_string()
}

#[test]
fn the_action_comments_once_and_then_edits_its_comment() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let api = Arc::new(Mutex::new(Api::default()));
    // Someone else's comment that must stay as it is.
    api.lock()
        .unwrap()
        .comments
        .push((1, "Looks good to me".into()));
    let server = Arc::clone(&api);
    std::thread::spawn(move || serve(listener, server));

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let git = |args: &[&str]| common::git(&repo, args);
    std::fs::create_dir(&repo).unwrap();
    common::git_init(&repo);
    write(
        &repo,
        "flow.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#,
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let base = git(&["rev-parse", "HEAD"]);
    write(
        &repo,
        "flow.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#,
    );
    let event = write(
        dir.path(),
        "event.json",
        r#"{"pull_request": {"number": 7}}"#,
    );
    let summary = dir.path().join("summary.md");
    let script = step_script("Cost change of the pull request");
    let run_step = || {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&repo)
            .env("SFN_LINT", bin().get_program())
            .env("SFN_LINT_PATHS", ".")
            .env("SFN_LINT_COST_ARGS", "--executions 1000000")
            .env("SFN_LINT_BASE_SHA", &base)
            .env("SFN_LINT_TOKEN", "t0ken")
            .env("SFN_LINT_ACTION_PATH", root())
            .env("RUNNER_TEMP", dir.path())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_API_URL", format!("http://127.0.0.1:{port}"))
            .env("GITHUB_REPOSITORY", "acme/flows")
            .env("GITHUB_EVENT_PATH", &event)
            .output()
            .expect("bash runs");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stdout}\n{stderr}");
        stdout
    };
    let first = run_step();
    assert!(first.contains("created cost comment 101 on #7"), "{first}");
    let second = run_step();
    assert!(
        second.contains("updated cost comment 101 on #7"),
        "{second}"
    );
    let a = api.lock().unwrap();
    assert_eq!(
        a.comments.len(),
        2,
        "one comment of ours, one of someone else"
    );
    assert_eq!(a.comments[0].1, "Looks good to me");
    let ours = &a.comments[1].1;
    assert!(ours.starts_with("<!-- sfn-lint cost -->"), "{ours}");
    assert!(
        ours.contains(
            "| `flow.asl.json` | Standard | 2 → 3 | $49.90 | $74.90 | +$25.00 (+50.1%) |"
        ),
        "{ours}"
    );
    assert!(a.log.iter().all(|(_, _, auth)| auth == "Bearer t0ken"));
    let methods: Vec<&str> = a.log.iter().map(|(m, _, _)| m.as_str()).collect();
    assert_eq!(methods, ["GET", "POST", "GET", "PATCH"]);
    // The job summary has the report, once per run.
    let s = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        s.matches("### Step Functions cost: +$25.00 a month")
            .count(),
        2
    );
}
