//! End to end with a real editor: Neovim, headless, starts `sfn-lint lsp` as its language
//! server, opens the bundled example and reports the diagnostics it received; they must be the
//! CLI's, at the same places. `.ci/run` installs Debian's `neovim` when it is missing; where
//! Neovim cannot be found this test says so and checks nothing else.

mod common;

#[test]
fn neovim_receives_the_cli_diagnostics() {
    let nvim = std::env::var("SFN_LINT_NVIM").unwrap_or_else(|_| "nvim".into());
    let has = std::process::Command::new(&nvim)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        println!(
            "note: Neovim (`{nvim}`) is not installed; the editor end-to-end test was skipped (apt-get install neovim, or set SFN_LINT_NVIM)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("order-processing.asl.json");
    std::fs::copy(
        common::root().join("examples/order-processing.asl.json"),
        &file,
    )
    .unwrap();
    let out = dir.path().join("diagnostics.txt");
    let status = std::process::Command::new(&nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            common::root().join("tests/e2e/nvim-client.lua").display()
        ))
        .env("SFN_BIN", env!("CARGO_BIN_EXE_sfn-lint"))
        .env("SFN_FILE", &file)
        .env("SFN_OUT", &out)
        .env("HOME", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let got = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "Neovim wrote no diagnostics: {}{}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        )
    });
    let text = std::fs::read_to_string(&file).unwrap();
    let index = sfn_lint::source::LineIndex::new(&text);
    let mut want: Vec<String> =
        sfn_lint::lint::lint_text(&text, sfn_lint::syntax::Format::Json, &Default::default())
            .iter()
            .map(|d| {
                let lc = index.utf16_col(&text, d.span.start);
                format!("{} {} {}", d.rule.code, lc.line - 1, lc.column - 1)
            })
            .collect();
    want.sort();
    let got: Vec<String> = got.lines().map(str::to_string).collect();
    println!("neovim received {} diagnostics: {got:?}", got.len());
    assert_eq!(got, want);
    assert!(got.iter().any(|l| l.starts_with("SFN102 62 18")), "{got:?}");
}
