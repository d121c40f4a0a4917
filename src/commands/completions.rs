//! `imr completions SHELL`: a completion script generated from the clap definition.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn run(args: &CompletionsArgs) -> Result<i32> {
    // Generated into memory first: clap_complete panics when its writer fails, and a
    // closed pipe (`imr completions bash | head`) must stay a quiet success.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "imr", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(0)
}
