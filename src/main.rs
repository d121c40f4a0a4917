//! The `imr` binary: parse arguments, run the subcommand, map errors to exit codes.

use clap::Parser;
use imr_search::cli::{Cli, Command};
use imr_search::commands;
use std::process::ExitCode;

fn main() -> ExitCode {
    // `imr` started by itself as a PDF worker (see `pdf::worker`) serves PDFs and nothing else.
    if let Some(code) = imr_search::pdf::worker::serve_if_asked() {
        return ExitCode::from(code as u8);
    }
    // PDFs are read in worker processes, so that one that crashes the reader costs its letter
    // only; without our own path (very rare), or with IMR_PDF_WORKERS=0 (to measure the
    // difference), they are read in-process as before.
    if std::env::var_os("IMR_PDF_WORKERS").is_none_or(|v| v != "0") {
        if let Ok(exe) = std::env::current_exe() {
            imr_search::pdf::worker::enable(exe);
        }
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors exit 2.
            let _ = e.print();
            if e.kind() == clap::error::ErrorKind::UnknownArgument {
                if let Some(word) = std::env::args().skip(2).find(|a| is_query_word(a)) {
                    eprintln!(
                        "imr: {word:?} was read as a flag; put the query after `--` to search with it \
                         (in query syntax -word excludes a word): imr search -- {word} ..."
                    );
                }
            }
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // A damaged index makes tantivy panic or fail with pages of debug text: the guard turns
    // either into one line naming the index and the rebuild.
    let result = imr_search::index::guard_command(|| match &cli.command {
        Command::Parse(args) => commands::parse::run(args),
        Command::Index(args) => commands::index::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Precedents(args) => commands::precedents::run(args),
        Command::Facets(args) => commands::facets::run(args),
        Command::Show(args) => commands::show::run(args),
        Command::Similar(args) => commands::similar::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man => commands::man::run(),
        Command::Serve(args) => commands::serve::run(args),
    });
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            if is_broken_pipe(&e) {
                // `imr ... | head` closing the pipe early is success, not an error.
                return ExitCode::SUCCESS;
            }
            eprintln!("imr: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                .is_some_and(|k| k == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|e| {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

/// A word that starts with '-' but is no flag of imr's: "-tramadol".
fn is_query_word(arg: &str) -> bool {
    arg.len() > 2
        && arg.starts_with('-')
        && !arg.starts_with("--")
        && arg[1..].chars().all(char::is_alphanumeric)
}

/// The error and its causes on one line, each cause once: our errors already name their
/// cause ("PATH: No such file or directory"), so a cause whose text the line already ends
/// with is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.ends_with(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}
