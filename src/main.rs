//! The `imr` binary: parse arguments, run the subcommand, map errors to exit codes.

use clap::Parser;
use imr_search::cli::{Cli, Command};
use imr_search::commands;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Parse(args) => commands::parse::run(args),
        Command::Index(args) => commands::index::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Precedents(args) => commands::precedents::run(args),
        Command::Facets(args) => commands::facets::run(args),
        Command::Show(args) => commands::show::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            if is_broken_pipe(&e) {
                // `imr ... | head` closing the pipe early is success, not an error.
                return ExitCode::SUCCESS;
            }
            eprintln!("imr: {e:#}");
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
    })
}
