//! A facet tree (`imr facets`) as an indented table, JSON or CSV.

use super::contract::BrowseJson;
use super::{csv_cell, Format};
use crate::search::{Browse, Node};
use std::io::{self, Write};

/// Writes a browsed facet.
pub fn write_browse(out: &mut dyn Write, b: &Browse, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(&mut *out, &BrowseJson::new(b))?;
            writeln!(out)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["path", "value", "count", "overturned", "overturned_pct"])?;
            let mut rows = Vec::new();
            flatten(&b.nodes, &mut rows);
            for n in rows {
                w.write_record([
                    csv_cell(&n.path),
                    csv_cell(&n.value),
                    n.count.to_string(),
                    n.overturned.to_string(),
                    format!("{:.1}", n.overturned_pct()),
                ])?;
            }
            w.flush()
        }
        Format::Table | Format::Md => {
            writeln!(out, "interpreted: {}", b.interpreted)?;
            writeln!(out, "{} ({} items)", b.root.to_path_string(), b.total)?;
            // Under a decision filter every share is 0% or 100%: say nothing.
            write_tree(out, &b.nodes, 1, b.decision.is_none())
        }
    }
}

fn flatten<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        flatten(&n.children, out);
    }
}

fn write_tree(out: &mut dyn Write, nodes: &[Node], level: usize, rates: bool) -> io::Result<()> {
    for n in nodes {
        let rate = if rates && n.count >= 3 {
            format!("  ({:.1}% overturned)", n.overturned_pct())
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}{:<width$} {:>7}{rate}",
            "  ".repeat(level),
            n.value,
            n.count,
            width = 48usize.saturating_sub(2 * level)
        )?;
        write_tree(out, &n.children, level + 1, rates)?;
    }
    Ok(())
}
