//! Precedent lists: numbered, citable entries to paste into a brief, open in Word or Excel,
//! or hand to a program. Each starts with the tally of the whole result set ([`summary`]);
//! near-identical items of one letter can stand as one entry ([`group`]).
//!
//! Formats: Markdown (a header block, then a numbered list: citation line, rule, reasoning),
//! Word ([`docx`]: the same, with the citation in bold and the sentences as block quotes),
//! JSON (a `summary` object beside the entries), JSON lines (one entry a line, every line of
//! one shape, so no summary line), and CSV: one table of entries, since Excel opens a CSV
//! as one sheet and a tally above the header row would break sorting and filtering; the
//! tally is its own table (`--summary`).

pub mod docx;
pub mod group;
pub mod list;
pub mod summary;

use super::contract::{PrecedentJson, PrecedentsJson};
use super::results::{brief_date, citation_text, decision_word, guideline_text, page_ranges};
use super::{csv_cell, md_escape};
use crate::search::Hit;
use clap::ValueEnum;
use group::Entry;
pub use list::PrecedentList;
use std::io::{self, Write};

/// The formats of `imr precedents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Markdown: a tally, then a numbered list, safe to paste (also: table, markdown).
    #[value(alias = "table", alias = "markdown")]
    Md,
    /// A Word document (binary: write it with --out, or pipe it).
    Docx,
    /// One table of entries for Excel; the tally is its own table, with --summary.
    Csv,
    /// One object: the query, a `summary` (the tally) and the entries.
    Json,
    /// One entry per line.
    Jsonl,
}

impl ListFormat {
    /// The format a file name's extension names: .md .csv .json .jsonl .docx.
    pub fn from_extension(path: &std::path::Path) -> Option<ListFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => ListFormat::Md,
            "docx" => ListFormat::Docx,
            "csv" => ListFormat::Csv,
            "json" => ListFormat::Json,
            "jsonl" | "ndjson" => ListFormat::Jsonl,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ListFormat::Md => "md",
            ListFormat::Docx => "docx",
            ListFormat::Csv => "csv",
            ListFormat::Json => "json",
            ListFormat::Jsonl => "jsonl",
        }
    }
}

/// "Reviewer: Orthopaedic Surgery." (empty where the letter names no specialty).
fn reviewer(h: &Hit) -> String {
    match h.item.specialty.as_slice() {
        [] => String::new(),
        s => format!(" Reviewer: {}.", s.join(", ")),
    }
}

/// The citation line of an entry without the reviewer: for one item, exactly
/// [`super::results::citation_line`]; for a group, its items named together ("items 3-4:
/// Right L5-S1 epidural steroid injection; Left L5-S1 epidural steroid injection") and
/// every guideline any of them cites.
pub fn citation(e: &Entry) -> String {
    let lead = e.lead();
    if e.hits.len() == 1 {
        return super::results::citation_line(lead);
    }
    let mut members = e.hits.clone();
    members.sort_by_key(|h| h.item.item_index);
    let i = &lead.item;
    let case = match &i.case_number {
        Some(c) => format!("IMR Case No. {c}"),
        None => format!("IMR letter {}", i.letter_id),
    };
    let numbers: Vec<u32> = members.iter().map(|h| h.item.item_index).collect();
    let names: Vec<&str> = members.iter().map(|h| h.item.item.as_str()).collect();
    let mut cited: Vec<String> = Vec::new();
    for h in &members {
        let texts: Vec<String> = if h.item.guidelines.is_empty() {
            vec![guideline_text(&h.item)]
        } else {
            h.item.guidelines.iter().map(citation_text).collect()
        };
        for t in texts {
            if !t.is_empty() && !cited.contains(&t) {
                cited.push(t);
            }
        }
    }
    format!(
        "{case} ({}), items {}: {}: {}. {}.",
        brief_date(i.decision_date.as_deref()),
        page_ranges(&numbers),
        names.join("; "),
        decision_word(i),
        cited.join("; ").trim_end_matches('.')
    )
}

/// The citation line as a brief prints it (every format, JSON's `citation` too): [`citation`]
/// and the reviewer's specialty.
pub fn citation_with_reviewer(e: &Entry) -> String {
    citation(e) + &reviewer(e.lead())
}

/// "Precedents: lumbar MRI"; with no words, what the filters say ("Precedents:
/// treatment=EMG/NCS"), or "all items".
pub fn title(list: &PrecedentList) -> String {
    let r = &list.results;
    let what = [r.query.trim(), r.interpreted.trim()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("all items");
    format!("Precedents: {what}")
}

/// Writes the list: the tally, then the entries.
pub fn write_precedents(
    out: &mut dyn Write,
    list: &PrecedentList,
    format: ListFormat,
) -> io::Result<()> {
    let entries = list.entries();
    // Entries are numbered from the page's start (the web page's second page starts at 26).
    let first = list.results.offset + 1;
    match format {
        ListFormat::Csv => write_csv(out, &entries, first),
        ListFormat::Json | ListFormat::Jsonl => {
            let rows: Vec<PrecedentJson> = entries
                .iter()
                .enumerate()
                .map(|(n, e)| PrecedentJson::new(first + n, e))
                .collect();
            if format == ListFormat::Jsonl {
                for row in rows {
                    serde_json::to_writer(&mut *out, &row)?;
                    writeln!(out)?;
                }
                Ok(())
            } else {
                serde_json::to_writer_pretty(&mut *out, &PrecedentsJson::new(list, rows))?;
                writeln!(out)
            }
        }
        ListFormat::Md => {
            write_md_header(out, list)?;
            for (n, e) in entries.iter().enumerate() {
                let lead = e.lead();
                // Citation — rule — reasoning.
                writeln!(
                    out,
                    "{}. {}",
                    first + n,
                    md_escape(&citation_with_reviewer(e))
                )?;
                if let Some(rule) = &lead.rule_sentence {
                    writeln!(out, "   > Rule: \"{}\"", rule.render("**", "**", md_escape))?;
                    writeln!(out, "   >")?;
                }
                writeln!(
                    out,
                    "   > \"{}\"\n",
                    lead.key_sentence.render("**", "**", md_escape)
                )?;
            }
            Ok(())
        }
        ListFormat::Docx => docx::write(out, list, &entries),
    }
}

/// The title and the tally, in Markdown.
fn write_md_header(out: &mut dyn Write, list: &PrecedentList) -> io::Result<()> {
    let s = &list.summary;
    writeln!(out, "## {}\n", md_escape(&title(list)))?;
    let mut tally = format!("**{}**", md_escape(&s.headline()));
    for b in s.breakdowns().iter().filter(|_| s.decisions > 0) {
        tally.push_str("; ");
        tally.push_str(&md_escape(b));
    }
    writeln!(out, "{tally}.\n")?;
    writeln!(out, "_{}_\n", md_escape(&s.counted))
}

fn write_csv(out: &mut dyn Write, entries: &[Entry], first: usize) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "no",
        "case_number",
        "decision_date",
        "item",
        "decision",
        "guideline",
        "key_sentence",
        "id",
        "rule_sentence",
        "specialty",
        "citation",
        "item_ids",
        "source",
    ])?;
    for (n, e) in entries.iter().enumerate() {
        let h = e.lead();
        let i = &h.item;
        let names: Vec<&str> = e.hits.iter().map(|h| h.item.item.as_str()).collect();
        let ids: Vec<&str> = e.hits.iter().map(|h| h.id.as_str()).collect();
        w.write_record([
            (first + n).to_string(),
            csv_cell(i.case_number.as_deref().unwrap_or(&i.letter_id)),
            i.decision_date.clone().unwrap_or_default(),
            csv_cell(&names.join("; ")),
            decision_word(i).to_string(),
            csv_cell(&guideline_text(i)),
            csv_cell(&h.key_sentence.text),
            csv_cell(&h.id),
            csv_cell(h.rule_sentence.as_ref().map_or("", |s| s.text.as_str())),
            csv_cell(&i.specialty.join("; ")),
            csv_cell(&citation_with_reviewer(e)),
            csv_cell(&ids.join("; ")),
            csv_cell(&i.source),
        ])?;
    }
    w.flush()
}

/// Writes the tally alone (`--summary`): in CSV a table of counts (group, value, count,
/// overturned, share overturned) that opens as one sheet; in the other formats the list's
/// own header (Markdown, Word) or `summary` object (JSON).
pub fn write_summary(
    out: &mut dyn Write,
    list: &PrecedentList,
    format: ListFormat,
) -> io::Result<()> {
    let s = &list.summary;
    match format {
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["group", "value", "count", "overturned", "overturned_share"])?;
            let share = |n: u64, o: u64| {
                if n == 0 {
                    String::new()
                } else {
                    format!("{:.3}", o as f64 / n as f64)
                }
            };
            let total = s.decisions as u64;
            w.write_record([
                "all".to_string(),
                csv_cell(&s.headline()),
                total.to_string(),
                s.overturned.to_string(),
                share(total, s.overturned),
            ])?;
            for (d, n) in [("upheld", s.upheld), ("overturned", s.overturned)] {
                let o = if d == "overturned" { n } else { 0 };
                w.write_record([
                    "decision".into(),
                    d.into(),
                    n.to_string(),
                    o.to_string(),
                    share(n, o),
                ])?;
            }
            if let (Some(a), Some(b)) = (&s.first_decided, &s.last_decided) {
                let dated = total.saturating_sub(s.undated);
                w.write_record([
                    "decided",
                    &format!("{a} to {b}"),
                    &dated.to_string(),
                    "",
                    "",
                ])?;
            }
            if s.undated > 0 {
                w.write_record(["decided", "not stated", &s.undated.to_string(), "", ""])?;
            }
            for (g, values) in [
                ("guideline", &s.by_guideline),
                ("specialty", &s.by_specialty),
            ] {
                for v in values {
                    w.write_record([
                        g.to_string(),
                        csv_cell(&v.value),
                        v.count.to_string(),
                        v.overturned.to_string(),
                        share(v.count, v.overturned),
                    ])?;
                }
            }
            w.flush()
        }
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, s)?;
            writeln!(out)
        }
        ListFormat::Jsonl => {
            serde_json::to_writer(&mut *out, s)?;
            writeln!(out)
        }
        ListFormat::Md => write_md_header(out, list),
        ListFormat::Docx => docx::write(out, list, &[]),
    }
}
