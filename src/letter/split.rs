//! A file's text → its letters. Files hold several letters when PDFs were merged or text
//! appended; each letter must be read under its own case number, never as more items of the
//! first.
//!
//! A letter starts at a header or at its layout's first heading (`starts` in layouts.toml).
//! Such a heading begins a new letter only once the letter before it is complete (it holds
//! its layout's `complete` headings: its first decision is written), so a letter's own header
//! and first section, or a heading repeated on a later page, never cut it.

use super::layout::{self, compiled};
use std::ops::Range;

/// The byte ranges of the letters in `text`, in order, covering it (the first starts at 0,
/// each ends where the next starts). One range when the file holds one letter.
pub fn letters(text: &str) -> Vec<Range<usize>> {
    let c = compiled();
    let mut starts: Vec<usize> = c
        .layouts
        .iter()
        .flat_map(|h| h.starts.iter())
        .flat_map(|r| r.find_iter(text).map(|m| m.start()))
        .map(|at| with_letterhead(text, line_start(text, at)))
        .collect();
    starts.sort_unstable();
    starts.dedup();

    let mut out = Vec::new();
    let mut from = 0;
    for at in starts {
        if at <= from {
            continue;
        }
        let letter = &text[from..at];
        let done = layout::detect(letter).is_some_and(|l| layout::is_complete(l, letter));
        if done {
            out.push(from..at);
            from = at;
        }
    }
    out.push(from..text.len());
    out
}

/// The start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r', '\x0c']).map_or(0, |i| i + 1)
}

/// A letterhead printed just above a letter's first heading belongs to that letter: `at`
/// moved up over the (at most three) non-blank lines above it when one of them is the
/// letterhead.
fn with_letterhead(text: &str, at: usize) -> usize {
    let mut start = at;
    let mut found = at;
    let mut seen = 0;
    while start > 0 && seen < 3 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start].trim();
        start = prev;
        if line.is_empty() {
            continue;
        }
        seen += 1;
        // Letterhead lines are short and no label ("MAXIMUS FEDERAL SERVICES, INC."): a
        // rationale's last line or a "MAXIMUS guideline:" line is not one.
        let letterhead = line.len() <= 60
            && !line.contains(':')
            && compiled().letterhead.iter().any(|r| r.is_match(line));
        if letterhead {
            found = prev;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "Case Number:\nCM16-0000001\nHOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the file.\nCLINICAL CASE SUMMARY\nx\nIMR ISSUES, DECISIONS AND RATIONALES\nNorco: Upheld\nMAXIMUS guideline: MTUS\nDecision rationale: Not medically necessary.\n";

    #[test]
    fn one_letter_is_one_range() {
        assert_eq!(letters(LETTER), vec![0..LETTER.len()]);
    }

    #[test]
    fn a_header_after_a_complete_letter_starts_the_next() {
        let two = format!("{LETTER}{LETTER}\x0c{LETTER}");
        let got = letters(&two);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(&two[got[0].clone()], LETTER);
        assert_eq!(&two[got[1].clone()], format!("{LETTER}\x0c"));
    }

    #[test]
    fn a_letterhead_goes_with_the_heading_below_it() {
        let notice = "MAXIMUS FEDERAL SERVICES, INC.\nNotice of Independent Medical Review Determination\nDated: 9/26/2013\nINDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\nCase Summary:\nThe patient.\n";
        let two = format!("{notice}{notice}");
        assert_eq!(
            letters(&two),
            vec![0..notice.len(), notice.len()..two.len()]
        );
    }

    #[test]
    fn an_incomplete_letter_is_not_cut() {
        // The second heading comes before the first letter's decisions: one letter.
        let text = "HOW THE IMR FINAL DETERMINATION WAS MADE\nHOW THE IMR FINAL DETERMINATION WAS MADE\nIMR ISSUES, DECISIONS AND RATIONALES\nDecision rationale: x.\n";
        assert_eq!(letters(text).len(), 1);
    }
}
