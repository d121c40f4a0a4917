//! imr-synth: writes a synthetic corpus of IMR letters with the ground truth of every item,
//! for benchmarks and scale tests. Not an `imr` subcommand: users search real letters.
//!
//! `imr-synth --letters 100000 --seed 7 --out DIR --templates ../shared/letters/txt`

use anyhow::{bail, Context};
use clap::Parser;
use imr_search::synth::{self, SynthOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Write N synthetic IMR determination letters (three layouts) under DIR/letters/, the ground
/// truth of every item in DIR/truth.jsonl and a manifest in DIR/synth.json.
#[derive(Parser, Debug)]
#[command(name = "imr-synth", version, max_term_width = 100)]
struct Args {
    /// How many letters to write.
    #[arg(long, default_value_t = 1000)]
    letters: u64,
    /// The corpus seed: the same seed and templates give the same corpus, byte for byte.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Output folder (created; must not already hold a corpus).
    #[arg(long)]
    out: PathBuf,
    /// Folder of real letters as text to learn sentences from (repeatable).
    /// Default: corpora/seeds; ../shared/letters/txt gives far richer text.
    #[arg(long = "templates", value_name = "DIR")]
    templates: Vec<PathBuf>,
    /// Letters per subfolder.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    per_folder: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress on stderr.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imr-synth: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.letters == 0 {
        bail!("--letters must be at least 1");
    }
    let templates = if args.templates.is_empty() {
        vec![PathBuf::from("corpora/seeds")]
    } else {
        args.templates.clone()
    };
    for t in &templates {
        if !t.is_dir() {
            bail!("--templates {}: not a folder", t.display());
        }
    }
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    let opts = SynthOptions {
        letters: args.letters,
        seed: args.seed,
        out: args.out.clone(),
        templates,
        per_folder: args.per_folder,
    };
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let last = std::cell::Cell::new(Instant::now());
    let report = synth::generate(&opts, |done| {
        if args.quiet || (last.get().elapsed().as_secs_f64() < 2.0 && done < args.letters) {
            return;
        }
        last.set(Instant::now());
        let rate = done as f64 / start.elapsed().as_secs_f64().max(1e-9);
        let line = format!(
            "imr-synth: {done}/{} letters, {rate:.0} letters/s",
            args.letters
        );
        if tty {
            eprint!("\r{line}");
        } else {
            eprintln!("{line}");
        }
    })?;
    if tty && !args.quiet {
        eprintln!();
    }
    let m = &report.manifest;
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{} letters, {} items ({:.2} per letter, {:.1}% overturned, {:.1}% seed format, {:.1}% 2013 Notice), {:.1} MB of text ({:.0} bytes per letter) in {:.1} s ({:.1} MB/s); learned from {} template letters",
        m.letters,
        m.items,
        m.items as f64 / m.letters as f64,
        100.0 * m.overturned as f64 / m.items.max(1) as f64,
        100.0 * m.seed_era_letters as f64 / m.letters as f64,
        100.0 * m.notice_letters as f64 / m.letters as f64,
        m.bytes as f64 / 1e6,
        m.bytes as f64 / m.letters as f64,
        secs,
        m.bytes as f64 / 1e6 / secs.max(1e-9),
        m.template_letters,
    );
    println!("{}", args.out.join(synth::TRUTH).display());
    Ok(())
}
