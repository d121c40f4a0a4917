//! `imr parse`: letters → item records on stdout, failures on stderr.

use crate::cli::{ParseArgs, ParseFormat};
use crate::files;
use crate::record::Item;
use anyhow::Result;
use rayon::prelude::*;
use std::io::Write;

pub fn run(args: &ParseArgs) -> Result<i32> {
    let walk = files::walk(&args.paths)?;
    // What the walk could not open is one line each, like a file that does not parse.
    for n in &walk.notes {
        eprintln!("note: {n}");
    }
    for s in &walk.skipped {
        eprintln!("{s}");
    }
    let mut failed = walk.skipped.len();
    // Parse in parallel, print in input order so output is repeatable.
    let results: Vec<_> = walk
        .files
        .par_iter()
        .map(|p| files::parse_file(p))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all: Vec<Item> = Vec::new();
    for result in results {
        match result {
            Ok(parsed) => {
                if parsed.lossy {
                    if let Some(l) = parsed.letters.first() {
                        eprintln!(
                            "warning: {}: not valid UTF-8, read as Windows-1252",
                            l.source
                        );
                    }
                }
                for w in &parsed.warnings {
                    eprintln!("warning: {w}");
                }
                for letter in parsed.letters {
                    let items = letter.into_items();
                    match args.format {
                        ParseFormat::Jsonl => {
                            for item in &items {
                                serde_json::to_writer(&mut out, item)?;
                                out.write_all(b"\n")?;
                            }
                        }
                        ParseFormat::Json => all.extend(items),
                        ParseFormat::Text => write_text(&mut out, &items)?,
                    }
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{e}");
            }
        }
    }
    if args.format == ParseFormat::Json {
        serde_json::to_writer_pretty(&mut out, &all)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed > 0 { 1 } else { 0 })
}

fn write_text(out: &mut impl Write, items: &[Item]) -> std::io::Result<()> {
    let Some(first) = items.first() else {
        return Ok(());
    };
    writeln!(
        out,
        "{}  decided {}  {}  ({})",
        first.letter_id,
        first.decision_date.as_deref().unwrap_or("-"),
        if first.specialty.is_empty() {
            "-".to_string()
        } else {
            first.specialty.join(", ")
        },
        first.source
    )?;
    for item in items {
        writeln!(
            out,
            "  {:>2}. {}: {} [{}]",
            item.item_index,
            item.item,
            item.decision.as_str().to_uppercase(),
            item.category.as_str()
        )?;
        if let Some(m) = &item.medication {
            writeln!(out, "      drug: {} ({}, {})", m.name, m.generic, m.class)?;
        }
        for c in &item.guidelines {
            writeln!(
                out,
                "      cites: {}",
                crate::output::results::citation_text(c)
            )?;
        }
    }
    writeln!(out)
}
