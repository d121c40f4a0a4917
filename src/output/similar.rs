//! `imr similar` in each output format: what was compared and the odds among the closest
//! decided items first, then the neighbours as `imr search` writes its hits (the same
//! writers). CSV and JSONL stay rows of hits; their odds go to stderr.

use super::contract::SimilarJson;
use super::results::{brief_date, write_results};
use super::{md_escape, Format};
use crate::search::{BaseRate, Odds, Similar};
use std::io::{self, Write};

/// "closest 20: 3 overturned (15%), 17 upheld · 18 of 20 the same treatment and drug".
pub fn odds_line(o: &Odds, s: &Similar) -> String {
    if o.compared == 0 {
        return format!("closest {}: no decided item to compare", o.window);
    }
    let head = if o.compared < o.window {
        format!(
            "closest {}: only {} item{} to compare: ",
            o.window,
            o.compared,
            if o.compared == 1 { "" } else { "s" }
        )
    } else {
        format!("closest {}: ", o.window)
    };
    let share = o.share().unwrap_or(0.0) * 100.0;
    let mut line = format!(
        "{head}{} overturned ({share:.0}%), {} upheld",
        o.overturned,
        o.upheld()
    );
    if let Some(alike) = o.alike {
        let what = if s.profile.drug().is_some() {
            "the same treatment and drug"
        } else {
            "the same treatment"
        };
        line.push_str(&format!(" · {alike} of {} {what}", o.compared));
    }
    line
}

/// "all 1,204 items of the same treatment: 97 overturned (8%)": the base rate the closest
/// items' odds are read against.
pub fn base_line(b: &BaseRate, s: &Similar) -> String {
    let what = if s.profile.drug().is_some() {
        "the same treatment and drug"
    } else {
        "the same treatment"
    };
    match b.share() {
        None => format!("all items of {what}: none (other than its own letter's)"),
        Some(share) => format!(
            "all {} item{} of {what}: {} overturned ({:.0}%)",
            thousands(b.items),
            if b.items == 1 { "" } else { "s" },
            thousands(b.overturned),
            share * 100.0
        ),
    }
}

/// 1234567 as "1,234,567".
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What was compared: "similar to CM16-0213037#2: MRI ... (upheld, Dec. 9, 2016)" or, for a
/// text, what it was read as.
pub fn subject_lines(s: &Similar) -> Vec<String> {
    let mut out = Vec::new();
    match &s.of {
        Some(i) => out.push(format!(
            "similar to {}#{}: {} ({}, {}); other items of its letter are left out",
            i.letter_id,
            i.item_index,
            i.item,
            i.decision.as_str(),
            brief_date(i.decision_date.as_deref())
        )),
        None => {
            match &s.read_from {
                Some(w) => out.push(format!("read: {w:?} as the item disputed")),
                None => out.push(
                    "read: no treatment, drug or body region recognised; compared by words only"
                        .to_string(),
                ),
            }
            if !s.others.is_empty() {
                out.push(format!(
                    "the text also names (not compared; --treatment or --medication picks one): {}",
                    s.others.join("; ")
                ));
            }
        }
    }
    out
}

/// Writes the neighbours of an item or a text.
pub fn write_similar(
    out: &mut dyn Write,
    s: &Similar,
    format: Format,
    color: bool,
) -> io::Result<()> {
    let odds: Vec<String> = s
        .odds
        .iter()
        .map(|o| odds_line(o, s))
        .chain(s.base.iter().map(|b| base_line(b, s)))
        .collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &SimilarJson::new(s))?;
            writeln!(out)
        }
        Format::Table => {
            for line in subject_lines(s).iter().chain(&odds) {
                writeln!(out, "{line}")?;
            }
            write_results(out, &s.results, format, color, 0)
        }
        Format::Md => {
            for line in subject_lines(s) {
                writeln!(out, "{}  ", md_escape(&line))?;
            }
            for line in &odds {
                writeln!(out, "**{}**  ", md_escape(line))?;
            }
            writeln!(out)?;
            write_results(out, &s.results, format, color, 0)
        }
        Format::Csv | Format::Jsonl => {
            // The rows are hits; what they are hits of, and the odds, go beside them.
            for line in subject_lines(s).iter().chain(&odds) {
                eprintln!("imr: {line}");
            }
            write_results(out, &s.results, format, color, 0)
        }
    }
}
