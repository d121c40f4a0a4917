//! `imr show`: one item, or a whole letter, in full.

use super::common;
use crate::cli::ShowArgs;
use crate::output::show::write_items;
use anyhow::Result;
use std::io::Write;

pub fn run(args: &ShowArgs) -> Result<i32> {
    let format = common::format(args.format);
    let engine = common::open_engine(args.index.as_deref())?;
    let items = engine.items(&args.id)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_items(&mut out, &items, args.id.contains('#'), format)?;
    out.flush()?;
    Ok(0)
}
