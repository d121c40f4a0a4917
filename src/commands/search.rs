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
    let filters = common::filters(&args.filters)?;
    let format = common::format(args.format);
    let engine = common::open_engine(args.index.as_deref())?;
    let req = SearchRequest {
        query: common::query_text(&args.query),
        literal: args.literal,
        filters,
        limit: args.limit,
        offset: args.offset,
        sort: sort(args.sort),
        ..SearchRequest::default()
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
