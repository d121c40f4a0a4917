//! `imr precedents`: a numbered, citable list to paste into a brief or open in Excel.

use super::common;
use crate::cli::PrecedentsArgs;
use crate::output::results::write_precedents;
use crate::search::SearchRequest;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &PrecedentsArgs) -> Result<i32> {
    let (engine, req) = common::request(&args.q)?;
    let req = SearchRequest {
        limit: args.limit,
        sort: super::search::sort(args.sort),
        facets: false,
        ..req
    };
    let results = engine.search(&req)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_precedents(&mut out, &results, args.format, 0)?;
    out.flush()?;
    Ok(0)
}
