//! `imr index`: build or update an index, then say what happened.

use crate::cli::IndexArgs;
use crate::demo;
use crate::index::builder::{self, BuildOptions, ProgressMode};
use anyhow::Result;
use std::io::IsTerminal;

pub fn run(args: &IndexArgs) -> Result<i32> {
    if args.batch == 0 || args.memory_mb < 16 {
        anyhow::bail!("--batch must be at least 1 and --memory-mb at least 16");
    }
    let dir = crate::index::default_dir(args.index.as_deref());
    // The demo index is replaced, not added to: five sample letters mixed into the user's
    // own would turn up in their searches and counts. Replacing is a rebuild (built beside,
    // swapped in when done), so a failed run keeps the demo.
    let replace_demo = !args.rebuild && demo::is_demo(&dir);
    if replace_demo && !args.quiet {
        eprintln!(
            "imr: {} holds the demo index: replacing it with the letters given",
            dir.display()
        );
    }
    let opts = BuildOptions {
        rebuild: args.rebuild || replace_demo,
        progress: if args.quiet {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        },
        batch_letters: args.batch,
        memory_budget: args.memory_mb << 20,
        ..BuildOptions::default()
    };
    let report = builder::build(&dir, &args.paths, &opts)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for s in &report.skipped {
        eprintln!("skipped: {s}");
    }
    if !args.quiet {
        eprintln!(
            "indexed {} letters ({} items) from {} files in {:.2} s ({:.1} MB/s){}{}; {} now holds {} items",
            report.letters,
            report.items,
            report.files,
            report.elapsed.as_secs_f64(),
            report.mb_per_sec(),
            if report.replaced > 0 {
                format!(", {} replaced", report.replaced)
            } else {
                String::new()
            },
            if report.skipped.is_empty() {
                String::new()
            } else {
                format!(", {} skipped", report.skipped.len())
            },
            dir.display(),
            report.total_items
        );
    }
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}
