//! Search results and precedent lists in each output format.

use super::contract::{HitJson, SearchJson};
use super::{csv_cell, md_escape, Format};
use crate::record::{Citation, Item};
use crate::search::{Hit, SearchResults, Sort};
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

pub(super) fn decision_word(item: &Item) -> &'static str {
    match item.decision {
        crate::record::Decision::Upheld => "Upheld",
        crate::record::Decision::Overturned => "Overturned",
        crate::record::Decision::Unknown => "Whole letter",
    }
}

fn drug_text(item: &Item) -> String {
    item.medication
        .as_ref()
        .map(|m| format!("{} ({})", m.generic, m.class))
        .unwrap_or_default()
}

/// Writes search results.
pub fn write_results(
    out: &mut dyn Write,
    r: &SearchResults,
    format: Format,
    color: bool,
    facet_limit: usize,
) -> io::Result<()> {
    let offset = r.offset;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &SearchJson::new(r))?;
            writeln!(out)
        }
        Format::Jsonl => {
            for h in &r.hits {
                serde_json::to_writer(&mut *out, &HitJson::new(h))?;
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
        Format::Table => write_table(out, r, color, facet_limit),
    }
}

fn write_table(
    out: &mut dyn Write,
    r: &SearchResults,
    color: bool,
    facet_limit: usize,
) -> io::Result<()> {
    let offset = r.offset;
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
            Sort::Relevance => "relevance",
            Sort::Date => "decision date, newest first",
            Sort::Oldest => "decision date, oldest first",
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
