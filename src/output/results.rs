//! Search results and precedent lists in each output format.

use super::{csv_cell, md_escape, Format};
use crate::letter::{Citation, Item};
use crate::search::{FacetGroup, Hit, SearchResults, Snippet};
use serde_json::{json, Value};
use std::io::{self, Write};

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// "Dec. 9, 2016" (Bluebook month abbreviations), for citations in briefs.
pub fn brief_date(iso: Option<&str>) -> String {
    const MONTHS: [&str; 12] = [
        "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.",
    ];
    let Some(iso) = iso else {
        return "date not stated".to_string();
    };
    let mut p = iso.split('-');
    match (
        p.next(),
        p.next().and_then(|m| m.parse::<usize>().ok()),
        p.next().and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(y), Some(m @ 1..=12), Some(d)) => format!("{} {d}, {y}", MONTHS[m - 1]),
        _ => iso.to_string(),
    }
}

/// Compresses sorted pages into ranges: [74,75,76,88] → "74-76, 88".
pub fn page_ranges(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// A citation as a brief would write it: "MTUS Chronic Pain Medical Treatment Guidelines
/// (2009), Opioids, pp. 78-82".
pub fn citation_text(c: &Citation) -> String {
    let mut s = format!("{} {}", c.source.as_str(), c.document);
    if let Some(y) = c.year {
        s.push_str(&format!(" ({y})"));
    }
    for sec in &c.sections {
        s.push_str(", ");
        s.push_str(sec);
    }
    match c.pages.len() {
        0 => {}
        1 => s.push_str(&format!(", p. {}", c.pages[0])),
        _ => s.push_str(&format!(", pp. {}", page_ranges(&c.pages))),
    }
    s
}

/// All of an item's MAXIMUS citations, or what the letter says when there are none.
pub fn guideline_text(item: &Item) -> String {
    if item.guidelines.is_empty() {
        if item
            .maximus_guideline
            .to_lowercase()
            .contains("did not cite")
        {
            "no medical evidence cited".to_string()
        } else {
            item.maximus_guideline.clone()
        }
    } else {
        item.guidelines
            .iter()
            .map(citation_text)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn decision_word(item: &Item) -> &'static str {
    match item.decision {
        crate::letter::Decision::Upheld => "Upheld",
        crate::letter::Decision::Overturned => "Overturned",
    }
}

fn drug_text(item: &Item) -> String {
    item.medication
        .as_ref()
        .map(|m| format!("{} ({})", m.generic, m.class))
        .unwrap_or_default()
}

fn hit_json(h: &Hit) -> Value {
    let i = &h.item;
    json!({
        "id": h.id,
        "letter_id": i.letter_id,
        "case_number": i.case_number,
        "item_index": i.item_index,
        "item": i.item,
        "decision": i.decision,
        "medication": i.medication,
        "category": i.category,
        "mtus_pages": i.mtus_pages,
        "guidelines": i.guidelines,
        "specialty": i.specialty,
        "decision_date": i.decision_date,
        "score": h.score,
        "snippet": h.snippet.as_ref().map(Snippet::html),
        "snippet_field": h.snippet.as_ref().map(|s| s.field),
        "key_sentence": h.key_sentence.text,
        "source": i.source,
    })
}

fn facets_json(groups: &[FacetGroup]) -> Value {
    let mut m = serde_json::Map::new();
    for g in groups {
        m.insert(
            g.name.to_string(),
            Value::Array(
                g.values
                    .iter()
                    .map(|v| json!({"value": v.value, "count": v.count, "overturned": v.overturned, "path": v.path}))
                    .collect(),
            ),
        );
    }
    Value::Object(m)
}

/// Writes search results.
pub fn write_results(
    out: &mut dyn Write,
    r: &SearchResults,
    format: Format,
    color: bool,
    offset: usize,
    facet_limit: usize,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let v = json!({
                "query": r.query,
                "interpreted": r.interpreted,
                "total": r.total,
                "offset": offset,
                "sort": match r.sort { crate::search::Sort::Relevance => "relevance", crate::search::Sort::Date => "date" },
                "relaxed": r.relaxed,
                "note": r.note,
                "hits": r.hits.iter().map(hit_json).collect::<Vec<_>>(),
                "facets": facets_json(&r.facets),
            });
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for h in &r.hits {
                serde_json::to_writer(&mut *out, &hit_json(h))?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "rank",
                "id",
                "case_number",
                "decision_date",
                "item",
                "decision",
                "drug",
                "category",
                "guideline",
                "mtus_pages",
                "specialty",
                "score",
                "snippet",
            ])?;
            for (n, h) in r.hits.iter().enumerate() {
                let i = &h.item;
                w.write_record([
                    (offset + n + 1).to_string(),
                    csv_cell(&h.id),
                    csv_cell(i.case_number.as_deref().unwrap_or("")),
                    i.decision_date.clone().unwrap_or_default(),
                    csv_cell(&i.item),
                    decision_word(i).to_string(),
                    csv_cell(&drug_text(i)),
                    i.category.as_str().to_string(),
                    csv_cell(&guideline_text(i)),
                    page_ranges(&i.mtus_pages),
                    csv_cell(&i.specialty.join("; ")),
                    format!("{:.3}", h.score),
                    csv_cell(h.snippet.as_ref().map_or("", |s| s.text.as_str())),
                ])?;
            }
            w.flush()
        }
        Format::Md => {
            writeln!(out, "**Query:** {}  ", md_escape(&r.query))?;
            writeln!(out, "**Interpreted:** {}  ", md_escape(&r.interpreted))?;
            writeln!(out, "**Matching items:** {}\n", r.total)?;
            for (n, h) in r.hits.iter().enumerate() {
                let i = &h.item;
                writeln!(
                    out,
                    "{}. **{}**, item {} ({}): {}: **{}**. {}",
                    offset + n + 1,
                    md_escape(i.case_number.as_deref().unwrap_or(&i.letter_id)),
                    i.item_index,
                    brief_date(i.decision_date.as_deref()),
                    md_escape(&i.item),
                    decision_word(i),
                    md_escape(&guideline_text(i)),
                )?;
                if let Some(s) = &h.snippet {
                    writeln!(out, "   > {}", s.render("**", "**", md_escape))?;
                }
            }
            Ok(())
        }
        Format::Table => write_table(out, r, color, offset, facet_limit),
    }
}

fn write_table(
    out: &mut dyn Write,
    r: &SearchResults,
    color: bool,
    offset: usize,
    facet_limit: usize,
) -> io::Result<()> {
    let (b, e) = if color { (BOLD, RESET) } else { ("", "") };
    writeln!(out, "interpreted: {}", r.interpreted)?;
    if let Some(note) = &r.note {
        writeln!(out, "note: {note}")?;
    }
    let shown = if r.hits.is_empty() {
        String::new()
    } else {
        format!(", showing {}-{}", offset + 1, offset + r.hits.len())
    };
    writeln!(
        out,
        "{} item{}{shown}, by {}\n",
        r.total,
        if r.total == 1 { "" } else { "s" },
        match r.sort {
            crate::search::Sort::Relevance => "relevance",
            crate::search::Sort::Date => "decision date, newest first",
        }
    )?;
    for (n, h) in r.hits.iter().enumerate() {
        let i = &h.item;
        writeln!(
            out,
            "{:>3}. {b}{}{e}  {}  {}{}",
            offset + n + 1,
            i.item,
            decision_word(i).to_uppercase(),
            i.decision_date.as_deref().unwrap_or("date n/a"),
            if h.score > 0.0 {
                format!("  score {:.2}", h.score)
            } else {
                String::new()
            }
        )?;
        let mut facts = vec![h.id.clone()];
        if let Some(m) = &i.medication {
            facts.push(format!("{} ({})", m.generic, m.class));
        }
        facts.push(guideline_text(i));
        writeln!(out, "     {}", facts.join(" · "))?;
        if let Some(s) = &h.snippet {
            writeln!(out, "     {}", s.render(b, e, |t| t.to_string()))?;
        }
        writeln!(out)?;
    }
    for g in &r.facets {
        if g.values.is_empty() {
            continue;
        }
        let show_rate = g.name != "decision";
        let values: Vec<String> = g
            .values
            .iter()
            .take(facet_limit)
            .map(|v| {
                if show_rate
                    && v.count >= 3
                    && r.facets
                        .iter()
                        .any(|g| g.name == "decision" && g.values.len() > 1)
                {
                    format!(
                        "{} {} ({:.1}% overturned)",
                        v.value,
                        v.count,
                        100.0 * v.overturn_rate()
                    )
                } else {
                    format!("{} {}", v.value, v.count)
                }
            })
            .collect();
        let more = g.values.len().saturating_sub(facet_limit);
        writeln!(
            out,
            "{b}{}{e}: {}{}",
            g.name,
            values.join(", "),
            if more > 0 {
                format!(", +{more} more")
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}

/// Writes a precedent list: numbered, each with a citation line and the key sentence.
pub fn write_precedents(
    out: &mut dyn Write,
    r: &SearchResults,
    format: Format,
    offset: usize,
) -> io::Result<()> {
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
                ])?;
            }
            w.flush()
        }
        Format::Json | Format::Jsonl => {
            let rows: Vec<Value> = r
                .hits
                .iter()
                .enumerate()
                .map(|(n, h)| {
                    let i = &h.item;
                    json!({
                        "no": offset + n + 1,
                        "id": h.id,
                        "case_number": i.case_number,
                        "letter_id": i.letter_id,
                        "decision_date": i.decision_date,
                        "item": i.item,
                        "decision": i.decision,
                        "guideline": guideline_text(i),
                        "citation": citation_line(h),
                        "key_sentence": h.key_sentence.text,
                    })
                })
                .collect();
            if format == Format::Jsonl {
                for row in rows {
                    serde_json::to_writer(&mut *out, &row)?;
                    writeln!(out)?;
                }
                Ok(())
            } else {
                serde_json::to_writer_pretty(
                    &mut *out,
                    &json!({"query": r.query, "interpreted": r.interpreted, "total": r.total, "precedents": rows}),
                )?;
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
                writeln!(out, "{}. {}", offset + n + 1, md_escape(&citation_line(h)))?;
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

/// "IMR Case No. CM16-0213037 (Dec. 9, 2016), item 1: MRI of the right shoulder without
/// contrast: Upheld. MTUS Shoulder Complaints (2004), Special Studies."
pub fn citation_line(h: &Hit) -> String {
    let i = &h.item;
    let case = match &i.case_number {
        Some(c) => format!("IMR Case No. {c}"),
        None => format!("IMR letter {}", i.letter_id),
    };
    format!(
        "{case} ({}), item {}: {}: {}. {}.",
        brief_date(i.decision_date.as_deref()),
        i.item_index,
        i.item,
        decision_word(i),
        guideline_text(i).trim_end_matches('.')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_briefs() {
        assert_eq!(brief_date(Some("2016-12-09")), "Dec. 9, 2016");
        assert_eq!(brief_date(Some("2017-09-01")), "Sept. 1, 2017");
        assert_eq!(brief_date(None), "date not stated");
    }

    #[test]
    fn pages_compress() {
        assert_eq!(page_ranges(&[74, 75, 76, 77, 78, 88, 91]), "74-78, 88, 91");
        assert_eq!(page_ranges(&[]), "");
    }
}
