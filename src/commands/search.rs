//! `imr search`: ranked, filtered items with facet counts.

use super::common;
use crate::cli::SearchArgs;
use crate::output::results::write_results;
use crate::output::Format;
use crate::search::SearchRequest;
use anyhow::Result;
use std::io::{IsTerminal, Write};

pub fn run(args: &SearchArgs) -> Result<i32> {
    let format = common::format(args.format);
    let req = SearchRequest {
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
        // Only the JSON formats print the key and rule sentences.
        reasoning: matches!(format, Format::Json | Format::Jsonl),
        ..SearchRequest::new(common::criteria(&args.q)?)
    };
    let engine = common::open_engine(args.q.index.as_deref())?;
    let results = engine.search(&req)?;
    if let (Some(note), false) = (&results.note, format == Format::Table) {
        // The table prints it first; other formats carry it in their data, and say it here.
        eprintln!("imr: note: {note}");
    }
    let stdout = std::io::stdout();
    let color = crate::output::color(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_results(&mut out, &results, format, color, args.facet_limit)?;
    out.flush()?;
    Ok(0)
}
