//! PDF extraction in worker processes: a PDF that crashes the reader takes down a worker,
//! never the `imr` run that sent it.
//!
//! Why processes. A PDF nested 50,000 arrays deep makes the reader recurse until its thread's
//! stack overflows, and Rust aborts the whole process on a stack overflow: `catch_unwind`
//! cannot catch it, and every other letter of the run is lost. The other ways out fall short:
//! - a pre-scan that refuses deep nesting before parsing cannot see nesting inside compressed
//!   object streams and page content, which is where a hostile file would put it;
//! - a bigger stack only moves the threshold (50 MB of `[` is 50 million levels);
//! - a thread stuck in a loop cannot be stopped either, only detached.
//!
//! A process can be killed, and its death is a status we can read. The cost of a process per
//! PDF (a fork and exec, a few milliseconds, as long as extracting a letter) is avoided by
//! keeping workers alive: each one serves PDF after PDF over its stdin and stdout, and one is
//! started per indexing thread that needs one. Only a worker that dies or overruns is
//! replaced.
//!
//! Bounds: a worker limits its own address space to [`WORKER_MEMORY`], so a PDF that makes
//! the reader allocate without end aborts the worker, not the run or the machine; the parent
//! waits [`super::TIMEOUT`] plus a grace period for an answer and then kills the worker.
//!
//! The protocol, both ways little-endian: a request is `timeout_ms: u64, len: u64, bytes`; a
//! response is `tag: u8, len: u64, payload` with the tags of [`encode`]. The library runs
//! extraction in-process (a thread, as before) unless the binary calls [`enable`], because only
//! the `imr` binary knows how to be a worker ([`serve_if_asked`]).

use super::PdfError;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The first argument that makes `imr` a PDF worker; not a subcommand users see.
pub const WORKER_ARG: &str = "__imr-pdf-worker";

/// A worker's address-space limit. A letter needs tens of MB; the reader's own caps
/// (256 MiB per decompressed stream) fit well under it.
pub const WORKER_MEMORY: u64 = 2 << 30;

/// How much longer than the extraction timeout the parent waits before killing a worker:
/// the worker gives up at the timeout itself, between pages.
const GRACE: Duration = Duration::from_secs(5);

/// The executable that serves as a worker, once [`enable`]d.
static EXE: OnceLock<PathBuf> = OnceLock::new();

/// Workers waiting for their next PDF.
static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// Makes every PDF extraction in this process run in workers started from `exe` (the `imr`
/// binary itself, which answers [`WORKER_ARG`] through [`serve_if_asked`]).
pub fn enable(exe: PathBuf) {
    let _ = EXE.set(exe);
}

/// The executable workers run, if [`enable`]d.
pub(super) fn enabled() -> Option<&'static PathBuf> {
    EXE.get()
}

/// Runs the worker loop if this process was started as a worker, returning its exit status;
/// `None` otherwise. `main` calls it before parsing arguments.
pub fn serve_if_asked() -> Option<i32> {
    if std::env::args_os().nth(1).is_none_or(|a| a != WORKER_ARG) {
        return None;
    }
    limit_memory();
    let stdin = io::stdin().lock();
    let stdout = io::stdout().lock();
    Some(match serve(BufReader::new(stdin), BufWriter::new(stdout)) {
        Ok(()) => 0,
        Err(_) => 1,
    })
}

fn limit_memory() {
    use rustix::process::{setrlimit, Resource, Rlimit};
    // Best effort: where the limit cannot be set, the reader's own caps still apply.
    let _ = setrlimit(
        Resource::As,
        Rlimit {
            current: Some(WORKER_MEMORY),
            maximum: Some(WORKER_MEMORY),
        },
    );
}

/// Answers requests until stdin closes. After a timeout the extraction thread is still
/// running (a thread cannot be stopped), so the worker answers and then exits.
fn serve(mut input: impl Read, mut output: impl Write) -> io::Result<()> {
    loop {
        let timeout = match read_u64(&mut input) {
            Ok(ms) => Duration::from_millis(ms),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        let len = read_u64(&mut input)?;
        let mut bytes = vec![0; usize::try_from(len).map_err(io::Error::other)?];
        input.read_exact(&mut bytes)?;
        let result = super::extract_in_process(&bytes, timeout);
        let (tag, payload) = encode(&result);
        output.write_all(&[tag])?;
        output.write_all(&(payload.len() as u64).to_le_bytes())?;
        output.write_all(&payload)?;
        output.flush()?;
        if result == Err(PdfError::Timeout) {
            return Ok(());
        }
    }
}

fn read_u64(input: &mut impl Read) -> io::Result<u64> {
    let mut buf = [0; 8];
    input.read_exact(&mut buf)?;
    Ok(u64::from_le_bytes(buf))
}

/// A result as a tag and a payload (text, a reason, or a number in decimal).
fn encode(result: &Result<String, PdfError>) -> (u8, Vec<u8>) {
    match result {
        Ok(text) => (0, text.as_bytes().to_vec()),
        Err(PdfError::Encrypted(why)) => (1, why.as_bytes().to_vec()),
        Err(PdfError::ImageOnly) => (2, Vec::new()),
        Err(PdfError::Damaged(why)) => (3, why.as_bytes().to_vec()),
        Err(PdfError::TooLarge(n)) => (4, n.to_string().into_bytes()),
        Err(PdfError::TooManyPages(n)) => (5, n.to_string().into_bytes()),
        Err(PdfError::TooMuchText) => (6, Vec::new()),
        Err(PdfError::Timeout) => (7, Vec::new()),
    }
}

fn decode(tag: u8, payload: Vec<u8>) -> Result<String, PdfError> {
    let text = || String::from_utf8_lossy(&payload).into_owned();
    let number = || text().parse().unwrap_or(0);
    match tag {
        0 => String::from_utf8(payload.clone())
            .map_err(|_| PdfError::Damaged("the PDF worker sent text that is not UTF-8".into())),
        1 => Err(PdfError::Encrypted(text())),
        2 => Err(PdfError::ImageOnly),
        3 => Err(PdfError::Damaged(text())),
        4 => Err(PdfError::TooLarge(number())),
        5 => Err(PdfError::TooManyPages(number() as u32)),
        6 => Err(PdfError::TooMuchText),
        7 => Err(PdfError::Timeout),
        other => Err(PdfError::Damaged(format!(
            "the PDF worker sent an unknown answer ({other})"
        ))),
    }
}

/// A running worker: its process, its stdin, and the answers its stdout reader thread gets.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<io::Result<(u8, Vec<u8>)>>,
}

impl Worker {
    fn start(exe: &PathBuf) -> io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg(WORKER_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // A crashing reader's last words ("stack overflow", a panic message) would land
            // in the middle of the run's output; its exit status says enough.
            .stderr(Stdio::null())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the worker's pipes were not set up"));
        };
        let (send, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("imr-pdf-worker-reader".into())
            .spawn(move || {
                let mut stdout = BufReader::new(stdout);
                loop {
                    let answer = (|| {
                        let mut tag = [0; 1];
                        stdout.read_exact(&mut tag)?;
                        let len = read_u64(&mut stdout)?;
                        let mut payload = vec![0; usize::try_from(len).map_err(io::Error::other)?];
                        stdout.read_exact(&mut payload)?;
                        Ok((tag[0], payload))
                    })();
                    let failed = answer.is_err();
                    if send.send(answer).is_err() || failed {
                        return;
                    }
                }
            })?;
        Ok(Worker {
            child,
            stdin,
            answers,
        })
    }

    fn ask(&mut self, bytes: &[u8], timeout: Duration) -> io::Result<()> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.stdin.write_all(&ms.to_le_bytes())?;
        self.stdin.write_all(&(bytes.len() as u64).to_le_bytes())?;
        self.stdin.write_all(bytes)?;
        self.stdin.flush()
    }

    /// Kills the worker (it may be dead already) and says how it ended.
    fn end(mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) => describe_death(status),
            Err(e) => format!("the PDF reader's process was lost ({e})"),
        }
    }
}

fn describe_death(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        // Rust aborts on a stack overflow and on a failed allocation.
        Some(6) => {
            "the PDF reader crashed (it aborted: nesting too deep for its stack, or out of memory)"
                .into()
        }
        Some(9) => "the PDF reader was killed".into(),
        Some(11) => "the PDF reader crashed (segmentation fault)".into(),
        Some(sig) => format!("the PDF reader crashed (signal {sig})"),
        None => format!("the PDF reader stopped ({status})"),
    }
}

/// Extracts in a worker: one from the idle pool, else a new one.
pub(super) fn extract(exe: &PathBuf, bytes: &[u8], timeout: Duration) -> Result<String, PdfError> {
    let idle = IDLE.lock().ok().and_then(|mut idle| idle.pop());
    let mut worker = match idle {
        Some(w) => w,
        None => Worker::start(exe)
            .map_err(|e| PdfError::Damaged(format!("could not start a PDF reader process: {e}")))?,
    };
    if worker.ask(bytes, timeout).is_err() {
        return Err(PdfError::Damaged(worker.end()));
    }
    match worker.answers.recv_timeout(timeout + GRACE) {
        Ok(Ok((tag, payload))) => {
            let result = decode(tag, payload);
            if result == Err(PdfError::Timeout) {
                // It exits after a timeout (its extraction thread cannot be stopped).
                let _ = worker.end();
            } else if let Ok(mut idle) = IDLE.lock() {
                idle.push(worker);
            }
            result
        }
        Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(PdfError::Damaged(worker.end())),
        Err(RecvTimeoutError::Timeout) => {
            let _ = worker.end();
            Err(PdfError::Timeout)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_result_survives_the_round_trip() {
        for result in [
            Ok("Case Number: CM16-0000001\n\x0c".to_string()),
            Err(PdfError::Encrypted("user password".into())),
            Err(PdfError::ImageOnly),
            Err(PdfError::Damaged("bad xref".into())),
            Err(PdfError::TooLarge(123_456_789)),
            Err(PdfError::TooManyPages(1_001)),
            Err(PdfError::TooMuchText),
            Err(PdfError::Timeout),
        ] {
            let (tag, payload) = encode(&result);
            assert_eq!(decode(tag, payload), result);
        }
    }

    #[test]
    fn the_worker_loop_answers_each_request_and_stops_at_end_of_input() {
        let mut input = Vec::new();
        for pdf in [&b"%PDF-1.7\n"[..], b"not a pdf"] {
            input.extend(30_000u64.to_le_bytes());
            input.extend((pdf.len() as u64).to_le_bytes());
            input.extend(pdf);
        }
        let mut output = Vec::new();
        serve(&input[..], &mut output).unwrap();
        let mut answers = &output[..];
        for _ in 0..2 {
            let mut tag = [0; 1];
            answers.read_exact(&mut tag).unwrap();
            let len = read_u64(&mut answers).unwrap() as usize;
            let (payload, rest) = answers.split_at(len);
            assert!(matches!(
                decode(tag[0], payload.to_vec()),
                Err(PdfError::Damaged(_))
            ));
            answers = rest;
        }
        assert!(answers.is_empty());
    }
}
