//! What to check: the command line's paths as jobs, and each job's bytes, read within the
//! size limit.

use std::io::Read;
use std::path::{Path, PathBuf};

use sfn_lint::diagnostic::Diagnostic;
use sfn_lint::limits::MAX_FILE_BYTES;
use sfn_lint::lint::FileReport;
use sfn_lint::rules::syntax::RESOURCE_LIMIT;
use sfn_lint::source::Span;

use super::CheckArgs;
use super::settings::{Table, parent_dir};
use crate::cli::discover::describe_io;

/// Where a file to lint comes from.
pub enum Source {
    /// Named on the command line: a file, or a directory to walk. Nothing is looked up
    /// before the workers open it: a batch's paths cost one `open` each, not a `stat` too.
    Given(PathBuf),
    /// Met in a directory walk: linted when its name or content makes it a definition.
    Walked(PathBuf),
    Stdin,
}

pub struct Job {
    pub name: String,
    pub source: Source,
    /// Index into the settings table (one entry per config in play).
    pub settings: usize,
}

impl Job {
    /// The job for a file met in a directory walk.
    pub fn walked(path: PathBuf, table: &mut Table<'_>) -> Job {
        Job {
            name: path.display().to_string(),
            settings: table.index(&parent_dir(&path)),
            source: Source::Walked(path),
        }
    }

    pub fn path(&self) -> Option<&PathBuf> {
        match &self.source {
            Source::Given(p) | Source::Walked(p) => Some(p),
            Source::Stdin => None,
        }
    }
}

/// One job per path on the command line, in order.
pub fn jobs(args: &CheckArgs, table: &mut Table<'_>) -> Vec<Job> {
    args.paths
        .iter()
        .map(|p| {
            if p == "-" {
                Job {
                    name: args
                        .stdin_filename
                        .clone()
                        .unwrap_or_else(|| "<stdin>".into()),
                    source: Source::Stdin,
                    settings: table.index(Path::new(".")),
                }
            } else {
                let path = PathBuf::from(p);
                Job {
                    name: p.clone(),
                    settings: table.index(&parent_dir(&path)),
                    source: Source::Given(path),
                }
            }
        })
        .collect()
}

/// Standard input's bytes (or why they could not be read, or their size past the limit),
/// read once when a job names it.
pub type Stdin = Option<Result<Result<Vec<u8>, u64>, String>>;

pub fn read_stdin_if_named(jobs: &[Job]) -> Stdin {
    jobs.iter()
        .any(|j| matches!(j.source, Source::Stdin))
        .then(|| read_limited(&mut std::io::stdin(), None).map_err(|e| describe_io(&e)))
}

/// A job's bytes, or why there are none.
pub enum Input {
    Bytes {
        bytes: Vec<u8>,
        path: Option<PathBuf>,
        /// Met in a walk and not named as a definition: linted only if its content is one.
        picked: bool,
    },
    /// A directory named on the command line.
    Dir,
    /// A walked file that cannot be read or is over the limit: not a definition found.
    Skipped,
    /// Over the size limit (bytes at least).
    TooLarge(u64),
    /// Why it could not be read (reported, exit 2).
    Failed(String),
}

/// Reads a job's bytes.
pub fn read(job: &Job, stdin: &Stdin) -> Input {
    let name = &job.name;
    match &job.source {
        Source::Stdin => match stdin {
            Some(Ok(Ok(b))) => Input::Bytes {
                bytes: b.clone(),
                path: None,
                picked: false,
            },
            Some(Ok(Err(n))) => Input::TooLarge(*n),
            Some(Err(e)) => Input::Failed(format!("<stdin>: {e}")),
            None => Input::Failed(format!("{name}: could not read standard input")),
        },
        Source::Given(p) | Source::Walked(p) => {
            // A walked file is taken on its name (`.asl.*`) or its content; one that cannot
            // be read or is over the limit is not a definition found.
            let picked = matches!(job.source, Source::Walked(_))
                && !sfn_lint::lint::named_as_definition(&p.to_string_lossy());
            let (mut f, meta) = match open_path(p) {
                Ok(opened) => opened,
                // Windows cannot open a directory as a file.
                Err(_) if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) => return Input::Dir,
                Err(_) if picked => return Input::Skipped,
                Err(e) => return Input::Failed(format!("{name}: {}", describe_io(&e))),
            };
            if meta.is_dir() && matches!(job.source, Source::Given(_)) {
                return Input::Dir;
            }
            if !meta.is_file() {
                return if picked {
                    Input::Skipped
                } else {
                    Input::Failed(format!(
                        "{name}: not a regular file (a device, FIFO or socket is not read)"
                    ))
                };
            }
            let len = meta.len();
            if len > MAX_FILE_BYTES {
                return if picked {
                    Input::Skipped
                } else {
                    Input::TooLarge(len)
                };
            }
            match read_limited(&mut f, Some(len)) {
                Ok(Ok(bytes)) => Input::Bytes {
                    bytes,
                    path: Some(p.clone()),
                    picked,
                },
                Ok(Err(_)) | Err(_) if picked => Input::Skipped,
                Ok(Err(n)) => Input::TooLarge(n),
                Err(e) => Input::Failed(format!("{name}: {}", describe_io(&e))),
            }
        }
    }
}

/// Opens a path for reading, with its metadata. A FIFO named by mistake must not hang the
/// run: it is opened without waiting for a writer, then refused as not a regular file.
fn open_path(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// Reads at most the size limit; a larger input becomes a diagnostic, never a huge buffer.
/// `size_hint` (a file's length) sizes the buffer, so a file is read in one call instead of
/// a series of growing reads and a probe for the end.
fn read_limited(
    reader: &mut dyn Read,
    size_hint: Option<u64>,
) -> std::io::Result<Result<Vec<u8>, u64>> {
    let mut buf = Vec::new();
    match size_hint.filter(|n| *n > 0 && *n <= MAX_FILE_BYTES) {
        // A file of known length: read that many bytes, usually in one call. What the file
        // held when its length was taken is what is linted; a file still being written is
        // torn either way.
        Some(len) => {
            buf.resize(len as usize, 0);
            let mut filled = 0;
            while filled < buf.len() {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            buf.truncate(filled);
        }
        None => {
            reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf)?;
        }
    }
    if buf.len() as u64 > MAX_FILE_BYTES {
        Ok(Err(buf.len() as u64))
    } else {
        Ok(Ok(buf))
    }
}

/// The report of a file over the size limit.
pub fn too_large_report(path: &str, size: u64) -> FileReport {
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    let d = Diagnostic::new(
        &RESOURCE_LIMIT,
        format!(
            "the file is over {:.0} MiB (at least {:.1} MiB), the most sfn-lint reads",
            mb(MAX_FILE_BYTES),
            mb(size)
        ),
        Span::empty(0),
        "",
    )
    .help("AWS accepts definitions up to 1 MB; check that this is the file you meant");
    FileReport::new(path, String::new(), vec![d])
}
