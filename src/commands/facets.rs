//! `imr facets`: browse one facet as a tree with counts and overturn rates.

use super::common;
use crate::cli::FacetsArgs;
use crate::output::browse::write_browse;
use crate::search::BrowseRequest;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &FacetsArgs) -> Result<i32> {
    let format = common::format(args.format);
    let req = BrowseRequest {
        criteria: common::criteria(&args.q)?,
        facet: args.field,
        path: args.path.clone(),
        depth: args.depth,
        limit: args.limit,
    };
    let engine = common::open_engine(args.q.index.as_deref())?;
    let browse = engine.browse(&req)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_browse(&mut out, &browse, format)?;
    out.flush()?;
    Ok(0)
}
