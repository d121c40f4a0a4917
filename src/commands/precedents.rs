//! `imr precedents`: a numbered, citable list to paste into a brief or open in Excel.

use super::common;
use crate::cli::PrecedentsArgs;
use crate::output::results::write_precedents;
use crate::search::SearchRequest;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &PrecedentsArgs) -> Result<i32> {
    let filters = common::filters(&args.filters)?;
    let engine = common::open_engine(args.index.as_deref())?;
    let req = SearchRequest {
        query: common::query_text(&args.query),
        literal: args.literal,
        filters,
        limit: args.limit,
        sort: super::search::sort(args.sort),
        facets: false,
        ..SearchRequest::default()
    };
    let results = engine.search(&req)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_precedents(&mut out, &results, args.format, 0)?;
    out.flush()?;
    Ok(0)
}
