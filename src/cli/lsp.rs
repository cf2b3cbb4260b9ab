//! `sfn-lint lsp`: the language server over standard input and output. The transport is ours,
//! not lsp-server's stdio helper, so that a malformed message is logged and skipped instead of
//! ending the session.

use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

use lsp_server::{Connection, Message, Notification};

/// Messages larger than this are skipped (a definition is at most 1 MB).
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Tells the server about input it could not read (it logs it to the client). The reader owns
/// no sender to the writer, so the writer ends, flushed, when the server does.
fn log(tx: &crossbeam_channel::Sender<Message>, text: String) {
    let _ = tx.send(Message::Notification(Notification::new(
        sfn_lint::lsp::MALFORMED.into(),
        serde_json::json!({"message": text}),
    )));
}

/// Reads one framed message body; None at end of input.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if length.is_some() {
                break;
            }
            continue; // stray blank line between messages
        }
        if let Some((name, value)) = l.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            length = value.trim().parse().ok();
        }
    }
    let n = length.unwrap_or(0);
    if n > MAX_MESSAGE {
        // Skip it without holding it in memory.
        std::io::copy(&mut input.take(n as u64), &mut std::io::sink())?;
        return Ok(Some(Err(format!(
            "a {n}-byte message was skipped (over the limit)"
        ))));
    }
    let mut buf = vec![0; n];
    input.read_exact(&mut buf)?;
    Ok(Some(Ok(buf)))
}

pub fn run() -> ExitCode {
    // The server lives for the editor session: the runtime schema validator (the one that
    // explains errors) compiles on a thread of its own while it starts. A thread that cannot
    // start only means the first invalid document compiles it.
    let _ = std::thread::Builder::new().spawn(sfn_lint::rules::schema::warm);
    let (to_server, server_rx) = crossbeam_channel::unbounded::<Message>();
    let (server_tx, from_server) = crossbeam_channel::unbounded::<Message>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_frame(&mut input) {
                Ok(None) | Err(_) => break,
                Ok(Some(Err(e))) => log(&to_server, e),
                Ok(Some(Ok(body))) => match serde_json::from_slice::<Message>(&body) {
                    Ok(m) => {
                        if to_server.send(m).is_err() {
                            break;
                        }
                    }
                    Err(e) => log(
                        &to_server,
                        format!("sfn-lint: skipped a malformed message: {e}"),
                    ),
                },
            }
        }
        // End of input: the loop sees the channel close and stops.
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for m in from_server {
            if m.write(&mut out).is_err() {
                break;
            }
            let _ = out.flush();
        }
    });
    let clean = sfn_lint::lsp::run(Connection {
        sender: server_tx,
        receiver: server_rx,
    });
    // The writer ends, flushed, once the server's sender is gone; the reader may still block
    // on stdin, so it is not joined.
    let _ = writer.join();
    ExitCode::from(if clean { 0 } else { 1 })
}
