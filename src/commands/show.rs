//! `imr show`: one item, or a whole letter, in full.

use super::common;
use crate::cli::ShowArgs;
use crate::letter::Item;
use crate::output::results::{brief_date, guideline_text};
use crate::output::{md_escape, Format};
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(args: &ShowArgs) -> Result<i32> {
    let format = common::format(args.format);
    let engine = common::open_engine(args.index.as_deref())?;
    let items = engine.items_by_id(args.id.trim())?;
    if items.is_empty() {
        bail!(
            "no item or letter {:?} in the index (ids look like CM16-0213037 or CM16-0213037#2)",
            args.id
        );
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json | Format::Jsonl | Format::Csv => {
            if args.id.contains('#') {
                serde_json::to_writer_pretty(&mut out, &items[0])?;
            } else {
                serde_json::to_writer_pretty(&mut out, &items)?;
            }
            writeln!(out)?;
        }
        Format::Md => write_md(&mut out, &items, args.id.contains('#'))?,
        Format::Table => write_text(&mut out, &items, args.id.contains('#'))?,
    }
    out.flush()?;
    Ok(0)
}

fn write_text(out: &mut dyn Write, items: &[Item], one: bool) -> std::io::Result<()> {
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

fn write_md(out: &mut dyn Write, items: &[Item], one: bool) -> std::io::Result<()> {
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
