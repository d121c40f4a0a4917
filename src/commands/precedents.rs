//! `imr precedents`: a numbered, citable list to paste into a brief, open in Word or Excel.

use super::common;
use crate::cli::PrecedentsArgs;
use crate::output::precedents::{write_precedents, write_summary, ListFormat, PrecedentList};
use crate::search::SearchRequest;
use anyhow::{bail, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn run(args: &PrecedentsArgs) -> Result<i32> {
    // Everything the flags can get wrong is said before the index is opened.
    let format = format(args.format, args.out.as_deref())?;
    if format == ListFormat::Docx && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "a .docx is binary and would garble the terminal: write it with --out FILE.docx, \
             or redirect it (> FILE.docx)"
        );
    }
    let req = SearchRequest {
        limit: args.limit,
        sort: args.sort,
        ..SearchRequest::new(common::criteria(&args.q)?)
    };
    let engine = common::open_engine(args.q.index.as_deref())?;
    let list = PrecedentList::build(&engine, PrecedentList::request(req), args.group)?;
    if let Some(note) = &list.results.note {
        // The list carries it in its data too; said here so a file written quietly is not
        // mistaken for an answer to the strict query.
        eprintln!("imr: note: {note}");
    }
    let write = |out: &mut dyn Write| {
        if args.summary {
            write_summary(out, &list, format)
        } else {
            write_precedents(out, &list, format)
        }
    };
    match &args.out {
        Some(path) => crate::files::write_whole(path, write)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(0)
}

/// The format asked for, else the one `--out`'s extension names, else Markdown. An explicit
/// format that contradicts a known extension is refused rather than writing, say, Markdown
/// into a file called list.docx.
fn format(asked: Option<ListFormat>, out: Option<&Path>) -> Result<ListFormat> {
    let by_name = out.map(|p| (p, ListFormat::from_extension(p)));
    Ok(match (asked, by_name) {
        (Some(f), Some((p, Some(g)))) if f != g => bail!(
            "--format {} conflicts with --out {} (a .{} file): drop one, or make them agree",
            f.as_str(),
            p.display(),
            g.as_str()
        ),
        (Some(f), _) => f,
        (None, Some((_, Some(g)))) => g,
        (None, Some((p, None))) => bail!(
            "{}: cannot tell the format from the file name: name it .md, .docx, .csv, .json \
             or .jsonl, or give --format",
            p.display()
        ),
        (None, None) => ListFormat::Md,
    })
}
