//! Command-line arguments (clap derive): the `///` comments are the help text.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Search California workers' compensation Independent Medical Review (IMR) decisions.
///
/// Each determination letter is split into its disputed items (one per treatment decided),
/// with the decision, the guidelines cited, the drug and the reviewer, so you can find
/// precedent, count outcomes by guideline or drug, and build citable precedent lists.
#[derive(Debug, Parser)]
#[command(name = "imr", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse letters into one record per disputed item, without indexing.
    ///
    /// PATH is a letter (.txt) or a folder, walked recursively. Files that are not IMR letters
    /// are reported on stderr, one line each, and the rest are still printed.
    /// Exit status: 0 all parsed, 1 some files failed, 2 usage error.
    ///
    /// Example: imr parse corpora/seeds --format jsonl | jq -r '.item'
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Letter files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format: `text` for reading, `jsonl` one item per line, `json` one array.
    #[arg(long, short, value_enum, default_value_t = ParseFormat::Text)]
    pub format: ParseFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Text,
    Jsonl,
    Json,
}
