//! Precedent lists: numbered, citable entries to paste into a brief or open in Excel.

use super::contract::{PrecedentJson, PrecedentsJson};
use super::results::{citation_line, decision_word, guideline_text};
use super::{csv_cell, md_escape, Format};
use crate::search::SearchResults;
use std::io::{self, Write};

/// Writes a precedent list: numbered, each with a citation line and the key sentence.
pub fn write_precedents(out: &mut dyn Write, r: &SearchResults, format: Format) -> io::Result<()> {
    let offset = r.offset;
    match format {
        Format::Csv => {
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
            ])?;
            for (n, h) in r.hits.iter().enumerate() {
                let i = &h.item;
                w.write_record([
                    (offset + n + 1).to_string(),
                    csv_cell(i.case_number.as_deref().unwrap_or(&i.letter_id)),
                    i.decision_date.clone().unwrap_or_default(),
                    csv_cell(&i.item),
                    decision_word(i).to_string(),
                    csv_cell(&guideline_text(i)),
                    csv_cell(&h.key_sentence.text),
                    csv_cell(&h.id),
                    csv_cell(h.rule_sentence.as_ref().map_or("", |s| s.text.as_str())),
                    csv_cell(&i.specialty.join("; ")),
                ])?;
            }
            w.flush()
        }
        Format::Json | Format::Jsonl => {
            let rows: Vec<PrecedentJson> = r
                .hits
                .iter()
                .enumerate()
                .map(|(n, h)| PrecedentJson::new(offset + n + 1, h))
                .collect();
            if format == Format::Jsonl {
                for row in rows {
                    serde_json::to_writer(&mut *out, &row)?;
                    writeln!(out)?;
                }
                Ok(())
            } else {
                let all = PrecedentsJson {
                    query: &r.query,
                    interpreted: &r.interpreted,
                    total: r.total,
                    precedents: rows,
                };
                serde_json::to_writer_pretty(&mut *out, &all)?;
                writeln!(out)
            }
        }
        Format::Md | Format::Table => {
            writeln!(out, "## Precedents: {}\n", md_escape(&r.query))?;
            writeln!(
                out,
                "_{} of {} matching IMR decisions ({})._\n",
                r.hits.len(),
                r.total,
                md_escape(&r.interpreted)
            )?;
            for (n, h) in r.hits.iter().enumerate() {
                // Citation — rule — reasoning.
                writeln!(out, "{}. {}", offset + n + 1, md_escape(&citation_line(h)))?;
                if let Some(rule) = &h.rule_sentence {
                    writeln!(out, "   > Rule: \"{}\"", rule.render("**", "**", md_escape))?;
                    writeln!(out, "   >")?;
                }
                writeln!(
                    out,
                    "   > \"{}\"\n",
                    h.key_sentence.render("**", "**", md_escape)
                )?;
            }
            Ok(())
        }
    }
}
