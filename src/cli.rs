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
    /// PATH is a letter (.txt, or .pdf as DWC posts them) or a folder, walked recursively. Files that are not IMR letters
    /// are reported on stderr, one line each, and the rest are still printed.
    /// Exit status: 0 all parsed, 1 some files failed, 2 usage error.
    ///
    /// Example: imr parse corpora/seeds --format jsonl | jq -r '.item'
    Parse(ParseArgs),
    /// Build or update the index from letters.
    ///
    /// Letters are split into disputed items and added to the index at --index (else
    /// $IMR_INDEX, else ./imr-index), creating it if needed. Indexing a letter again replaces
    /// its items, so re-running the same command is safe; new letters are added. Files that
    /// cannot be parsed are skipped and listed. Commits happen in batches, so an interrupted
    /// run keeps what it committed and re-running finishes the job.
    /// Exit status: 0 all indexed, 1 some files skipped, 2 fatal error.
    ///
    /// Example: imr index ~/imr-letters --index ~/imr-index
    Index(IndexArgs),
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Letter files or folders (walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Index directory [default: $IMR_INDEX, else ./imr-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Build a fresh index from PATH... and replace the existing one when done (needed after
    /// an upgrade that changes the index schema).
    #[arg(long)]
    pub rebuild: bool,
    /// No progress and no summary; errors only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Commit every N letters: an interrupted run loses at most one batch.
    #[arg(long, value_name = "N", default_value_t = 5000, hide = true)]
    pub batch: usize,
    /// Writer memory budget in MB.
    #[arg(long, value_name = "MB", default_value_t = 256, hide = true)]
    pub memory_mb: usize,
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
