//! `imr search`: ranked, filtered items with facet counts.

use super::common;
use crate::cli::{SearchArgs, SortArg};
use crate::output::results::write_results;
use crate::search::{SearchRequest, Sort};
use anyhow::Result;
use std::io::{IsTerminal, Write};

pub fn sort(s: Option<SortArg>) -> Option<Sort> {
    s.map(|s| match s {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Date => Sort::Date,
    })
}

pub fn run(args: &SearchArgs) -> Result<i32> {
    let format = common::format(args.format);
    let (engine, req) = common::request(&args.q)?;
    let req = SearchRequest {
        limit: args.limit,
        offset: args.offset,
        sort: sort(args.sort),
        ..req
    };
    let results = engine.search(&req)?;
    let stdout = std::io::stdout();
    let color = crate::output::color(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_results(
        &mut out,
        &results,
        format,
        color,
        args.offset,
        args.facet_limit,
    )?;
    out.flush()?;
    Ok(0)
}
