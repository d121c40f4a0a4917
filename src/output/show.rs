//! One item or a whole letter (`imr show`), in full: readable text, Markdown, JSON, or CSV
//! (one row per item).

use super::results::{brief_date, guideline_text, page_ranges};
use super::{csv_cell, md_escape, Format};
use crate::record::Item;
use std::io::{self, Write};

/// Writes the items of one letter (all of them, or the one asked for: `one`).
pub fn write_items(
    out: &mut dyn Write,
    items: &[Item],
    one: bool,
    format: Format,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    match format {
        Format::Json | Format::Jsonl => {
            if one {
                serde_json::to_writer_pretty(&mut *out, &items[0])?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &items)?;
            }
            writeln!(out)
        }
        Format::Csv => write_csv(out, items),
        Format::Md => write_md(out, items, one),
        Format::Table => write_text(out, items, one),
    }
}

/// One row per item: what a spreadsheet of a letter's decisions needs.
fn write_csv(out: &mut dyn Write, items: &[Item]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "case_number",
        "decision_date",
        "item_index",
        "item",
        "decision",
        "drug",
        "category",
        "guideline",
        "mtus_pages",
        "specialty",
        "rationale",
    ])?;
    for i in items {
        w.write_record([
            csv_cell(&crate::index::document::item_id(&i.letter_id, i.item_index)),
            csv_cell(i.case_number.as_deref().unwrap_or("")),
            i.decision_date.clone().unwrap_or_default(),
            i.item_index.to_string(),
            csv_cell(&i.item),
            i.decision.as_str().to_string(),
            csv_cell(i.medication.as_ref().map_or("", |m| m.generic.as_str())),
            i.category.as_str().to_string(),
            csv_cell(&guideline_text(i)),
            page_ranges(&i.mtus_pages),
            csv_cell(&i.specialty.join("; ")),
            csv_cell(&i.rationale),
        ])?;
    }
    w.flush()
}

fn write_text(out: &mut dyn Write, items: &[Item], one: bool) -> io::Result<()> {
    let first = &items[0];
    writeln!(
        out,
        "{}",
        first.case_number.as_deref().unwrap_or(&first.letter_id)
    )?;
    let dates = [
        ("decided", &first.decision_date),
        ("assigned", &first.date_assigned),
        ("injury", &first.date_of_injury),
        ("UR denial", &first.ur_denial_date),
        ("application", &first.application_received),
    ];
    let dates: Vec<String> = dates
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
        .collect();
    writeln!(out, "  {}", dates.join(" · "))?;
    writeln!(
        out,
        "  reviewer: {} (licensed in {})",
        if first.specialty.is_empty() {
            "specialty not stated".into()
        } else {
            first.specialty.join(", ")
        },
        if first.licensure.is_empty() {
            "not stated".into()
        } else {
            first.licensure.join(", ")
        }
    )?;
    let patient: Vec<String> = [
        first.patient_age.map(|a| format!("{a} years")),
        first.patient_sex.map(|s| format!("{s:?}").to_lowercase()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !patient.is_empty() {
        writeln!(out, "  patient: {}", patient.join(", "))?;
    }
    writeln!(out, "  source: {}", first.source)?;
    if !one {
        writeln!(out, "\nCLINICAL CASE SUMMARY\n{}", first.summary)?;
    }
    for i in items {
        writeln!(
            out,
            "\n{}#{}  {}: {}",
            i.letter_id,
            i.item_index,
            i.item,
            i.decision.as_str().to_uppercase()
        )?;
        if let Some(o) = &i.original_request {
            writeln!(out, "  partial approval: {o}")?;
        }
        if let Some(m) = &i.medication {
            writeln!(out, "  drug: {} ({}, {})", m.name, m.generic, m.class)?;
        }
        writeln!(out, "  category: {}", i.category.as_str())?;
        writeln!(out, "  guideline: {}", guideline_text(i))?;
        writeln!(out, "  MAXIMUS guideline: {}", i.maximus_guideline)?;
        writeln!(
            out,
            "  Claims Administrator guideline: {}",
            i.claims_administrator_guideline
        )?;
        writeln!(out, "  Decision rationale: {}", i.rationale)?;
    }
    if one {
        writeln!(out, "\nCLINICAL CASE SUMMARY\n{}", first.summary)?;
    }
    Ok(())
}

fn write_md(out: &mut dyn Write, items: &[Item], one: bool) -> io::Result<()> {
    let first = &items[0];
    writeln!(
        out,
        "## IMR {} ({})\n",
        md_escape(first.case_number.as_deref().unwrap_or(&first.letter_id)),
        brief_date(first.decision_date.as_deref())
    )?;
    for i in items {
        writeln!(
            out,
            "### Item {}: {}: **{}**\n",
            i.item_index,
            md_escape(&i.item),
            i.decision.as_str()
        )?;
        writeln!(out, "*Guideline:* {}\n", md_escape(&guideline_text(i)))?;
        writeln!(out, "{}\n", md_escape(&i.rationale))?;
    }
    if !one {
        writeln!(
            out,
            "### Clinical case summary\n\n{}",
            md_escape(&first.summary)
        )?;
    }
    Ok(())
}
