//! The 2014–15 and 2016 layouts: `HOW THE IMR FINAL DETERMINATION WAS MADE`, `CLINICAL CASE
//! SUMMARY`, `IMR ISSUES, DECISIONS AND RATIONALES`, after a header block from 2016 on.

use super::{header, items, reviewer, summary, text, Reading};
use crate::record::Layout;

/// Reads a letter `layout::detect` found in one of the two section layouts.
pub fn read(text: &str, detected: Layout) -> Reading {
    let Some(issues) = regex!(r"(?i)IMR\s+ISSUES\s*,\s*DECISIONS\s+AND\s+RATIONALES").find(text)
    else {
        // detect() found the heading; only a caller passing another text gets here.
        return Reading::unsplit(
            detected,
            "no \"IMR ISSUES, DECISIONS AND RATIONALES\" section",
        );
    };
    let how = regex!(r"(?i)HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE")
        .find(&text[..issues.start()]);
    let clinical = regex!(r"(?i)CLINICAL\s+CASE\s+SUMMARY").find(&text[..issues.start()]);

    let header_end = how
        .map(|m| m.start())
        .or(clinical.map(|m| m.start()))
        .unwrap_or(0);
    let mut header = header::parse_header(&text[..header_end]);

    let reviewer_block = match (how, clinical) {
        (Some(h), Some(c)) if c.start() > h.end() => &text[h.end()..c.start()],
        (Some(h), None) => &text[h.end()..issues.start()],
        _ => "",
    };
    let (licensure, specialty) = reviewer::parse_reviewer(reviewer_block);

    let summary_raw = clinical.map_or("", |c| &text[c.end()..issues.start()]);
    let summary = text::join_lines(text::lines(summary_raw).iter().map(|l| l.text));
    let summary = regex!(r"(?i)^the expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:\s*")
        .replace(&summary, "")
        .into_owned();
    if header.date_of_injury.is_none() {
        header.date_of_injury = summary::date_of_injury(&summary);
    }

    // Items start after "... set forth below:" when the letter says it.
    let section = &text[issues.end()..];
    let section = regex!(r"(?i)set\s+forth\s+below\s*:")
        .find(section)
        .map_or(section, |m| &section[m.end()..]);
    let lines = text::lines(section);
    // The header block makes the 2016 layout; a case number written without its label
    // (an extraction that lost it) still does.
    let layout = if header.case_number.is_some() {
        Layout::Header2016
    } else {
        detected
    };
    Reading {
        layout,
        header,
        licensure,
        specialty,
        summary,
        items: items::parse_items(&lines),
    }
}
