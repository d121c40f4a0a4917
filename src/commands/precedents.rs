//! `imr precedents`: a numbered, citable list to paste into a brief or open in Excel.

use super::common;
use crate::cli::PrecedentsArgs;
use crate::output::precedents::write_precedents;
use crate::search::SearchRequest;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &PrecedentsArgs) -> Result<i32> {
    let req = SearchRequest {
        limit: args.limit,
        sort: args.sort,
        facets: false,
        ..SearchRequest::new(common::criteria(&args.q)?)
    };
    let engine = common::open_engine(args.q.index.as_deref())?;
    let results = engine.search(&req)?;
    if let (Some(note), false) = (&results.note, args.format == crate::output::Format::Table) {
        // The table prints it first; other formats carry it in their data, and say it here.
        eprintln!("imr: note: {note}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_precedents(&mut out, &results, args.format)?;
    out.flush()?;
    Ok(0)
}
