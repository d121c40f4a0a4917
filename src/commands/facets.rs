//! `imr facets`: browse one facet as a tree with counts and overturn rates.

use super::common;
use crate::cli::FacetsArgs;
use crate::output::{csv_cell, Format};
use crate::search::browse::{browse, Node, BROWSABLE};
use crate::search::filters::{resolve_path, FacetSource};
use anyhow::{bail, Result};
use std::io::Write;
use tantivy::schema::Facet;

pub fn run(args: &FacetsArgs) -> Result<i32> {
    let field = args.field.trim().to_lowercase();
    let field = if field == "class" || field == "drug" {
        "medication".to_string()
    } else {
        field
    };
    let Some(&(_, default_depth)) = BROWSABLE.iter().find(|(f, _)| *f == field) else {
        bail!(
            "no facet {:?}: choose one of {}",
            args.field,
            BROWSABLE
                .iter()
                .map(|(f, _)| *f)
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let depth = args.depth.unwrap_or(default_depth).max(1);
    let format = common::format(args.format);
    let (engine, req) = common::request(&args.q)?;
    let root = match &args.path {
        None => Facet::from_path([field.as_str()]),
        Some(p) => {
            let found = resolve_path(&engine.facets(&field)?, &field, p);
            match found.as_slice() {
                [one] => one.clone(),
                [] => bail!("no {field} value matches {p:?}"),
                many => bail!(
                    "{p:?} matches several {field} values: {}",
                    many.iter()
                        .map(|f| f.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    };
    let prepared = engine.prepare(&req)?;
    let total = engine.count(&*prepared.query)?;
    let nodes = browse(&engine, &prepared, &field, root.clone(), depth, args.limit)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({
                    "field": field,
                    "root": root.to_path_string(),
                    "query": req.query,
                    "interpreted": prepared.interpreted,
                    "total": total,
                    "values": nodes,
                }),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["path", "value", "count", "overturned", "overturned_pct"])?;
            let mut rows = Vec::new();
            flatten(&nodes, &mut rows);
            for n in rows {
                w.write_record([
                    csv_cell(&n.path),
                    csv_cell(&n.value),
                    n.count.to_string(),
                    n.overturned.to_string(),
                    format!("{:.1}", pct(n)),
                ])?;
            }
            w.flush()?;
        }
        Format::Table | Format::Md => {
            writeln!(out, "interpreted: {}", prepared.interpreted)?;
            writeln!(out, "{} ({} items)", root.to_path_string(), total)?;
            let rates = prepared.decision.is_none();
            write_tree(&mut out, &nodes, 1, rates)?;
        }
    }
    out.flush()?;
    Ok(0)
}

fn pct(n: &Node) -> f64 {
    if n.count == 0 {
        0.0
    } else {
        100.0 * n.overturned as f64 / n.count as f64
    }
}

fn flatten<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        flatten(&n.children, out);
    }
}

fn write_tree(
    out: &mut dyn Write,
    nodes: &[Node],
    level: usize,
    rates: bool,
) -> std::io::Result<()> {
    for n in nodes {
        let rate = if rates && n.count >= 3 {
            format!("  ({:.1}% overturned)", pct(n))
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
